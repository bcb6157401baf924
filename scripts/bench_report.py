#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the console logs of the dma-bench runs into the table, ratios, BENCHMARKS.md and a plot.

    bench_report.py [--md FILE --plot PNG --plot-data FILE --elapsed S --rounds N --trees TEXT
                     --kernel TEXT --series DIR --tree DIR --bench-dir DIR --target NAME
                     --date YYYY-MM-DD --load 'L1 L5 L15' --qemu BINARY --builds 'k0 N s,...']
                    K0=log K1=log K2=log K2tput=log [K0i=log K1i=log K2i=log [KPi=log KPi-on=log]]
                    [K1mb=log K2mb=log]
    bench_report.py --smoke K2=log      check that every figure is there (make check)

scripts/bench.sh gives every option (and keeps them in build/bench/<base>/report.args for
'bench.sh --report'); the defaults are BASE=6.12's names.  K0i, K1i and K2i, when given, are the
icount runs through an IOMMU (dma_bench.iommu=1): their map figures get rows and ratios of their own.
KPi and KPi-on are the runs of KP, K0 with upstream's CONFIG_IOMMU_DEBUG_PAGEALLOC, through the IOMMU,
without and with iommu.debug_pagealloc=1: their map and free figures, and what the check costs them.
K1mb and K2mb are the 2-CPU runs of the kernel's own dma_map_benchmark (figure 7 with 1 and 2 threads);
its 1-thread icount figures come in the K0, K1 and K2 logs (mb_page, mb_sg), when the kernels have it.
"""
import argparse
import os
import platform
import re
import statistics
import subprocess
import sys

LINE = re.compile(r'dma-bench: (\w+) live=(\d+):(.*)$')
TARGET_HOOK = 0.02
TARGET_MAP = 0.8
TARGET_GROWTH = 1.1
TARGET_TPUT = 0.98
TARGET_FREE = 0.02
TARGET_MB_TPUT = 1.0
# Figure 7: the kernel's dma_map_benchmark (ns per map+unmap and per thread)
MB_FIGS = (('page', 'a page'), ('sg', 'sg×16'))
FREE_FIGS = (('free_page', '6a page alloc+free (instr)', 'page alloc+free'),
             ('kfree', '6b kmalloc(128)+kfree (instr)', 'kmalloc+kfree'))
# Upstream's IOMMU page-leak check (KP = K0 + CONFIG_IOMMU_DEBUG_PAGEALLOC), both runs through the IOMMU
KP_RUNS = (('KPi', 'KP through the IOMMU, check off'), ('KPi-on', 'KP through the IOMMU, iommu.debug_pagealloc=1'))


def parse(path):
    """{fig: {live: [values]}}, {live: {key: value}} for mem, and the start line."""
    figs, mem, start = {}, {}, ''
    with open(path, errors='replace') as f:
        for line in f:
            if 'dma-bench: start' in line:
                start = line.split('dma-bench: ', 1)[1].strip()
            m = LINE.search(line.rstrip())
            if not m:
                continue
            fig, live, rest = m.group(1), int(m.group(2)), m.group(3)
            if fig == 'mem':
                mem[live] = {k: int(v) for k, v in re.findall(r'(\w+)=(\d+)', rest)}
            else:
                figs.setdefault(fig, {})[live] = [int(v) for v in rest.split()]
    return figs, mem, start


def med(vals):
    return statistics.median(vals)


def cell(vals):
    if not vals:
        return 'n/a'
    return f'{med(vals):,.0f} ({min(vals):,}–{max(vals):,})'


def fmt_live(n):
    return {0: '0', 1000: '10^3', 10000: '10^4', 100000: '10^5'}.get(n, f'{n:,}')


def tracker_bytes(m):
    return m.get('records', 0) * m.get('record_size', 0) + m.get('nodes', 0) * m.get('node_size', 0)


def smoke(runs):
    figs, mem, _ = parse(runs['K2'])
    with open(runs['K2'], errors='replace') as f:
        text = f.read()
    free_hook = 'free_hook=1' in text
    want = ['map_page', 'map_sg', 'cow_off', 'cow_on', 'tput_on', 'tput_off',
            'prof_stack', 'prof_entry', 'prof_hash', 'prof_tracker', 'free_page_off', 'kfree_off']
    # A series with the free checks prints their 'on' figures too (dma-bench: start ... free_hook=1).
    if free_hook:
        want += ['free_page_on', 'kfree_on']
    # A kernel with dma_map_benchmark prints figure 7 (dma-bench: start ... map_benchmark=1), in the
    # icount case and in its 2-CPU case.
    if 'map_benchmark=1' in text:
        want += ['mb_page', 'mb_sg', 'mbs1_page', 'mbs1_sg', 'mbs2_page', 'mbs2_sg']
    # A series whose tracker has an idle-record work prints figure 8 (dma-bench: start ... reap=1).
    if 'reap=1' in text:
        want.append('reap')
    ok = True
    for fig in want:
        for live in (0, 1000):
            vals = figs.get(fig, {}).get(live)
            # A throughput trial on a loaded host may complete no pass: 0 faults/s is a value.
            if not vals or min(vals) < (0 if fig.startswith('tput') else 1):
                print(f'bench smoke: figure {fig} at {live} live mappings is missing or zero')
                ok = False
    for live in (0, 1000):
        if live not in mem:
            print(f'bench smoke: no memory figure at {live} live mappings')
            ok = False
    if ok and mem[1000].get('records', 0) < 1000:
        print(f'bench smoke: the tracker counts {mem[1000].get("records")} records for 1000 live pages')
        ok = False
    if ok:
        print('bench smoke: every figure present (lockdep kernel: values not meaningful): ' +
              ', '.join(f'{f} {med(figs[f][1000]):,.0f}' for f in want))
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--smoke', action='store_true')
    ap.add_argument('--md')
    ap.add_argument('--plot', help='the PNG to write (gnuplot); the Markdown links it by its name')
    ap.add_argument('--plot-data', help="gnuplot's data file (default: next to the PNG, .dat)")
    ap.add_argument('--elapsed', type=int, default=0)
    ap.add_argument('--rounds', type=int, default=0)
    ap.add_argument('--trees', default='')
    # What the run itself saw (scripts/bench.sh measures them): BENCHMARKS.md prints them.
    ap.add_argument('--kernel', default='', help='the kernel version of the trees')
    ap.add_argument('--date', default='', help='the date of the run')
    ap.add_argument('--load', default='', help='/proc/loadavg (1, 5, 15 min) when the run started')
    ap.add_argument('--qemu', default='', help='the QEMU binary the run booted')
    ap.add_argument('--builds', default='', help='each kernel build and its time, comma-separated')
    # Where the run's pieces are, for the Method section.
    ap.add_argument('--series', default='patches', help="the base's series directory")
    ap.add_argument('--tree', default='build/linux-6.12', help="the base's work tree")
    ap.add_argument('--bench-dir', default='build/bench/6.12', help="the run's worktrees, builds and logs")
    ap.add_argument('--target', default='virt', help='the KUnit target whose machine the kernels use')
    ap.add_argument('--machine-desc', default='', help="the machine profile's description (scripts/qemu.py)")
    ap.add_argument('--defaults', default='7 100000', help="bench.sh's default rounds and live_max: "
                    'a run with fewer says so')
    ap.add_argument('runs', nargs='+')
    a = ap.parse_args()
    runs = dict(r.split('=', 1) for r in a.runs)
    if a.smoke:
        return smoke(runs)

    data = {k: parse(v) for k, v in runs.items()}
    # A kernel with dma-debug that printed no profile ran a benchmark without dma_bench_profile():
    # figure 5 would be silently empty.
    missing = [k for k in ('K1', 'K2') if k in data and 'prof_stack' not in data[k][0]]
    if missing:
        print(f'bench_report: no profile figures (prof_*) in the log of {", ".join(missing)}: '
              'the benchmark did not run dma_bench_profile() (see bench/tracker-common.h)')
        return 1
    levels = sorted(data['K2'][0]['map_page'])
    out = []
    p = out.append
    head = '| figure | kernel | ' + ' | '.join(f'{fmt_live(n)} live' for n in levels) + ' |'
    sep = '| --- | --- |' + ' ---: |' * len(levels)

    def row(fig_label, kernel, series):
        p(f'| {fig_label} | {kernel} | ' + ' | '.join(cell(series.get(n, [])) for n in levels) + ' |')

    p(head)
    p(sep)
    for fig, label in (('map_page', '1a map+unmap page (instr)'), ('map_sg', '1b map+unmap sg×16 (instr)')):
        for k in ('K0', 'K1', 'K2'):
            row(label, k, data[k][0].get(fig, {}))
        for k in ('K0i', 'K1i', 'K2i'):
            if k in data:
                row(label, k[:2] + ' through the IOMMU', data[k][0].get(fig, {}))
        for k, lab in KP_RUNS:
            if k in data:
                row(label, lab, data[k][0].get(fig, {}))
    row('2 COW fault (instr)', 'K0', data['K0'][0].get('cow_off', {}))
    row('2 COW fault (instr)', 'K1', data['K1'][0].get('cow_off', {}))
    row('2 COW fault (instr)', 'K2 hook off', data['K2'][0].get('cow_off', {}))
    row('2 COW fault (instr)', 'K2 hook on', data['K2'][0].get('cow_on', {}))
    tp = data.get('K2tput', ({}, {}, ''))[0]
    row('3 2-thread COW (faults/s)', 'K2 hook off', tp.get('tput_off', {}))
    row('3 2-thread COW (faults/s)', 'K2 hook on', tp.get('tput_on', {}))
    free = any(f + '_on' in data['K2'][0] for f, _, _ in FREE_FIGS)
    for fig, label, _ in FREE_FIGS:
        if fig + '_off' not in data['K2'][0]:
            continue
        row(label, 'K0', data['K0'][0].get(fig + '_off', {}))
        row(label, 'K1', data['K1'][0].get(fig + '_off', {}))
        row(label, 'K2 check off' if free else 'K2', data['K2'][0].get(fig + '_off', {}))
        if free:
            row(label, 'K2 check on', data['K2'][0].get(fig + '_on', {}))
        for k, lab in KP_RUNS:
            if k in data:
                row(label, lab, data[k][0].get(fig + '_off', {}))
    mb = all('mb_page' in data[k][0] for k in ('K0', 'K1', 'K2'))
    if mb:
        for fig, name in MB_FIGS:
            for k in ('K0', 'K1', 'K2'):
                row(f'7 dma_map_benchmark, map+unmap {name} (instr)', k, data[k][0].get('mb_' + fig, {}))
    mbs = all(k in data and 'mbs1_page' in data[k][0] for k in ('K1mb', 'K2mb'))
    mb_tput = {}
    if mbs:
        for fig, name in MB_FIGS:
            for k in ('K1mb', 'K2mb'):
                for t in (1, 2):
                    # ns per map+unmap and per thread, as pairs per second of all threads
                    v = {n: [round(t * 1e9 / x) for x in vals if x]
                         for n, vals in data[k][0].get(f'mbs{t}_{fig}', {}).items()}
                    mb_tput[(k, t, fig)] = v
                    row(f'7 dma_map_benchmark, {name}, 2 CPUs (map+unmap/s)', f'{k[:2]} {t} thread(s)', v)
    for k in ('K1', 'K2'):
        mem = data[k][1]
        p(f'| 4 tracker bytes per tracked page | {k} | ' + ' | '.join(
            (f'{tracker_bytes(mem[n]) / n:,.0f}' if n and n in mem else '–') for n in levels) + ' |')
    reap = data['K2'][0].get('reap', {})
    if reap:
        row('8 idle-record work, a pass that frees nothing (instr)', 'K2', reap)
    table = '\n'.join(out)

    # Ratios and targets
    r = []
    verdicts = []
    q = r.append
    k1m, k2m = data['K1'][0]['map_page'], data['K2'][0]['map_page']
    k1s, k2s = data['K1'][0]['map_sg'], data['K2'][0]['map_sg']
    k0m = data['K0'][0]['map_page']
    q('| ratio | ' + ' | '.join(f'{fmt_live(n)}' for n in levels) + ' |')
    q('| --- |' + ' ---: |' * len(levels))
    q('| K1 / K0 map+unmap page | ' + ' | '.join(f'{med(k1m[n]) / med(k0m[n]):.2f}' for n in levels) + ' |')
    q('| K2 / K1 map+unmap page | ' + ' | '.join(f'{med(k2m[n]) / med(k1m[n]):.2f}' for n in levels) + ' |')
    q('| K2 / K1 map+unmap sg×16 | ' + ' | '.join(f'{med(k2s[n]) / med(k1s[n]):.2f}' for n in levels) + ' |')
    iommu = all(k in data for k in ('K0i', 'K1i', 'K2i'))
    if iommu:
        for fig, name in (('map_page', 'map+unmap page'), ('map_sg', 'map+unmap sg×16')):
            i0, i1, i2 = (data[k][0].get(fig, {}) for k in ('K0i', 'K1i', 'K2i'))
            for num, den, lab in ((i1, i0, 'K1 / K0'), (i2, i1, 'K2 / K1')):
                q(f'| {lab} {name}, through the IOMMU | ' + ' | '.join(
                    (f'{med(num[n]) / med(den[n]):.2f}' if n in num and n in den else 'n/a')
                    for n in levels) + ' |')
    on, off = data['K2'][0].get('cow_on', {}), data['K2'][0].get('cow_off', {})
    hook = {n: (med(on[n]) - med(off[n])) / med(off[n]) for n in levels if n in on and n in off}
    q('| K2 COW hook cost (on − off) / off | ' + ' | '.join(
        (f'{hook[n] * 100:+.1f}% ({med(on[n]) - med(off[n]):+,.0f} instr)' if n in hook else 'n/a')
        for n in levels) + ' |')
    k1c, k0c = data['K1'][0].get('cow_off', {}), data['K0'][0].get('cow_off', {})
    q('| K2 hook on / K1 COW fault | ' + ' | '.join(
        (f'{med(on[n]) / med(k1c[n]):.3f}' if n in on and n in k1c else 'n/a') for n in levels) + ' |')
    ton, toff = tp.get('tput_on', {}), tp.get('tput_off', {})
    tratio = {n: [a / b for a, b in zip(ton[n], toff[n])] for n in levels if n in ton and n in toff}
    q('| K2 2-thread COW throughput on / off (median of paired trials, min–max) | ' + ' | '.join(
        (f'{med(tratio[n]):.3f} ({min(tratio[n]):.3f}–{max(tratio[n]):.3f})' if n in tratio else 'n/a')
        for n in levels) + ' |')
    free_cost = {}
    for fig, _, name in FREE_FIGS:
        fon, foff = data['K2'][0].get(fig + '_on', {}), data['K2'][0].get(fig + '_off', {})
        if not fon:
            continue
        free_cost[fig] = {n: (med(fon[n]) - med(foff[n])) / med(foff[n]) for n in levels if n in fon and n in foff}
        q(f'| K2 free check cost, {name} (on − off) / off | ' + ' | '.join(
            (f'{free_cost[fig][n] * 100:+.1f}% ({med(fon[n]) - med(foff[n]):+,.0f} instr)'
             if n in free_cost[fig] else 'n/a') for n in levels) + ' |')
    kp = all(k in data for k, _ in KP_RUNS)
    if kp:
        kon, koff = data['KPi-on'][0], data['KPi'][0]
        for fig, name in (('map_page', 'map+unmap page, through the IOMMU'),
                          ('map_sg', 'map+unmap sg×16, through the IOMMU'),
                          ('free_page_off', 'page alloc+free'), ('kfree_off', 'kmalloc+kfree')):
            on_f, off_f = kon.get(fig, {}), koff.get(fig, {})
            q(f"| KP: upstream's IOMMU_DEBUG_PAGEALLOC cost, {name} (on − off) / off | " + ' | '.join(
                (f'{(med(on_f[n]) - med(off_f[n])) / med(off_f[n]) * 100:+.1f}% '
                 f'({med(on_f[n]) - med(off_f[n]):+,.0f} instr)' if n in on_f and n in off_f else 'n/a')
                for n in levels) + ' |')
    if mb:
        for fig, name in MB_FIGS:
            m1, m2 = data['K1'][0].get('mb_' + fig, {}), data['K2'][0].get('mb_' + fig, {})
            q(f'| K2 / K1 dma_map_benchmark map+unmap {name} | ' + ' | '.join(
                (f'{med(m2[n]) / med(m1[n]):.2f}' if n in m1 and n in m2 and med(m1[n]) else 'n/a')
                for n in levels) + ' |')
    if mbs:
        for fig, name in MB_FIGS:
            t1, t2 = mb_tput[('K1mb', 2, fig)], mb_tput[('K2mb', 2, fig)]
            q(f'| K2 / K1 dma_map_benchmark 2-thread throughput, {name} | ' + ' | '.join(
                (f'{med(t2[n]) / med(t1[n]):.2f}' if t1.get(n) and t2.get(n) else 'n/a') for n in levels) + ' |')
            for k in ('K1mb', 'K2mb'):
                a1, a2 = mb_tput[(k, 1, fig)], mb_tput[(k, 2, fig)]
                q(f'| {k[:2]} dma_map_benchmark scaling, {name}: 2 threads / 1 | ' + ' | '.join(
                    (f'{med(a2[n]) / med(a1[n]):.2f}' if a1.get(n) and a2.get(n) else 'n/a')
                    for n in levels) + ' |')
    k1mem, k2mem = data['K1'][1], data['K2'][1]
    if reap:
        q('| K2 idle-record work pass per tracker record (instr) | ' + ' | '.join(
            (f'{med(reap[n]) / k2mem[n]["records"]:.1f}' if n in reap and k2mem.get(n, {}).get('records')
             else 'n/a') for n in levels) + ' |')
    q('| K2 / K1 tracker bytes per tracked page | ' + ' | '.join(
        (f'{tracker_bytes(k2mem[n]) / tracker_bytes(k1mem[n]):.2f}'
         if n and n in k1mem and n in k2mem and tracker_bytes(k1mem[n]) else '–') for n in levels) + ' |')
    ratios = '\n'.join(r)

    top, lo = levels[-1], (1000 if 1000 in levels else levels[0])

    def verdict(name, value, ok, target):
        verdicts.append(f'| {name} | {value} | {target} | {"met" if ok else "**MISSED**"} |')

    verdicts.append('| target | measured | wanted | |')
    verdicts.append('| --- | ---: | ---: | --- |')
    if top in hook:
        verdict(f'COW hook cost at {fmt_live(top)} live', f'{hook[top] * 100:+.1f}%', hook[top] <= TARGET_HOOK,
                f'≤ {TARGET_HOOK * 100:.0f}%')
    mr = med(k2m[top]) / med(k1m[top])
    verdict(f'K2/K1 map+unmap page at {fmt_live(top)} live', f'{mr:.2f}×', mr <= TARGET_MAP, f'≤ {TARGET_MAP}×')
    sr = med(k2s[top]) / med(k1s[top])
    verdict(f'K2/K1 map+unmap sg×16 at {fmt_live(top)} live', f'{sr:.2f}×', sr <= TARGET_MAP, f'≤ {TARGET_MAP}×')
    if iommu:
        for fig, name in (('map_page', 'page'), ('map_sg', 'sg×16')):
            i1, i2 = (data[k][0].get(fig, {}) for k in ('K1i', 'K2i'))
            if top in i1 and top in i2:
                v = med(i2[top]) / med(i1[top])
                verdict(f'K2/K1 map+unmap {name} at {fmt_live(top)} live, through the IOMMU', f'{v:.2f}×',
                        v <= TARGET_MAP, f'≤ {TARGET_MAP}×')
    g = med(k2m[top]) / med(k2m[lo])
    verdict(f'K2 map+unmap page growth {fmt_live(lo)} → {fmt_live(top)}', f'{g:.2f}×', g <= TARGET_GROWTH,
            f'≤ {TARGET_GROWTH}×')
    g = med(k2s[top]) / med(k2s[lo])
    verdict(f'K2 map+unmap sg×16 growth {fmt_live(lo)} → {fmt_live(top)}', f'{g:.2f}×', g <= TARGET_GROWTH,
            f'≤ {TARGET_GROWTH}×')
    if top in tratio:
        t = med(tratio[top])
        name = f'2-thread COW throughput hook on/off at {fmt_live(top)} live'
        lo_r, hi_r = min(tratio[top]), max(tratio[top])
        if hi_r - lo_r > 2 * (1 - TARGET_TPUT):
            # The paired trials disagree by more than the margin: the host was too noisy to tell.
            verdicts.append(f'| {name} | {t:.3f} (pairs {lo_r:.2f}–{hi_r:.2f}) | ≥ {TARGET_TPUT} | '
                            f'**inconclusive**: wall-clock noise of the shared host exceeds the margin |')
        else:
            verdict(name, f'{t:.3f}', t >= TARGET_TPUT, f'≥ {TARGET_TPUT}')
    for fig, _, name in FREE_FIGS:
        c = free_cost.get(fig, {})
        if top in c:
            verdict(f'free check cost, {name}, at {fmt_live(top)} live', f'{c[top] * 100:+.1f}%',
                    c[top] <= TARGET_FREE, f'≤ +{TARGET_FREE * 100:.0f}%')
    if mb:
        for fig, name in MB_FIGS:
            m1, m2 = data['K1'][0].get('mb_' + fig, {}), data['K2'][0].get('mb_' + fig, {})
            if top in m1 and top in m2 and med(m1[top]):
                v = med(m2[top]) / med(m1[top])
                verdict(f'K2/K1 dma_map_benchmark map+unmap {name} at {fmt_live(top)} live', f'{v:.2f}×',
                        v <= TARGET_MAP, f'≤ {TARGET_MAP}×')
    if mbs:
        for fig, name in MB_FIGS:
            t1, t2 = mb_tput[('K1mb', 2, fig)], mb_tput[('K2mb', 2, fig)]
            if t1.get(top) and t2.get(top):
                v = med(t2[top]) / med(t1[top])
                verdict(f'K2/K1 dma_map_benchmark 2-thread throughput, {name}, at {fmt_live(top)} live',
                        f'{v:.2f}', v >= TARGET_MB_TPUT, f'≥ {TARGET_MB_TPUT}')
    verdicts_s = '\n'.join(verdicts)

    # The figures the cover letter quotes word for word (make lint checks it).
    cov = ['<!-- cover-letter -->', '```']
    if top in hook:
        cov.append(f'  COW fault, debug_dma_assert_idle() at {fmt_live(top)} live mappings: '
                   f'{med(on[top]) - med(off[top]):+,.0f} instructions ({hook[top] * 100:+.1f}%)')
    cov.append(f'  map+unmap, one page, {fmt_live(top)} live: K0 {med(k0m[top]):,.0f}, '
               f'K1 {med(k1m[top]):,.0f}, series {med(k2m[top]):,.0f} instructions ({mr:.2f}x K1)')
    k0s = data['K0'][0]['map_sg']
    cov.append(f'  map+unmap, 16-entry sg, {fmt_live(top)} live: K0 {med(k0s[top]):,.0f}, '
               f'K1 {med(k1s[top]):,.0f}, series {med(k2s[top]):,.0f} instructions ({sr:.2f}x K1)')
    for fig, _, name in FREE_FIGS:
        c = free_cost.get(fig, {})
        if top in c:
            fon, foff = data['K2'][0][fig + '_on'], data['K2'][0][fig + '_off']
            cov.append(f'  {name}, free check at {fmt_live(top)} live mappings: '
                       f'{med(fon[top]) - med(foff[top]):+,.0f} instructions ({c[top] * 100:+.1f}%)')
    if top and top in k1mem and top in k2mem:
        cov.append(f'  tracker memory per tracked page, {fmt_live(top)} live: '
                   f'K1 {tracker_bytes(k1mem[top]) / top:,.0f} bytes, '
                   f'series {tracker_bytes(k2mem[top]) / top:,.0f} bytes')
    cov += ['```', '<!-- /cover-letter -->']
    verdicts_s += '\n\nThe figures the cover letter quotes (`make lint` checks that it does, word for word):\n\n' + \
        '\n'.join(cov)

    # Memory detail at each level
    md = ['| kernel | live | dma_debug_entry in use × size | records × size | tree nodes × size | fixed |',
          '| --- | ---: | ---: | ---: | ---: | ---: |']
    for k in ('K1', 'K2'):
        for n in levels:
            m = data[k][1].get(n)
            if not m:
                continue
            md.append(f'| {k} | {n:,} | {m["entries"]:,} × {m["entry_size"]} B | {m["records"]:,} × '
                      f'{m["record_size"]} B | {m["nodes"]:,} × {m["node_size"]} B | {m["fixed"]:,} B |')
    mem_s = '\n'.join(md)

    # Profile (figure 5): each piece of dma-debug's work on a page mapping, timed alone
    pr = ['| kernel | piece | ' + ' | '.join(f'{fmt_live(n)} live' for n in levels) + ' |',
          '| --- | --- |' + ' ---: |' * len(levels)]
    for k in ('K1', 'K2'):
        f = data[k][0]
        if 'prof_stack' not in f:
            continue

        def mv(fig, n, f=f):
            v = f.get(fig, {}).get(n)
            return med(v) if v else None

        rows = []
        for n in levels:
            tot, base = mv('map_page', n), data['K0'][0].get('map_page', {}).get(n)
            st, en, ha, tr = (mv(x, n) for x in ('prof_stack', 'prof_entry', 'prof_hash', 'prof_tracker'))
            if None in (tot, st, en, ha, tr) or not base:
                rows.append(None)
                continue
            rest = tot - med(base) - en - ha - tr
            rows.append({'stack': st, 'list': en - st, 'hash': ha, 'tracker': tr, 'rest': rest,
                         'debug': tot - med(base), 'total': tot})
        for key, label in (('stack', '`stack_trace_save()` of the map site'),
                           ('list', 'entry allocation and free (free list, lock)'),
                           ('hash', 'hash bucket: add, find, remove'),
                           ('tracker', 'tracker: track + untrack'),
                           ('rest', 'the rest: checks, per-device accounting, calls'),
                           ('debug', '**dma-debug in all** (map_page − K0)'),
                           ('total', 'map+unmap page (figure 1a)')):
            pr.append(f'| {k} | {label} | ' + ' | '.join(
                (f'{r[key]:,.0f} ({r[key] / r["debug"] * 100:.0f}%)' if key not in ('debug', 'total')
                 else f'{r[key]:,.0f}') if r else 'n/a' for r in rows) + ' |')
    prof_s = '\n'.join(pr)
    mem_s += '\n\nProfile of a page map+unmap (figure 5; instructions, medians; each piece timed alone, ' \
        'in a loop of the same number of operations, by `bench/tracker-common.h` appended to ' \
        '`kernel/dma/debug.c`; "the rest" is what figure 1a leaves after K0 and the pieces; percentages ' \
        'of dma-debug in all):\n\n' + prof_s

    print(table)
    print()
    print(ratios)
    print()
    print(verdicts_s)
    print()
    print(mem_s)

    if not a.md:
        return 0
    png = None
    if a.plot:
        png = plot(data, levels, a.plot, a.plot_data or os.path.splitext(a.plot)[0] + '.dat', a.kernel)
    write_md(a, data, levels, table, ratios, verdicts_s, mem_s, png)
    return 0


def plot(data, levels, png, dat, kernel=''):
    os.makedirs(os.path.dirname(os.path.abspath(dat)), exist_ok=True)
    cols = [('K0', 'map_page'), ('K1', 'map_page'), ('K2', 'map_page'),
            ('K0', 'map_sg'), ('K1', 'map_sg'), ('K2', 'map_sg'),
            ('K0', 'cow_off'), ('K1', 'cow_off'), ('K2', 'cow_off'), ('K2', 'cow_on')]
    with open(dat, 'w') as f:
        for i, n in enumerate(levels):
            vals = []
            for k, fig in cols:
                v = data[k][0].get(fig, {}).get(n)
                vals.append(f'{med(v):.0f}' if v else 'NaN')
            f.write(f'{i} "{fmt_live(n)}" ' + ' '.join(vals) + '\n')
    gp = f'''
set terminal pngcairo size 1500,520 font ",10" noenhanced
set output "{png}"
set multiplot layout 1,3 title "dma-debug cost vs live DMA_FROM_DEVICE one-page mappings ({kernel + ", " if kernel else ""}QEMU virt, -icount shift=0: instructions)"
set xlabel "live mappings"
set ylabel "instructions"
set key below
set grid ytics
set xrange [-0.3:{len(levels) - 0.7}]
set yrange [0:*]
set title "dma_map_page + unmap (one page)"
plot "{dat}" u 1:3:xtic(2) w lp lw 2 t "K0 no dma-debug", "" u 1:4 w lp lw 2 t "K1 upstream dma-debug", "" u 1:5 w lp lw 2 t "K2 the series"
set title "dma_map_sg + unmap (16 entries)"
plot "{dat}" u 1:6:xtic(2) w lp lw 2 t "K0", "" u 1:7 w lp lw 2 t "K1", "" u 1:8 w lp lw 2 t "K2"
set title "copy-on-write fault"
plot "{dat}" u 1:9:xtic(2) w lp lw 2 t "K0", "" u 1:10 w lp lw 2 t "K1", "" u 1:11 w lp lw 2 t "K2 hook off", "" u 1:12 w lp lw 2 t "K2 hook on"
unset multiplot
'''
    try:
        subprocess.run(['gnuplot'], input=gp, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f'WARNING: gnuplot failed ({e}); no plot', file=sys.stderr)
        return None
    return png


def machine(qemu_bin: str) -> str:
    cpu = ''
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        qemu = subprocess.run([qemu_bin, '--version'], capture_output=True, text=True).stdout.split('\n')[0]
    except (OSError, IndexError):
        qemu = f'QEMU ({qemu_bin or "binary not given"}: no version)'
    return f'{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}, {qemu}'


def reduced_note(a, levels):
    """A sentence when the run had fewer rounds or live mappings than bench.sh's defaults, else ''."""
    d_rounds, d_live = (int(v) for v in a.defaults.split())
    less = []
    if a.rounds and a.rounds < d_rounds:
        less.append(f'{a.rounds} rounds instead of {d_rounds} (`BENCH_ROUNDS={a.rounds}`)')
    if levels and levels[-1] < d_live:
        less.append(f'at most {fmt_live(levels[-1])} live mappings instead of {fmt_live(d_live)} '
                    f'(`BENCH_LIVE_MAX={levels[-1]}`)')
    if not less:
        return ''
    return ('\n**A reduced run**: ' + ' and '.join(less) + ', to fit the time there was; the figures at '
            'the levels measured are comparable with a full run\'s (instruction counts do not depend on the '
            'rounds), the top level is not.\n')


