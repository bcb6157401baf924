# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared helpers for the workshop scripts.  Sourced, not run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD="$TOP/build"

# The two parameters of every piece: the kernel base and the architecture.
#   BASE=7.2|6.12   config/bases/$BASE.env: which Debian linux-source package, its series directory
#   ARCH=arm|arm64|x86_64   config/arch/$ARCH.env: cross compiler, QEMU binary, kernel image, console
# (make BASE=7.2 ARCH=arm64 ...; a KUnit target's data file names its own base and arch.)
BASE="${BASE:-7.2}"
ARCH="${ARCH:-arm}"
# The names that config/$1/*.env gives (for error messages).
known_names() {
	local f
	for f in "$TOP/config/$1"/*.env; do f=${f##*/}; printf '%s ' "${f%.env}"; done
}
[ -f "$TOP/config/bases/$BASE.env" ] || {
	printf 'ERROR: unknown BASE=%s (no config/bases/%s.env); known: %s\n' "$BASE" "$BASE" "$(known_names bases)" >&2
	exit 1
}
[ -f "$TOP/config/arch/$ARCH.env" ] || {
	printf 'ERROR: unknown ARCH=%s (no config/arch/%s.env); known: %s\n' "$ARCH" "$ARCH" "$(known_names arch)" >&2
	exit 1
}
# shellcheck source=../config/bases/6.12.env
. "$TOP/config/bases/$BASE.env"
# shellcheck source=../config/arch/arm.env
. "$TOP/config/arch/$ARCH.env"
export BASE ARCH
# The base's work tree (KTREE: another one, e.g. a git worktree for parallel work) and its series.
TREE="${KTREE:-$BUILD/linux-$BASE}"
# shellcheck disable=SC2034	# used by the scripts that source this file
PATCHES="$TOP/$SERIES_DIR"
# Where the base's Debian package is unpacked (scripts/fetch-kernel.sh).
KERNEL_SRC_DIR="$BUILD/src/$KERNEL_PKG-$KERNEL_DEB_VERSION"
# shellcheck disable=SC2034
KERNEL_TARBALL="$KERNEL_SRC_DIR/$KERNEL_TARBALL_IN_DEB"
# The identity of every commit the workshop makes (git am into build/linux-*, lint's work trees):
# a CI container has no git identity of its own.  A developer's own identity, when set, wins.
if ! git config user.email >/dev/null 2>&1; then
	export GIT_COMMITTER_NAME="${GIT_COMMITTER_NAME:-workshop}"
	export GIT_COMMITTER_EMAIL="${GIT_COMMITTER_EMAIL:-workshop@invalid}"
fi

step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
	printf 'ERROR: %s\n' "$1" >&2
	shift
	for l in "$@"; do printf '       %s\n' "$l" >&2; done
	exit 1
}

# Run as root, or through sudo when we are not.
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# apt_stale STAMP: true when the package lists that STAMP marks (touched after each apt-get update)
# are missing or older than 12 hours.  The one rule for every apt-get update of the workshop.
apt_stale() {
	[ ! -f "$1" ] || [ -n "$(find "$1" -mmin +720 2>/dev/null)" ]
}

