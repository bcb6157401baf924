#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: what the series costs, against upstream dma-debug and against no dma-debug.
#   scripts/bench.sh           build K0, K1, K2, run them on QEMU, print the table, write the base's
#                              BENCHMARKS file (below) and its plot
#   scripts/bench.sh --smoke   a seconds-long run of the benchmark on the bench target's KUnit
#                              configuration (make check's gate, so that the benchmark cannot rot)
#   scripts/bench.sh --report  write the table and the BENCHMARKS file again from the last full run's
#                              logs (after a change to scripts/bench_report.py; no build, no boot)
#   scripts/bench.sh --md-path print the BENCHMARKS file of this BASE (for make lint's cover-letter check)
# K0 = base with CONFIG_DMA_API_DEBUG=n, K1 = base with =y (upstream dma-debug), K2 = the series (HEAD
# of build/linux-$BASE); same configuration otherwise (bench/bench.kunitconfig).  The same benchmark,
# bench/dma_bench.c (and bench/*.h), is copied into each tree; nothing of it is in the series.  The
# kernels are built with kunit.py and the machine of a KUnit target of this BASE (BENCH_TARGET, below),
# booted with scripts/boot.sh.  Everything goes to build/bench/$BASE/, so that the benches of two bases
# do not overwrite each other.  See BENCHMARKS.md and docs/bench.md.
# The base whose series is the product (BENCH_MAIN_BASE, 7.2) writes BENCHMARKS.md and BENCHMARKS.png;
# any other base BENCHMARKS-$BASE.md and BENCHMARKS-$BASE.png.  ARCH other than arm (the default) adds
# -$ARCH to the names (BENCHMARKS-arm64.md) and to the output directory (build/bench/7.2-arm64), and
# uses the KUnit target named after the architecture (kunit/targets/arm64.target).  On a machine whose
# profile has a device behind an IOMMU (scripts/qemu.py: iommu=True, the arm64 SMMUv3), K0, K1 and K2
# are also booted with dma_bench.iommu=1: the map figures through iommu-dma (K0i, K1i, K2i); and a
# fourth kernel, KP = K0 with upstream's CONFIG_IOMMU_DEBUG_PAGEALLOC (bench/iommu-debug-pagealloc.kunitconfig),
# is booted the same way without and with iommu.debug_pagealloc (KPi, KPi-on): what upstream's page-leak
# check costs the maps through the IOMMU and the page allocator, beside the series' free check.
# Overrides: BENCH_TARGET (the KUnit target whose machine and, for --smoke, configuration the kernels
# use: default 'virt' when its base is BASE, else 'virt-$BASE'; for ARCH other than arm, $ARCH), BENCH_ROUNDS (7), BENCH_LIVE_MAX
# (100000), BENCH_TPUT_MS (2000), BENCH_TIMEOUT (s, 3600).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=full
case ${1:-} in
'') ;;
--smoke) mode=smoke ;;
--report) mode=report ;;
--md-path) mode=md-path ;;
*) die "unknown option: $1" "usage: scripts/bench.sh [--smoke|--report|--md-path]" ;;
esac
start=$SECONDS
# The product's base (its series' cover letter quotes BENCHMARKS.md); see the head of this file.
BENCH_MAIN_BASE=7.2
sfx=''
[ "$BASE" = "$BENCH_MAIN_BASE" ] || sfx=-$BASE
[ "$ARCH" = arm ] || sfx=$sfx-$ARCH
md_name=BENCHMARKS$sfx.md png_name=BENCHMARKS$sfx.png
if [ $mode = md-path ]; then
	echo "$TOP/$md_name"
	exit 0
