#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: what the series costs, against upstream dma-debug and against no dma-debug.
#   scripts/bench.sh           build K0, K1, K2, run them on QEMU, print the table, write BENCHMARKS.md
#   scripts/bench.sh --smoke   a seconds-long run of the benchmark on the 'virt' KUnit configuration
#                              (make check's gate, so that the benchmark cannot rot)
# K0 = base with CONFIG_DMA_API_DEBUG=n, K1 = base with =y (upstream dma-debug), K2 = the series (HEAD
# of build/linux); same configuration otherwise (bench/bench.kunitconfig).  The same benchmark,
# bench/dma_bench.c (and bench/*.h), is copied into each tree; nothing of it is in patches/.  The
# kernels are built with kunit.py and the 'virt' KUnit target's machine (kunit/targets/virt.target),
# booted with scripts/boot.sh.  See BENCHMARKS.md.
# Overrides: BENCH_ROUNDS (7), BENCH_LIVE_MAX (100000), BENCH_TPUT_MS (2000), BENCH_TIMEOUT (s, 3600).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

smoke=0
[ "${1:-}" = --smoke ] && smoke=1
start=$SECONDS
BB="$BUILD/bench"
rounds=${BENCH_ROUNDS:-7}
live_max=${BENCH_LIVE_MAX:-100000}
tput_ms=${BENCH_TPUT_MS:-2000}

[ -e "$TREE/.git" ] || die "${TREE#"$TOP"/} does not exist" "run 'make tree' first"
git -C "$TREE" rev-parse -q --verify base >/dev/null || die "${TREE#"$TOP"/} has no tag 'base'" "run 'make tree'"
setup_ccache
LNX=$(basename "$TREE")	# the worktrees' name: that of the tree (see prepare_tree)
# The host's load when the run starts (its wall-clock figures depend on it): BENCHMARKS.md says it.
read -r load1 load5 load15 _ </proc/loadavg
# The 'virt' KUnit target's machine and kunit.py --qemu_config (written into build/bench/virt).
t_profile='' t_qemu_config='' t_kunitconfig=''
setup_out=$(python3 "$TOP/scripts/target.py" setup virt --build-dir "$BB/virt") ||
	die "could not read the virt KUnit target (kunit/targets/virt.target): see above"
eval "$setup_out"

# A detached worktree of the base's tree at $2 in $1 with the benchmark copied in.  $3: k1 or k2
# (which tracker helper to append to kernel/dma/debug.c).  Worktrees sit next to their build
# directories (.../linux, .../<out>) so that compiler paths, relative to the build directory, are
# those of build/linux-$BASE and build/kunit-virt, and ccache hits across them.
prepare_tree() {
	local wt=$1 rev=$2 kind=$3 stamp
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
	k2) grep -q 'dma_debug_pages\[DMA_DEBUG_TRACKER_SHARDS\]' "$wt/kernel/dma/debug.c" ||
		die "the series' kernel/dma/debug.c has no dma_debug_pages[] XArrays" \
			"bench/tracker-k2.c counts the series' tracker objects: update it to the series"
	    { grep -q '^#include <linux/dma-map-ops.h>$' "$wt/mm/memory.c" &&
		grep -q 'debug_dma_assert_idle(' "$wt/mm/memory.c"; } ||
		die "the series' mm/memory.c does not call debug_dma_assert_idle() after including dma-map-ops.h" \
			"bench/cow-hook-switch.c (the benchmark's on/off switch of the hook) needs updating"
	    sed -i '/^#include <linux\/dma-map-ops.h>$/r '"$TOP/bench/cow-hook-switch.c" "$wt/mm/memory.c" ;;
	esac
	{ cat "$TOP/bench/tracker-common.h"; cat "$TOP/bench/tracker-$kind.c"; } >>"$wt/kernel/dma/debug.c"
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
		die "building ${out#"$TOP"/} failed" "see ${log#"$TOP"/}"
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

if [ $smoke = 1 ]; then
	step "bench smoke: the benchmark on the K2 tree with the 'virt' KUnit configuration (lockdep: no figures)"
	wt="$BB/series/$LNX"
	prepare_tree "$wt" "$(git -C "$TREE" rev-parse HEAD)" k2
	# The same configuration as 'make kunit T=virt', so that ccache hits.
	args=(--kunitconfig="$t_kunitconfig")
	while read -r f; do args+=(--kunitconfig="$wt/$f"); done < <(git -C "$wt" diff --name-only \
		--diff-filter=A base..HEAD -- '*.kunitconfig' '*/.kunitconfig')
	out="$BB/series/kunit-virt"
	build_kernel "$wt" "$out" "$BB/smoke-build.log" "${args[@]}"
	# shellcheck disable=SC2046
	boot "$out" "$BB/smoke.log" smp 'dma-bench' $(bench_args 1000 2 100) dma_bench.ops=100 dma_bench.cow_pages=32
	python3 "$TOP/scripts/bench_report.py" --smoke "K2=$BB/smoke.log" ||
		die "the benchmark's output is incomplete" "see build/bench/smoke.log"
	step "bench smoke passed in $((SECONDS - start)) s"
	exit 0
