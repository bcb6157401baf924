#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# scripts/checkpatch.pl --strict over every patch in patches/series.
# The ignored types and their reasons are in config/checkpatch-ignore.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -x "$TREE/scripts/checkpatch.pl" ] || die "build/linux/scripts/checkpatch.pl is missing" "run 'make tree' first"
ignore=$(grep -v -e '^#' -e '^[[:space:]]*$' "$TOP/config/checkpatch-ignore" | paste -sd, -)
[ -f "$PATCHES/series" ] || { info "no patches/series: nothing to check"; exit 0; }
step "checkpatch --strict over patches/ (ignoring: $ignore)"
bad=0
# checkpatch runs scripts/spdxcheck.py with the python3 first in PATH: use Debian's, which has ply and git.
export PATH="/usr/bin:$PATH"
while read -r p; do
	[ -n "$p" ] || continue
	if out=$(cd "$TREE" && ./scripts/checkpatch.pl --strict --quiet --no-summary --show-types \
		--ignore "$ignore" "$PATCHES/$p" 2>&1) && [ -z "$out" ]; then
		info "ok   $p"
	else
		info "FAIL $p"
		printf '%s\n' "$out" | sed 's/^/         /'
		bad=$((bad + 1))
	fi
done < <(grep -v -e '^#' -e '^[[:space:]]*$' "$PATCHES/series")
if [ "$bad" != 0 ]; then
	die "checkpatch: $bad patch(es) have warnings" \
		"fix them in build/linux (git rebase -i base), then make export; or, for a type that must be" \
		"ignored, add it with its reason to config/checkpatch-ignore"
fi
exit 0
