#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make soak: the series under stress and fault injection, with every sanitizer on.  Builds the kernel
# of config/soak-virt.config (KASAN, lockdep, DEBUG_ATOMIC_SLEEP, kmemleak, failslab, fail_page_alloc)
# in build/soak-virt, the soak driver soak/dma_soak.c as a module against it, an initramfs with the
# module, and boots it (QEMU virt -smp 2 on arm) with the init's soak mode (kernel argument
# soak=SECONDS).  Prints the figures (scripts/summary.py soak); exits non-zero on any sanitizer report,
# any unexpected DMA-API report, a bad input without its report, or a tracker that does not end empty.
#   scripts/soak.sh [--seconds N] [--fail PERCENT] [--timeout S]
# --seconds (default $SOAK_SECONDS or 120): how long the driver's threads run; --fail (default
# $SOAK_FAIL or 10): percent of the soak threads' allocations that fault injection fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/boot-lib.sh"

usage="usage: scripts/soak.sh [--seconds N] [--fail PERCENT] [--timeout S]"
seconds=${SOAK_SECONDS:-120} fail=${SOAK_FAIL:-10} timeout_s=''
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=${2:?$usage}; shift 2 ;;
	--fail) fail=${2:?$usage}; shift 2 ;;
	--timeout) timeout_s=${2:?$usage}; shift 2 ;;
	*) die "soak.sh: unknown argument '$1'" "$usage" ;;
	esac
done
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] ||
	die "the soak's seconds (SOAK_SECONDS, --seconds) must be a positive number, not '$seconds'"
[[ "$fail" =~ ^([0-9]|[1-9][0-9]|100)$ ]] ||
	die "the soak's fault injection (SOAK_FAIL, --fail) must be a percentage (0-100), not '$fail'"
# The soak, its bad inputs, kmemleak's scans and a slow KASAN boot, with a wide margin
timeout_s=${timeout_s:-$((seconds * 2 + 900))}
start=$SECONDS
SOAK="$BUILD/soak" KOUT="$BUILD/soak-virt"
info "soak: $seconds s, fault injection fails $fail% of the soak threads' allocations"

# The kernel, with its modules' Module.symvers for the out-of-tree build (the config has no modules
# of its own: quick).
bash "$TOP/scripts/kbuild.sh" --config "$TOP/config/soak-virt.config" --out "$KOUT" --modules

step "building the soak driver (soak/dma_soak.c) as a module against the soak kernel"
setup_ccache
rm -rf "$SOAK/module" && mkdir -p "$SOAK/module"
cp "$TOP"/soak/Kbuild "$TOP"/soak/*.c "$SOAK/module/"
# The device set-up the soak shares with the benchmark, when there is one.
[ ! -f "$TOP/bench/dma_testdev.h" ] || cp "$TOP/bench/dma_testdev.h" "$SOAK/module/"
kmake "$KOUT" -s M="$SOAK/module" W=1 modules ||
	die "soak/dma_soak.c does not build against the soak kernel (${KOUT#"$TOP"/})" "fix the errors above"
echo "file /dma_soak.ko $SOAK/module/dma_soak.ko 0644 0 0" >"$SOAK/initramfs.extra"

bash "$TOP/scripts/initramfs.sh" --out "$SOAK/initramfs.cpio" --kernel-out "$KOUT" --extra "$SOAK/initramfs.extra"

step "booting the soak kernel on QEMU (KASAN: a slow boot; the soak runs $seconds s)"
set +e
workload_boot soak "$KOUT" "$SOAK" "$BUILD/soak.log" "$timeout_s" "soak=$seconds soak_fail=$fail ${RUN_KERNEL_ARGS:-}"
rc=$?
set -e
info "make soak took $((SECONDS - start)) s (summary: build/soak-summary.txt)"
exit "$rc"
