#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build and run the series' KUnit suites for one target with the kernel's own kunit.py.
#   scripts/kunit.sh [virt] [extra kunit.py args...]
# Results: build/kunit.json (virt) or build/kunit-<target>.json; the raw log in build/kunit-<target>/test.log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# make_dtb BUILD_DIR FRAGMENT: BUILD_DIR/kunit.dtb is the device tree QEMU 'virt' makes (-smp 2 -m 1280,
# as in the qemu_configs that boot with it) with FRAGMENT added, compiled with BUILD_DIR's dtc.
make_dtb() {
	local dtc="$1/scripts/dtc/dtc" out="$1/kunit.dtb"
	[ -x "$dtc" ] || { warn "no dtc in $1 (the kernel build makes it); cannot make $out"; return 1; }
	info "device tree: QEMU virt's own plus ${2#"$TOP"/} -> ${out#"$TOP"/}"
	qemu-system-arm -machine virt,dumpdtb="$out.qemu" -smp 2 -m 1280 -nographic >/dev/null 2>&1 &&
		{ "$dtc" -q -I dtb -O dts "$out.qemu" && cat "$2"; } | "$dtc" -q -I dts -O dtb -o "$out" - ||
		{ warn "could not make $out from QEMU's device tree and $2"; return 1; }
}

target=${1:-virt}
shift || true
case "$target" in
virt)
	kcfg=kunit/virt.kunitconfig
	qcfg=kunit/qemu_configs/arm_virt_smp.py
	json="$BUILD/kunit.json"
	want_highmem=1
	series_kcfgs='*'	# every .kunitconfig the series adds
	dtb_add=kunit/dts/virt-nopage.dtsi	# QEMU's device tree plus a no-map shared-dma-pool region
	;;
lpae)
	# ARM_LPAE (the only 32-bit ARM configuration with SWIOTLB) booted with swiotlb=force: a
	# streaming mapping of memory that a struct page does not stand for goes through a bounce copy.
	kcfg=kunit/lpae.kunitconfig
	qcfg=kunit/qemu_configs/arm_virt_lpae.py
	json="$BUILD/kunit-lpae.json"
	series_kcfgs='kernel/dma/coherent.kunitconfig drivers/media/common/videobuf2/.kunitconfig'	# the nopage suites
	dtb_add=kunit/dts/virt-nopage.dtsi
	;;
vivt)
	# ARMv5 (ARM926) on QEMU versatilepb: a VIVT data cache, on which the DMA API pins highmem
	# kmaps with kmap_high_get() (QEMU virt never does); one CPU, 128 MiB HighMem.
	kcfg=kunit/vivt.kunitconfig
	qcfg=kunit/qemu_configs/arm_versatile_vivt.py
	json="$BUILD/kunit-vivt.json"
	want_highmem=1
	series_kcfgs='arch/arm/*'	# kept small: ARM's own suites only
	;;
*)
	die "unknown KUnit target '$target'" "known targets: virt lpae vivt"
	;;
esac
bdir="${KUNIT_BUILD_DIR:-$BUILD/kunit-$target}"
# Overrides for parallel work in a second work tree (git worktree): KUNIT_BUILD_DIR, KUNIT_JSON.
json="${KUNIT_JSON:-$json}"
[ -e "$TREE/.git" ] || die "build/linux does not exist" "run 'make tree' first"
setup_ccache

# The workshop's target config, plus the .kunitconfig files the series adds that the target runs:
# those that match one of the glob patterns in $series_kcfgs.
args=(--kunitconfig="$TOP/$kcfg")
read -ra pats <<<"$series_kcfgs"	# no pathname expansion here
while read -r f; do
	[ -n "$f" ] || continue
	for pat in "${pats[@]}"; do
		# shellcheck disable=SC2053	# $pat is a pattern
		if [[ $f == $pat ]]; then
			args+=(--kunitconfig="$TREE/$f")
			break
		fi
	done
done < <(git -C "$TREE" diff --name-only --diff-filter=A base..HEAD -- '*.kunitconfig' '*/.kunitconfig')

step "KUnit [$target]: building and booting on QEMU (a cold build takes several minutes; progress below)"
info "configs: ${args[*]#--kunitconfig=}"
rm -f "$json"
common=(--build_dir="$bdir" --qemu_config="$TOP/$qcfg" --cross_compile=arm-linux-gnueabi-)
set +e
if [ -z "${dtb_add:-}" ]; then
	(cd "$TREE" && python3 tools/testing/kunit/kunit.py run "${common[@]}" \
		--make_options="CC=$CC_CMD" --jobs="$(nproc)" --timeout="${KUNIT_TIMEOUT:-900}" \
		--json="$json" "${args[@]}" "$@")
else
	# The target boots with a device tree of its own: QEMU's, plus $dtb_add, compiled with the
	# dtc the kernel build makes, so build first, then make the .dtb, then boot.
	(cd "$TREE" && python3 tools/testing/kunit/kunit.py build "${common[@]}" \
		--make_options="CC=$CC_CMD" --jobs="$(nproc)" "${args[@]}") &&
	make_dtb "$bdir" "$TOP/$dtb_add" &&
	(cd "$TREE" && python3 tools/testing/kunit/kunit.py exec "${common[@]}" \
		--timeout="${KUNIT_TIMEOUT:-900}" --json="$json" "${args[@]}" "$@")
fi
rc=$?
set -e
log="$bdir/test.log"
if [ "${want_highmem:-0}" = 1 ] && [ -f "$log" ]; then
	if grep -Eq 'HighMem +\[mem 0x[0-9a-f]+-0x[0-9a-f]+\]' "$log"; then
		info "HighMem: $(grep -Eo 'HighMem +\[mem [^]]*\]' "$log" | head -1)"
	else
		warn "[$target] the kernel booted without HighMem (see $log)"
		rc=1
	fi
fi
[ "$rc" = 0 ] || warn "KUnit [$target] failed (kunit.py exit $rc); raw log: ${log#"$TOP"/}"
exit "$rc"