fi

need_pkgs gnuplot-nox
step "make bench: K0 (base, no dma-debug), K1 (base, upstream dma-debug), K2 (the series)"
trees="base $(git -C "$TREE" rev-parse --short base), series $(git -C "$TREE" rev-parse --short HEAD) ($(git -C "$TREE" rev-list --count base..HEAD) commits: $(git -C "$TREE" log -1 --format=%s HEAD))"
info "trees: $trees"
prepare_tree "$BB/base/$LNX" base k1
prepare_tree "$BB/series/$LNX" "$(git -C "$TREE" rev-parse HEAD)" k2

step "building 3 kernels (one at a time)"
kc=(--kunitconfig="$TOP/bench/bench.kunitconfig")
build_kernel "$BB/base/$LNX" "$BB/base/k0" "$BB/k0-build.log" "${kc[@]}" \
	--kunitconfig="$TOP/bench/dma-debug-off.kunitconfig"
build_kernel "$BB/base/$LNX" "$BB/base/k1" "$BB/k1-build.log" "${kc[@]}" \
	--kunitconfig="$TOP/bench/dma-debug-on.kunitconfig"
build_kernel "$BB/series/$LNX" "$BB/series/k2" "$BB/k2-build.log" "${kc[@]}" \
	--kunitconfig="$TOP/bench/dma-debug-on.kunitconfig"
for k in k0 k1; do cp "$BB/base/$k/.config" "$BB/$k.config"; done
cp "$BB/series/k2/.config" "$BB/k2.config"
# Options set in either (a "# ... is not set" line only says that the series adds a symbol).
diff <(grep '^CONFIG_' "$BB/k1.config" | grep -v DMA_API_DEBUG) <(grep '^CONFIG_' "$BB/k2.config" |
	grep -v DMA_API_DEBUG) >"$BB/k1-k2.config.diff" ||
	warn "K1 and K2 configurations differ beyond DMA_API_DEBUG*: see build/bench/k1-k2.config.diff"

step "running: figures 1, 2, 4 under -icount shift=0 (1 ns = 1 instruction), -smp 1, $rounds rounds"
# shellcheck disable=SC2046
boot "$BB/base/k0" "$BB/k0.log" icount 'dma-bench.dma_bench_icount' $(bench_args "$live_max" "$rounds" "$tput_ms")
# shellcheck disable=SC2046
boot "$BB/base/k1" "$BB/k1.log" icount 'dma-bench.dma_bench_icount' $(bench_args "$live_max" "$rounds" "$tput_ms")
# shellcheck disable=SC2046
boot "$BB/series/k2" "$BB/k2.log" icount 'dma-bench.dma_bench_icount' $(bench_args "$live_max" "$rounds" "$tput_ms")
step "running: figure 3, 2-thread COW throughput on MTTCG -smp 2 (wall clock), hook on/off alternately"
# shellcheck disable=SC2046
boot "$BB/series/k2" "$BB/k2-tput.log" smp 'dma-bench.dma_bench_throughput' $(bench_args "$live_max" "$rounds" "$tput_ms")

step "results"
elapsed=$((SECONDS - start))
python3 "$TOP/scripts/bench_report.py" --md "$TOP/BENCHMARKS.md" --plot-dir "$TOP" --elapsed "$elapsed" --trees "$trees" \
	--rounds "$rounds" --kernel "Linux $(kmake "$BB/series/k2" -s kernelversion) ($KERNEL_PKG $KERNEL_DEB_VERSION)" \
	--date "$(date -u +%Y-%m-%d)" --load "$load1 $load5 $load15" --qemu "$QEMU_BIN" \
	--builds "$(IFS=,; echo "${build_times[*]}")" "K0=$BB/k0.log" "K1=$BB/k1.log" "K2=$BB/k2.log" "K2tput=$BB/k2-tput.log"
step "make bench took $((elapsed / 60)) min $((elapsed % 60)) s; wrote BENCHMARKS.md and BENCHMARKS.png"
