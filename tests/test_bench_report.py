# SPDX-License-Identifier: GPL-2.0
"""scripts/bench_report.py: the smoke check of make check, and the report of make bench (table, ratios,
the cover-letter block that make lint looks for, the BENCHMARKS file's per-base names)."""
from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import unittest
from unittest import mock

from tests.util import load_script

bench_report = load_script('bench_report')

LEVELS = (0, 1000)


def guest_log(kernel: str, tput: bool = False, levels=LEVELS, rounds: int = 3, skip: tuple = (),
              add: dict | None = None, mb: bool = False, mbs: bool = False) -> str:
    """A console log as dma_bench.c prints it, with kernel-like prefixes; figures in `skip` left out, those
    in `add` raised by its value.  mb: the kernel has dma_map_benchmark (figure 7); mbs: the log of its
    2-CPU case instead."""
    hook = 1 if kernel == 'K2' else 0
    lines = ['[    0.000000] Booting Linux on physical CPU 0x0']
    if mbs:
        lines.append(f'[    1.000000] dma-bench: start live_max={levels[-1]} rounds={rounds} mb_seconds=1 '
                     'cpus=2 map_benchmark=1')
    elif tput:
        lines.append(f'[    1.000000] dma-bench: start live_max={levels[-1]} rounds={rounds} tput_ms=100 '
                     'cow_pages=32 hook=1 cpus=2')
    else:
        lines.append(f'[    1.000000] dma-bench: start live_max={levels[-1]} rounds={rounds} ops=1000 '
                     f'cow_pages=256 hook={hook} free_hook={hook} cpus=1 iommu=0 map_benchmark={int(mb)}')
    base = {'K0': (900, 14000, 2700), 'K1': (6400, 99000, 2700), 'K2': (8900, 140000, 2710)}[kernel]

    def fig(name, live, value):
        if name not in skip:
            value += (add or {}).get(name, 0)
            vals = ' '.join(str(value + r) for r in range(rounds))
            lines.append(f'[    2.000000] dma-bench: {name} live={live}: {vals}')

    mbase = {'K0': (900, 14000), 'K1': (6500, 99000), 'K2': (7500, 118000)}[kernel]
    for live in levels:
        if mbs:
            for t in (1, 2):
                fig(f'mbs{t}_page', live, mbase[0] * t)
                fig(f'mbs{t}_sg', live, mbase[1] * t)
            continue
        if tput:
            fig('tput_on', live, 20000)
            fig('tput_off', live, 20100)
            continue
        if mb:
            fig('mb_page', live, mbase[0])
            fig('mb_sg', live, mbase[1])
        fig('map_page', live, base[0])
        fig('map_sg', live, base[1])
        fig('cow_off', live, base[2])
        if hook:
            fig('cow_on', live, base[2] + 28)
        fig('free_page_off', live, 400)
        fig('kfree_off', live, 200)
        if hook:
            fig('free_page_on', live, 404)
            fig('kfree_on', live, 206)
        if kernel != 'K0' and 'prof' not in skip:
            prof = {'K1': (3000, 3400, 300, 500), 'K2': (3000, 3400, 300, 1200)}[kernel]
            for name, value in zip(('prof_stack', 'prof_entry', 'prof_hash', 'prof_tracker'), prof):
                fig(name, live, value)
        if 'mem' not in skip:
            records, size = (live, 280) if kernel == 'K2' else (0, 0)
            nodes = live // 10 if kernel == 'K2' else live
            lines.append(f'[    3.000000] dma-bench: mem live={live}: entries={live} entry_size=128 '
                         f'records={records} record_size={size} nodes={nodes} node_size=300 '
                         f'fixed={262144 if kernel == "K2" else 0}')
    lines.append('[    4.000000] dma-bench: done')
    return '\n'.join(lines) + '\n'


