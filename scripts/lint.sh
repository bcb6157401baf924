#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make lint [BASE=7.2|6.12]: the workshop's own gates, then upstream-readiness gates for the base's series
# ($SERIES_DIR, config/bases/$BASE.env) in build/linux-$BASE.
#
#   'shellcheck'  shellcheck -x over scripts/*.sh and .ci/run
#   gates         the unit tests of the gates: python3 -m unittest discover -s tests -t . (make test runs
#                 these two only: no kernel tree, no QEMU)
#   am            git am of the series onto a pristine tree; the cover letter has a diffstat and the base
#   kernel-doc    scripts/kernel-doc -none -Wall on every touched source file: no new warnings
#   w1-sparse     a W=1 build and sparse (C=2) of every touched .c file that the virt KUnit config builds
#                 in (scripts/lint_objects.py reads the config and the Makefiles; lint configures the
#                 virt target itself with scripts/kunit.sh --config-only): no new warnings, "new" meaning
#                 not also given by the same build of the base; touched .c files none of which is built
#                 in fail the step
#   bisect        (FULL=1) every patch, applied one by one, builds the virt KUnit config
#   cross         (FULL=1) build-only: arm LPAE, arm64 and x86_64, each with CONFIG_DMA_API_DEBUG=y and =n
#
# make lint runs the first five (a few minutes; .ci/run runs them); make lint FULL=1 all seven.
# LINT_STEPS="am kernel-doc" picks steps by name.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
start=$SECONDS

if [ -n "${LINT_STEPS:-}" ]; then
	steps=$LINT_STEPS
elif [ "${FULL:-0}" = 1 ]; then
	steps="shellcheck gates am kernel-doc w1-sparse bisect cross"
else
	steps="shellcheck gates am kernel-doc w1-sparse"
