#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make lint: upstream-readiness gates for patches/.
#
#   am          git am of patches/ onto a pristine tree; the cover letter has a diffstat and the base
#   kernel-doc  scripts/kernel-doc -none -Wall on every touched source file: no new warnings
#   w1-sparse   a W=1 build and sparse (C=2) of every touched .c file that the virt config builds:
#               no new warnings, "new" meaning not also given by the same build of the base
#   bisect      (FULL=1) every patch, applied one by one, builds the virt KUnit config
#   cross       (FULL=1) build-only: arm LPAE, arm64 and x86_64, each with CONFIG_DMA_API_DEBUG=y and =n
#
# make lint runs the first three (a few minutes; .ci/run runs them); make lint FULL=1 all five.
# LINT_STEPS="am kernel-doc" picks steps by name.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
start=$SECONDS

if [ -n "${LINT_STEPS:-}" ]; then
	steps=$LINT_STEPS
elif [ "${FULL:-0}" = 1 ]; then
	steps="am kernel-doc w1-sparse bisect cross"
else
	steps="am kernel-doc w1-sparse"
fi
LINT="$BUILD/lint"
mkdir -p "$LINT"
[ -e "$TREE/.git" ] || die "build/linux does not exist" "run 'make tree' first"
git -C "$TREE" rev-parse -q --verify base >/dev/null || die "build/linux has no tag 'base'" "run 'make tree'"
setup_ccache
failed=()

# The source files the series touches (as of HEAD in build/linux).
touched() {
	git -C "$TREE" diff --name-only --diff-filter=AM base..HEAD -- "$@"
}

# A detached work tree of build/linux at REV in DIR, made anew.
worktree_at() {
	local rev=$1 dir=$2
	git -C "$TREE" worktree remove --force "$dir" >/dev/null 2>&1 || rm -rf "$dir"
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$dir" "$rev" ||
		die "cannot make a work tree of build/linux at $rev in ${dir#"$TOP"/}"
}

lint_am() {
	step "lint am: git am patches/ onto a pristine $KERNEL_PKG tree"
	local dir="$LINT/am" p n=0
	worktree_at base "$dir"
	while read -r p; do
		[ -n "$p" ] || continue
		n=$((n + 1))
		if ! git -C "$dir" -c user.name=lint -c user.email=lint@invalid am -q "$PATCHES/$p" \
			>"$LINT/am.log" 2>&1; then
			git -C "$dir" am --abort >/dev/null 2>&1
			warn "patch $n ($p) does not apply with git am onto the base"
			sed 's/^/         /' "$LINT/am.log" >&2
			return 1
		fi
	done < <(grep -v -e '^#' -e '^[[:space:]]*$' "$PATCHES/series")
	if ! git -C "$dir" diff --quiet HEAD "$(git -C "$TREE" rev-parse HEAD)" --; then
		warn "patches/ is not what build/linux holds: run 'make export'"
		return 1
	fi
	info "ok: $n patches apply; the result is identical to build/linux HEAD"
	local cover="$PATCHES/0000-cover-letter.patch" bad=0
	grep -Eq '^ [0-9]+ files? changed' "$cover" || { warn "the cover letter has no diffstat"; bad=1; }
	grep -q "^base-commit: $(git -C "$TREE" rev-parse base)" "$cover" ||
		{ warn "the cover letter has no base-commit: line for tag base"; bad=1; }
	grep -Eq "Linux ${KERNEL_DEB_VERSION%%-*}" "$cover" ||
		{ warn "the cover letter does not name the base version (Linux ${KERNEL_DEB_VERSION%%-*})"; bad=1; }
	# BENCHMARKS.md's "cover letter" block must be quoted in the cover letter, word for word.
	if [ -f "$TOP/BENCHMARKS.md" ]; then
		local l
		while IFS= read -r l; do
			[ -n "$l" ] || continue
			grep -qF -- "$l" "$cover" || { warn "cover letter lacks the figure line: $l"; bad=1; }
		done < <(sed -n '/<!-- cover-letter -->/,/<!-- \/cover-letter -->/p' "$TOP/BENCHMARKS.md" |
			grep -v -e '<!--' -e '^```')
	fi
	[ "$bad" = 0 ] && info "ok: the cover letter has a diffstat, the base and the figures"
	return "$bad"
}

