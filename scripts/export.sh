#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make export: regenerate patches/*.patch, patches/series and the cover letter from base..HEAD in
# build/linux, deterministically (an unchanged commit gives a byte-identical file).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -e "$TREE/.git" ] || die "build/linux does not exist" "run 'make tree' first"
git -C "$TREE" rev-parse -q --verify base >/dev/null || die "build/linux has no 'base' tag"
[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
	die "build/linux has uncommitted changes" "commit them first: only commits are exported"
n=$(git -C "$TREE" rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "build/linux has no commits on top of base" "nothing to export"

step "exporting $n patch(es) from build/linux (base..HEAD)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cover="$PATCHES/cover.txt"
[ -f "$cover" ] || die "patches/cover.txt (the cover letter's subject line and body) is missing"
# The cover letter takes its date from the newest commit, so it too only changes with the series.
export GIT_COMMITTER_DATE
GIT_COMMITTER_DATE=$(git -C "$TREE" log -1 --format=%cI HEAD)
branch=$(git -C "$TREE" branch --show-current)
[ -n "$branch" ] || die "build/linux is on a detached HEAD" "check out the series' branch (master) first"
git -C "$TREE" -c "branch.$branch.description=$(cat "$cover")" \
	-c format.signature= -c diff.renames=true -c core.abbrev=12 \
	format-patch -q --zero-commit --no-signature --base=base --numbered --cover-letter \
	--cover-from-description=subject --subject-prefix=PATCH -o "$out" base..HEAD
# format-patch takes the description from the current branch; make sure the cover letter has ours.
if grep -q '\*\*\* SUBJECT HERE \*\*\*' "$out"/0000-cover-letter.patch; then
	die "the cover letter was not filled in from patches/cover.txt" "check that build/linux is on branch master"
fi
rm -f "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch
cp "$out"/*.patch "$PATCHES"/
(cd "$PATCHES" && ls [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-cover-letter' > series)
info "wrote $(wc -l < "$PATCHES/series") patch(es), patches/series and patches/0000-cover-letter.patch"
git -C "$TOP" status --short -- patches | sed 's/^/    /' || true