fi
LINT="$BUILD/lint"
mkdir -p "$LINT"
T=${TREE#"$TOP"/} S=${PATCHES#"$TOP"/}
setup_ccache
failed=()

# The steps on the kernel tree need it, with the base's series.
need_tree() {
	[ -e "$TREE/.git" ] || die "$T does not exist" "run 'make tree BASE=$BASE' first"
	git -C "$TREE" rev-parse -q --verify base >/dev/null ||
		die "$T has no tag 'base'" "remove it and run 'make tree BASE=$BASE'"
	[ -f "$PATCHES/series" ] ||
		die "BASE=$BASE has no series ($S/series does not exist): nothing for lint to check" \
			"port the series to $T and make export BASE=$BASE"
}

lint_shellcheck() {
	step "lint shellcheck: shellcheck -x over scripts/*.sh and .ci/run"
	need_pkgs shellcheck
	local files=("$TOP"/scripts/*.sh "$TOP/.ci/run")
	if ! shellcheck -x -P SCRIPTDIR "${files[@]}" >"$LINT/shellcheck.log" 2>&1; then
		warn "shellcheck found problems (log: build/lint/shellcheck.log):"
		sed 's/^/         /' "$LINT/shellcheck.log" >&2
		return 1
	fi
	info "ok: ${#files[@]} scripts are shellcheck-clean"
}

lint_gates() {
	step "lint gates: the unit tests of the gates (python3 -m unittest discover -s tests -t .)"
	local n
	n=$(find "$TOP/tests" -maxdepth 1 -name 'test_*.py' 2>/dev/null | wc -l)
	[ "$n" -gt 0 ] || { warn "tests/ holds no test_*.py: the gates are not tested"; return 1; }
	if ! (cd "$TOP" && python3 -m unittest discover -s "$TOP/tests" -t "$TOP") >"$LINT/gates.log" 2>&1; then
		warn "the unit tests of the gates failed (log: build/lint/gates.log):"
		grep -E '^(FAIL|ERROR):|Error|^Ran ' "$LINT/gates.log" | sed 's/^/         /' >&2
		return 1
	fi
	grep -Eq '^Ran [1-9][0-9]* tests?' "$LINT/gates.log" ||
		{ warn "unittest ran no test from $n test file(s) (log: build/lint/gates.log)"; return 1; }
	info "ok: $(grep -E '^Ran ' "$LINT/gates.log") from $n file(s) in tests/"
}

# virt_config: set VIRT_CONFIG to the virt KUnit target's .config, made for lint by kunit.sh itself
# (kunit.py config into build/lint/config-virt; once per run), not taken from whatever an earlier
# make check left in build/kunit-virt.
VIRT_CONFIG=
virt_config() {
	[ -z "$VIRT_CONFIG" ] || return 0
	local dir
	step "configuring the virt KUnit target for lint (scripts/kunit.sh --config-only virt)"
	dir=$(KUNIT_BUILD_DIR="$LINT/config-virt" bash "$TOP/scripts/kunit.sh" --config-only virt | tail -1) ||
		die "could not configure the virt KUnit target for lint (scripts/kunit.sh --config-only virt)" \
			"see its messages above"
	if [ -z "$dir" ] || [ ! -f "$dir/.config" ]; then
		die "scripts/kunit.sh --config-only virt left no .config (it printed '$dir')" \
			"run KUNIT_BUILD_DIR=build/lint/config-virt bash scripts/kunit.sh --config-only virt by hand"
	fi
	VIRT_CONFIG="$dir/.config"
}

# The source files the series touches (as of HEAD in the base's tree).
touched() {
	git -C "$TREE" diff --name-only --diff-filter=AM base..HEAD -- "$@"
}

# A detached work tree of the base's tree at REV in DIR, made anew.
worktree_at() {
	local rev=$1 dir=$2
	git -C "$TREE" worktree remove --force "$dir" >/dev/null 2>&1 || rm -rf "$dir"
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$dir" "$rev" ||
		die "cannot make a work tree of $T at $rev in ${dir#"$TOP"/}"
}

lint_am() {
	step "lint am: git am $S/ onto a pristine $KERNEL_PKG tree"
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
		warn "$S/ is not what $T holds: run 'make export BASE=$BASE'"
		return 1
	fi
	info "ok: $n patches apply; the result is identical to $T HEAD"
	local cover="$PATCHES/0000-cover-letter.patch" bad=0
	grep -Eq '^ [0-9]+ files? changed' "$cover" || { warn "the cover letter has no diffstat"; bad=1; }
	grep -q "^base-commit: $(git -C "$TREE" rev-parse base)" "$cover" ||
		{ warn "the cover letter has no base-commit: line for tag base"; bad=1; }
	grep -Eq "Linux ${KERNEL_DEB_VERSION%%-*}" "$cover" ||
		{ warn "the cover letter does not name the base version (Linux ${KERNEL_DEB_VERSION%%-*})"; bad=1; }
	# The base's BENCHMARKS file (bench.sh --md-path): its "cover letter" block must be quoted in
	# the cover letter, word for word.  No file or no block is a failure, not a pass.
	local md figures
	md=$(bash "$TOP/scripts/bench.sh" --md-path)
	if [ ! -f "$md" ]; then
		warn "${md#"$TOP"/} (make bench BASE=$BASE) is missing: the cover letter's figures cannot be checked"
		bad=1
	else
		figures=$(sed -n '/<!-- cover-letter -->/,/<!-- \/cover-letter -->/p' "$md" | grep -v -e '<!--' -e '^```' || true)
		[ -n "$figures" ] || { warn "${md#"$TOP"/} has no <!-- cover-letter --> block"; bad=1; }
		local l
		while IFS= read -r l; do
			[ -n "$l" ] || continue
			grep -qF -- "$l" "$cover" || { warn "cover letter lacks the figure line: $l"; bad=1; }
		done <<<"$figures"
	fi
	[ "$bad" = 0 ] && info "ok: the cover letter has a diffstat, the base and the figures"
	return "$bad"
}

# kernel-doc warnings of one file, without line numbers (they move between base and HEAD).
# Without line numbers (a patch moves the base's own warnings): 6.12's kernel-doc prints
# "file:NNN: warning: ...", 7.2's "Warning: file:NNN ...", the latter twice.
kdoc_warnings() {
	(cd "$1" && perl scripts/kernel-doc -none -Wall "$2" 2>&1) |
		sed -E 's/([^ :]+\.[ch]):[0-9]+:?/\1:/' | sort -u
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
	local src=$1 out=$2
	virt_config
	mkdir -p "$out"
	cp "$VIRT_CONFIG" "$out/.config"
	TREE=$src kmake "$out" -s olddefconfig prepare -j"$(nproc)" >"$out/prepare.log" 2>&1 ||
		die "cannot prepare ${out#"$TOP"/} (log: ${out#"$TOP"/}/prepare.log)"
}

# Compiler and sparse warnings for objects $3... built W=1 C=2 in tree $1, output $2; file:line:col dropped.
w1_warnings() {
	local src=$1 out=$2
	shift 2
	TREE=$src kmake "$out" W=1 C=2 -j"$(nproc)" "$@" 2>&1 | tee "$out/w1.log" |
		grep -E '(warning|error):' | sed -E -e "s#^$src/##" -e "s#^(\.\./)*${src##*/}/##" -e 's/^(\.\.\/)*([^:]+):[0-9]+:[0-9]+:/\2:/' | sort
}

lint_w1_sparse() {
	step "lint w1-sparse: W=1 and sparse on touched .c files, against the same build of the base"
	need_pkgs sparse
	local objs=() base_objs=() files=() cfg o new
	virt_config
	cfg=$VIRT_CONFIG
	mapfile -t files < <(touched '*.c')
	[ ${#files[@]} -gt 0 ] || { info "ok: the series touches no .c file"; return 0; }
	# Only what the virt config builds in, read from the config and the Makefiles (scripts/lint_objects.py).
	mapfile -t objs < <(python3 "$TOP/scripts/lint_objects.py" --tree "$TREE" --config "$cfg" "${files[@]}" 2>"$LINT/objects.log")
	sed 's/^/    /' "$LINT/objects.log"
	if [ ${#objs[@]} = 0 ]; then
		warn "no object to check: none of the ${#files[@]} touched .c files is built in by the virt config (${cfg#"$TOP"/})"
		return 1
	fi
	info "objects: ${objs[*]}"
	[ -d "$LINT/base-src" ] || worktree_at base "$LINT/base-src"
	for o in "${objs[@]}"; do
		[ -f "$LINT/base-src/${o%.o}.c" ] && base_objs+=("$o")
	done
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
	virt_config
	worktree_at base "$dir"
	total=$(git -C "$TREE" rev-list --count base..HEAD)
	mkdir -p "$out"
	for c in $(git -C "$TREE" rev-list --reverse base..HEAD); do
		n=$((n + 1))
		git -C "$dir" checkout -q --detach "$c"
		info "[$n/$total] $(git -C "$TREE" log -1 --format=%s "$c")"
		cp "$VIRT_CONFIG" "$out/.config"
		if ! TREE=$dir kmake "$out" -s olddefconfig all -j"$(nproc)" >"$out/build-$n.log" 2>&1; then
			warn "patch $n does not build: $(git -C "$TREE" log -1 --format=%s "$c")"
			info "log: build/lint/bisect/build-$n.log"
			return 1
		fi
	done
	info "ok: all $total patches build one by one"
}

# Build-only coverage: ARCH (config/arch/$ARCH.env), base config (virt: the virt KUnit config; or a
# make target such as tinyconfig), CONFIG_DMA_API_DEBUG y|n.
cross_build() {
	local arch=$1 base_cfg=$2 dbg=$3 name out cfg=
	name="$arch-$base_cfg-dbg$dbg"
	out="$LINT/cross-$name"
	if [ "$base_cfg" = virt ]; then virt_config && cfg=$VIRT_CONFIG; fi
	mkdir -p "$out"
	info "$name"
	(
		# shellcheck source=../config/arch/arm.env
		. "$TOP/config/arch/$arch.env"
		setup_ccache
		if [ -n "$cfg" ]; then cp "$cfg" "$out/.config"; else kmake "$out" "$base_cfg"; fi &&
		"$TREE/scripts/config" --file "$out/.config" -e DEBUG_KERNEL -e EXPERT -e PRINTK \
			-e DEBUG_FS -e KUNIT --set-val DMA_API_DEBUG "$dbg" \
			-e DMA_API_DEBUG_KUNIT_TEST &&
		if [ "$arch" = arm ]; then "$TREE/scripts/config" --file "$out/.config" -e ARM_LPAE; fi &&
		kmake "$out" olddefconfig &&
		grep -q "^CONFIG_DMA_API_DEBUG=$dbg\$\|^# CONFIG_DMA_API_DEBUG is not set\$" "$out/.config" &&
		kmake "$out" -j"$(nproc)" all
	) >"$out/build.log" 2>&1 || {
		warn "build-only $name failed (log: ${out#"$TOP"/}/build.log)"
		return 1
	}
}

lint_cross() {
	step "lint cross: build-only arm LPAE, arm64, x86_64 with CONFIG_DMA_API_DEBUG=y and =n"
	local bad=0 d a p pkgs=()
	for a in arm arm64 x86_64; do
		# shellcheck disable=SC2016	# expanded by that shell
		read -ra p <<<"$(bash -c '. "$1" && echo "$CROSS_PKGS"' - "$TOP/config/arch/$a.env")"
		pkgs+=("${p[@]}")
	done
	need_pkgs "${pkgs[@]}"
	for d in y n; do
		cross_build arm virt "$d" || bad=1	# the virt KUnit config + ARM_LPAE
		cross_build arm64 tinyconfig "$d" || bad=1
		cross_build x86_64 tinyconfig "$d" || bad=1
	done
	[ "$bad" = 0 ] && info "ok: 6 build-only configurations"
	return "$bad"
}

for s in $steps; do
	case "$s" in
	am | kernel-doc | w1-sparse | bisect | cross) need_tree ;;
	esac
	case "$s" in
	shellcheck) lint_shellcheck || failed+=(shellcheck) ;;
	gates) lint_gates || failed+=(gates) ;;
	am) lint_am || failed+=(am) ;;
	kernel-doc) lint_kernel_doc || failed+=(kernel-doc) ;;
	w1-sparse) lint_w1_sparse || failed+=(w1-sparse) ;;
	bisect) lint_bisect || failed+=(bisect) ;;
	cross) lint_cross || failed+=(cross) ;;
	*) die "unknown lint step '$s'" "known: shellcheck gates am kernel-doc w1-sparse bisect cross" ;;
	esac
done

step "lint summary (BASE=$BASE, $(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s): steps: $steps"
if [ ${#failed[@]} -gt 0 ]; then
	die "lint failed: ${failed[*]}" "see the warnings above (each names its log); fix the scripts or tests, or fix the series" \
		"in $T and make export BASE=$BASE; then re-run make lint"
fi
info "lint: all passed"
