#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read the console log of the 'make' boot and print the summary table.

usage: run_summary.py LOG QEMU_EXIT_CODE

The init program (userspace/init.c) prints '@@ ' lines: workloads, the DMA map calls each made
('@@ dma-maps WORKLOAD N'), dma-api debugfs values, the per-device counters of dma-api/devices when
the kernel has that file ('@@ dma-devices LINE'), and '@@ expect-report WORKLOAD TEXT' before a
workload that must cause exactly one DMA-API report whose text contains TEXT.  A report is charged
to the workload running when it was printed ('init: workload NAME' starts one).  Exit 1 on a kernel warning, oops, lockdep splat, an unexpected DMA-API report,
a failed workload, a missing expected report, or a boot that did not finish.
"""
import re
import sys

PROBLEM = re.compile(r'(WARNING:|BUG:|Oops|Kernel panic|Unable to handle kernel|'
                     r'INFO: task .* blocked|possible recursive locking|hung_task|'
                     r'general protection fault|Internal error:)')
# A dma-debug report: "DMA-API: <driver> <device>: <message>" printed by err_printk().
REPORT = re.compile(r'DMA-API: (\S+) (\S+): (.*)')
# What a workload's ops count.
UNITS = {'cow-storm': 'COW writes', 'odirect-fork': 'I/Os+forks', 'v4l2-dmabuf': 'frames',
         'true-positive': 'COW copy', 'mm-cow': 'tests', 'v4l2-compliance': 'tests'}


def main(log_path, qemu_rc):
    with open(log_path, encoding='utf-8', errors='replace') as f:
        lines = [re.sub(r'^\[\s*[\d.]+\]\s*', '', l.rstrip('\r\n')) for l in f]
    workloads, dma_api, expects, reports, problems = [], {}, [], [], []
    maps, devices, mode, dev_maps = {}, [], 'full', {}
    current = '(boot)'
    done = False
    for i, line in enumerate(lines):
        m = re.match(r'init: workload ([\w-]+)', line)
        if m:
            current = m.group(1)
        if line.startswith('@@ init '):
            mode = dict(x.split('=', 1) for x in line.split()[2:] if '=' in x).get('mode', mode)
        elif line.startswith('@@ workload '):
            f = line.split()
            kv = dict(x.split('=', 1) for x in f[3:] if '=' in x)
            workloads.append((f[2], kv))
            current = '(between workloads)'
        elif line.startswith('@@ dma-maps '):
            f = line.split()
            maps[f[2]] = f[3] if len(f) > 3 else '-'
        elif line.startswith('@@ dma-device-maps '):
            f = line.split()
            if len(f) == 5 and f[4].isdigit():
                dev_maps.setdefault(f[2], {})[f[3]] = int(f[4])
        elif line.startswith('@@ dma-devices '):
            devices.append(line[len('@@ dma-devices '):])
        elif line.startswith('@@ dma-api '):
            f = line.split(None, 3)
            dma_api[f[2]] = f[3] if len(f) > 3 else ''
        elif line.startswith('@@ expect-report '):
            f = line.split(None, 3)
            expects.append([f[2], f[3], 0])
        elif line.startswith('@@ done'):
            done = True
            current = '(end)'
        m = REPORT.search(line)
        if m and not re.match(r'(preallocated|debugging|\d+ debug entries)', m.group(1)):
            reports.append((current, line[m.start():]))
        if PROBLEM.search(line) and 'DMA-API' not in line:
            # A WARNING that carries a DMA-API report ("DMA-API: DRIVER DEVICE: ...") is judged with
            # the reports below; dma-debug's own WARN_ONCE()s (tracker underflow...) are problems.
            if not (line.startswith('WARNING:') and 'kernel/dma/debug.c' in line and
                    any(REPORT.search(n) for n in lines[i + 1:i + 3])):
                problems.append(line)

    unexpected = []
    for wl, r in reports:
        for e in expects:
            if e[0] == wl and e[1] in r and e[2] == 0:
                e[2] += 1
                break
        else:
            unexpected.append((wl, r))

    print(f'\nSummary of the QEMU virt run (-smp 2, CONFIG_DMA_API_DEBUG=y, lockdep; {mode} workloads)')
    print(f'{"workload":<16} {"what ran":>18} {"result":<6} {"DMA maps":>9} {"reports expected":>16} '
          f'{"unexpected":>10}')
    failed = False
    for name, kv in workloads:
        exp = sum(1 for e in expects if e[0] == name)
        got = sum(e[2] for e in expects if e[0] == name)
        unexp = sum(1 for wl, _ in unexpected if wl == name)
        res = kv.get('result', '?')
        failed |= res != 'ok'
        ran = f'{kv.get("ops", "-")} {UNITS.get(name, "ops")}'
        print(f'{name:<16} {ran:>18} {res:<6} {maps.get(name, "-"):>9} {f"{got}/{exp}":>16} {unexp:>10}')
    others = [wl for wl, _ in unexpected if wl not in {n for n, _ in workloads}]
    for wl in sorted(set(others)):
        print(f'{wl:<16} {"":>18} {"":<6} {"":>9} {"":>16} {others.count(wl):>10}')
    print(f'{"(all)":<16} {"":>18} {"":<6} {"":>9} {sum(e[2] for e in expects):>16} {len(unexpected):>10}')
    for name, kv in workloads:
        if 'pass' in kv:
            print(f'{name}: ' + ', '.join(f'{k} {kv[k]}' for k in
                                          ('streaming', 'streaming_fail', 'pass', 'skip', 'fail', 'xfail', 'error', 'warnings')
                                          if k in kv))
    print('DMA maps: DMA-API map calls (page, sg list, resource, coherent allocation) while the workload ran,'
          ' each checked by dma-debug')
    try:
        peak = int(dma_api['nr_total_entries']) - int(dma_api['min_free_entries'])
        print(f'dma-debug saw DMA mappings: peak {peak} live at once '
              '(nr_total_entries - min_free_entries)')
    except (KeyError, ValueError):
        pass
    if dma_api:
        print('dma-debug (/sys/kernel/debug/dma-api): ' +
              ', '.join(f'{k}={v}' for k, v in dma_api.items()))
    for e in expects:
        if e[2] != 1:
            print(f'FAILED: workload {e[0]}: expected one DMA-API report containing "{e[1]}", saw {e[2]}')
            failed = True
    if dev_maps:
        print('DMA map calls per device, whole run (dma tracepoints; dma-debug checks each):')
        for dev, ev in sorted(dev_maps.items(), key=lambda kv: -sum(kv[1].values())):
            kinds = ', '.join(f'{k.replace("dma_", "")} {v}' for k, v in sorted(ev.items()))
            print(f'  {dev:<28} {sum(ev.values()):>8}  ({kinds})')
    if devices:
        print('dma-debug per device (/sys/kernel/debug/dma-api/devices):')
        for d in devices:
            print('  ' + d)
    for wl, r in unexpected:
        print(f'FAILED: unexpected DMA-API report during {wl}: {r}')
    for p in problems:
        print(f'FAILED: kernel problem: {p}')
    errors = int(dma_api.get('error_count', '0') or 0)
    if errors != sum(e[2] for e in expects):
        print(f'FAILED: dma-debug error_count is {errors}, '
              f'{sum(e[2] for e in expects)} report(s) were expected')
        failed = True
    if not done:
        print(f'FAILED: the boot did not finish (QEMU exit code {qemu_rc}); see {log_path}')
        failed = True
    failed |= bool(unexpected or problems)
    print(('FAILED' if failed else 'OK') + f': full console log in {log_path}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else '?'))
