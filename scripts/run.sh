#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make: build the patched kernel with the series' full debug configuration, boot it on QEMU virt
# (-smp 2) with an initramfs whose init is userspace/init.c, run the workloads, print what dma-debug
# saw, power off.  Exits non-zero if the kernel warned, oopsed, or reported a DMA-API error.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# RUN_DIR / RUN_KOUT / RUN_LOG: other output places, for parallel work.
# RUN_CONFIG: another config fragment (default config/run-virt.config; make soak: config/soak-virt.config).
# RUN_HOOK: a command run after the kernel build, with RUN_DIR and RUN_KOUT exported (make soak builds
#   its module there); RUN_INITRAMFS_EXTRA: a file of extra usr/gen_init_cpio lines for the initramfs;
# RUN_SUMMARY: the summary script (default scripts/run_summary.py); RUN_KERNEL_ARGS, RUN_TIMEOUT.
RUN="${RUN_DIR:-$BUILD/run}"
KOUT="${RUN_KOUT:-$BUILD/run-virt}"
mkdir -p "$RUN" "$KOUT"
setup_ccache
kmake() { make -C "$TREE" O="$KOUT" ARCH=arm CROSS_COMPILE=arm-linux-gnueabi- CC="$CC_CMD" "$@"; }

CONFIG_FRAG="${RUN_CONFIG:-$TOP/config/run-virt.config}"
step "configuring the run kernel (${CONFIG_FRAG#"$TOP"/})"
[ -f "$CONFIG_FRAG" ] || die "no config fragment $CONFIG_FRAG" "RUN_CONFIG must name an existing file"
grep -v -e '^#' -e '^[[:space:]]*$' "$CONFIG_FRAG" > "$RUN/want.config"
# Options the series' run needs on top (e.g. the true-positive test module), if the series has them.
[ -f "$TOP/config/run-virt-series.config" ] &&
	grep -v -e '^#' -e '^[[:space:]]*$' "$TOP/config/run-virt-series.config" >> "$RUN/want.config"
if ! cmp -s "$RUN/want.config" "$KOUT/.want.config" || [ ! -f "$KOUT/.config" ]; then
	cp "$RUN/want.config" "$KOUT/.config"
	kmake -s olddefconfig >/dev/null
	cp "$RUN/want.config" "$KOUT/.want.config"
fi
missing=$(grep -vxFf "$KOUT/.config" "$RUN/want.config" || true)
[ -z "$missing" ] || die "the run kernel's .config lacks options that ${CONFIG_FRAG#"$TOP"/} asks for:" \
	"$missing" "(a dependency is missing: add it to ${CONFIG_FRAG#"$TOP"/})"

step "building the run kernel in ${KOUT#"$TOP"/} (a cold build takes several minutes)"
bstart=$SECONDS
kmake -j"$(nproc)" zImage 2>&1 | grep -E '^(  (CC|LD|AR)  |.*(error|warning):)' |
	awk '/error|warning/ {print; next} {n++} n % 200 == 1 {print "    ... " $0; fflush()}' || true
[ "${PIPESTATUS[0]}" = 0 ] && [ -f "$KOUT/arch/arm/boot/zImage" ] ||
	die "the run kernel did not build" "re-run 'make -C build/linux O=${KOUT#"$TOP"/} ARCH=arm CROSS_COMPILE=arm-linux-gnueabi- zImage' to see the error"

if [ -n "${RUN_HOOK:-}" ]; then
	export RUN_DIR="$RUN" RUN_KOUT="$KOUT"
	bash -c "$RUN_HOOK" || die "the run hook failed: $RUN_HOOK"
fi

info "the run kernel is built ($((SECONDS - bstart)) s)"