# kernel-doc warnings of one file, without line numbers (they move between base and HEAD).
kdoc_warnings() {
	(cd "$1" && perl scripts/kernel-doc -none -Wall "$2" 2>&1) |
		sed -E 's/^([^:]+):[0-9]+:/\1:/' | sort
}

lint_kernel_doc() {
	step "lint kernel-doc: scripts/kernel-doc -none -Wall on every touched source file"
	local dir="$LINT/base-src" f bad=0 new
	worktree_at base "$dir"
	while read -r f; do
		[ -n "$f" ] || continue
		if [ -f "$dir/$f" ]; then
			new=$(comm -23 <(kdoc_warnings "$TREE" "$f") <(kdoc_warnings "$dir" "$f"))
		else
			new=$(kdoc_warnings "$TREE" "$f")
		fi
		if [ -n "$new" ]; then
			warn "new kernel-doc warnings in $f:"
			printf '%s\n' "$new" | sed 's/^/         /' >&2
			bad=1
		fi
	done < <(touched '*.c' '*.h')
	[ "$bad" = 0 ] && info "ok: no new kernel-doc warnings in $(touched '*.c' '*.h' | wc -l) files"
	return "$bad"
}

# Configure and prepare an output directory for the virt KUnit config of source tree $1.
prepare_virt() {
	local src=$1 out=$2 cfg="$BUILD/kunit-virt/.config"
	[ -f "$cfg" ] || die "no virt KUnit config ($cfg)" "run 'make kunit T=virt' (or make check) first"
	mkdir -p "$out"
	cp "$cfg" "$out/.config"
	make -s -C "$src" O="$out" ARCH=arm CROSS_COMPILE=arm-linux-gnueabi- CC="$CC_CMD" \
		olddefconfig prepare -j"$(nproc)" >"$out/prepare.log" 2>&1 ||
		die "cannot prepare ${out#"$TOP"/} (log: ${out#"$TOP"/}/prepare.log)"
}

# Compiler and sparse warnings for objects $3... built W=1 C=2 in tree $1, output $2; file:line:col dropped.
w1_warnings() {
	local src=$1 out=$2
	shift 2
	make -C "$src" O="$out" ARCH=arm CROSS_COMPILE=arm-linux-gnueabi- CC="$CC_CMD" W=1 C=2 \
		-j"$(nproc)" "$@" 2>&1 | tee "$out/w1.log" |
		grep -E '(warning|error):' | sed -E -e "s#^$src/##" -e "s#^(\.\./)*${src##*/}/##" -e 's/^(\.\.\/)*([^:]+):[0-9]+:[0-9]+:/\2:/' | sort
}

