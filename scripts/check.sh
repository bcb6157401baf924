#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: install what is needed, make the kernel tree hold the series, checkpatch every patch,
# build and run the series' KUnit suites on QEMU for every target of a tier (kunit/targets/*.target;
# CHECK_TIER=check, the default, or arches for make check-arches; KUNIT_TARGETS="virt vivt" selects), a
# seconds-long benchmark run (CHECK_BENCH=0 skips it), boot the run kernel with the short workloads (the
# false-positive gate; CHECK_RUN=0 skips it), and sum up (scripts/summary.py kunit).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
start=$SECONDS

bash "$TOP/scripts/deps.sh" || exit 1

# KUnit targets: each writes the json its target file names; the expected suites come from the
# target file too (target.py setup writes them into the build dir).
targets=${KUNIT_TARGETS:-$(python3 "$TOP/scripts/target.py" list --tier "${CHECK_TIER:-check}")}
[ -n "$targets" ] || die "no KUnit target to run" "kunit/targets/*.target (or KUNIT_TARGETS) names none"
# The bases the targets run on, and this run's own BASE (the bench smoke and the run gate): each gets
# its tree (fetched, unpacked, its series applied) and its checkpatch gate.
bases=$( { echo "$BASE"; for t in $targets; do
	python3 "$TOP/scripts/target.py" setup "$t" | sed -n "s/^t_base='\{0,1\}\([^']*\)'\{0,1\}$/\1/p"
done; } | sort -uV)

gates=()
# gate NAME COMMAND...: run a gate; its verdict goes to the summary.
gate() {
	local name=$1
	shift
	if "$@"; then gates+=(--gate "$name=ok"); else gates+=(--gate "$name=FAILED"); fi
}
for b in $bases; do
	BASE=$b bash "$TOP/scripts/tree.sh" || die "could not make the tree of BASE=$b" "see the error above"
	gate "checkpatch-$b" env BASE="$b" bash "$TOP/scripts/checkpatch.sh"
done

results=()
for t in $targets; do
	# kunit.sh's own verdict is a gate (a kernel that booted without the HighMem the target needs,
	# kunit.py failing after the results); the results themselves are judged from the json below.
	# A result left by an earlier run must not stand for this one.
	if setup_out=$(python3 "$TOP/scripts/target.py" setup "$t"); then
		t_json=''
		eval "$setup_out"
		rm -f "$t_json"
	fi
	gate "kunit-$t" env -u KUNIT_JSON bash "$TOP/scripts/kunit.sh" "$t"
	if setup_out=$(python3 "$TOP/scripts/target.py" setup "$t"); then
		t_json='' t_expected=''
		eval "$setup_out"
		results+=("$t=$t_json:$t_expected")
	else
		results+=("$t=$BUILD/no-such-target-$t.json")	# the summary reports its results missing
	fi
done

# A seconds-long run of the benchmark (make bench), so that it cannot rot (CHECK_BENCH=0 skips it).
if [ "${CHECK_BENCH:-1}" != 0 ]; then
	gate bench-smoke bash "$TOP/scripts/bench.sh" --smoke
else
	info "bench smoke: skipped (CHECK_BENCH=0)"
fi

# The false-positive gate: the run kernel of 'make' (config/run-*.config) with the short workloads
# (workloads=short: cow-storm, v4l2-dmabuf, net-pair, true-positive and free-mapped, small counts), on every base of
# RUN_GATE_BASES (default: every base the KUnit targets run on, here 7.2 and 6.12), one gate
# run-<base> each.  make check-arches: RUN_GATE_ARCH=arm64 (gate run-arm64-<base>) and
# RUN_GATE_WORKLOADS, the list it runs there.
# Any unexpected DMA-API report, a missing expected one, a WARN/oops/lockdep splat or a failed workload
# fails it.  Each base's run has its own kernel, console log and summary (build/run-short-<base>.log,
# build/run-short-arm64-<base>.log).
if [ "${CHECK_RUN:-1}" != 0 ]; then
	rarch=${RUN_GATE_ARCH:-$ARCH} rwl=${RUN_GATE_WORKLOADS:-short}
	rname() { if [ "$rarch" = arm ]; then echo "$1"; else echo "$rarch-$1"; fi; }
	for b in ${RUN_GATE_BASES:-$bases}; do
		step "false-positive gate of BASE=$b ARCH=$rarch: the run kernel with the workloads $rwl"
		rstart=$SECONDS
		# A base that no KUnit target uses has no tree yet.
		if ! grep -qxF "$b" <<<"$bases"; then
			BASE=$b bash "$TOP/scripts/tree.sh" || die "could not make the tree of BASE=$b" "see the error above"
		fi
		n=$(rname "$b")
		gate "run-$n" env BASE="$b" ARCH="$rarch" bash "$TOP/scripts/run.sh" --kernel-args "workloads=$rwl" \
			--log "$BUILD/run-short-$n.log" --timeout "${RUN_TIMEOUT:-600}"
		info "run gate of BASE=$b ARCH=$rarch: $((SECONDS - rstart)) s; build/run-short-$n-summary.txt, console log build/run-short-$n.log"
	done
else
	info "run gate: skipped (CHECK_RUN=0)"
fi

step "summary (make check took $(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s)"
python3 "$TOP/scripts/summary.py" kunit "${gates[@]}" "${results[@]}"
