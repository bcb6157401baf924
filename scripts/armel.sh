#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Third-party user space for the run's initramfs: Debian's armel v4l-utils (v4l2-compliance) and
# the libraries it needs, downloaded with apt-get (an armel package list of its own under
# build/apt/, the host's apt state untouched: lib.sh apt_private) and unpacked into build/armel/root.
# Prints nothing when build/armel/root is already complete.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

A="$BUILD/armel"
# Debian 12's v4l-utils 1.22 and the suites its libraries come from.
SUITES=(bookworm bookworm-updates bookworm-security)
PKGS=(v4l-utils libv4l-0 libv4lconvert0 libjpeg62-turbo libstdc++6 libgcc-s1 libc6)
[ -f "$A/root/.done" ] && [ "$(cat "$A/root/.done")" = "${SUITES[*]}: ${PKGS[*]}" ] && exit 0

step "fetching Debian's armel v4l-utils (v4l2-compliance) and its libraries into build/armel"
rm -rf "$A/root" "$A/debs"
mkdir -p "$A/debs" "$A/root"
apt_private "$BUILD/apt/armel" armel "${SUITES[@]}"
(cd "$A/debs" && apt-get "${APT_O[@]}" -q download "${PKGS[@]}") >"$A/apt-download.log" 2>&1 ||
	die "apt-get download of armel ${PKGS[*]} failed (log: build/armel/apt-download.log)" \
		"check the network; 'apt-get download' needs the packages to exist for armel in ${SUITES[*]}"
for d in "$A"/debs/*.deb; do
	dpkg-deb -x "$d" "$A/root"
	info "unpacked $(basename "$d")"
done
# Every library v4l2-compliance needs must be in the tree (a new Debian dependency would not be).
missing=$(for f in "$A/root/usr/bin/v4l2-compliance" "$A"/root/{lib,usr/lib}/arm-linux-gnueabi/*.so*; do
	[ -f "$f" ] && readelf -d "$f" 2>/dev/null | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p'
done | sort -u | while read -r lib; do
	[ -e "$A/root/lib/arm-linux-gnueabi/$lib" ] || [ -e "$A/root/usr/lib/arm-linux-gnueabi/$lib" ] ||
		echo "$lib"
done)
[ -z "$missing" ] || die "armel libraries missing for v4l2-compliance: $missing" \
	"add the Debian packages that hold them to PKGS in scripts/armel.sh"
echo "${SUITES[*]}: ${PKGS[*]}" > "$A/root/.done"
