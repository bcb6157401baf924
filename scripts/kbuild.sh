#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build a kernel of this BASE's tree for this ARCH (scripts/lib.sh) from config fragments.
#   scripts/kbuild.sh --config FRAGMENT [--config FRAGMENT...] --out DIR [--modules] [--no-image]
# Writes the fragments' options as DIR/.config, runs olddefconfig (only when the fragments changed),
# checks that every option stayed set, and builds the image ($KIMAGE_TARGET) and, with --modules, the
# modules (Module.symvers, for an out-of-tree module).  The build's output: DIR/build.log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage="usage: scripts/kbuild.sh --config FRAGMENT... --out DIR [--modules] [--no-image]"
frags=() out='' targets=("$KIMAGE_TARGET")
while [ $# -gt 0 ]; do
	case $1 in
	--config) frags+=("${2:?$usage}"); shift 2 ;;
	--out) out=${2:?$usage}; shift 2 ;;
	--modules) targets+=(modules); shift ;;
	--no-image) targets=("${targets[@]:1}"); shift ;;
	*) die "kbuild.sh: unknown argument '$1'" "$usage" ;;
	esac
done
if [ ${#frags[@]} = 0 ] || [ -z "$out" ]; then die "kbuild.sh: --config and --out are required" "$usage"; fi
[ -e "$TREE/Makefile" ] || die "no kernel tree ${TREE#"$TOP"/}" "run 'make tree' first"
for f in "${frags[@]}"; do
	[ -f "$f" ] || die "kbuild.sh: no config fragment $f" "name an existing file (config/*.config)"
done
out=$(realpath -m "$out")	# the kernel's make runs in the tree
mkdir -p "$out"
setup_ccache
rel() { printf '%s' "${1#"$TOP"/}"; }

step "configuring the kernel in $(rel "$out") ($(for f in "${frags[@]}"; do printf '%s ' "$(rel "$f")"; done | sed 's/ $//'))"
grep -hv -e '^#' -e '^[[:space:]]*$' "${frags[@]}" >"$out/.want.config.new"
if ! cmp -s "$out/.want.config.new" "$out/.want.config" || [ ! -f "$out/.config" ]; then
	cp "$out/.want.config.new" "$out/.config"
	kmake "$out" -s olddefconfig >/dev/null ||
		die "make olddefconfig failed in $(rel "$out")" "the fragments' options are $(rel "$out")/.config: run 'make O=$(rel "$out") ARCH=$KARCH olddefconfig' in ${TREE#"$TOP"/} to see why"
	mv "$out/.want.config.new" "$out/.want.config"
fi
rm -f "$out/.want.config.new"
# An option asked as =n is '# CONFIG_X is not set' in .config.
lost=$(sed -E 's/^(CONFIG_[A-Za-z0-9_]+)=n$/# \1 is not set/' "$out/.want.config" | grep -vxFf "$out/.config" || true)
[ -z "$lost" ] || die "the kernel's .config ($(rel "$out")/.config) lacks options that the fragments ask for:" \
	"$lost" "(a dependency is missing: add it to the fragment)"

step "building ${targets[*]} in $(rel "$out") (a cold build takes several minutes; log: $(rel "$out")/build.log)"
t0=$SECONDS
set +e
kmake "$out" -j"$(nproc)" "${targets[@]}" 2>&1 | tee "$out/build.log" |
	grep -E '^(  (CC|LD|AR)  |.*(error|warning):)' |
	awk '/(error|warning):/ {print; next} {n++} n % 200 == 1 {print "    ... " $0; fflush()}'
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" = 0 ] && [[ " ${targets[*]} " == *" $KIMAGE_TARGET "* ]] && [ ! -f "$out/$KIMAGE" ]; then
	rc="0 but no $KIMAGE"
fi
[ "$rc" = 0 ] ||
	die "the kernel in $(rel "$out") did not build (make exit $rc; log: $(rel "$out")/build.log)" \
		"read the first 'error:' in the log: a compiler error (-Werror, a patch of the series) is likelier" \
		"than a missing package (that shows as 'command not found': then run 'make deps')"
info "built in $((SECONDS - t0)) s"
