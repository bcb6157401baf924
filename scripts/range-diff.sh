#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make range-diff: keep the 6.12 backport in step with the 7.2 series.  git range-diff of the series in
# build/linux-6.12 (base..HEAD) against the one in build/linux-7.2 (base..HEAD): the full output in
# build/range-diff.txt, and one line per patch on stdout:
#   "="  the two patches are the same (commit message and diff; only hunk line numbers may differ)
#   "!"  paired, but they differ: how many lines differ in the commit message, in the lines the
#        patch adds or removes ("code") and in its context lines only ("context"); how, in
#        build/range-diff.txt
#   "<"  only in the first series (6.12), ">"  only in the second (7.2)
#
# The trees are separate repositories whose bases differ, and fetching one series into the other tree
# would copy its whole base along.  A scratch repository, build/range-diff.git, borrows both trees'
# objects instead (objects/info/alternates: nothing is copied, neither tree is changed) and holds the
# four commits as refs; git range-diff runs there.
#
#   RANGE_DIFF_A=6.12 RANGE_DIFF_B=7.2    the bases compared (build/linux-$RANGE_DIFF_A, ..._B)
#   RANGE_DIFF_A_REV=HEAD RANGE_DIFF_B_REV=HEAD
#                                         the end of each series (a branch, a commit; base.. is the start)
#   RANGE_DIFF_OPTS="--creation-factor=80"  extra options for git range-diff
set -euo pipefail
. "$(dirname "$0")/lib.sh"

A=${RANGE_DIFF_A:-6.12} B=${RANGE_DIFF_B:-7.2}
A_REV=${RANGE_DIFF_A_REV:-HEAD} B_REV=${RANGE_DIFF_B_REV:-HEAD}
read -ra opts <<<"${RANGE_DIFF_OPTS:-}"
SCRATCH="$BUILD/range-diff.git"
OUT="$BUILD/range-diff.txt"

# check_tree BASE REV: the tree of BASE exists, has its 'base' tag and a series base..REV.
check_tree() {
	local b=$1 rev=$2 t="$BUILD/linux-$1" n
	[ -e "$t/.git" ] || die "build/linux-$b does not exist: there is no $b series to compare" \
		"run 'make tree BASE=$b' (it applies the $b series), then re-run make range-diff"
	git -C "$t" rev-parse -q --verify base >/dev/null ||
		die "build/linux-$b has no 'base' tag" "remove build/linux-$b and run 'make tree BASE=$b'"
	git -C "$t" rev-parse -q --verify "$rev^{commit}" >/dev/null ||
		die "build/linux-$b has no commit '$rev'" "check RANGE_DIFF_*_REV (default HEAD)"
	n=$(git -C "$t" rev-list --count "base..$rev")
	[ "$n" -gt 0 ] || die "build/linux-$b holds no commit on top of base (base..$rev is empty)" \
		"run 'make tree BASE=$b' to apply its series, or check RANGE_DIFF_*_REV"
	[ -z "$(git -C "$t" status --porcelain --untracked-files=no)" ] ||
		warn "build/linux-$b has uncommitted changes: only its commits are compared"
}
check_tree "$A" "$A_REV"
check_tree "$B" "$B_REV"
[ "$A" != "$B" ] || die "RANGE_DIFF_A and RANGE_DIFF_B are both $A" "compare two different bases"

objects() { git -C "$BUILD/linux-$1" rev-parse --path-format=absolute --git-common-dir | sed 's|$|/objects|'; }
rm -rf "$SCRATCH"
git init -q --bare "$SCRATCH"
{ objects "$A"; objects "$B"; } >"$SCRATCH/objects/info/alternates"
g() { git -C "$SCRATCH" "$@"; }
g update-ref refs/a/base "$(git -C "$BUILD/linux-$A" rev-parse base)"
g update-ref refs/a/head "$(git -C "$BUILD/linux-$A" rev-parse "$A_REV")"
g update-ref refs/b/base "$(git -C "$BUILD/linux-$B" rev-parse base)"
g update-ref refs/b/head "$(git -C "$BUILD/linux-$B" rev-parse "$B_REV")"
na=$(g rev-list --count refs/a/base..refs/a/head)
nb=$(g rev-list --count refs/b/base..refs/b/head)

step "range-diff: build/linux-$A (base..$A_REV, $na patches) vs build/linux-$B (base..$B_REV, $nb patches)"
if ! g range-diff --no-color "${opts[@]}" refs/a/base..refs/a/head refs/b/base..refs/b/head \
	>"$OUT.tmp" 2>"$BUILD/range-diff.err"; then
	head -5 "$BUILD/range-diff.err" | sed 's/^/    /' >&2
	die "git range-diff failed (see above; options: ${RANGE_DIFF_OPTS:-none})"
fi
mv "$OUT.tmp" "$OUT"
rm -f "$BUILD/range-diff.err"

# One record per pair line of git range-diff ("N:  abc = M:  def subject", "-:  ------- > M:  def
# subject", ...), with the lines that differ in its body: in the commit message, in the patch's own
# added or removed lines ("code"), or in its context lines and hunk headers only ("context").
pairs=$(awk '
	function flush() { if (hdr != "") print pa, mark, pb, msg + 0, code + 0, ctx + 0, subj }
	match($0, /^ *([0-9]+|-): +([0-9a-f]+|-+) [=!<>] +([0-9]+|-): +([0-9a-f]+|-+) /) {
		flush()
		hdr = substr($0, 1, RLENGTH); subj = substr($0, RLENGTH + 1)
		split(hdr, f, " ")
		pa = f[1]; mark = f[3]; pb = f[4]; sub(/:$/, "", pa); sub(/:$/, "", pb)
		msg = code = ctx = 0; inmsg = 0
		next
	}
	hdr == "" { next }
	# An outer hunk header names where the hunk starts; a "## file ##" line starts a file.
	/^    @@ / { inmsg = ($0 ~ /^    @@ (Commit message|Metadata)/); next }
	/^    [- +] ## / { inmsg = 0 }
	/^    [-+]/ {
		inner = substr($0, 6, 1)
		if (inmsg) msg++
		else if (inner == "+" || inner == "-") code++
		else ctx++
	}
	END { flush() }
' "$OUT")
[ -n "$pairs" ] || die "no patch pairs in build/range-diff.txt: git range-diff's output was not understood" \
	"read build/range-diff.txt; the pair lines look like '1:  abc1234 = 2:  def5678 subject'"
printf '    %5s   %-5s %s\n' "$A" "$B" "subject"
while read -r pa mark pb msg code ctx subject; do
	case $mark in
	'=') note= ;;
	'!') note=" (differs: message $msg, code $code, context $ctx lines)" ;;
	'<') note=" (only in $A)" ;;
	'>') note=" (only in $B)" ;;
	esac
	printf '    %5s %s %-5s %s%s\n' "$pa" "$mark" "$pb" "$subject" "$note"
done <<<"$pairs"
count() { awk -v m="$1" '$2 == m' <<<"$pairs" | grep -c . || true; }
same=$(count '=') differ=$(count '!') only_a=$(count '<') only_b=$(count '>')
info "$((same + differ)) paired ($same identical '=', $differ differing '!'), $only_a only in $A '<'," \
	"$only_b only in $B '>'; full output: build/range-diff.txt"
if [ $((same + differ + only_a)) != "$na" ] || [ $((same + differ + only_b)) != "$nb" ]; then
	die "the summary does not account for every patch ($na in $A, $nb in $B)" "read build/range-diff.txt"
fi
