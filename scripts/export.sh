#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make export [BASE=7.2|6.12]: regenerate the base's series ($SERIES_DIR/*.patch, series and the cover
# letter; config/bases/$BASE.env) from base..HEAD in build/linux-$BASE, deterministically (an unchanged
# commit gives a byte-identical file).  A commit's git note (what was tested, how) goes below the
# patch's '---', where git am leaves it out of the commit message; tree.sh puts it back as a note.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
T=${TREE#"$TOP"/} S=${PATCHES#"$TOP"/}

[ -e "$TREE/.git" ] || die "$T (BASE=$BASE) does not exist" "run 'make tree BASE=$BASE' first"
git -C "$TREE" rev-parse -q --verify base >/dev/null ||
	die "$T has no 'base' tag" "remove $T and re-run 'make tree BASE=$BASE'"
[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
	die "$T has uncommitted changes" "commit them first: only commits are exported"
n=$(git -C "$TREE" rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "$T has no commits on top of base" "nothing to export for BASE=$BASE"

step "exporting $n patch(es) of BASE=$BASE from $T (base..HEAD) to $S/"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cover="$PATCHES/cover.txt"
[ -f "$cover" ] || die "$S/cover.txt (the cover letter's subject line and body) is missing" \
	"write it: the first line is the cover letter's subject, the rest its body"
# The cover letter takes its date from the newest author date of the series, so it too only changes
# with the series (committer dates change with every rebase, and make tree sets them to the author's).
export GIT_COMMITTER_DATE
GIT_COMMITTER_DATE=$(git -C "$TREE" log --format=%aI base..HEAD | sort | tail -1)
branch=$(git -C "$TREE" branch --show-current)
[ -n "$branch" ] || die "$T is on a detached HEAD" "check out the series' branch (master) first"
git -C "$TREE" -c "branch.$branch.description=$(cat "$cover")" \
	-c format.signature= -c diff.renames=true -c core.abbrev=12 \
	format-patch -q --zero-commit --no-signature --notes --base=base --numbered --cover-letter \
	--cover-from-description=subject --subject-prefix=PATCH -o "$out" base..HEAD
# format-patch takes the description from the current branch; make sure the cover letter has ours.
if grep -q '\*\*\* SUBJECT HERE \*\*\*' "$out"/0000-cover-letter.patch; then
	die "the cover letter was not filled in from $S/cover.txt" "check that $T is on branch master"
fi
rm -f "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch
cp "$out"/*.patch "$PATCHES"/
for f in "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch; do
	f=${f##*/}
	[ "$f" = 0000-cover-letter.patch ] || echo "$f"
done >"$PATCHES/series"
info "wrote $(wc -l < "$PATCHES/series") patch(es), $S/series and $S/0000-cover-letter.patch"
git -C "$TOP" status --short -- "$S" | sed 's/^/    /' || true
