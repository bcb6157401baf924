#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Third-party user space for the run's initramfs on 32-bit ARM: Debian's v4l-utils (v4l2-compliance)
# and the libraries it needs, downloaded with apt-get (a package list of its own under
# build/apt/armel-$BASE, the host's apt state untouched: lib.sh apt_private) and unpacked into
# build/armel/$BASE/root.  Which Debian release, architecture and packages: V4L_UTILS_SUITES,
# V4L_UTILS_ARCH (armel, or armhf: the kernel then needs VFP) and V4L_UTILS_PKGS of
# config/bases/$BASE.env (a v4l-utils as new as the base's vivid and V4L2 API).
#   scripts/armel.sh          prints nothing when the base's root is already complete
#   scripts/armel.sh --root   prints the root directory only (for scripts/initramfs.sh)
#   scripts/armel.sh --triplet  prints the libraries' directory name (arm-linux-gnueabi or ...hf)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

A="$BUILD/armel/$BASE"
arch=${V4L_UTILS_ARCH:-armel}
case $arch in
armel) triplet=arm-linux-gnueabi ;;
armhf) triplet=arm-linux-gnueabihf ;;
*) die "V4L_UTILS_ARCH=$arch (config/bases/$BASE.env) is not a 32-bit ARM Debian architecture" \
	"name armel or armhf" ;;
esac
case ${1:-} in
--root) echo "$A/root"; exit 0 ;;
--triplet) echo "$triplet"; exit 0 ;;
'') ;;
*) die "armel.sh: unknown argument '$1'" "usage: scripts/armel.sh [--root|--triplet]" ;;
esac
if [ -z "${V4L_UTILS_SUITES:-}" ] || [ -z "${V4L_UTILS_PKGS:-}" ]; then
	die "config/bases/$BASE.env names no V4L_UTILS_SUITES or V4L_UTILS_PKGS" \
		"add the Debian suites and the packages of v4l2-compliance for BASE=$BASE (see config/bases/7.2.env)"
fi
read -ra SUITES <<<"$V4L_UTILS_SUITES"
read -ra PKGS <<<"$V4L_UTILS_PKGS"
want="$arch ${SUITES[*]}: ${PKGS[*]}"
[ -f "$A/root/.done" ] && [ "$(cat "$A/root/.done")" = "$want" ] && exit 0

step "fetching Debian's $arch v4l-utils (v4l2-compliance) and its libraries from ${SUITES[*]} into ${A#"$TOP"/}"
rm -rf "$A/root" "$A/debs"
mkdir -p "$A/debs" "$A/root"
apt_private "$BUILD/apt/armel-$BASE" "$arch" "${SUITES[@]}"
(cd "$A/debs" && apt-get "${APT_O[@]}" -q download "${PKGS[@]}") >"$A/apt-download.log" 2>&1 ||
	die "apt-get download of $arch ${PKGS[*]} failed (log: ${A#"$TOP"/}/apt-download.log)" \
		"check the network; 'apt-get download' needs the packages to exist for $arch in ${SUITES[*]}" \
		"(V4L_UTILS_PKGS in config/bases/$BASE.env)"
for d in "$A"/debs/*.deb; do
	dpkg-deb -x "$d" "$A/root"
	info "unpacked $(basename "$d")"
done
[ -x "$A/root/usr/bin/v4l2-compliance" ] ||
	die "no usr/bin/v4l2-compliance in the unpacked packages (${A#"$TOP"/}/root)" \
		"V4L_UTILS_PKGS in config/bases/$BASE.env must name the package that holds it (v4l-utils)"
# Every library v4l2-compliance needs must be in the tree (a new Debian dependency would not be).
# Debian 13 ships its libraries in /usr/lib only (merged /usr); Debian 12 in /lib and /usr/lib.
missing=$(for f in "$A/root/usr/bin/v4l2-compliance" "$A"/root/{lib,usr/lib}/"$triplet"/*.so*; do
	[ -f "$f" ] && readelf -d "$f" 2>/dev/null | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p'
done | sort -u | while read -r lib; do
	[ -e "$A/root/lib/$triplet/$lib" ] || [ -e "$A/root/usr/lib/$triplet/$lib" ] ||
		echo "$lib"
done)
[ -z "$missing" ] || die "$arch libraries missing for v4l2-compliance: $missing" \
	"add the Debian packages that hold them to V4L_UTILS_PKGS in config/bases/$BASE.env"
# The program's own version, for the log and the docs.
info "$(sed -n 's/^Version: //p' <(dpkg-deb -f "$A"/debs/v4l-utils_*.deb) | sed 's/^/v4l-utils /')"
echo "$want" > "$A/root/.done"
