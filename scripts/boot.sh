#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot a kernel on QEMU (the command line comes from scripts/qemu.py, the one place that builds them):
#   scripts/boot.sh --machine PROFILE --kernel FILE --log FILE [--initrd FILE] [--append ARGS]
#                   [--dtb FILE] [--disk FILE:SIZE]... [--nic OPTS]... [--smp N] [--memory MIB]
#                   [--timeout S] [--quiet] [-- QEMU-ARGS...]
# PROFILE: scripts/qemu.py profiles.  --disk makes a fresh zeroed FILE of SIZE (truncate -s) for a
# virtio disk; each --nic adds a virtio-net NIC (OPTS: more device options, e.g. mrg_rxbuf=off), all
# of them on one QEMU hub (they reach each other only).  The console goes to the log; without --quiet the lines 'scripts/summary.py progress'
# picks (KTAP results, the guests' diagnostics, the kernel's reports) are also printed.
# Exits with QEMU's exit code (124: the timeout, default 1500 s).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage="usage: scripts/boot.sh --machine PROFILE --kernel FILE --log FILE [options] [-- QEMU-ARGS...]"
qargs=() log='' timeout_s=1500 quiet=0 extra=()
while [ $# -gt 0 ]; do
	case $1 in
	--machine) qargs+=(--profile "${2:?$usage}"); shift 2 ;;
	--kernel | --initrd | --append | --dtb | --nic | --smp | --memory) qargs+=("$1" "${2?$usage}"); shift 2 ;;
	--disk)
		spec=${2:?$usage}
		[[ $spec == *:* ]] || die "boot.sh: --disk wants FILE:SIZE, not '$spec'" "$usage"
		rm -f "${spec%:*}"
		truncate -s "${spec##*:}" "${spec%:*}" ||
			die "boot.sh: could not make the disk ${spec%:*} of ${spec##*:}"
		qargs+=(--disk "${spec%:*}")
		shift 2 ;;
	--log) log=${2:?$usage}; shift 2 ;;
	--timeout) timeout_s=${2:?$usage}; shift 2 ;;
	--quiet) quiet=1; shift ;;
	--) shift; extra=("$@"); break ;;
	*) die "boot.sh: unknown argument '$1'" "$usage" ;;
	esac
done
[ -n "$log" ] || die "boot.sh: --log is required" "$usage"
argv=$(python3 "$TOP/scripts/qemu.py" argv "${qargs[@]}" -- "${extra[@]}") ||
	die "scripts/qemu.py could not make the QEMU command line (see above)" "$usage"
mapfile -t cmd <<<"$argv"
mkdir -p "$(dirname "$log")"
t0=$SECONDS
set +e
if [ $quiet = 1 ]; then
	timeout --foreground "$timeout_s" "${cmd[@]}" </dev/null >"$log" 2>&1
	qrc=$?
else
	# The lines worth showing as they come: scripts/summary.py knows the guests' protocol (KTAP).
	timeout --foreground "$timeout_s" "${cmd[@]}" </dev/null 2>&1 | tee "$log" |
		python3 -u "$TOP/scripts/summary.py" progress
	qrc=${PIPESTATUS[0]}
	# QEMU's own complaint (a missing ROM, a bad option) is not a guest's line: show it.  Not the
	# hub's warning that no host network is on it: the run's NICs are on a hub of their own on
	# purpose (scripts/qemu.py).
	grep "^$QEMU_BIN: " "$log" | grep -v ': warning: hub [0-9]* is not connected to host network' |
		sed 's/^/    /' || true
fi
set -e
[ "$qrc" != 124 ] || warn "QEMU was stopped after the timeout of $timeout_s s (log: ${log#"$TOP"/})"
info "QEMU ran $((SECONDS - t0)) s (exit code $qrc; log: ${log#"$TOP"/})"
exit "$qrc"
