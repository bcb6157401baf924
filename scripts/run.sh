#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make: build the patched kernel with the series' full debug configuration, boot it on QEMU (virt
# -smp 2 on arm) with an initramfs whose init is userspace/*.c, run the workloads, print what
# dma-debug saw, power off.  Exits non-zero if the kernel warned, oopsed, or reported a DMA-API error.
#   scripts/run.sh [--kernel-args ARGS] [--log FILE] [--timeout S]
# --kernel-args (default: $RUN_KERNEL_ARGS, e.g. workloads=short) goes to the kernel command line;
# --log (default build/run.log; the summary goes to build/run-summary.txt); --timeout (1500 s).
# The pieces: scripts/kbuild.sh, scripts/initramfs.sh, scripts/boot.sh, scripts/summary.py run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/boot-lib.sh"

usage="usage: scripts/run.sh [--kernel-args ARGS] [--log FILE] [--timeout S]"
kargs=${RUN_KERNEL_ARGS:-} log="$BUILD/run.log" timeout_s=1500
while [ $# -gt 0 ]; do
	case $1 in
	--kernel-args) kargs=${2?$usage}; shift 2 ;;
	--log) log=${2:?$usage}; shift 2 ;;
	--timeout) timeout_s=${2:?$usage}; shift 2 ;;
	*) die "run.sh: unknown argument '$1'" "$usage" ;;
	esac
done
RUN="$BUILD/run" KOUT="$BUILD/run-virt"

frags=(--config "$TOP/config/run-virt.config")
# Options the series' run needs on top (e.g. the true-positive test module), if the series has them.
[ ! -f "$TOP/config/run-virt-series.config" ] || frags+=(--config "$TOP/config/run-virt-series.config")
bash "$TOP/scripts/kbuild.sh" "${frags[@]}" --out "$KOUT"
bash "$TOP/scripts/initramfs.sh" --out "$RUN/initramfs.cpio" --kernel-out "$KOUT"

case " $kargs " in
*" workloads=short "*) step "booting on QEMU, short workloads (about a minute)" ;;
*) step "booting on QEMU (the workloads take a few minutes)" ;;
esac
workload_boot run "$KOUT" "$RUN" "$log" "$timeout_s" "$kargs"
