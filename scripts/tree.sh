#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make tree [BASE=7.2|6.12]: create or refresh build/linux-$BASE, a git repo whose first commit is the
# pristine kernel of the base (tagged 'base', fixed author and date; the source fetched by
# scripts/fetch-kernel.sh) with the base's series ($SERIES_DIR/series, config/bases/$BASE.env) applied
# on top with git am.  A base whose series directory does not exist yet gets the base tree only.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

export GIT_AUTHOR_NAME="$BASE_AUTHOR_NAME" GIT_AUTHOR_EMAIL="$BASE_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="$BASE_DATE"

series_files() {
	grep -v -e '^#' -e '^[[:space:]]*$' "$PATCHES/series"
}

T=${TREE#"$TOP"/} S=${PATCHES#"$TOP"/}

create_base() {
	bash "$TOP/scripts/fetch-kernel.sh"
	step "unpacking ${KERNEL_TARBALL#"$TOP"/} into $T (about a minute)"
	rm -rf "$TREE.tmp"
	mkdir -p "$TREE.tmp"
	tar -xf "$KERNEL_TARBALL" -C "$TREE.tmp" --strip-components=1 ||
		die "could not unpack $KERNEL_TARBALL" \
			"remove ${KERNEL_SRC_DIR#"$TOP"/} (make tree fetches it again) and re-run make tree BASE=$BASE"
	cd "$TREE.tmp"
	step "making the base commit (about a minute; Debian's .gitignore hides every file, so git add -f)"
	git init -q -b master .
	git config core.autocrlf false
	git config gc.auto 0
	# git rebase keeps each commit's note (the test narration that make export puts below '---').
	git config notes.rewriteRef refs/notes/commits
	git add -f .
	# The message names no local path: the same package gives the same base commit everywhere.
	local ver=$KERNEL_DEB_VERSION
	GIT_COMMITTER_NAME="$BASE_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$BASE_AUTHOR_EMAIL" \
		GIT_COMMITTER_DATE="$BASE_DATE" \
		git commit -q --no-verify -m "Linux $(make -s kernelversion) from Debian $KERNEL_PKG $ver" \
		-m "Pristine tree unpacked from /$KERNEL_TARBALL_IN_DEB; the base of the series."
	git tag base
	echo "$ver" > .git/workshop-kernel-version
	cd "$TOP"
	mv "$TREE.tmp" "$TREE"
	info "$T base: $(git -C "$TREE" rev-parse --short base) ($(git -C "$TREE" log -1 --format=%s base))"
}

# The patch-ids of base..HEAD and of the series, to tell whether the tree already holds the series.
tree_ids() { git -C "$TREE" log --reverse --format=%H base..HEAD | while read -r c; do
	git -C "$TREE" show "$c" | git patch-id --stable | cut -d' ' -f1; done; }
file_ids() { series_files | while read -r p; do git patch-id --stable < "$PATCHES/$p" | cut -d' ' -f1; done; }

apply_series() {
	local n=0 total p
	total=$(series_files | grep -c . || true)
	step "applying $total patch(es) from $S/ to $T with git am"
	while read -r p; do
		n=$((n + 1))
		[ -f "$PATCHES/$p" ] || die "$S/series names $p, which does not exist" \
			"fix $S/series (make export BASE=$BASE writes it)"
		info "[$n/$total] $p"
		if ! git -C "$TREE" am -q --keep-cr --committer-date-is-author-date "$PATCHES/$p" \
			>"$BUILD/am.log" 2>&1; then
			git -C "$TREE" am --abort >/dev/null 2>&1 || true
			grep -E '^(error|fatal|Patch failed)' "$BUILD/am.log" | sed 's/^/    /' >&2
			local where
			where=$(grep -E '^error: (patch failed|.*does not exist|.*already exists)' "$BUILD/am.log" |
				head -3 | tr '\n' ' ')
			die "patch $n/$total ($p) does not apply: ${where:-see above}" \
				"$T is left at the last good patch ($(git -C "$TREE" log -1 --format='%h %s'))." \
				"Rebase that patch onto it (git am -3 $S/$p, fix, git am --continue), then make export BASE=$BASE."
		fi
		local note
		note=$(patch_notes "$PATCHES/$p")
		[ -z "$note" ] || git -C "$TREE" notes add -f -m "$note" HEAD
	done < <(series_files)
}

if [ -d "$PATCHES" ] && [ ! -f "$PATCHES/series" ]; then
	die "$S/series is missing (the list of the series' patches, in order)" \
		"make export BASE=$BASE writes it from $T; or write it by hand, one patch file name a line"
fi
mkdir -p "$BUILD"
if [ -e "$TREE/.git" ]; then
	git -C "$TREE" rev-parse -q --verify base >/dev/null ||
		die "$T exists but has no 'base' tag" "remove $T and re-run make tree BASE=$BASE"
	have=$(cat "$(git -C "$TREE" rev-parse --path-format=absolute --git-common-dir)/workshop-kernel-version" 2>/dev/null || true)
	if [ "$KERNEL_DEB_VERSION" != "$have" ]; then
		warn "$T was made from $KERNEL_PKG ${have:-(unknown)}; config/bases/$BASE.env pins $KERNEL_DEB_VERSION"
		warn "remove $T (after make export BASE=$BASE) to rebuild it from the pinned kernel"
	fi
	if [ ! -d "$PATCHES" ]; then
		step "$T: base $KERNEL_PKG $have + $(git -C "$TREE" rev-list --count base..HEAD) commit(s), left as is:" \
			"BASE=$BASE has no series yet ($S does not exist)"
		exit 0
	fi
	if [ "$(tree_ids | tr '\n' ' ')" = "$(file_ids | tr '\n' ' ')" ]; then
		step "$T already holds the series of $S ($(git -C "$TREE" rev-list --count base..HEAD) patches)"
		exit 0
	fi
	[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
		die "$T has uncommitted changes" "commit them (then make export BASE=$BASE) or stash them, then re-run"
	# Commits in the tree that the series does not hold are work in progress: never throw them away.
	unexported=$(comm -23 <(tree_ids | sort) <(file_ids | sort) | grep -c . || true)
	if [ "$unexported" != 0 ] && [ "${FORCE:-0}" != 1 ]; then
		die "$T has $unexported commit(s) that $S/ does not hold" \
			"run 'make export BASE=$BASE' to keep them, or 'make tree BASE=$BASE FORCE=1' to drop them"
	fi
	step "resetting $T to base to apply $S/"
	git -C "$TREE" am --abort >/dev/null 2>&1 || true
	branch=$(git -C "$TREE" branch --show-current)
	git -C "$TREE" checkout -q -B "${branch:-master}" base
else
	create_base
fi
if [ ! -d "$PATCHES" ]; then
	step "$T: the base tree only ($KERNEL_PKG $KERNEL_DEB_VERSION, tag base): BASE=$BASE has no series yet ($S does not exist)"
	exit 0
fi
apply_series
step "$T: base + $(git -C "$TREE" rev-list --count base..HEAD) patch(es) of $S/, HEAD $(git -C "$TREE" log -1 --format='%h %s')"
