#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build and run the series' KUnit suites for one target with the kernel's own kunit.py.
#   scripts/kunit.sh [NAME] [extra kunit.py args...]   NAME: kunit/targets/NAME.target (default virt)
#   scripts/kunit.sh --config-only NAME                 only configure the target's build dir
#                                                        (kunit.py config); print its path on stdout
# A target is one data file (format: scripts/target.py).  Results: the target's json (build/kunit.json
# for virt, build/kunit-NAME.json for others); the raw log in the build dir's test.log.
# KUNIT_BUILD_DIR (default build/kunit-NAME) and KUNIT_JSON: other places, for parallel work.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

orig_args=("$@")
config_only=0
if [ "${1:-}" = --config-only ]; then
	config_only=1
	shift
	[ $# = 1 ] || die "usage: scripts/kunit.sh --config-only NAME" "NAME: one of $(python3 "$TOP/scripts/target.py" list | tr '\n' ' ')"
fi
target=${1:-virt}
shift || true
setup_out=$(python3 "$TOP/scripts/target.py" setup "$target" --build-dir "${KUNIT_BUILD_DIR:-}") ||
	die "could not read the KUnit target '$target' (see the error above)" "targets: kunit/targets/*.target"
# What target.py setup prints (scripts/target.py names them):
t_build_dir='' t_base='' t_arch='' t_kunitconfig='' t_series='' t_profile='' t_smp='' t_memory='' t_dtb_fragment=''
t_dtb='' t_highmem='' t_json='' t_qemu_config=''
eval "$setup_out"
bdir=$t_build_dir
# The target names its base and architecture: run under them (lib.sh reads BASE and ARCH).
if [ "$t_base" != "$BASE" ] || [ "$t_arch" != "$ARCH" ]; then
	[ "${KUNIT_REEXEC:-}" != 1 ] || die "target '$target': BASE=$t_base ARCH=$t_arch did not take"
	exec env BASE="$t_base" ARCH="$t_arch" KUNIT_REEXEC=1 bash "$0" "${orig_args[@]}"
fi
json="${KUNIT_JSON:-$t_json}"
# The target's base may not be this run's: make its tree if there is none yet (tree.sh never throws
# away work; it only creates here).
if [ ! -e "$TREE/.git" ]; then
	bash "$TOP/scripts/tree.sh" >&2 || die "${TREE#"$TOP"/} does not exist and could not be made" \
		"see the error above; then run 'make tree BASE=$BASE'"
fi
setup_ccache

# The workshop's target config, plus the .kunitconfig files the series adds that the target runs:
# those that match one of the target's glob patterns (series =).
args=(--kunitconfig="$t_kunitconfig")
read -ra pats <<<"$t_series"	# no pathname expansion here
while read -r f; do
	[ -n "$f" ] || continue
	for pat in "${pats[@]}"; do
		# shellcheck disable=SC2053	# $pat is a pattern
		if [[ $f == $pat ]]; then
			args+=(--kunitconfig="$TREE/$f")
			break
		fi
	done
done < <(git -C "$TREE" diff --name-only --diff-filter=A base..HEAD -- '*.kunitconfig' '*/.kunitconfig')
common=(--build_dir="$bdir" --qemu_config="$t_qemu_config" --cross_compile="$CROSS_COMPILE")
kunit() { (cd "$TREE" && python3 tools/testing/kunit/kunit.py "$@"); }

if [ $config_only = 1 ]; then
	{
		step "KUnit [$target]: configuring ${bdir#"$TOP"/} (kunit.py config)"
		info "configs: ${args[*]#--kunitconfig=}"
		kunit config "${common[@]}" --make_options="CC=$CC_CMD" "${args[@]}"
	} >&2 || die "kunit.py config failed for the target '$target' in ${bdir#"$TOP"/}" \
		"an option of ${t_kunitconfig#"$TOP"/} or of the series' .kunitconfigs did not stay set: see above"
	echo "$bdir"
	exit 0
fi

# make_dtb: the device tree QEMU makes for the target's machine (same -smp and -m as the boot), with
# the target's fragment added, compiled with the build's own dtc, as the target's dtb.
make_dtb() {
	local dtc="$bdir/scripts/dtc/dtc"
	[ -x "$dtc" ] || { warn "no dtc in ${bdir#"$TOP"/} (the kernel build makes it); cannot make $t_dtb"; return 1; }
	info "device tree: QEMU's own plus ${t_dtb_fragment#"$TOP"/} -> ${t_dtb#"$TOP"/}"
	if ! python3 "$TOP/scripts/qemu.py" dumpdtb --profile "$t_profile" --smp "$t_smp" --memory "$t_memory" \
		--out "$t_dtb.qemu" ||
		! { "$dtc" -q -I dtb -O dts "$t_dtb.qemu" && cat "$t_dtb_fragment"; } | "$dtc" -q -I dts -O dtb -o "$t_dtb" -; then
		warn "could not make $t_dtb from QEMU's device tree and ${t_dtb_fragment#"$TOP"/}"
		return 1
	fi
}

step "KUnit [$target]: building and booting on QEMU (a cold build takes several minutes; progress below)"
info "configs: ${args[*]#--kunitconfig=}"
rm -f "$json"
set +e
if [ -z "$t_dtb_fragment" ]; then
	kunit run "${common[@]}" --make_options="CC=$CC_CMD" --jobs="$(nproc)" \
		--timeout="${KUNIT_TIMEOUT:-900}" --json="$json" "${args[@]}" "$@"
else
	# The target boots with a device tree of its own made with the dtc the kernel build makes:
	# build first, then make the .dtb, then boot.
	kunit build "${common[@]}" --make_options="CC=$CC_CMD" --jobs="$(nproc)" "${args[@]}" &&
		make_dtb &&
		kunit exec "${common[@]}" --timeout="${KUNIT_TIMEOUT:-900}" --json="$json" "${args[@]}" "$@"
fi
rc=$?
set -e
log="$bdir/test.log"
if [ "$t_highmem" = 1 ]; then
	# No console log is no proof of HighMem: that fails too.
	if [ -f "$log" ] && grep -Eq 'HighMem +\[mem 0x[0-9a-f]+-0x[0-9a-f]+\]' "$log"; then
		info "HighMem: $(grep -Eo 'HighMem +\[mem [^]]*\]' "$log" | head -1)"
	else
		warn "[$target] the kernel booted without HighMem (see ${log#"$TOP"/})"
		rc=1
	fi
fi
[ "$rc" = 0 ] || warn "KUnit [$target] failed (kunit.py exit $rc); raw log: ${log#"$TOP"/}"
exit "$rc"
