#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: install what is needed, make build/linux hold the series, checkpatch every patch, build
# and run the series' KUnit suites on QEMU ARM for every target, boot the run kernel with the short
# workloads (the false-positive gate), and sum up.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
start=$SECONDS

bash "$TOP/scripts/deps.sh" || exit 1
bash "$TOP/scripts/tree.sh" || exit 1

gate=0
bash "$TOP/scripts/checkpatch.sh" || gate=$((gate + 1))

# KUnit targets: the main 'virt' target writes build/kunit.json, others build/kunit-<target>.json.
targets=${KUNIT_TARGETS:-$(grep -v -e '^#' -e '^[[:space:]]*$' "$TOP/kunit/targets" | awk '{print $1}')}
results=()
for t in $targets; do
	bash "$TOP/scripts/kunit.sh" "$t" || true	# judged from the results below
	if [ "$t" = virt ]; then json="$BUILD/kunit.json"; else json="$BUILD/kunit-$t.json"; fi
	results+=("$t=$json:$TOP/kunit/expected-$t")
done

# A seconds-long run of the benchmark (make bench), so that it cannot rot.
bash "$TOP/scripts/bench.sh" --smoke || gate=$((gate + 1))

# The false-positive gate: the run kernel of 'make' (config/run-virt.config) with the short workloads
# (workloads=short: cow-storm, v4l2-dmabuf and true-positive with small counts).  Any unexpected
# DMA-API report, a missing expected one, a WARN/oops/lockdep splat or a failed workload fails it.
# CHECK_RUN=0 skips it.
run_line="run gate: skipped (CHECK_RUN=0)"
if [ "${CHECK_RUN:-1}" != 0 ]; then
	step "false-positive gate: the run kernel with the short workloads (cow-storm, v4l2-dmabuf, true-positive)"
	rstart=$SECONDS
	if RUN_KERNEL_ARGS="workloads=short" RUN_LOG="$BUILD/run-short.log" RUN_TIMEOUT="${RUN_TIMEOUT:-600}" \
		bash "$TOP/scripts/run.sh"; then
		run_line="run gate: OK: short workloads, 0 unexpected DMA-API reports, the expected one seen ($((SECONDS - rstart)) s; build/run-short-summary.txt)"
	else
		gate=$((gate + 1))
		run_line="run gate: FAILED: the short workloads' run (build/run-short-summary.txt, console log build/run-short.log)"
	fi
fi

step "summary (make check took $(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s)"
echo "$run_line"
GATE_FAILURES=$gate python3 "$TOP/scripts/kunit_summary.py" "${results[@]}"
rc=$?
[ "$gate" = 0 ] || rc=1
exit "$rc"
