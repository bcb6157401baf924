#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: install what is needed, make build/linux hold the series, checkpatch every patch, build
# and run the series' KUnit suites on QEMU ARM for every target, and sum up.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
start=$SECONDS

bash "$TOP/scripts/deps.sh" || exit 1
bash "$TOP/scripts/tree.sh" || exit 1

gate=0
bash "$TOP/scripts/checkpatch.sh" || gate=1

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

step "summary (make check took $(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s)"
GATE_FAILURES=$gate python3 "$TOP/scripts/kunit_summary.py" "${results[@]}"
rc=$?
[ "$gate" = 0 ] || rc=1
exit "$rc"