lint_w1_sparse() {
	step "lint w1-sparse: W=1 and sparse on touched .c files, against the same build of the base"
	need_pkgs sparse
	local objs=() base_objs=() f o new
	while read -r f; do
		o=${f%.c}.o
		# Only what the virt config builds (a KUnit build leaves the objects in build/kunit-virt).
		[ -f "$BUILD/kunit-virt/$o" ] || continue
		objs+=("$o")
		[ -f "$LINT/base-src/$f" ] && base_objs+=("$o")
	done < <(touched '*.c')
	[ ${#objs[@]} -gt 0 ] || { info "no touched .c file is built by the virt config"; return 0; }
	info "objects: ${objs[*]}"
	[ -d "$LINT/base-src" ] || worktree_at base "$LINT/base-src"
	info "preparing the base and the series build directories (a minute or two each)"
	prepare_virt "$LINT/base-src" "$LINT/w1-base"
	prepare_virt "$TREE" "$LINT/w1-head"
	new=$(comm -23 <(w1_warnings "$TREE" "$LINT/w1-head" "${objs[@]}") \
		<(w1_warnings "$LINT/base-src" "$LINT/w1-base" "${base_objs[@]}"))
	if grep -q 'Error [0-9]' "$LINT/w1-head/w1.log"; then
		warn "the W=1 build failed (log: build/lint/w1-head/w1.log)"
		return 1
	fi
	if [ -n "$new" ]; then
		warn "new W=1 or sparse warnings (log: build/lint/w1-head/w1.log):"
		printf '%s\n' "$new" | sed 's/^/         /' >&2
		return 1
	fi
	info "ok: no new W=1 or sparse warnings in ${#objs[@]} objects"
}

lint_bisect() {
	step "lint bisect: every patch, applied one by one, builds the virt KUnit config"
	local dir="$LINT/bisect-src" out="$LINT/bisect" c n=0 total
	worktree_at base "$dir"
	total=$(git -C "$TREE" rev-list --count base..HEAD)
	mkdir -p "$out"
	for c in $(git -C "$TREE" rev-list --reverse base..HEAD); do
		n=$((n + 1))
		git -C "$dir" checkout -q --detach "$c"
		info "[$n/$total] $(git -C "$TREE" log -1 --format=%s "$c")"
		cp "$BUILD/kunit-virt/.config" "$out/.config"
		if ! make -s -C "$dir" O="$out" ARCH=arm CROSS_COMPILE=arm-linux-gnueabi- CC="$CC_CMD" \
			olddefconfig all -j"$(nproc)" >"$out/build-$n.log" 2>&1; then
			warn "patch $n does not build: $(git -C "$TREE" log -1 --format=%s "$c")"
			info "log: build/lint/bisect/build-$n.log"
			return 1
		fi
	done
	info "ok: all $total patches build one by one"
}

# Build-only coverage: ARCH, cross prefix, base config target, CONFIG_DMA_API_DEBUG y|n.
cross_build() {
	local arch=$1 cross=$2 base_cfg=$3 dbg=$4 name out cc
	name="$arch-$base_cfg-dbg$dbg"
	out="$LINT/cross-$name"
	cc="ccache ${cross}gcc"
	mkdir -p "$out"
	info "$name"
	{
		if [ "$base_cfg" = virt ]; then
			cp "$BUILD/kunit-virt/.config" "$out/.config"
		else
			make -C "$TREE" O="$out" ARCH="$arch" CROSS_COMPILE="$cross" CC="$cc" "$base_cfg"
		fi &&
		"$TREE/scripts/config" --file "$out/.config" -e DEBUG_KERNEL -e EXPERT -e PRINTK \
			-e DEBUG_FS -e KUNIT --set-val DMA_API_DEBUG "$dbg" \
			-e DMA_API_DEBUG_KUNIT_TEST &&
		if [ "$arch" = arm ]; then "$TREE/scripts/config" --file "$out/.config" -e ARM_LPAE; fi &&
		make -C "$TREE" O="$out" ARCH="$arch" CROSS_COMPILE="$cross" CC="$cc" olddefconfig &&
		grep -q "^CONFIG_DMA_API_DEBUG=$dbg\$\|^# CONFIG_DMA_API_DEBUG is not set\$" "$out/.config" &&
		make -C "$TREE" O="$out" ARCH="$arch" CROSS_COMPILE="$cross" CC="$cc" -j"$(nproc)" all
	} >"$out/build.log" 2>&1 || {
		warn "build-only $name failed (log: ${out#"$TOP"/}/build.log)"
		return 1
	}
}

lint_cross() {
	step "lint cross: build-only arm LPAE, arm64, x86_64 with CONFIG_DMA_API_DEBUG=y and =n"
	need_pkgs gcc-aarch64-linux-gnu gcc
	local bad=0 d
	for d in y n; do
		cross_build arm arm-linux-gnueabi- virt "$d" || bad=1	# the virt KUnit config + ARM_LPAE
		cross_build arm64 aarch64-linux-gnu- tinyconfig "$d" || bad=1
		cross_build x86_64 "" tinyconfig "$d" || bad=1
	done
	[ "$bad" = 0 ] && info "ok: 6 build-only configurations"
	return "$bad"
}

for s in $steps; do
	case "$s" in
	am) lint_am || failed+=(am) ;;
	kernel-doc) lint_kernel_doc || failed+=(kernel-doc) ;;
	w1-sparse) lint_w1_sparse || failed+=(w1-sparse) ;;
	bisect) lint_bisect || failed+=(bisect) ;;
	cross) lint_cross || failed+=(cross) ;;
	*) die "unknown lint step '$s'" "known: am kernel-doc w1-sparse bisect cross" ;;
	esac
done

step "lint summary ($(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s): steps: $steps"
if [ ${#failed[@]} -gt 0 ]; then
	die "lint failed: ${failed[*]}" "see the warnings above; fix in build/linux, make export, re-run make lint"
fi
info "lint: all passed"