# Make sure that each named Debian package is installed; install the missing ones.
need_pkgs() {
	local absent=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || absent+=("$p")
	done
	[ ${#absent[@]} = 0 ] && return 0
	step "installing Debian packages: ${absent[*]}"
	if apt_stale "$BUILD/.apt-updated"; then
		as_root apt-get update -q >/dev/null ||
			die "apt-get update failed" "check the network and the machine's apt sources, then re-run"
		mkdir -p "$BUILD" && touch "$BUILD/.apt-updated"
	fi
	for p in "${absent[@]}"; do
		DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "$p" \
			>"$BUILD/apt-$p.log" 2>&1 ||
			die "could not install Debian package '$p' (log: build/apt-$p.log)" \
				"run 'apt-get install $p' by hand to see why, then re-run"
	done
}

# apt_mirror SUITE: the URI of the Debian archive that serves SUITE, from the machine's own apt sources
# (sources.list, sources.list.d/*.list and *.sources, read by apt itself).  A suite the machine does not
# list (unstable, trixie) comes from the main Debian archive: the one serving the machine's own release.
# No host name is written in the workshop.
apt_mirror() {
	local suite=$1 entries uri release
	# shellcheck disable=SC2016	# $(...) here is apt's format, not the shell's
	entries=$(apt-get indextargets --no-release-info --format '$(REPO_URI) $(RELEASE)' \
		'Identifier: Packages' 2>/dev/null | awk '!seen[$0]++')
	uri=$(awk -v s="$suite" '$2 == s { print $1; exit }' <<<"$entries")
	if [ -z "$uri" ] && [[ $suite != *-security ]]; then
		release=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
		uri=$(awk -v s="$release" '$2 == s { print $1; exit }' <<<"$entries")
	fi
	[ -n "$uri" ] || die "no apt source of this machine serves Debian $suite (nor its own release)" \
		"apt-get indextargets lists: $(awk '{ print $2 }' <<<"$entries" | sort -u | tr '\n' ' ')" \
		"add the Debian archive that serves '$suite' to /etc/apt/sources.list.d/, then re-run"
	echo "${uri%/}"
}

# apt_private DIR ARCH SUITE...: an apt state of its own in DIR (package lists, cache, a sources file
# naming each SUITE's archive as apt_mirror finds it) for the Debian architecture ARCH (armel, the
# host's, or 'all': architecture-independent packages only).  The host's apt state is untouched.  The
# lists are updated when stale (apt_stale) or when the sources changed.  Sets the array APT_O: the
# options that make apt-get and apt-cache use that state.
APT_O=()
apt_private() {
	local dir=$1 arch=$2 s uri sources="" key=/usr/share/keyrings/debian-archive-keyring.gpg opt=""
	shift 2
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	[ -f "$key" ] && opt="[signed-by=$key] "
	for s in "$@"; do
		uri=$(apt_mirror "$s") || exit 1
		sources+="deb $opt$uri $s main"$'\n'
	done
	APT_O=(-o APT::Architecture="$arch" -o APT::Architectures="$arch" -o Dir::State::Lists="$dir/lists"
		-o Dir::State::status=/dev/null -o Dir::Cache="$dir/cache" -o Dir::Etc::SourceList="$dir/sources.list"
		-o Dir::Etc::SourceParts=/dev/null -o Acquire::Languages=none -o Debug::NoLocking=1
		-o Acquire::Check-Valid-Until=false)
	# Check-Valid-Until=false: the signed Release file still vouches for every hash, and what these
	# lists fetch is fixed by a pin (the kernel's KERNEL_DEB_VERSION) or by a stable release (armel's
	# Debian 12 packages): an expired Release (a mirror snapshot; unstable between syncs) must not stop
	# the fetch.  This machine's own apt configuration does the same for the host's lists.
	if [ "$(cat "$dir/sources.list" 2>/dev/null)"$'\n' != "$sources" ] || apt_stale "$dir/.updated"; then
		printf '%s' "$sources" >"$dir/sources.list"
		info "apt-get update of a package list of its own: $arch, $* (${dir#"$TOP"/})"
		# apt-get update exits 0 on some failed lists: its E: lines decide.
		if ! apt-get "${APT_O[@]}" -q update >"$dir/update.log" 2>&1 || grep -q '^E:' "$dir/update.log"; then
			die "apt-get update of the package lists in ${dir#"$TOP"/} failed (log: ${dir#"$TOP"/}/update.log):" \
				"$(grep '^E:' "$dir/update.log" | head -3)" \
				"check the network, the sources it names (${dir#"$TOP"/}/sources.list) and the machine's apt" \
				"configuration (/etc/apt/apt.conf.d: it applies to these lists too), then re-run"
		fi
		touch "$dir/.updated"
	fi
}

# ccache shared across clones of the project (see README).
setup_ccache() {
	export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/kernel-dma-debug-ccache}"
	export CCACHE_BASEDIR="$TOP"
	export CCACHE_NOHASHDIR=1
	export CCACHE_SLOPPINESS="time_macros,include_file_mtime,include_file_ctime"
	export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-10G}"
	export KBUILD_BUILD_TIMESTAMP="$BASE_DATE"
	export KBUILD_BUILD_USER=workshop KBUILD_BUILD_HOST=workshop
	CC_CMD="ccache ${CROSS_COMPILE}gcc"
}

# kmake OUTDIR ARGS...: the kernel's make for this base's tree and this ARCH, output in OUTDIR.
# The one place that spells the kernel's make command line (call setup_ccache first).
kmake() {
	local out=$1
	shift
	make -C "$TREE" O="$out" ARCH="$KARCH" CROSS_COMPILE="$CROSS_COMPILE" CC="${CC_CMD:?setup_ccache first}" "$@"
}

# The "Notes:" block that make export (format-patch --notes) puts below a patch's '---': the test
# narration, which git am leaves out of the commit message.  Printed without its indent.
patch_notes() { awk '
	!seen && /^---$/ { seen = 1
		while ((getline line) > 0 && line == "") { }
		if (line == "Notes:") innotes = 1
		next }
	innotes { if ($0 ~ /^ [^ ]/) exit; sub(/^    /, ""); print }' "$1"; }