class BenchReport(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, name: str, text: str) -> str:
        path = os.path.join(self.tmp.name, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def run_main(self, argv: list[str]) -> tuple[int, str]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            old = bench_report.sys.argv
            bench_report.sys.argv = ['bench_report.py'] + argv
            try:
                rc = bench_report.main()
            finally:
                bench_report.sys.argv = old
        return rc, out.getvalue()

    def smoke_log(self, **kw) -> str:
        # The smoke boot runs both cases in one K2 kernel: icount figures and throughput in one log.
        text = guest_log('K2', **kw) + guest_log('K2', tput=True, **kw)
        return self.write('smoke.log', text)

    def test_smoke_passes_with_every_figure(self):
        rc, out = self.run_main(['--smoke', 'K2=' + self.smoke_log()])
        self.assertEqual(rc, 0, out)
        self.assertIn('every figure present', out)

    def test_smoke_fails_on_a_missing_figure(self):
        rc, out = self.run_main(['--smoke', 'K2=' + self.smoke_log(skip=('map_sg',))])
        self.assertEqual(rc, 1)
        self.assertIn('figure map_sg at 0 live mappings is missing', out)

    def test_smoke_fails_without_memory_figures(self):
        rc, out = self.run_main(['--smoke', 'K2=' + self.smoke_log(skip=('mem',))])
        self.assertEqual(rc, 1)
        self.assertIn('no memory figure', out)

    def test_smoke_fails_on_an_empty_log(self):
        rc, out = self.run_main(['--smoke', 'K2=' + self.write('empty.log', '')])
        self.assertEqual(rc, 1)

    def test_smoke_wants_the_map_benchmark_figures_of_a_kernel_that_has_it(self):
        text = guest_log('K2', mb=True) + guest_log('K2', tput=True) + guest_log('K2', mbs=True)
        rc, out = self.run_main(['--smoke', 'K2=' + self.write('smoke.log', text)])
        self.assertEqual(rc, 0, out)
        self.assertIn('mb_page', out)
        self.assertIn('mbs2_sg', out)
        text = guest_log('K2', mb=True, skip=('mb_sg',)) + guest_log('K2', tput=True) + \
            guest_log('K2', mbs=True, skip=('mbs2_page',))
        rc, out = self.run_main(['--smoke', 'K2=' + self.write('smoke.log', text)])
        self.assertEqual(rc, 1)
        self.assertIn('figure mb_sg at 0 live mappings is missing', out)
        self.assertIn('figure mbs2_page at 0 live mappings is missing', out)

    def test_report_map_benchmark_rows_ratios_and_verdicts(self):
        out, md = self.full_run('BENCHMARKS.md', mb=True)
        # icount, 1 thread: the sum of the averages, per kernel and level
        self.assertRegex(md, r'\| 7 dma_map_benchmark, map\+unmap a page \(instr\) \| K2 \| 7,501 \(7,500–7,502\)')
        self.assertIn('| K2 / K1 dma_map_benchmark map+unmap a page | 1.15 | 1.15 |', md)
        self.assertIn('| K2/K1 dma_map_benchmark map+unmap sg×16 at 10^3 live | 1.19× | ≤ 0.8× | **MISSED** |', md)
        # 2 CPUs: pairs per second of all threads, 2 threads twice the ns per thread: no scaling
        self.assertRegex(md, r'\| 7 dma_map_benchmark, a page, 2 CPUs \(map\+unmap/s\) \| K1 1 thread\(s\) \| 153,822')
        self.assertIn('| K1 dma_map_benchmark scaling, a page: 2 threads / 1 | 1.00 | 1.00 |', md)
        self.assertIn('| K2/K1 dma_map_benchmark 2-thread throughput, a page, at 10^3 live | 0.87 | ≥ 1.0 | **MISSED** |',
                      md)
        self.assertIn('K2mb: `start live_max=1000 rounds=3 mb_seconds=1 cpus=2 map_benchmark=1`', md)
        self.assertIn("the kernel's own `dma_map_benchmark`", md)

    def test_report_without_map_benchmark_has_no_figure_7(self):
        out, md = self.full_run('BENCHMARKS.md')
        self.assertNotIn('dma_map_benchmark', md)

    def full_run(self, md_name: str, extra: list[str] = (), mb: bool = False) -> tuple[str, str]:
        logs = [f'{k}=' + self.write(f'{k}.log', guest_log(k, mb=mb)) for k in ('K0', 'K1', 'K2')]
        logs.append('K2tput=' + self.write('K2tput.log', guest_log('K2', tput=True)))
        if mb:
            logs += [f'{k}mb=' + self.write(f'{k}mb.log', guest_log(k, mbs=True)) for k in ('K1', 'K2')]
        md = os.path.join(self.tmp.name, md_name)
        rc, out = self.run_main(['--md', md, '--rounds', '3', '--series', 'patches-7.2',
                                 '--tree', 'build/linux-7.2', '--bench-dir', 'build/bench/7.2',
                                 '--target', 'virt-7.2',
                                 '--kernel', 'Linux 7.2.13 (Debian linux-source-7.2 7.2.13-1)',
                                 '--trees', 'base e759d51, series ceec242 (11 commits: x)'] + list(extra) + logs)
        self.assertEqual(rc, 0, out)
        with open(md) as f:
            return out, f.read()

    def test_report_table_ratios_and_cover_letter_block(self):
        out, md = self.full_run('BENCHMARKS.md')
        self.assertIn('| 1a map+unmap page (instr) | K2 | 8,901 (8,900–8,902) | 8,901 (8,900–8,902) |', out)
        block = re.search(r'<!-- cover-letter -->\n```\n(.*?)```\n<!-- /cover-letter -->', md, re.S)
        self.assertTrue(block, md)
        lines = block.group(1).splitlines()
        self.assertEqual(lines, [
            '  COW fault, debug_dma_assert_idle() at 10^3 live mappings: +28 instructions (+1.0%)',
            '  map+unmap, one page, 10^3 live: K0 901, K1 6,401, series 8,901 instructions (1.39x K1)',
            '  map+unmap, 16-entry sg, 10^3 live: K0 14,001, K1 99,001, series 140,001 instructions (1.41x K1)',
            '  page alloc+free, free check at 10^3 live mappings: +4 instructions (+1.0%)',
            '  kmalloc+kfree, free check at 10^3 live mappings: +6 instructions (+3.0%)',
            '  tracker memory per tracked page, 10^3 live: K1 300 bytes, series 310 bytes',
        ])

    def test_report_iommu_runs_get_rows_ratios_and_verdicts(self):
        iommu = [f'{k}i=' + self.write(f'{k}i.log', guest_log(k)) for k in ('K0', 'K1', 'K2')]
        out, md = self.full_run('BENCHMARKS-arm64.md', ['--machine-desc', 'QEMU virt with an SMMUv3'] + iommu)
        self.assertIn('| 1a map+unmap page (instr) | K2 through the IOMMU | 8,901 (8,900–8,902) |', out)
        self.assertIn('| K2 / K1 map+unmap sg×16, through the IOMMU | 1.41 |', out)
        self.assertIn('| K2/K1 map+unmap page at 10^3 live, through the IOMMU | 1.39× | ≤ 0.8× | **MISSED** |',
                      out)
        self.assertIn('QEMU virt with an SMMUv3', md)
        self.assertIn('`dma_bench.iommu=1`', md)

    def test_report_upstream_iommu_debug_pagealloc_runs_side_by_side(self):
        iommu = [f'{k}i=' + self.write(f'{k}i.log', guest_log(k)) for k in ('K0', 'K1', 'K2')]
        kp = ['KPi=' + self.write('kpi.log', guest_log('K0')),
              'KPi-on=' + self.write('kpi-on.log', guest_log('K0', add={'map_page': 90, 'free_page_off': 40}))]
        out, md = self.full_run('BENCHMARKS-arm64.md', iommu + kp)
        self.assertIn('| 1a map+unmap page (instr) | KP through the IOMMU, iommu.debug_pagealloc=1 | '
                      '991 (990–992) |', out)
        self.assertIn('| 6a page alloc+free (instr) | KP through the IOMMU, check off | 401 (400–402) |', out)
        self.assertIn("| KP: upstream's IOMMU_DEBUG_PAGEALLOC cost, map+unmap page, through the IOMMU (on − off) "
                      '/ off | +10.0% (+90 instr) |', out)
        self.assertIn("| KP: upstream's IOMMU_DEBUG_PAGEALLOC cost, page alloc+free (on − off) / off | "
                      '+10.0% (+40 instr) |', out)
        self.assertIn("| KP: upstream's IOMMU_DEBUG_PAGEALLOC cost, kmalloc+kfree (on − off) / off | "
                      '+0.0% (+0 instr) |', out)
        self.assertIn('Four kernels', md)
        self.assertIn('(4 kernel builds with ccache, 9 boots)', md)
        self.assertIn('`iommu.debug_pagealloc=1`', md)

    def test_report_without_kp_runs_has_three_kernels(self):
        out, md = self.full_run('BENCHMARKS.md')
        self.assertNotIn('KP', out)
        self.assertIn('Three kernels', md)
        self.assertIn('(3 kernel builds with ccache, 4 boots)', md)

    def test_report_free_check_rows_ratios_and_verdicts(self):
        out, md = self.full_run('BENCHMARKS.md')
        self.assertIn('| 6a page alloc+free (instr) | K2 check on | 405 (404–406) |', out)
        self.assertIn('| 6b kmalloc(128)+kfree (instr) | K1 | 201 (200–202) |', out)
        self.assertIn('| K2 free check cost, page alloc+free (on − off) / off | +1.0% (+4 instr) |', out)
        self.assertIn('| free check cost, kmalloc+kfree, at 10^3 live | +3.0% | ≤ +2% | **MISSED** |', out)
        self.assertIn('  page alloc+free, free check at 10^3 live mappings: +4 instructions (+1.0%)', md)

    def test_smoke_wants_the_free_check_figures_of_a_series_that_has_them(self):
        log = self.write('k2.log', guest_log('K2', skip=('kfree_on',)))
        rc, out = self.run_main(['--smoke', 'K2=' + log])
        self.assertEqual(rc, 1)
        self.assertIn('figure kfree_on at 0 live mappings is missing', out)

    def test_report_without_iommu_runs_has_no_iommu_rows(self):
        out, md = self.full_run('BENCHMARKS.md')
        self.assertNotIn('IOMMU', out)
        self.assertNotIn('dma_bench.iommu', md)

    def test_report_profile_adds_up(self):
        # K2 at 10^3: map_page 8,901 - K0 901 = 8,000 of dma-debug; stack 3,001, entry 3,401 (400 beyond the
        # stack), hash 301, tracker 1,201: the rest is 8,000 - 3,401 - 301 - 1,201 = 3,097.
        _, md = self.full_run('BENCHMARKS.md')
        self.assertIn('Profile of a page map+unmap', md)
        self.assertIn('| K2 | `stack_trace_save()` of the map site | 3,001 (38%) | 3,001 (38%) |', md)
        self.assertIn('| K2 | entry allocation and free (free list, lock) | 400 (5%) |', md)
        self.assertIn('| K2 | tracker: track + untrack | 1,201 (15%) |', md)
        self.assertIn('| K2 | the rest: checks, per-device accounting, calls | 3,097 (39%) |', md)
        self.assertIn('| K1 | **dma-debug in all** (map_page − K0) | 5,500 | 5,500 |', md)

    def test_report_fails_without_profile_figures(self):
        logs = [f'{k}=' + self.write(f'{k}.log', guest_log(k, skip=('prof',) if k == 'K2' else ()))
                for k in ('K0', 'K1', 'K2')]
        rc, out = self.run_main(['--md', os.path.join(self.tmp.name, 'B.md'), '--rounds', '3'] + logs)
        self.assertEqual(rc, 1)
        self.assertIn('no profile figures (prof_*) in the log of K2', out)
        self.assertFalse(os.path.exists(os.path.join(self.tmp.name, 'B.md')))

    def test_report_names_the_base_series_tree_and_target(self):
        _, md = self.full_run('BENCHMARKS.md')
        self.assertIn('Linux 7.2.13 (Debian linux-source-7.2 7.2.13-1)', md)
        self.assertIn('**K2**: the series (`patches-7.2/`)', md)
        self.assertIn('series ceec242', md)
        self.assertIn('worktree of `build/linux-7.2`', md)
        self.assertIn('under `build/bench/7.2/`', md)
        self.assertIn('`kunit/targets/virt-7.2.target`', md)
        self.assertIn('dma_map_phys()', md)
        self.assertNotIn('`patches/`', md)

    def test_a_reduced_run_says_so(self):
        _, md = self.full_run('BENCHMARKS.md')
        self.assertIn('**A reduced run**: 3 rounds instead of 7 (`BENCH_ROUNDS=3`) and at most 10^3 live '
                      'mappings instead of 10^5 (`BENCH_LIVE_MAX=1000`)', md)
        _, md = self.full_run('BENCHMARKS.md', ['--defaults', '3 1000'])
        self.assertNotIn('A reduced run', md)

    def test_the_plot_link_is_the_plot_named(self):
        # Without gnuplot's output the page says there is no plot instead of linking a stale one.
        png = os.path.join(self.tmp.name, 'BENCHMARKS-6.12.png')
        with mock.patch.object(bench_report, 'plot', return_value=png) as plot:
            _, md = self.full_run('BENCHMARKS-6.12.md', ['--plot', png])
        self.assertEqual(plot.call_args.args[2:4], (png, os.path.join(self.tmp.name, 'BENCHMARKS-6.12.dat')))
        self.assertIn('![cost vs live mappings](BENCHMARKS-6.12.png)', md)
        with mock.patch.object(bench_report, 'plot', return_value=None):
            _, md = self.full_run('BENCHMARKS-6.12.md', ['--plot', png])
        self.assertIn('(no plot: gnuplot failed', md)
        self.assertNotIn('![cost', md)

LOGS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'logs')


