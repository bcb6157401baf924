# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# The workload boot of 'make' and 'make soak' (sourced after lib.sh).

# Kernel arguments of every workload boot: a panic ends QEMU; two vivid instances with the dma-contig
# allocator (workload v4l2-dmabuf shares buffers between them).
WORKLOAD_ARGS="panic=-1 vivid.n_devs=2 vivid.allocators=1,1 vivid.node_types=0x101,0x101 vivid.ccs_cap_mode=-1,1 vivid.ccs_out_mode=-1,2"

# runs_net_pair KERNEL-ARGS: whether the init runs workload net-pair with these arguments (its
# workloads=: none or "full" runs every workload, "short" has net-pair, a list must name it).
runs_net_pair() {
	local a wl=full
	for a in $1; do
		[[ $a != workloads=* ]] || wl=${a#workloads=}
	done
	[ "$wl" = full ] || [ "$wl" = short ] || [[ ",$wl," == *,net-pair,* ]]
}

# workload_boot KIND KOUT DIR LOG TIMEOUT [KERNEL-ARGS]: boot KOUT's image with DIR/initramfs.cpio on
# ARCH's default machine (scripts/qemu.py profiles --default) with two fresh virtio disks (and, for
# the run, two virtio-net NICs on a QEMU hub), then judge LOG with 'scripts/summary.py KIND' (run or
# soak), whose table also goes to LOG's -summary.txt.  Returns the summary's exit code.
workload_boot() {
	local kind=$1 kout=$2 dir=$3 log=$4 timeout_s=$5 args=${6:-} profile qrc nics=()
	profile=$(python3 "$TOP/scripts/qemu.py" profiles --default "$ARCH") ||
		die "no QEMU machine to boot ARCH=$ARCH on" "add one to DEFAULT in scripts/qemu.py"
	# The virtio disks go through the DMA API (the profile: non-legacy virtio-mmio, iommu_platform=on),
	# so dma-debug sees every block I/O.  The init tells them apart by size: 64 MiB for odirect-fork,
	# 32 MiB the swap disk (mm-cow's swapped-out tests).
	# Workload net-pair: two virtio-net NICs through the DMA API too, joined by a QEMU hub (no traffic
	# leaves the guest), one with mergeable receive buffers and one without (virtio-net's two
	# page_pool receive paths).
	# Only when the run has net-pair: a list without it (e.g. workloads=cow-storm) boots without NICs.
	if [ "$kind" = run ] && runs_net_pair "$args"; then
		nics=(--nic mrg_rxbuf=on --nic mrg_rxbuf=off)
	fi
	set +e
	bash "$TOP/scripts/boot.sh" --machine "$profile" --kernel "$kout/$KIMAGE" --initrd "$dir/initramfs.cpio" \
		--disk "$dir/disk.img:64M" --disk "$dir/swap.img:32M" "${nics[@]}" --append "$WORKLOAD_ARGS $args" \
		--log "$log" --timeout "$timeout_s"
	qrc=$?
	set -e
	python3 "$TOP/scripts/summary.py" "$kind" "$log" "$qrc" | tee "${log%.log}-summary.txt"
	return "${PIPESTATUS[0]}"
}