def api_note(kernel):
    """What the measured calls go through on this kernel's DMA API."""
    m = re.match(r'Linux (\d+)\.', kernel or '')
    if m and int(m.group(1)) >= 7:
        return ('\n  On Linux 7, `dma_map_page()` is `dma_map_page_attrs()` on top of `dma_map_phys()`, and '
                'dma-debug\n  records every single mapping as a `dma_debug_phy` entry (`debug_dma_map_phys()`).')
    return ''


def write_md(a, data, levels, table, ratios, verdicts, mem, png):
    starts = '\n'.join(f'  - {k}: `{data[k][2]}`' for k in ('K0', 'K1', 'K2', 'K2tput', 'K0i', 'K1i', 'K2i',
                                                           'KPi', 'KPi-on', 'K1mb', 'K2mb')
                       if k in data)
    mb = all('mb_page' in data[k][0] for k in ('K0', 'K1', 'K2'))
    mbs = all(k in data for k in ('K1mb', 'K2mb'))
    mb_cells = ('; figure 7 instructions in its icount rows and map+unmap pairs per second of wall-clock '
                'time in its 2-CPU rows') if mb else ''
    mb_note = ('\n- **Figure 7** (kernels with `CONFIG_DMA_MAP_BENCHMARK`, 7.2): the kernel\'s own '
               '`dma_map_benchmark` (`kernel/dma/map_benchmark.c`), driven as `tools/dma/dma_map_benchmark` '
               'drives it: the suite registers a platform device, binds it to the `dma_map_benchmark` driver '
               'with `driver_override` (dma-direct, like the KUnit device of figure 1) and calls the '
               '`DMA_MAP_BENCHMARK` ioctl of its debugfs file (debugfs mounted in the kernel) with the '
               'parameters in user memory: `DMA_FROM_DEVICE`, 32-bit mask, no transfer delay, single mode '
               'with 1 page and SG mode with 16 one-page entries, for `dma_bench.mb_seconds` (1 s) each. It '
               'times every map and every unmap with `ktime_get()` and returns their averages in units of '
               '100 ns (each truncated: ±100 instructions here); the cells are their sum, per thread. '
               'In the icount boots (1 thread) it runs once per level, after the other figures; '
               + ('in one more boot of K1 and K2 with `-smp 2 -accel tcg,thread=multi` (K1mb, K2mb: case '
                  '`dma_bench_map_benchmark_smp`), with 1 and then 2 threads, each run repeated rounds '
                  'times: map+unmap pairs per second of all threads, from the averages, in wall-clock time.'
                  if mbs else 'no 2-CPU boot in this run.')) if mb else ''
    reap = data['K2'][0].get('reap')
    reap_note = ('\n  - 8 (when the series keeps idle tracker records): one pass of the work item that frees '
                 'them, as it runs once a second while idle records remain, timed by `dma_bench_reap_pass()` '
                 '(`bench/tracker-k2-reap.c`, appended to the tracker\'s file): with an age that no record '
                 'reaches, so that it walks every record (the live mappings\' and the 16 idle ones of '
                 'figure 1a) and frees none.') if reap else ''
    kp = all(k in data for k, _ in KP_RUNS)
    kp_note = ('\n  - KPi, KPi-on: a fourth kernel, KP, is K0 with upstream\'s `CONFIG_IOMMU_DEBUG_PAGEALLOC` '
               '(`bench/iommu-debug-pagealloc.kunitconfig`: with `DEBUG_PAGEALLOC` and `PAGE_EXTENSION`, '
               'whose linear-map unmapping stays off), booted twice like K0i, without and with '
               '`iommu.debug_pagealloc=1`: its cost on figures 1 (a page-ext count per IOMMU page) and 6 '
               '(a page-ext lookup per page allocated and freed), side by side. Figure 6 measures the page '
               'allocator only; upstream does not check `kfree()`.') if kp else ''
    iommu = all(k in data for k in ('K0i', 'K1i', 'K2i'))
    iommu_note = ('\n  - K0i, K1i, K2i: figures 1a and 1b again, in one more icount boot of each kernel with '
                  '`dma_bench.iommu=1`: the mappings (the live ones too) are made for the first bound PCI '
                  'device that iommu-dma translates (the virtio-rng behind the SMMUv3; its driver\'s 64-bit '
                  'masks), so every map and unmap also allocates an IOVA and writes the IOMMU page table; '
                  'their COW figures are those of the first boots and are not repeated.') if iommu else ''
    machine_desc = a.machine_desc or 'QEMU `virt`, Cortex-A15'
    png_name = os.path.basename(png or a.plot or 'BENCHMARKS.png')
    plot_line = (f'![cost vs live mappings]({png_name})' if png else
                 '(no plot: gnuplot failed when this file was written)')
    cow_k0 = data['K0'][0].get('cow_off', {}).get(levels[-1]) if levels else None
    level_list = ', '.join(fmt_live(n) for n in levels[:-1]) + (' and ' if len(levels) > 1 else '') + \
        (fmt_live(levels[-1]) if levels else '')
    cow_cost = f'about {round(med(cow_k0), -2):,.0f} instructions' if cow_k0 else 'what figure 2 says'
    el = f'{a.elapsed // 60} min {a.elapsed % 60} s'

    def param(run, name, default):
        m = re.search(name + r'=(\d+)', data.get(run, ({}, {}, ''))[2])
        return int(m.group(1)) if m else default
    ops = param('K2', 'ops', 1000)
    cow = param('K2', 'cow_pages', 256)
    tput_ms = param('K2tput', 'tput_ms', 1000)
    kp_kernel = ('\n- **KP**, beside them: K0 with upstream\'s `CONFIG_IOMMU_DEBUG_PAGEALLOC`, off and on (Method).'
                 if kp else '')
    text = f'''# What the series costs: `make bench`

Generated by `make bench` (scripts/bench.sh, scripts/bench_report.py); do not edit by hand.
{'Four' if kp else 'Three'} kernels from the same base, {a.kernel or 'see ' + a.bench_dir}, and the same configuration, differing
only in:

- **K0**: base, `CONFIG_DMA_API_DEBUG=n`;
- **K1**: base, `CONFIG_DMA_API_DEBUG=y` (upstream dma-debug);
- **K2**: the series (`{a.series}/`), `CONFIG_DMA_API_DEBUG=y`.{kp_kernel}

Trees measured: {a.trees or 'see ' + a.bench_dir}.
{reduced_note(a, levels)}
Cells are medians of {a.rounds or 'the'} rounds with the min–max in brackets, at {level_list} live
`DMA_FROM_DEVICE` one-page mappings held by the benchmark. Figures 1 and 2 are **instructions** (QEMU
`-icount shift=0`), figure 3 COW faults per second of wall-clock time, figure 4 bytes{mb_cells}.

## Results

{table}

Ratios (of medians):

{ratios}

Targets (issue 7's; issue 15 set the map+unmap and throughput ones; each at the highest level, the ratios above give the others):

{verdicts}

Memory detail (figure 4; "records" are the series' per-page `struct dma_debug_page`, "tree nodes" the
nodes of upstream's `dma_active_cacheline` radix tree or of the series' 64 XArray shards, "fixed" the
series' negative filter, allocated once at boot; `dma_debug_entry` objects are per mapping, not
per tracked page, and not counted in the per-page figure):

{mem}

{plot_line}

## Method

- **Benchmark code**: `bench/dma_bench.c`, a KUnit suite `dma-bench` kept outside `{a.series}/`; `make bench`
  copies it into `kernel/dma/` of a git worktree of `{a.tree}` at `base` (K0, K1) and at `HEAD` (K2),
  under `{a.bench_dir}/`, and builds each with the kernel's `kunit.py` (ccache). It asserts nothing about speed.
- **Configuration**: `bench/bench.kunitconfig` + the machine options of the `{a.target}` KUnit target
  (`kunit/targets/{a.target}.target`, profile in `scripts/qemu.py`: {machine_desc};
  SMP, HIGHMEM where the architecture has it, SHMEM, DEBUG_FS; no lockdep, which alone costs more than the COW budget), with
  `bench/dma-debug-off.kunitconfig` (K0) or `bench/dma-debug-on.kunitconfig` (K1, K2).
  The K1 and K2 `.config`s are compared; a difference beyond `DMA_API_DEBUG*` and `XARRAY_MULTI` (which
  the series' `DMA_API_DEBUG` selects, for the tracker's spans) is warned about.
- **Figures 1, 2, 4**: one boot per kernel with `-smp 1 -icount shift=0 -m 1024` (QEMU's clock advances 1 ns
  per instruction, so `ktime_get_ns()` deltas count instructions; icount with `-smp 2` hangs at boot on
  this QEMU). The suite allocates the pages first, then grows the number of live one-page
  `DMA_FROM_DEVICE` mappings of a KUnit device (dma-direct, not coherent, 32-bit mask: as on real ARM,
  every map and unmap does cache maintenance) to each level and measures there, after one warm-up
  round.{api_note(a.kernel)} The figures:
  - 1a: {ops} × (`dma_map_page()` + `dma_mapping_error()` + `dma_unmap_page()`) of one of 16 lowmem pages;
  - 1b: {max(ops // 8, 1)} × (`dma_map_sg()` + `dma_unmap_sg()`) of a 16-entry table of one-page entries;
  - 2: a private writable mapping (`vm_mmap()` in the KUnit thread's test mm) of a {cow}-page shmem file
    whose pages are in the page cache: every round read-faults all pages (untimed), writes one byte to
    each (timed: each write is one copy-on-write fault in `wp_page_copy()`, taken from kernel mode by
    `put_user()`), and drops the copies with `MADV_DONTNEED` (untimed). In K2 the COW hook is switched off and
    on in alternate rounds; the switch is a static branch around the hook's two calls in `mm/memory.c`,
    inserted into the K2 tree by `make bench` (`bench/cow-hook-switch.c`, not in the series): "hook on" costs
    one static-branch no-op more than the series itself. The suite allocates all its live-mapping pages
    first (`GFP_HIGHUSER`, up to 10^5 pages), which with 10^5 takes all 256 MiB of HighMem, so the shmem
    pages and their copies are lowmem at every level and the copy needs no kmap: a COW fault costs
    {cow_cost} here (K0), more when the pages are in HighMem (a run with 10^4 at most).
  - 6a, 6b (when the series has the free checks): {ops} × `alloc_page()` + `__free_page()` and
    {ops} × `kmalloc(128)` + `kfree()`, in batches of 16 (allocate 16, free 16), per pair. In K2 the free
    checks (`debug_dma_check_free_pages()` in the page allocator, `debug_dma_check_free_object()` in the
    slab) are switched off and on in alternate rounds by a static branch around each call, inserted by
    `make bench` (`bench/free-hook-switch-pages.c`, `bench/free-hook-switch-slab.c`, not in the series);
    the freed memory is never mapped, so "on" is the cost of rejecting idle memory.
  - 4: the tracker's own objects, counted in the kernel by a helper appended to `kernel/dma/debug.c`
    of each tree (`bench/tracker-k1.c`, `bench/tracker-k2.c`): K1's radix-tree nodes (walked), K2's
    `dma_debug_page` records (`kmem_cache_size()` each) and XArray nodes (walked: the 64 shards and the
    spans' XArray), `sizeof(struct xa_node)` per node. Bytes per tracked page = (records + nodes) / live
    mappings (each mapping is one page).
  - 5: in K1 and K2, the pieces of dma-debug's work on a page mapping, each timed alone, {ops} times, by
    `dma_bench_profile()` (`bench/tracker-common.h`, appended to `kernel/dma/debug.c`, so it calls
    dma-debug's static functions): `stack_trace_save()` of 5 entries (the map-site stack),
    `dma_entry_alloc()` + `dma_entry_free()` (the stack included), adding, finding and removing an entry
    in its hash bucket, and tracking + untracking the entry of a one-page `DMA_FROM_DEVICE` mapping
    (K1: its first cacheline in the radix tree; K2: its page's record); "the rest" of figure 1a after K0
    and these is dma-debug's checks, per-device accounting (K2) and calls.{iommu_note}{kp_note}{reap_note}
- **Figure 3**: one boot of K2 with `-smp 2 -accel tcg,thread=multi` (real parallel vCPUs, no icount). Two
  kthreads bound to CPUs 0 and 1 share the test mm and each runs the figure-2 loop on its own {cow} pages
  for {tput_ms} ms (`BENCH_TPUT_MS`); faults per second of wall-clock time (the guest clock follows the host's).
  Trials alternate hook off/on as A B B A; the ratio is the median of the on/off ratios of paired trials.
  The host's 2 cores were shared with other work: wall-clock figures are noisier than the icount ones.{mb_note}
- Every run's parameters, as the guest printed them:
{starts}
- `make check` runs `scripts/bench.sh --smoke`: the same suite on the K2 tree with the `{a.target}` KUnit
  configuration (lockdep, so no figures), 10^3 live mappings, 2 rounds, and checks that every figure is there.

## Machine

{machine(a.qemu)}; measured {a.date or '(date not given)'}, host load average
{a.load or '(not measured)'} (1, 5, 15 min) when the run started; `make bench` took **{el}**
({3 + kp} kernel builds with ccache, {4 + (3 if iommu else 0) + (2 if kp else 0) + (2 if mbs else 0)} boots). This run's kernel builds: {', '.join(a.builds.split(',')) if a.builds else 'not timed'} (the first
`make bench` in a work tree builds them cold, several times longer; K1's configuration is K2's, so ccache
hits everything the series does not touch); the runs themselves take about 2.5 minutes (the icount boots
seconds each, the throughput boot 4 × 2 × rounds × `BENCH_TPUT_MS`).
'''
    with open(a.md, 'w') as f:
        f.write(text)


if __name__ == '__main__':
    sys.exit(main())
