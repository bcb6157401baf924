#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make checkpatch [BASE=7.2|6.12]: the base's scripts/checkpatch.pl --strict over every patch of the
# base's series ($SERIES_DIR/series; config/bases/$BASE.env).
# The ignored types and their reasons are in config/checkpatch-ignore.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
T=${TREE#"$TOP"/} S=${PATCHES#"$TOP"/}

[ -x "$TREE/scripts/checkpatch.pl" ] || die "$T/scripts/checkpatch.pl is missing" "run 'make tree BASE=$BASE' first"
need_pkgs python3-ply python3-git	# scripts/spdxcheck.py
ignore=$(grep -v -e '^#' -e '^[[:space:]]*$' "$TOP/config/checkpatch-ignore" | paste -sd, -)
if [ ! -f "$PATCHES/series" ]; then
	if [ -d "$PATCHES" ]; then
		die "$S/series is missing: cannot tell which patches to check" "make export BASE=$BASE writes it"
	fi
	die "checkpatch: BASE=$BASE has no series yet ($S does not exist): nothing to check" \
		"port the series to $T and make export BASE=$BASE (a gate that sees no patch does not pass)"
fi
step "checkpatch --strict over $S/ (BASE=$BASE, $T/scripts/checkpatch.pl; ignoring: $ignore)"
bad=0 n=0
# checkpatch runs scripts/spdxcheck.py with the python3 first in PATH: use Debian's, which has ply and git.
export PATH="/usr/bin:$PATH"
while read -r p; do
	[ -n "$p" ] || continue
	n=$((n + 1))
	if out=$(cd "$TREE" && ./scripts/checkpatch.pl --strict --quiet --no-summary --show-types \
		--ignore "$ignore" "$PATCHES/$p" 2>&1) && [ -z "$out" ]; then
		info "ok   $p"
	else
		info "FAIL $p"
		printf '%s\n' "$out" | sed 's/^/         /'
		bad=$((bad + 1))
	fi
done < <(grep -v -e '^#' -e '^[[:space:]]*$' "$PATCHES/series")
[ "$n" -gt 0 ] || die "checkpatch: $S/series names no patch: nothing was checked" \
	"make export BASE=$BASE writes it from $T"
if [ "$bad" != 0 ]; then
	die "checkpatch: $bad patch(es) of $S have warnings" \
		"fix them in $T (git rebase -i base), then make export BASE=$BASE; or, for a type that must be" \
		"ignored, add it with its reason to config/checkpatch-ignore"
fi
exit 0
