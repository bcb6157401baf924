#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make the initramfs of the run and the soak for this ARCH (scripts/lib.sh):
#   scripts/initramfs.sh --out FILE --kernel-out DIR [--extra LISTFILE]...
# /init is every userspace/*.c linked statically; /bin/mm-cow the kernel tree's
# tools/testing/selftests/mm/cow.c (against DIR's installed UAPI headers); on 32-bit ARM also Debian's
# v4l2-compliance and its libraries (scripts/armel.sh: the base's Debian release) and the base's
# known v4l2-compliance failures.  LISTFILE: more usr/gen_init_cpio lines (e.g. 'file /dma_soak.ko
# ...').  Work files go next to FILE.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage="usage: scripts/initramfs.sh --out FILE --kernel-out DIR [--extra LISTFILE]..."
out='' kout='' extras=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=${2:?$usage}; shift 2 ;;
	--kernel-out) kout=${2:?$usage}; shift 2 ;;
	--extra) extras+=("${2:?$usage}"); shift 2 ;;
	*) die "initramfs.sh: unknown argument '$1'" "$usage" ;;
	esac
done
if [ -z "$out" ] || [ -z "$kout" ]; then die "initramfs.sh: --out and --kernel-out are required" "$usage"; fi
for f in "${extras[@]}"; do
	[ -f "$f" ] || die "initramfs.sh: no extra list $f" "the step that makes it must run first"
done
# Absolute: the kernel's make runs in the tree.
out=$(realpath -m "$out") kout=$(realpath -m "$kout")
W=$(dirname "$out")
mkdir -p "$W"
CC="${CROSS_COMPILE}gcc"

step "building the initramfs (userspace/*.c, static, with usr/gen_init_cpio)"
"$CC" -static -pthread -O2 -Wall -Wextra -Werror -o "$W/init" "$TOP"/userspace/*.c ||
	die "userspace/*.c do not build with $CC (warnings are errors here: -Werror)" \
		"fix the compiler's messages above; a missing header or 'cannot find -lc' means a missing package: run 'make deps'"

# Workload mm-cow: the kernel's own tools/testing/selftests/mm/cow.c, static, against the tree's
# installed UAPI headers (no liburing: local_config.h says so, as its check_config.sh would).
step "building tools/testing/selftests/mm/cow.c from the kernel tree (static)"
ST="$TREE/tools/testing/selftests/mm"
mkdir -p "$W/selftests"
setup_ccache
kmake "$kout" -s INSTALL_HDR_PATH="$W/selftests/usr" headers_install >/dev/null ||
	die "make headers_install for the selftests failed in ${kout#"$TOP"/}" "re-run it by hand to see why"
echo "// No liburing support found" >"$W/selftests/local_config.h"
# The helpers every mm selftest links, as the tree's own Makefile names them ("$(TEST_GEN_FILES):
# vm_util.c thp_settings.c" in 6.12, hugepage_settings.c in 7.2); kselftest.h is one directory up
# (7.2 includes it as "kselftest.h", 6.12 as "../kselftest.h").
# shellcheck disable=SC2016	# make's $(...), not the shell's
read -ra helpers < <(sed -n 's/^\$(TEST_GEN_FILES):[[:space:]]*//p' "$ST/Makefile")
[ ${#helpers[@]} -gt 0 ] || die "tools/testing/selftests/mm/Makefile of ${TREE#"$TOP"/} names no helper files" \
	"its '\$(TEST_GEN_FILES): ...' line changed: teach scripts/initramfs.sh the new one"
"$CC" -static -O2 -isystem "$W/selftests/usr/include" -I"$W/selftests" -I"$ST" -I"$ST/.." \
	-o "$W/mm-cow" "$ST/cow.c" "${helpers[@]/#/$ST/}" ||
	die "tools/testing/selftests/mm/cow.c does not build with $CC" "see the compiler's messages above"
gcc -O2 -o "$W/gen_init_cpio" "$TREE/usr/gen_init_cpio.c" ||
	die "usr/gen_init_cpio.c of ${TREE#"$TOP"/} does not build with the host's gcc" "see the messages above"
cat >"$W/initramfs.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /tmp 1777 0 0
file /init $W/init 0755 0 0
dir /bin 0755 0 0
file /bin/mm-cow $W/mm-cow 0755 0 0
LIST
# Workload v4l2-compliance: Debian's binary and its libraries, as Debian lays them out (32-bit ARM only
# for now: scripts/armel.sh fetches the base's armel or armhf packages, config/bases/$BASE.env).
# Debian 13 ships no /lib (merged /usr): the loader's /lib/ld-linux*.so.3 is then a link to usr/lib.
if [ "$DEB_ARCH" = armel ]; then
	bash "$TOP/scripts/armel.sh"
	R=$(bash "$TOP/scripts/armel.sh" --root)
	dirs=(usr/lib)
	[ -d "$R/lib" ] && dirs+=(lib)
	(cd "$R" && echo "dir /usr 0755 0 0" && find "${dirs[@]}" -type d -printf 'dir /%p 0755 0 0\n' &&
		{ [ -d lib ] || echo "slink /lib usr/lib 0777 0 0"; } &&
		echo "dir /usr/bin 0755 0 0" &&
		find "${dirs[@]}" -name '*.so*' \( -type f -printf "file /%p $R/%p 0755 0 0\n" \) -o \
			\( -type l -printf 'slink /%p %l 0777 0 0\n' \) &&
		echo "file /usr/bin/v4l2-compliance $R/usr/bin/v4l2-compliance 0755 0 0") |
		grep -v -e '/gconv' -e '/audit' >>"$W/initramfs.list"
	# The failures of v4l2-compliance that the base kernel itself has (docs/run.md): the workload
	# accepts those and no other.  Comments and blank lines are left out.
	known="$TOP/config/run-v4l2-compliance-$BASE.known"
	grep -hv -e '^#' -e '^[[:space:]]*$' "$known" 2>/dev/null >"$W/v4l2-compliance.known" || true
	printf 'dir /etc 0755 0 0\nfile /etc/v4l2-compliance.known %s 0644 0 0\n' "$W/v4l2-compliance.known" \
		>>"$W/initramfs.list"
else
	warn "no v4l2-compliance for ARCH=$ARCH yet (scripts/armel.sh fetches 32-bit ARM's): its workload will fail"
fi
[ ${#extras[@]} = 0 ] || cat "${extras[@]}" >>"$W/initramfs.list"
"$W/gen_init_cpio" "$W/initramfs.list" >"$out" ||
	die "usr/gen_init_cpio could not make $out from $W/initramfs.list" "a file it names is missing: see above"
info "initramfs: ${out#"$TOP"/} ($(du -h "$out" | cut -f1))"
