#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make soak: the series under stress and fault injection, with every sanitizer on.  Builds the kernel
# of config/soak-virt.config (KASAN, lockdep, DEBUG_ATOMIC_SLEEP, kmemleak, failslab, fail_page_alloc)
# in build/soak-virt, the soak driver soak/dma_soak.c as a module against it, and boots it on QEMU virt
# -smp 2 through scripts/run.sh with the init's soak mode (kernel argument soak=SECONDS).  Prints the
# figures (scripts/soak_summary.py); exits non-zero on any sanitizer report, any unexpected DMA-API
# report, a bad input without its report, or a tracker that does not end empty.
#   SOAK_SECONDS (default 120): how long the driver's threads run.
#   SOAK_FAIL (default 10): percent of the soak threads' allocations that fault injection fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# RUN_HOOK of scripts/run.sh: build the module against the freshly built kernel.
if [ "${1:-}" = --module ]; then
	setup_ccache
	kmake() { make -C "$TREE" O="$RUN_KOUT" ARCH=arm CROSS_COMPILE=arm-linux-gnueabi- CC="$CC_CMD" "$@"; }
	step "building the soak driver (soak/dma_soak.c) as a module against the soak kernel"
	# Module.symvers for the out-of-tree build (the config has no modules of its own: quick)
	kmake -s -j"$(nproc)" modules >/dev/null ||
		die "'make modules' failed in ${RUN_KOUT#"$TOP"/}" "run it by hand to see the error"
	rm -rf "$RUN_DIR/module" && mkdir -p "$RUN_DIR/module"
	cp "$TOP"/soak/Kbuild "$TOP"/soak/*.c "$RUN_DIR/module/"
	kmake -s M="$RUN_DIR/module" W=1 modules ||
		die "soak/dma_soak.c does not build against the soak kernel" "fix the errors above"
	echo "file /dma_soak.ko $RUN_DIR/module/dma_soak.ko 0644 0 0" > "$RUN_DIR/initramfs.extra"
	exit 0
fi

SOAK_SECONDS="${SOAK_SECONDS:-120}"
SOAK_FAIL="${SOAK_FAIL:-10}"
[[ "$SOAK_SECONDS" =~ ^[0-9]+$ ]] && [ "$SOAK_SECONDS" -gt 0 ] ||
	die "SOAK_SECONDS must be a positive number of seconds, not '$SOAK_SECONDS'"
[[ "$SOAK_FAIL" =~ ^[0-9]+$ ]] && [ "$SOAK_FAIL" -le 100 ] ||
	die "SOAK_FAIL must be a percentage (0-100), not '$SOAK_FAIL'"

start=$(date +%s)
export RUN_CONFIG="$TOP/config/soak-virt.config"
export RUN_DIR="$BUILD/soak" RUN_KOUT="$BUILD/soak-virt" RUN_LOG="$BUILD/soak.log"
export RUN_HOOK="bash '$TOP/scripts/soak.sh' --module"
export RUN_INITRAMFS_EXTRA="$BUILD/soak/initramfs.extra"
export RUN_SUMMARY="$TOP/scripts/soak_summary.py"
export RUN_KERNEL_ARGS="soak=$SOAK_SECONDS soak_fail=$SOAK_FAIL ${RUN_KERNEL_ARGS:-}"
# The soak, its bad inputs, kmemleak's scans and a slow KASAN boot, with a wide margin
export RUN_TIMEOUT="${RUN_TIMEOUT:-$((SOAK_SECONDS * 2 + 900))}"
info "soak: $SOAK_SECONDS s, fault injection fails $SOAK_FAIL% of the soak threads' allocations"
set +e
bash "$TOP/scripts/run.sh"
rc=$?
set -e
info "make soak took $(( $(date +%s) - start )) s (summary: build/soak-summary.txt)"
exit "$rc"
