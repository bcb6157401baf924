#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make tree: create or refresh build/linux, a git repo whose first commit is the pristine kernel
# (tagged 'base', fixed author and date) with patches/ applied on top with git am.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

export GIT_AUTHOR_NAME="$BASE_AUTHOR_NAME" GIT_AUTHOR_EMAIL="$BASE_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="$BASE_DATE"

series_files() {
	[ -f "$PATCHES/series" ] || return 0
	grep -v -e '^#' -e '^[[:space:]]*$' "$PATCHES/series"
}

create_base() {
	step "unpacking $KERNEL_TARBALL into build/linux (about a minute)"
	rm -rf "$TREE.tmp"
	mkdir -p "$TREE.tmp"
	tar -xf "$KERNEL_TARBALL" -C "$TREE.tmp" --strip-components=1 ||
		die "could not unpack $KERNEL_TARBALL" "reinstall $KERNEL_PKG and re-run make tree"
	cd "$TREE.tmp"
	step "making the base commit (about a minute; Debian's .gitignore hides every file, so git add -f)"
	git init -q -b master .
	git config core.autocrlf false
	git config gc.auto 0
	git add -f .
	local ver
	ver=$(dpkg-query -W -f='${Version}' "$KERNEL_PKG")
	GIT_COMMITTER_NAME="$BASE_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$BASE_AUTHOR_EMAIL" \
		GIT_COMMITTER_DATE="$BASE_DATE" \
		git commit -q --no-verify -m "Linux $(make -s kernelversion) from Debian $KERNEL_PKG $ver" \
		-m "Pristine tree unpacked from $KERNEL_TARBALL; the base of the series."
	git tag base
	echo "$ver" > .git/workshop-kernel-version
	cd "$TOP"
	mv "$TREE.tmp" "$TREE"
	info "base: $(git -C "$TREE" rev-parse --short base) ($(git -C "$TREE" log -1 --format=%s base))"
}

# The patch-ids of base..HEAD and of patches/, to tell whether the tree already holds the series.
tree_ids() { git -C "$TREE" log --reverse --format=%H base..HEAD | while read -r c; do
	git -C "$TREE" show "$c" | git patch-id --stable | cut -d' ' -f1; done; }
file_ids() { series_files | while read -r p; do git patch-id --stable < "$PATCHES/$p" | cut -d' ' -f1; done; }

apply_series() {
	local n=0 total p
	total=$(series_files | grep -c . || true)
	step "applying $total patch(es) from patches/ with git am"
	while read -r p; do
		n=$((n + 1))
		[ -f "$PATCHES/$p" ] || die "patches/series names $p, which does not exist" \
			"fix patches/series (make export writes it)"
		info "[$n/$total] $p"
		if ! git -C "$TREE" am -q --keep-cr --committer-date-is-author-date "$PATCHES/$p" \
			>"$BUILD/am.log" 2>&1; then
			git -C "$TREE" am --abort >/dev/null 2>&1 || true
			grep -E '^(error|fatal|Patch failed)' "$BUILD/am.log" | sed 's/^/    /' >&2
			local where
			where=$(grep -E '^error: (patch failed|.*does not exist|.*already exists)' "$BUILD/am.log" |
				head -3 | tr '\n' ' ')
			die "patch $n/$total ($p) does not apply: ${where:-see above}" \
				"build/linux is left at the last good patch ($(git -C "$TREE" log -1 --format='%h %s'))." \
				"Rebase that patch onto it (git am -3 patches/$p, fix, git am --continue), then make export."
		fi
	done < <(series_files)
}

mkdir -p "$BUILD"
if [ -e "$TREE/.git" ]; then
	git -C "$TREE" rev-parse -q --verify base >/dev/null ||
		die "build/linux exists but has no 'base' tag" "remove build/linux and re-run make tree"
	want=$(dpkg-query -W -f='${Version}' "$KERNEL_PKG" 2>/dev/null || true)
	have=$(cat "$(git -C "$TREE" rev-parse --path-format=absolute --git-common-dir)/workshop-kernel-version" 2>/dev/null || true)
	if [ -n "$want" ] && [ "$want" != "$have" ]; then
		warn "build/linux was made from $KERNEL_PKG $have; $want is installed now"
		warn "remove build/linux (after make export) to rebuild it from the new kernel"
	fi
	if [ "$(tree_ids | tr '\n' ' ')" = "$(file_ids | tr '\n' ' ')" ]; then
		step "build/linux already holds the series ($(git -C "$TREE" rev-list --count base..HEAD) patches)"
		exit 0
	fi
	[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
		die "build/linux has uncommitted changes" "commit them (then make export) or stash them, then re-run"
	# Commits in the tree that patches/ does not hold are work in progress: never throw them away.
	unexported=$(comm -23 <(tree_ids | sort) <(file_ids | sort) | grep -c . || true)
	if [ "$unexported" != 0 ] && [ "${FORCE:-0}" != 1 ]; then
		die "build/linux has $unexported commit(s) that patches/ does not hold" \
			"run 'make export' to keep them, or 'make tree FORCE=1' to drop them"
	fi
	step "resetting build/linux to base to apply patches/"
	git -C "$TREE" am --abort >/dev/null 2>&1 || true
	branch=$(git -C "$TREE" branch --show-current)
	git -C "$TREE" checkout -q -B "${branch:-master}" base
else
	create_base
fi
apply_series
step "build/linux: base + $(git -C "$TREE" rev-list --count base..HEAD) patch(es), HEAD $(git -C "$TREE" log -1 --format='%h %s')"
