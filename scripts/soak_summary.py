#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read the console log of the 'make soak' boot and print its figures.

usage: soak_summary.py LOG QEMU_EXIT_CODE

The soak driver (soak/dma_soak.c) prints '@@ soak ...' lines through printk, the soak init
(userspace/soak.c) '@@ soak ...', '@@ dma-api[-end] NAME VALUE' and '@@ dma-devices[-end] LINE'.
Exit 1 on any sanitizer report (KASAN, lockdep, sleeping in atomic context, kmemleak), any other
kernel warning or oops, an unexpected DMA-API report (error_count above the reports the driver
expected), a bad input without its report, a tracker not back to zero, a soak device still live, no
allocation failed by injection, or a boot that did not finish.
"""
import re
import sys

SANITIZERS = [
    ('KASAN', re.compile(r'BUG: KASAN:')),
    ('lockdep', re.compile(r'(WARNING: possible (circular|recursive) locking|'
                           r'WARNING: inconsistent lock state|WARNING: suspicious RCU usage|'
                           r'DEBUG_LOCKS_WARN_ON|WARNING: .*lock held|'
                           r'WARNING: possible irq lock inversion|BUG: lock held when returning|'
                           r'BUG: held lock freed|WARNING: bad unlock balance)')),
    ('atomic-sleep', re.compile(r'BUG: (sleeping function called from invalid context|'
                                r'scheduling while atomic)')),
    ('kmemleak-console', re.compile(r'kmemleak: \d+ new suspected memory leaks')),
]
OTHER = re.compile(r'(WARNING:|BUG:|Oops|Kernel panic|Unable to handle kernel|'
                   r'INFO: task .* blocked|general protection fault|Internal error:)')
REPORT = re.compile(r'DMA-API: (\S+) (\S+): (.*)')
KV = re.compile(r'(\w+)=(-?\w+)')


def kv(line):
    return dict(KV.findall(line))


def main(log_path, qemu_rc):
    with open(log_path, encoding='utf-8', errors='replace') as f:
        lines = [re.sub(r'^\[\s*[\d.]+\]\s*', '', l.rstrip('\r\n')) for l in f]
    soak, bad, threads, api, api_end, devs, devs_end = {}, [], [], {}, {}, [], []
    sanit = {name: [] for name, _ in SANITIZERS}
    other, printed = [], []
    done = False
    for i, line in enumerate(lines):
        if line.startswith('@@ soak bad '):
            m = re.match(r'@@ soak bad (.*?) reports=', line)
            bad.append((m.group(1) if m else line, kv(line)))
        elif line.startswith('@@ soak thread '):
            threads.append(line[len('@@ soak '):])
        elif line.startswith('@@ soak '):
            f = line.split()
            soak.setdefault(f[2], {}).update(kv(line))
        elif line.startswith('@@ dma-api '):
            f = line.split(None, 3)
            api[f[2]] = f[3] if len(f) > 3 else ''
        elif line.startswith('@@ dma-api-end '):
            f = line.split(None, 3)
            api_end[f[2]] = f[3] if len(f) > 3 else ''
        elif line.startswith('@@ dma-devices '):
            devs.append(line[len('@@ dma-devices '):])
        elif line.startswith('@@ dma-devices-end '):
            devs_end.append(line[len('@@ dma-devices-end '):])
        elif line.startswith('@@ done'):
            done = True
        m = REPORT.search(line)
        if m and not re.match(r'(preallocated|debugging|\d+ debug entries)', m.group(1)):
            printed.append(line[m.start():])
        hit = False
        for name, rx in SANITIZERS:
            if rx.search(line):
                sanit[name].append(line)
                hit = True
        if not hit and OTHER.search(line) and 'DMA-API' not in line:
            # A WARNING that carries a DMA-API report ("DMA-API: DRIVER DEVICE: ...") is counted
            # with error_count below; dma-debug's own WARN_ONCE()s (tracker underflow...) fail.
            if not (line.startswith('WARNING:') and 'kernel/dma/debug.c' in line and
                    any(REPORT.search(n) for n in lines[i + 1:i + 3])):
                other.append(line)

    def num(d, k, default=-1):
        try:
            return int(d.get(k, default))
        except (TypeError, ValueError):
            return default

    failed = []
    ops, fails, rep = soak.get('ops', {}), soak.get('failures', {}), soak.get('reports', {})
    inj, leak, devc = soak.get('injected', {}), soak.get('kmemleak', {}), soak.get('devices', {})
    start = soak.get('start', {})
    print(f'\nSummary of the soak (QEMU virt -smp 2; KASAN, lockdep, DEBUG_ATOMIC_SLEEP, kmemleak, '
          f'failslab + fail_page_alloc), {start.get("seconds", "?")} s, '
          f'{len(threads)} threads')
    print(f'operations: {ops.get("total", "?")} (single {ops.get("single", "?")}, '
          f'page {ops.get("page", "?")}, sg {ops.get("sg", "?")}, '
          f'coherent {ops.get("coherent", "?")}); debug_dma_assert_idle(): '
          f'{ops.get("asserts_mapped", "?")} on mapped pages, '
          f'{ops.get("asserts_idle", "?")} on unmapped pages')
    for t in threads:
        print(f'  {t}')
    print(f'devices: {devc.get("persistent", "?")} for the whole soak, '
          f'{devc.get("churned", "?")} registered, used and removed '
          f'({devc.get("churn_failed", "?")} failed to register)')
    print(f'fault injection: failslab failed {inj.get("failslab", "?")} allocations, '
          f'fail_page_alloc {inj.get("fail_page_alloc", "?")}; DMA-API calls that failed '
          f'{fails.get("map_failed", "?")}; mappings left untracked by the tracker '
          f'{soak.get("tracker", {}).get("untracked_mappings", "?")}; own buffers not allocated '
          f'{fails.get("own_alloc_failed", "?")}')
    exp = num(rep, 'soak_expected', 0) + num(rep, 'bad_expected', 0)
    err = num(api_end or api, 'error_count')
    unexpected = err - exp
    print(f'DMA-API reports (error_count): {err}; expected {exp} '
          f'({num(rep, "bad_expected", 0)} from bad inputs, {num(rep, "soak_expected", 0)} from '
          f'asserts on mapped device-writable pages); unexpected {unexpected}')
    print('bad inputs:')
    for name, d in bad:
        print(f'  {d.get("result", "?"):<4} {name}: {d.get("reports", "?")} report(s), '
              f'expected {d.get("expected", "?")}; tracker after: '
              f'lines {d.get("tracked_lines", "?")}, pages {d.get("tracked_pages", "?")}')
        if d.get('result') != 'ok':
            failed.append(f'bad input "{name}" did not give its expected report or left the '
                          'tracker changed')
    kmem = num(leak, 'objects')
    print('sanitizer reports: ' + ', '.join(f'{n} {len(v)}' for n, v in sanit.items()) +
          f', kmemleak objects {kmem} (boot baseline {leak.get("baseline", "?")}, cleared), '
          f'other kernel warnings {len(other)}')
    print('dma-debug after the soak (module loaded): ' +
          ', '.join(f'{k}={v}' for k, v in api.items()))
    for d in devs:
        print('  ' + d)
    print('dma-debug at the end (soak devices removed): ' +
          ', '.join(f'{k}={v}' for k, v in api_end.items()))
    for d in devs_end:
        print('  ' + d)

    for name, v in sanit.items():
        for line in v:
            failed.append(f'{name}: {line}')
    for line in other:
        failed.append(f'kernel problem: {line}')
    if kmem != 0:
        failed.append(f'kmemleak: {kmem} unreferenced object(s) (or no kmemleak) after the soak; '
                      f'see {log_path}')
    if not ops:
        failed.append('the soak driver printed no figures (did dma_soak.ko load?)')
    if unexpected != 0:
        failed.append(f'{unexpected} unexpected DMA-API report(s): error_count {err}, {exp} expected')
    if soak.get('end', {}).get('result') != 'ok':
        failed.append('the soak driver reports FAIL (see "@@ soak" lines in the log)')
    for k in ('tracked_pages', 'tracked_lines'):
        if num(api_end, k) != 0:
            failed.append(f'the tracker is not empty at the end: {k}={api_end.get(k)}')
    for d in devs + devs_end:
        if 'driver=dma_soak' in d and num(kv(d), 'live') != 0:
            failed.append(f'a soak device still has live mappings: {d}')
    if any('driver=dma_soak' in d for d in devs_end):
        failed.append('a soak device record outlived its device')
    if num(inj, 'failslab', 0) + num(inj, 'fail_page_alloc', 0) <= 0 and \
            start.get('inject', '1') != '0':
        failed.append('fault injection failed no allocation: the soak tested no failure path')
    if not done:
        failed.append(f'the boot did not finish (QEMU exit code {qemu_rc})')
    for f_ in failed:
        print(f'FAILED: {f_}')
    print(('FAILED' if failed else 'OK') + f': full console log in {log_path}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else '?'))