class BenchReportRealLogs(unittest.TestCase):
    """The console logs of a real make bench BASE=7.2 (K0, K1, K2 under -icount, K2 on MTTCG)."""

    def test_the_cover_letter_block_of_the_real_run(self):
        logs = [f'{k}=' + os.path.join(LOGS, f'real-bench-7.2-{f}.log')
                for k, f in (('K0', 'k0'), ('K1', 'k1'), ('K2', 'k2'), ('K2tput', 'k2-tput'))]
        with tempfile.TemporaryDirectory() as tmp:
            md = os.path.join(tmp, 'BENCHMARKS.md')
            out = io.StringIO()
            argv = ['bench_report.py', '--md', md, '--rounds', '7'] + logs
            with contextlib.redirect_stdout(out), mock.patch.object(bench_report.sys, 'argv', argv):
                self.assertEqual(bench_report.main(), 0)
            with open(md) as f:
                text = f.read()
        self.assertIn(
            '  COW fault, debug_dma_assert_idle() at 10^5 live mappings: +42 instructions (+1.4%)\n'
            '  map+unmap, one page, 10^5 live: K0 868, K1 6,453, series 7,464 instructions (1.16x K1)\n'
            '  map+unmap, 16-entry sg, 10^5 live: K0 13,196, K1 99,820, series 116,380 instructions (1.17x K1)\n'
            '  tracker memory per tracked page, 10^5 live: K1 305 bytes, series 57 bytes\n', text)
        # The profile of the same run: the map-site stack is two thirds of upstream's cost at 10^5.
        self.assertIn('| K1 | `stack_trace_save()` of the map site | 3,680 (54%) | 3,680 (61%) | 3,680 (60%) | '
                      '3,680 (66%) |', text)
        self.assertNotIn('A reduced run', text)
        # Every level of every figure was parsed: no empty cell.
        self.assertNotIn('n/a', out.getvalue())

    def test_the_real_smoke_log_passes_and_fails_when_cut(self):
        # make check's smoke on the virt-7.2 configuration (lockdep): one boot, both cases.
        path = os.path.join(LOGS, 'real-bench-smoke-7.2.log')
        with contextlib.redirect_stdout(io.StringIO()):
            self.assertEqual(bench_report.smoke({'K2': path}), 0)
        # The same log cut where the throughput case begins (a guest that died there).
        with open(path) as f:
            text = f.read()
        cut = text[:text.index('dma-bench: start', text.index('dma-bench: done'))]
        with tempfile.TemporaryDirectory() as tmp:
            short = os.path.join(tmp, 'smoke.log')
            with open(short, 'w') as f:
                f.write(cut)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                self.assertEqual(bench_report.smoke({'K2': short}), 1)
        self.assertIn('figure tput_on at 0 live mappings is missing', out.getvalue())

if __name__ == '__main__':
    unittest.main()