step "building the initramfs (userspace/init.c, static, with usr/gen_init_cpio)"
arm-linux-gnueabi-gcc -static -pthread -O2 -Wall -Wextra -Werror -o "$RUN/init" "$TOP"/userspace/*.c ||
	die "userspace/init.c does not build" "check that gcc-arm-linux-gnueabi and libc6-dev-armel-cross are installed"

# Workload mm-cow: the kernel's own tools/testing/selftests/mm/cow.c, static, against the tree's
# installed UAPI headers (no liburing: local_config.h says so, as its check_config.sh would).
step "building tools/testing/selftests/mm/cow.c from the kernel tree (static)"
ST="$TREE/tools/testing/selftests/mm"
mkdir -p "$RUN/selftests"
make -s -C "$TREE" O="$KOUT" ARCH=arm INSTALL_HDR_PATH="$RUN/selftests/usr" headers_install >/dev/null ||
	die "make headers_install for the selftests failed" "re-run it by hand in build/linux to see why"
echo "// No liburing support found" > "$RUN/selftests/local_config.h"
arm-linux-gnueabi-gcc -static -O2 -isystem "$RUN/selftests/usr/include" -I"$RUN/selftests" -I"$ST" \
	-o "$RUN/mm-cow" "$ST/cow.c" "$ST/vm_util.c" "$ST/thp_settings.c" ||
	die "tools/testing/selftests/mm/cow.c does not build" "see the compiler's messages above"
bash "$TOP/scripts/armel.sh"
gcc -O2 -o "$RUN/gen_init_cpio" "$TREE/usr/gen_init_cpio.c"
cat > "$RUN/initramfs.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /tmp 1777 0 0
file /init $RUN/init 0755 0 0
dir /bin 0755 0 0
file /bin/mm-cow $RUN/mm-cow 0755 0 0
LIST
# Workload v4l2-compliance: Debian's armel binary and its libraries, as Debian lays them out.
ARM="$BUILD/armel/root"
(cd "$ARM" && echo "dir /usr 0755 0 0" && find lib usr/lib -type d -printf 'dir /%p 0755 0 0\n' && echo "dir /usr/bin 0755 0 0" &&
	find lib usr/lib -name '*.so*' \( -type f -printf "file /%p $ARM/%p 0755 0 0\n" \) -o \
		\( -type l -printf 'slink /%p %l 0777 0 0\n' \) &&
	echo "file /usr/bin/v4l2-compliance $ARM/usr/bin/v4l2-compliance 0755 0 0") |
	grep -v -e '/gconv' -e '/audit' >> "$RUN/initramfs.list"
[ -z "${RUN_INITRAMFS_EXTRA:-}" ] || cat "$RUN_INITRAMFS_EXTRA" >> "$RUN/initramfs.list"
"$RUN/gen_init_cpio" "$RUN/initramfs.list" > "$RUN/initramfs.cpio"

# The virtio disks: non-legacy virtio-mmio with VIRTIO_F_ACCESS_PLATFORM, so that virtio uses the DMA
# API (it bypasses it otherwise) and dma-debug sees every block I/O.
truncate -s 64M "$RUN/disk.img"
# The swap disk (init tells the disks apart by size): mm-cow's swapped-out tests.
rm -f "$RUN/swap.img" && truncate -s 32M "$RUN/swap.img"
case " ${RUN_KERNEL_ARGS:-} " in
*" workloads=short "*) step "booting on QEMU virt -smp 2 -m 1024, short workloads (about a minute)" ;;
*) step "booting on QEMU virt -smp 2 -m 1024 (the workloads take a few minutes)" ;;
esac
qstart=$SECONDS
log="${RUN_LOG:-$BUILD/run.log}"
set +e
timeout --foreground "${RUN_TIMEOUT:-1500}" qemu-system-arm -M virt -smp 2 -m 1024 -nographic -no-reboot \
	-kernel "$KOUT/arch/arm/boot/zImage" -initrd "$RUN/initramfs.cpio" \
	-global virtio-mmio.force-legacy=false \
	-drive if=none,id=disk0,file="$RUN/disk.img",format=raw,cache=unsafe \
	-device virtio-blk-device,drive=disk0,iommu_platform=on \
	-drive if=none,id=disk1,file="$RUN/swap.img",format=raw,cache=unsafe \
	-device virtio-blk-device,drive=disk1,iommu_platform=on \
	-append "console=ttyAMA0 panic=-1 vivid.n_devs=2 vivid.allocators=1,1 vivid.node_types=0x101,0x101 vivid.ccs_cap_mode=-1,1 vivid.ccs_out_mode=-1,2 ${RUN_KERNEL_ARGS:-}" </dev/null 2>&1 |
	tee "$log" | grep --line-buffered -E '^(@@ |init: )|^\[[ 0-9.]+\] (@@ |soak: )|DMA-API|WARNING:|BUG:|Oops|Kernel panic' | sed 's/^/    /'
qrc=${PIPESTATUS[0]}
set -e
info "QEMU ran $((SECONDS - qstart)) s (exit code $qrc)"
python3 "${RUN_SUMMARY:-$TOP/scripts/run_summary.py}" "$log" "$qrc" | tee "${log%.log}-summary.txt"
exit "${PIPESTATUS[0]}"
