#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what the workshop needs from Debian (as root, or through sudo).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

BASE_PKGS=(git make gcc bc bison flex libssl-dev libelf-dev cpio kmod xz-utils perl python3 rsync ccache
	gcc-arm-linux-gnueabi libc6-dev-armel-cross qemu-system-arm
	python3-ply python3-git)	# the last two: checkpatch's SPDX check (scripts/spdxcheck.py)
need_pkgs "${BASE_PKGS[@]}"

# The kernel source, pinned.  If Debian no longer serves the pinned version, take the newest 6.12
# it serves and say so loudly: the series must still apply (tree.sh fails if it does not).
have=$(dpkg-query -W -f='${Version}' "$KERNEL_PKG" 2>/dev/null || true)
if [ "$have" != "$KERNEL_DEB_VERSION" ]; then
	step "installing $KERNEL_PKG=$KERNEL_DEB_VERSION"
	if [ ! -f "$BUILD/.apt-updated" ]; then
		as_root apt-get update -q >/dev/null || die "apt-get update failed" "check the network, then re-run"
		mkdir -p "$BUILD" && touch "$BUILD/.apt-updated"
	fi
	if ! DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends --allow-downgrades \
		"$KERNEL_PKG=$KERNEL_DEB_VERSION" >"$BUILD/apt-kernel.log" 2>&1; then
		newest=$(apt-cache madison "$KERNEL_PKG" 2>/dev/null | awk '{print $3}' | sort -V | tail -1)
		[ -n "$newest" ] || die "Debian serves no $KERNEL_PKG package" \
			"check /etc/apt/sources.list has bookworm-security (see build/apt-kernel.log)"
		cat >&2 <<MSG

################################################################################
WARNING: Debian no longer serves $KERNEL_PKG=$KERNEL_DEB_VERSION (pinned in config/kernel.env).
WARNING: using the newest it serves, $newest, instead.  The series is tested on the pinned
WARNING: version; update config/kernel.env once it has been checked on $newest.
################################################################################

MSG
		DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends \
			"$KERNEL_PKG=$newest" >>"$BUILD/apt-kernel.log" 2>&1 ||
			die "could not install $KERNEL_PKG=$newest (log: build/apt-kernel.log)"
	fi
fi
[ -f "$KERNEL_TARBALL" ] || die "$KERNEL_TARBALL is missing although $KERNEL_PKG is installed" \
	"reinstall it: apt-get install --reinstall $KERNEL_PKG"
exit 0
