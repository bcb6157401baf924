#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch the pinned kernel source of BASE (config/bases/$BASE.env: KERNEL_PKG=KERNEL_DEB_VERSION from
# the Debian suite KERNEL_SUITE) with Debian's own tools and unpack it into build/src/:
#   an apt package list of its own for that suite (build/apt/<suite>-<arch>; the host's apt state is
#   untouched), apt-get download, dpkg-deb -x.  The archive's URI is read from the machine's apt sources.
# linux-source is architecture 'all', but the list is the host architecture's: Debian's binary-<arch>
# lists carry the 'all' packages too, and a mirror's binary-all list can lag behind its Release file
# (seen for bookworm-security on 2026-12-01: "File has unexpected size ... Mirror sync in progress?").
#   BASE=7.2 bash scripts/fetch-kernel.sh
# Prints where the tarball is; does nothing when it is already unpacked.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

done_stamp="$KERNEL_SRC_DIR/.fetched"
if [ -f "$KERNEL_TARBALL" ] && [ "$(cat "$done_stamp" 2>/dev/null)" = "$KERNEL_PKG=$KERNEL_DEB_VERSION" ]; then
	info "$KERNEL_PKG $KERNEL_DEB_VERSION: ${KERNEL_TARBALL#"$TOP"/}"
	exit 0
fi

step "fetching $KERNEL_PKG=$KERNEL_DEB_VERSION (BASE=$BASE) from Debian $KERNEL_SUITE"
need_pkgs apt dpkg xz-utils
arch=$(dpkg --print-architecture)
A="$BUILD/apt/$KERNEL_SUITE-$arch"
apt_private "$A" "$arch" "$KERNEL_SUITE"

# The pinned version, or a clear failure that says what Debian serves instead.
found=$(apt-cache "${APT_O[@]}" madison "$KERNEL_PKG" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }')
if ! grep -qxF -- "$KERNEL_DEB_VERSION" <<<"$found"; then
	die "Debian $KERNEL_SUITE no longer serves $KERNEL_PKG=$KERNEL_DEB_VERSION (pinned in config/bases/$BASE.env)" \
		"versions found in $KERNEL_SUITE: $(if [ -n "$found" ]; then sort -V <<<"$found" | tr '\n' ' '; else echo none; fi)" \
		"(package list: ${A#"$TOP"/}/lists; sources: ${A#"$TOP"/}/sources.list)" \
		"pin one of them in config/bases/$BASE.env (KERNEL_DEB_VERSION) once the series is checked on it"
fi
size=$(apt-cache "${APT_O[@]}" show "$KERNEL_PKG=$KERNEL_DEB_VERSION" 2>/dev/null | sed -n 's/^Size: //p' | head -1)
info "downloading $KERNEL_PKG $KERNEL_DEB_VERSION ($((${size:-0} / 1048576)) MiB) into ${A#"$TOP"/}/debs"
rm -rf "$A/debs"
mkdir -p "$A/debs"
t0=$SECONDS
(cd "$A/debs" && apt-get "${APT_O[@]}" -q download "$KERNEL_PKG=$KERNEL_DEB_VERSION") >"$A/download.log" 2>&1 ||
	die "apt-get download $KERNEL_PKG=$KERNEL_DEB_VERSION failed (log: ${A#"$TOP"/}/download.log)" \
		"check the network and the disk space, then re-run"
deb=$(find "$A/debs" -name "${KERNEL_PKG}_*.deb" | head -1)
[ -n "$deb" ] || die "apt-get download left no ${KERNEL_PKG}_*.deb in ${A#"$TOP"/}/debs (log: ${A#"$TOP"/}/download.log)"
info "downloaded $(basename "$deb") in $((SECONDS - t0)) s; unpacking with dpkg-deb -x"
rm -rf "$KERNEL_SRC_DIR.tmp"
mkdir -p "$KERNEL_SRC_DIR.tmp"
dpkg-deb -x "$deb" "$KERNEL_SRC_DIR.tmp" ||
	die "dpkg-deb -x $deb failed" "remove ${A#"$TOP"/}/debs and re-run (the download may be truncated)"
[ -f "$KERNEL_SRC_DIR.tmp/$KERNEL_TARBALL_IN_DEB" ] ||
	die "$(basename "$deb") holds no $KERNEL_TARBALL_IN_DEB" \
		"fix KERNEL_TARBALL_IN_DEB in config/bases/$BASE.env (dpkg-deb -c $deb lists what it holds)"
echo "$KERNEL_PKG=$KERNEL_DEB_VERSION" >"$KERNEL_SRC_DIR.tmp/.fetched"
rm -rf "$KERNEL_SRC_DIR"
mv "$KERNEL_SRC_DIR.tmp" "$KERNEL_SRC_DIR"
rm -rf "$A/debs"
info "$KERNEL_PKG $KERNEL_DEB_VERSION: ${KERNEL_TARBALL#"$TOP"/} ($(du -m "$KERNEL_TARBALL" | cut -f1) MiB)"
