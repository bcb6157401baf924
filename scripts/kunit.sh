#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build and run the series' KUnit suites for one target with the kernel's own kunit.py.
#   scripts/kunit.sh [virt] [extra kunit.py args...]
# Results: build/kunit.json (virt) or build/kunit-<target>.json; the raw log in build/kunit-<target>/test.log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

target=${1:-virt}
shift || true
case "$target" in
virt)
	kcfg=kunit/virt.kunitconfig
	qcfg=kunit/qemu_configs/arm_virt_smp.py
	json="$BUILD/kunit.json"
	want_highmem=1
	series_kcfgs='*'	# every .kunitconfig the series adds
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
	die "unknown KUnit target '$target'" "known targets: virt vivt"
	;;
esac
bdir="${KUNIT_BUILD_DIR:-$BUILD/kunit-$target}"
# Overrides for parallel work in a second work tree (git worktree): KUNIT_BUILD_DIR, KUNIT_JSON.
json="${KUNIT_JSON:-$json}"
[ -e "$TREE/.git" ] || die "build/linux does not exist" "run 'make tree' first"
setup_ccache

# The workshop's target config, plus the .kunitconfig files the series adds that the target runs.
args=(--kunitconfig="$TOP/$kcfg")
while read -r f; do
	# shellcheck disable=SC2254	# $series_kcfgs is a pattern
	case "$f" in $series_kcfgs) args+=(--kunitconfig="$TREE/$f") ;; esac
done < <(git -C "$TREE" diff --name-only --diff-filter=A base..HEAD -- '*.kunitconfig' '*/.kunitconfig')

step "KUnit [$target]: building and booting on QEMU (a cold build takes several minutes; progress below)"
info "configs: ${args[*]#--kunitconfig=}"
rm -f "$json"
set +e
(cd "$TREE" && python3 tools/testing/kunit/kunit.py run \
	--build_dir="$bdir" --qemu_config="$TOP/$qcfg" \
	--cross_compile=arm-linux-gnueabi- --make_options="CC=$CC_CMD" --jobs="$(nproc)" --timeout="${KUNIT_TIMEOUT:-900}" \
	--json="$json" "${args[@]}" "$@")
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
