# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the workshop scripts.  Sourced, not run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD="$TOP/build"

# The two parameters of every piece: the kernel base and the architecture.
#   BASE=6.12|7.2   config/bases/$BASE.env: which Debian linux-source package, its series directory
#   ARCH=arm|arm64|x86_64   config/arch/$ARCH.env: cross compiler, QEMU binary, kernel image, console
# (make BASE=7.2 ARCH=arm64 ...; a KUnit target's data file names its own base and arch.)
BASE="${BASE:-6.12}"
ARCH="${ARCH:-arm}"
[ -f "$TOP/config/bases/$BASE.env" ] || {
	printf 'ERROR: unknown BASE=%s; known: %s\n' "$BASE" \
		"$(cd "$TOP/config/bases" && ls -- *.env | sed 's/\.env$//' | tr '\n' ' ')" >&2
	exit 1
}
[ -f "$TOP/config/arch/$ARCH.env" ] || {
	printf 'ERROR: unknown ARCH=%s; known: %s\n' "$ARCH" \
		"$(cd "$TOP/config/arch" && ls -- *.env | sed 's/\.env$//' | tr '\n' ' ')" >&2
	exit 1
}
# shellcheck source=../config/bases/6.12.env
. "$TOP/config/bases/$BASE.env"
# shellcheck source=../config/arch/arm.env
. "$TOP/config/arch/$ARCH.env"
export BASE ARCH
# The base's work tree (KTREE: another one, e.g. a git worktree for parallel work) and its series.
TREE="${KTREE:-$BUILD/linux-$BASE}"
PATCHES="$TOP/$SERIES_DIR"
# Where the base's Debian package is unpacked (scripts/fetch-kernel.sh).
KERNEL_SRC_DIR="$BUILD/src/$KERNEL_PKG-$KERNEL_DEB_VERSION"
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

# Make sure that each named Debian package is installed; install the missing ones.
need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} = 0 ] && return 0
	step "installing Debian packages: ${missing[*]}"
	if [ ! -f "$BUILD/.apt-updated" ] || [ -n "$(find "$BUILD/.apt-updated" -mmin +720 2>/dev/null)" ]; then
		as_root apt-get update -q >/dev/null ||
			die "apt-get update failed" "check the network and /etc/apt/sources.list, then re-run"
		mkdir -p "$BUILD" && touch "$BUILD/.apt-updated"
	fi
	for p in "${missing[@]}"; do
		DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "$p" \
			>"$BUILD/apt-$p.log" 2>&1 ||
			die "could not install Debian package '$p' (log: build/apt-$p.log)" \
				"run 'apt-get install $p' by hand to see why, then re-run"
	done
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
