# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the workshop scripts.  Sourced, not run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD="$TOP/build"
# KTREE points the scripts at another work tree (e.g. a git worktree for parallel work).
TREE="${KTREE:-$BUILD/linux}"
PATCHES="$TOP/patches"
# shellcheck source=../config/kernel.env
. "$TOP/config/kernel.env"

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
	CC_CMD="ccache arm-linux-gnueabi-gcc"
}
