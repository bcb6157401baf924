#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make: build the patched kernel with the series' full debug configuration, boot it on QEMU (virt
# -smp 2 on arm) with an initramfs whose init is userspace/*.c, run the workloads, print what
# dma-debug saw, power off.  Exits non-zero if the kernel warned, oopsed, or reported a DMA-API error.
#   scripts/run.sh [--kernel-args ARGS] [--log FILE] [--timeout S] [--base-kernel]
# --kernel-args (default: $RUN_KERNEL_ARGS, e.g. workloads=short) goes to the kernel command line;
# --log (default build/run-$BASE.log; the summary goes to build/run-$BASE-summary.txt); --timeout
# (1500 s).  Every output is the base's own (build/run-virt-$BASE, build/run/$BASE; ARCH=arm64:
# build/run-virt-arm64-$BASE, ...): two bases or architectures do not overwrite each other.
# --base-kernel: the same run on the base kernel without the series (the tree's tag 'base', checked
# out as a git worktree build/linux-$BASE-base; kernel in build/run-virt-$BASE-base, log
# build/run-$BASE-base.log), to tell a failure of the series from one of the base; the series'
# workload true-positive fails there (no test module): choose workloads with --kernel-args.
# The pieces: scripts/kbuild.sh, scripts/initramfs.sh, scripts/boot.sh, scripts/summary.py run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/boot-lib.sh"

usage="usage: scripts/run.sh [--kernel-args ARGS] [--log FILE] [--timeout S] [--base-kernel]"
kargs=${RUN_KERNEL_ARGS:-} log='' timeout_s=1500 name=$BASE series=1
while [ $# -gt 0 ]; do
	case $1 in
	--kernel-args) kargs=${2?$usage}; shift 2 ;;
	--log) log=${2:?$usage}; shift 2 ;;
	--timeout) timeout_s=${2:?$usage}; shift 2 ;;
	--base-kernel) series=0 name=$BASE-base; shift ;;
	*) die "run.sh: unknown argument '$1'" "$usage" ;;
	esac
done
# ARCH=arm keeps the names it always had; another architecture's outputs carry its name.
[ "$ARCH" = arm ] || name=$ARCH-$name
log=${log:-$BUILD/run-$name.log}
RUN="$BUILD/run/$name" KOUT="$BUILD/run-virt-$name"
# The workloads: the architecture's own list when it has one (config/arch/$ARCH.env RUN_WORKLOADS:
# what runs there) and the arguments name none.
if [ -n "${RUN_WORKLOADS:-}" ] && [[ " $kargs " != *" workloads="* ]]; then
	kargs="$kargs workloads=$RUN_WORKLOADS"
fi
# What this base's series has nothing for (config/bases/$BASE.env RUN_EXCLUDE_WORKLOADS): planned
# all the same, and reported as skipped, so that the summary shows it.
if [ -n "${RUN_EXCLUDE_WORKLOADS:-}" ]; then
	kargs="$kargs workloads_exclude=$RUN_EXCLUDE_WORKLOADS"
fi

[ -f "$TOP/config/run-$ARCH.config" ] ||
	die "no run kernel configuration for ARCH=$ARCH (config/run-$ARCH.config)" \
		"write it: the machine's options (console, virtio transport) on top of config/run-virt.config"
frags=(--config "$TOP/config/run-virt.config" --config "$TOP/config/run-$ARCH.config")
# The series' own options (the true-positive test module), then what this base needs on top.
[ "$series" = 0 ] || frags+=(--config "$TOP/config/run-virt-series.config")
[ ! -f "$TOP/config/run-$ARCH-$BASE.config" ] || frags+=(--config "$TOP/config/run-$ARCH-$BASE.config")
if [ "$series" = 0 ]; then
	# The base kernel: a git worktree of the base's tree at its tag 'base' (never the tree itself,
	# which holds the developer's commits).
	[ -d "$TREE/.git" ] || die "no kernel tree ${TREE#"$TOP"/}" "run 'make tree BASE=$BASE' first"
	bt="$BUILD/linux-$BASE-base"
	if [ ! -e "$bt/Makefile" ]; then
		step "checking out the base kernel (tag 'base' of ${TREE#"$TOP"/}) as a git worktree in ${bt#"$TOP"/}"
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$bt" base ||
			die "git worktree add of tag 'base' failed in ${TREE#"$TOP"/}" "see git's message above"
	fi
	[ "$(git -C "$bt" rev-parse HEAD)" = "$(git -C "$TREE" rev-parse base)" ] ||
		die "${bt#"$TOP"/} is not at tag 'base' of ${TREE#"$TOP"/}" "remove it (git -C ${TREE#"$TOP"/} worktree remove --force ${bt#"$TOP"/}) and re-run"
	export KTREE=$bt
fi
bash "$TOP/scripts/kbuild.sh" "${frags[@]}" --out "$KOUT"
bash "$TOP/scripts/initramfs.sh" --out "$RUN/initramfs.cpio" --kernel-out "$KOUT"

case " $kargs " in
*" workloads=short "*) step "booting BASE=$name on QEMU, short workloads (about a minute)" ;;
*) step "booting BASE=$name on QEMU (the workloads take a few minutes)" ;;
esac
workload_boot run "$KOUT" "$RUN" "$log" "$timeout_s" "$kargs"
