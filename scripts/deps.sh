#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the host packages the workshop needs from Debian (as root, or through sudo), for ARCH
# (config/arch/$ARCH.env: CROSS_PKGS, QEMU_PKGS).  The kernel source is not a host package: make tree
# fetches it (scripts/fetch-kernel.sh, an apt list of its own; the host's apt state is untouched).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

HOST_PKGS=(git make gcc bc bison flex libssl-dev libelf-dev cpio kmod xz-utils perl python3 rsync ccache
	python3-ply python3-git)	# the last two: checkpatch's SPDX check (scripts/spdxcheck.py)
read -ra cross <<<"$CROSS_PKGS"
read -ra qemu <<<"$QEMU_PKGS"
need_pkgs "${HOST_PKGS[@]}" "${cross[@]}" "${qemu[@]}"