fi
BB="$BUILD/bench/$BASE"
[ "$ARCH" = arm ] || BB=$BB-$ARCH
B=${BB#"$TOP"/}
rounds=${BENCH_ROUNDS:-7}
live_max=${BENCH_LIVE_MAX:-100000}
tput_ms=${BENCH_TPUT_MS:-2000}

# The full run's report (bench_report.py's arguments, one a line): --report writes it again.
report() {
	local args=()
	mapfile -t args <"$BB/report.args"
	python3 "$TOP/scripts/bench_report.py" "${args[@]}"
}
if [ $mode = report ]; then
	[ -f "$BB/report.args" ] || die "no full run of make bench BASE=$BASE to report on ($B/report.args is missing)" \
		"run 'make bench BASE=$BASE' first"
	report || die "bench_report.py failed on the logs of the last run in $B" "see above"
	step "wrote $md_name and $png_name again from the logs in $B"
	exit 0
fi

[ -e "$TREE/.git" ] || die "${TREE#"$TOP"/} does not exist" "run 'make tree BASE=$BASE' first"
git -C "$TREE" rev-parse -q --verify base >/dev/null ||
	die "${TREE#"$TOP"/} has no tag 'base'" "run 'make tree BASE=$BASE'"
setup_ccache
LNX=$(basename "$TREE")	# the worktrees' name: that of the tree (see prepare_tree)
# The host's load when the run starts (its wall-clock figures depend on it): BENCHMARKS.md says it.
read -r load1 load5 load15 _ </proc/loadavg

# The KUnit target whose machine (and, for --smoke, configuration) the benchmark uses: BENCH_TARGET,
# or the 'virt' target when its base is this one, else 'virt-$BASE'.  kunit.py's --qemu_config for it
# is written into build/bench/$BASE/<target>.
t_base='' t_arch='' t_profile='' t_qemu_config='' t_kunitconfig='' t_series='' t_iommu=0 t_description=''
target_setup() {
	local out
	out=$(python3 "$TOP/scripts/target.py" setup "$1" --build-dir "$BB/$1") || return 1
	eval "$out"
}
if [ -n "${BENCH_TARGET:-}" ]; then
	target=$BENCH_TARGET
	target_setup "$target" || die "could not read the KUnit target '$target' (BENCH_TARGET): see above" \
		"targets: $(python3 "$TOP/scripts/target.py" list | tr '\n' ' ')"
elif [ "$ARCH" != arm ]; then
	target=$ARCH
	target_setup "$target" || die "no KUnit target for ARCH=$ARCH (kunit/targets/$ARCH.target)" \
		"give one with BENCH_TARGET=<name> (a target of arch $ARCH, base $BASE)"
else
	virt_base=$(sed -n 's/^base[[:space:]]*=[[:space:]]*//p' "$TOP/kunit/targets/virt.target" 2>/dev/null)
	if [ "$virt_base" = "$BASE" ]; then target=virt; else target=virt-$BASE; fi
	target_setup "$target" ||
		die "no KUnit target for BASE=$BASE: 'virt' is for BASE=${virt_base:-?} and '$target' could not be read" \
			"give one with BENCH_TARGET=<name> (kunit/targets/<name>.target, base = $BASE)"
fi
[ "$t_base" = "$BASE" ] ||
	die "the KUnit target '$target' is for BASE=$t_base, not BASE=$BASE" \
		"give BENCH_TARGET a target of base $BASE, or run with BASE=$t_base"
[ "$t_arch" = "$ARCH" ] ||
	die "the KUnit target '$target' is for ARCH=$t_arch, not ARCH=$ARCH" \
		"run with ARCH=$t_arch (make bench ARCH=$t_arch), or give BENCH_TARGET a target of arch $ARCH"
info "bench target: $target (kunit/targets/$target.target), outputs in $B/"

# A detached worktree of the base's tree at $2 in $1 with the benchmark copied in.  $3: k1 or k2
# (which tracker helpers to append to kernel/dma/debug.c and, for k2, to the tracker's file).  Worktrees sit next to their build
# directories (.../linux-$BASE, .../<out>) so that compiler paths, relative to the build directory,
# are those of build/linux-$BASE and build/kunit-<target>, and ccache hits across them.
prepare_tree() {
	local wt=$1 rev=$2 kind=$3 stamp tracker=
	# Unchanged tree and benchmark: leave the files alone, so that make rebuilds nothing.
	stamp="$rev $kind $(cat "$TOP"/bench/* | sha1sum | cut -c1-40)"
	if [ -e "$wt/.git" ] && [ "$(git -C "$wt" rev-parse HEAD)" = "$(git -C "$TREE" rev-parse "$rev^{commit}")" ] &&
		[ "$(cat "$wt/.bench-stamp" 2>/dev/null)" = "$stamp" ]; then
		return 0
	fi
	git -C "$TREE" worktree prune
	if [ -e "$wt/.git" ]; then
		git -C "$wt" checkout -q -f --detach "$rev" ||
			die "could not check out $rev in ${wt#"$TOP"/}" "remove it (git -C ${TREE#"$TOP"/} worktree remove --force ${wt#"$TOP"/}) and re-run"
	else
		info "git worktree ${wt#"$TOP"/} at $rev"
		mkdir -p "$(dirname "$wt")"
		git -C "$TREE" worktree add -q --detach "$wt" "$rev" ||
			die "could not make a worktree of ${TREE#"$TOP"/} in ${wt#"$TOP"/}"
	fi
	cp "$TOP/bench/dma_bench.c" "$wt/kernel/dma/dma_bench.c"
	# Headers the benchmark includes (the device set-up it shares with the soak driver).
	for h in "$TOP"/bench/*.h; do
		[ ! -f "$h" ] || cp "$h" "$wt/kernel/dma/"
	done
	# shellcheck disable=SC2016	# $(CONFIG_KUNIT) is make's
	grep -q dma_bench.o "$wt/kernel/dma/Makefile" ||
		printf '\n# dma-bench (scripts/bench.sh), not part of the series\nobj-$(CONFIG_KUNIT) += dma_bench.o\n' \
			>>"$wt/kernel/dma/Makefile"
	case $kind in
	k1) grep -q 'static RADIX_TREE(dma_active_cacheline' "$wt/kernel/dma/debug.c" ||
		die "base's kernel/dma/debug.c has no dma_active_cacheline tree" \
			"bench/tracker-k1.c counts upstream's tracker objects: update it for this kernel" ;;
	k2) # The tracker is in a file of its own in the 7.2 series, still in debug.c in the 6.12 one.
	    tracker=kernel/dma/debug_tracker.c
	    [ -f "$wt/$tracker" ] || tracker=kernel/dma/debug.c
	    grep -q 'dma_debug_pages\[DMA_DEBUG_TRACKER_SHARDS\]' "$wt/$tracker" ||
		die "the series' $tracker has no dma_debug_pages[] XArrays" \
			"bench/tracker-k2-objects.c counts the series' tracker objects: update it to the series"
	    # The header that declares debug_dma_assert_idle(): <linux/dma-mapping.h> in the 7.2
	    # series, <linux/dma-map-ops.h> in the 6.12 backport; the switch goes right after it.
	    local hdr='' h
	    for h in dma-mapping dma-map-ops; do
		grep -q "^#include <linux/$h.h>\$" "$wt/mm/memory.c" && { hdr=$h; break; }
	    done
	    { [ -n "$hdr" ] && grep -q 'debug_dma_assert_idle(' "$wt/mm/memory.c"; } ||
		die "the series' mm/memory.c does not call debug_dma_assert_idle() after including dma-mapping.h or dma-map-ops.h" \
			"bench/cow-hook-switch.c (the benchmark's on/off switch of the hook) needs updating"
	    sed -i "0,/^#include <linux\/$hdr.h>\$/{/^#include <linux\/$hdr.h>\$/r $TOP/bench/cow-hook-switch.c
}" "$wt/mm/memory.c"
	    # The free checks (a later part of the series; the 6.12 backport has none yet): their switch
	    # goes right after <linux/dma-mapping.h> in mm/page_alloc.c and mm/slub.c.
	    if grep -q 'debug_dma_check_free_pages(' "$wt/mm/page_alloc.c"; then
		local f
		for f in page_alloc:pages slub:slab; do
			grep -q '^#include <linux/dma-mapping.h>$' "$wt/mm/${f%%:*}.c" ||
				die "the series' mm/${f%%:*}.c has free checks but does not include <linux/dma-mapping.h>" \
					"bench/free-hook-switch-${f#*:}.c (the benchmark's switch of the check) needs updating"
			sed -i "0,/^#include <linux\/dma-mapping.h>\$/{/^#include <linux\/dma-mapping.h>\$/r $TOP/bench/free-hook-switch-${f#*:}.c
}" "$wt/mm/${f%%:*}.c"
			# Without the switch, figure 6 would silently measure the checks on only.
			grep -q 'dma_bench_free_hook_off' "$wt/mm/${f%%:*}.c" ||
				die "could not insert bench/free-hook-switch-${f#*:}.c into ${wt#"$TOP"/}/mm/${f%%:*}.c" \
					"see the sed in prepare_tree (scripts/bench.sh)"
		done
		# kfree()'s check is the slab's DMA mark, tested before debug_dma_check_free_object()
		# is called: the switch goes in front of the test.
		local mark='if (unlikely(slab_test_dma_mapped(slab)))'
		grep -qF "$mark" "$wt/mm/slub.c" ||
			die "the series' mm/slub.c does not test the slab's DMA mark with '$mark'" \
				"the switch of kfree()'s check in prepare_tree (scripts/bench.sh) needs updating"
		sed -i 's/if (unlikely(slab_test_dma_mapped(slab)))/if (!static_branch_unlikely(\&dma_bench_free_hook_off) \&\&\n\t    unlikely(slab_test_dma_mapped(slab)))/' \
			"$wt/mm/slub.c"
		grep -q 'static_branch_unlikely(&dma_bench_free_hook_off) &&$' "$wt/mm/slub.c" ||
			die "could not put the switch in front of slab_free_hook()'s DMA mark test in ${wt#"$TOP"/}/mm/slub.c" \
				"see the sed in prepare_tree (scripts/bench.sh)"
	    fi ;;
	esac
	{ cat "$TOP/bench/tracker-common.h"; cat "$TOP/bench/tracker-$kind.c"; } >>"$wt/kernel/dma/debug.c"
	[ "$kind" = k1 ] || cat "$TOP/bench/tracker-k2-objects.c" >>"$wt/$tracker"
	# Figure 8, when the series' tracker keeps idle records for a work item to free
	# (a tracker with the work but another dma_debug_reap() would lose the figure without a word).
	if [ "$kind" = k2 ] && grep -q 'dma_debug_reap_fn' "$wt/$tracker"; then
		grep -q '^static unsigned long dma_debug_reap(unsigned long age, unsigned long first,$' "$wt/$tracker" ||
			die "the series' $tracker has an idle-record work but not the dma_debug_reap() that bench/tracker-k2-reap.c calls" \
				"update bench/tracker-k2-reap.c (figure 8) to the series"
		cat "$TOP/bench/tracker-k2-reap.c" >>"$wt/$tracker"
	fi
	echo "$stamp" >"$wt/.bench-stamp"
}

# Build with kunit.py: $1 tree, $2 build dir, $3 log, then --kunitconfig arguments.  Each build's
# time goes to build_times (BENCHMARKS.md says them).
build_times=()
build_kernel() {
	local wt=$1 out=$2 log=$3 t0=$SECONDS
	shift 3
	info "building ${out#"$TOP"/} (log: ${log#"$TOP"/}; cold: several minutes, warm ccache: about a minute)"
	(cd "$wt" && exec python3 tools/testing/kunit/kunit.py build --build_dir="$out" --qemu_config="$t_qemu_config" \
		--cross_compile="$CROSS_COMPILE" --make_options="CC=$CC_CMD" --jobs="$(nproc)" "$@") \
		>"$log" 2>&1 &
	local pid=$! rc=0
	while kill -0 "$pid" 2>/dev/null; do
		sleep 5
		[ $(((SECONDS - t0) % 30)) -lt 5 ] && kill -0 "$pid" 2>/dev/null &&
			info "... $((SECONDS - t0)) s, $(find "$out" -name '*.o' 2>/dev/null | wc -l) objects"
	done
	wait "$pid" || rc=$?
	if [ "$rc" != 0 ]; then
		tail -20 "$log" | sed 's/^/    /' >&2
		# Killed from outside (exit status 128 + signal): the log ends without an error.
		[ "$rc" -le 128 ] || die "building ${out#"$TOP"/}: kunit.py was killed (signal $((rc - 128)))" \
			"something outside make bench ended it (see ${log#"$TOP"/}); re-run: finished objects are kept"
		die "building ${out#"$TOP"/} failed (kunit.py exit status $rc)" "see ${log#"$TOP"/}"
	fi
	info "built in $((SECONDS - t0)) s"
	build_times+=("$(basename "$out") $((SECONDS - t0)) s")
}

# Boot $1 (a build dir) on QEMU; $2 log, $3 icount|smp, $4 KUnit filter, rest: kernel arguments.
boot() {
	local out=$1 log=$2 mode=$3 filter=$4 qemu=()
	shift 4
	case $mode in
	icount) qemu=(--smp 1 -- -icount shift=0) ;;
	smp) qemu=(--smp 2 -- -accel 'tcg,thread=multi') ;;
	esac
	info "booting ${out#"$TOP"/} ($mode: ${qemu[*]}) for $filter"
	bash "$TOP/scripts/boot.sh" --quiet --machine "$t_profile" --memory 1024 --kernel "$out/$KIMAGE" \
		--append "kunit_shutdown=reboot kunit.filter_glob=$filter $*" --log "$log" \
		--timeout "${BENCH_TIMEOUT:-3600}" "${qemu[@]}" || true
	grep -q 'dma-bench: done' "$log" ||
		die "the benchmark did not finish in ${out#"$TOP"/} ($mode)" "see ${log#"$TOP"/}"
	grep -E '^(\[ *[0-9.]+\] )?(    )*(not ok|ok) [0-9]+ (dma_bench|dma-bench)' "$log" | grep -q 'not ok' &&
		die "the benchmark failed in ${out#"$TOP"/} ($mode)" "see ${log#"$TOP"/}"
	return 0
}

bench_args() {
	echo "dma_bench.live_max=$1 dma_bench.rounds=$2 dma_bench.tput_ms=$3"
}

if [ $mode = smoke ]; then
	step "bench smoke: the benchmark on the K2 tree with the '$target' KUnit configuration (lockdep: no figures)"
	wt="$BB/series/$LNX"
	prepare_tree "$wt" "$(git -C "$TREE" rev-parse HEAD)" k2
	# The same configuration as 'make kunit T=$target' (scripts/kunit.sh: the target's .kunitconfig and
	# those the series adds that match its series = patterns), so that ccache hits.
	args=(--kunitconfig="$t_kunitconfig")
	read -ra pats <<<"$t_series"	# no pathname expansion here
	while read -r f; do
		for pat in "${pats[@]}"; do
			# shellcheck disable=SC2053	# $pat is a pattern
			if [[ $f == $pat ]]; then
				args+=(--kunitconfig="$wt/$f")
				break
			fi
		done
	done < <(git -C "$wt" diff --name-only --diff-filter=A base..HEAD -- '*.kunitconfig' '*/.kunitconfig')
	# Figure 7 needs the kernel's dma_map_benchmark, which the target's configuration leaves out.
	args+=(--kconfig_add=CONFIG_DMA_MAP_BENCHMARK=y)
	out="$BB/series/kunit-$target"
	build_kernel "$wt" "$out" "$BB/smoke-build.log" "${args[@]}"
	# shellcheck disable=SC2046
	boot "$out" "$BB/smoke.log" smp 'dma-bench' $(bench_args 1000 2 100) dma_bench.ops=100 dma_bench.cow_pages=32
	# 7.2's kernels have figure 7 (the --kconfig_add above): a smoke log without it must not pass.
	[ "$BASE" = 6.12 ] || grep -q 'dma-bench: start .* map_benchmark=1' "$BB/smoke.log" ||
		die "the smoke kernel ran no dma_map_benchmark (no map_benchmark=1 in $B/smoke.log)" \
			"see $B/series/kunit-$target/.config: CONFIG_DMA_MAP_BENCHMARK, and bench/dma_bench.c's DMA_BENCH_MB"
	python3 "$TOP/scripts/bench_report.py" --smoke "K2=$BB/smoke.log" ||
		die "the benchmark's output is incomplete" "see $B/smoke.log"
	step "bench smoke passed in $((SECONDS - start)) s (BASE=$BASE, target $target)"
	exit 0
fi

need_pkgs gnuplot-nox
step "make bench: K0 (base, no dma-debug), K1 (base, upstream dma-debug), K2 (the series)"
trees="base $(git -C "$TREE" rev-parse --short base), series $(git -C "$TREE" rev-parse --short HEAD) ($(git -C "$TREE" rev-list --count base..HEAD) commits: $(git -C "$TREE" log -1 --format=%s HEAD))"
info "trees: $trees"
prepare_tree "$BB/base/$LNX" base k1
prepare_tree "$BB/series/$LNX" "$(git -C "$TREE" rev-parse HEAD)" k2

nk=3
[ "$t_iommu" != 1 ] || nk=4
step "building $nk kernels (one at a time)"
kc=(--kunitconfig="$TOP/bench/bench.kunitconfig")
# HIGHMEM exists on 32-bit ARM only (the live mappings' pages are HighMem there; see BENCHMARKS.md).
bench_kconfig_add=()
[ "$ARCH" != arm ] || bench_kconfig_add=(--kconfig_add=CONFIG_HIGHMEM=y)
kc+=("${bench_kconfig_add[@]}")
build_kernel "$BB/base/$LNX" "$BB/base/k0" "$BB/k0-build.log" "${kc[@]}" \
	--kunitconfig="$TOP/bench/dma-debug-off.kunitconfig"
build_kernel "$BB/base/$LNX" "$BB/base/k1" "$BB/k1-build.log" "${kc[@]}" \
	--kunitconfig="$TOP/bench/dma-debug-on.kunitconfig"
build_kernel "$BB/series/$LNX" "$BB/series/k2" "$BB/k2-build.log" "${kc[@]}" \
	--kunitconfig="$TOP/bench/dma-debug-on.kunitconfig"
if [ "$t_iommu" = 1 ]; then
	build_kernel "$BB/base/$LNX" "$BB/base/kp" "$BB/kp-build.log" "${kc[@]}" \
		--kunitconfig="$TOP/bench/iommu-debug-pagealloc.kunitconfig"
	grep -q '^CONFIG_IOMMU_DEBUG_PAGEALLOC=y' "$BB/base/kp/.config" ||
		die "KP has no CONFIG_IOMMU_DEBUG_PAGEALLOC (a dependency missing on $ARCH?)" \
			"see $B/base/kp/.config and bench/iommu-debug-pagealloc.kunitconfig"
	cp "$BB/base/kp/.config" "$BB/kp.config"
fi
for k in k0 k1; do cp "$BB/base/$k/.config" "$BB/$k.config"; done
cp "$BB/series/k2/.config" "$BB/k2.config"
# Options set in either (a "# ... is not set" line only says that the series adds a symbol), but
# DMA_API_DEBUG* and what the series' DMA_API_DEBUG selects (XARRAY_MULTI, for the tracker's spans).
same='DMA_API_DEBUG|CONFIG_XARRAY_MULTI='
diff <(grep '^CONFIG_' "$BB/k1.config" | grep -Ev "$same") <(grep '^CONFIG_' "$BB/k2.config" |
	grep -Ev "$same") >"$BB/k1-k2.config.diff" ||
	warn "K1 and K2 configurations differ beyond DMA_API_DEBUG* and XARRAY_MULTI: see $B/k1-k2.config.diff"

step "running: figures 1, 2, 4, 7 under -icount shift=0 (1 ns = 1 instruction), -smp 1, $rounds rounds"
# shellcheck disable=SC2046
boot "$BB/base/k0" "$BB/k0.log" icount 'dma-bench.dma_bench_icount' $(bench_args "$live_max" "$rounds" "$tput_ms")
# shellcheck disable=SC2046
boot "$BB/base/k1" "$BB/k1.log" icount 'dma-bench.dma_bench_icount' $(bench_args "$live_max" "$rounds" "$tput_ms")
# shellcheck disable=SC2046
boot "$BB/series/k2" "$BB/k2.log" icount 'dma-bench.dma_bench_icount' $(bench_args "$live_max" "$rounds" "$tput_ms")
iommu_runs=()
if [ "$t_iommu" = 1 ]; then
	step "running: figures 1 and 4 again through the IOMMU (dma_bench.iommu=1: a PCI device behind it), -icount"
	for k in k0 k1 k2; do
		d=$BB/base/$k
		[ $k != k2 ] || d=$BB/series/k2
		# shellcheck disable=SC2046
		boot "$d" "$BB/${k}i.log" icount 'dma-bench.dma_bench_icount' \
			$(bench_args "$live_max" "$rounds" "$tput_ms") dma_bench.iommu=1
		grep -q 'dma-bench: start .* iommu=1' "$BB/${k}i.log" ||
			die "the benchmark in ${d#"$TOP"/} did not map through the IOMMU" "see $B/${k}i.log"
		iommu_runs+=("K${k#k}i=$BB/${k}i.log")
	done
	step "running: upstream's IOMMU_DEBUG_PAGEALLOC (KP) without and with iommu.debug_pagealloc, -icount"
	for on in 0 1; do
		log=$BB/kpi.log arg=''
		[ $on = 0 ] || log=$BB/kpi-on.log arg=iommu.debug_pagealloc=1
		# shellcheck disable=SC2046
		boot "$BB/base/kp" "$log" icount 'dma-bench.dma_bench_icount' \
			$(bench_args "$live_max" "$rounds" "$tput_ms") dma_bench.iommu=1 $arg
		grep -q 'dma-bench: start .* iommu=1' "$log" ||
			die "the benchmark in $B/base/kp did not map through the IOMMU" "see ${log#"$TOP"/}"
		# The check announces itself when it is on, and only then.
		if grep -q 'iommu: Debugging page allocations' "$log"; then has=1; else has=0; fi
		[ $has = $on ] ||
			die "iommu.debug_pagealloc was $([ $on = 1 ] && echo 'given but the check is off' ||
				echo 'not given but the check is on') in $B/base/kp" "see ${log#"$TOP"/}"
	done
	iommu_runs+=("KPi=$BB/kpi.log" "KPi-on=$BB/kpi-on.log")
fi
step "running: figure 3, 2-thread COW throughput on MTTCG -smp 2 (wall clock), hook on/off alternately"
# shellcheck disable=SC2046
boot "$BB/series/k2" "$BB/k2-tput.log" smp 'dma-bench.dma_bench_throughput' $(bench_args "$live_max" "$rounds" "$tput_ms")

# Figure 7: the kernel's own dma_map_benchmark, which the 7.2 kernels have (bench/bench.kunitconfig); a
# 7.2 run without it would silently lose the figure.
mb_runs=()
if grep -q 'dma-bench: start .* map_benchmark=1' "$BB/k2.log"; then
	step "running: figure 7, the kernel's dma_map_benchmark with 1 and 2 threads on MTTCG -smp 2 (wall clock), K1 and K2"
	for k in k1 k2; do
		d=$BB/base/$k
		[ $k != k2 ] || d=$BB/series/k2
		grep -q 'dma-bench: start .* map_benchmark=1' "$BB/$k.log" ||
			die "K${k#k} ran figure 7 in no icount boot (no map_benchmark=1 in $B/$k.log), K2 did" \
				"see $B/$k.config: CONFIG_DMA_MAP_BENCHMARK (bench/bench.kunitconfig)"
		# shellcheck disable=SC2046
		boot "$d" "$BB/$k-mb.log" smp 'dma-bench.dma_bench_map_benchmark_smp' \
			$(bench_args "$live_max" "$rounds" "$tput_ms")
		mb_runs+=("K${k#k}mb=$BB/$k-mb.log")
	done
elif [ "$BASE" != 6.12 ]; then
	die "the K2 kernel ran no dma_map_benchmark (no map_benchmark=1 in $B/k2.log)" \
		"see $B/k2.config: CONFIG_DMA_MAP_BENCHMARK (bench/bench.kunitconfig), and bench/dma_bench.c's DMA_BENCH_MB"
else
	info "figure 7: not on $BASE (bench/dma_bench.c drives 7.2's dma_map_benchmark only: DMA_BENCH_MB)"
fi

step "results"
elapsed=$((SECONDS - start))
# The report's arguments, kept for --report (one a line; none holds a newline).
printf '%s\n' --md "$TOP/$md_name" --plot "$TOP/$png_name" --plot-data "$BB/plot.dat" --elapsed "$elapsed" \
	--trees "$trees" --rounds "$rounds" --series "$SERIES_DIR" --tree "${TREE#"$TOP"/}" --bench-dir "$B" \
	--target "$target" --machine-desc "$t_description" \
	--kernel "Linux $(kmake "$BB/series/k2" -s kernelversion) (Debian $KERNEL_PKG $KERNEL_DEB_VERSION)" \
	--date "$(date -u +%Y-%m-%d)" --load "$load1 $load5 $load15" --qemu "$QEMU_BIN" \
	--builds "$(IFS=,; echo "${build_times[*]}")" "K0=$BB/k0.log" "K1=$BB/k1.log" "K2=$BB/k2.log" \
	"K2tput=$BB/k2-tput.log" "${iommu_runs[@]}" "${mb_runs[@]}" >"$BB/report.args"
report
step "make bench took $((elapsed / 60)) min $((elapsed % 60)) s; wrote $md_name and $png_name (BASE=$BASE)"
