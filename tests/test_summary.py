# SPDX-License-Identifier: GPL-2.0
"""Tests of scripts/summary.py, the judge of every gate, on recorded logs (tests/logs/).

Run from the project root: python3 -m unittest discover -s tests -t .
Each bad log must be rejected with a message naming what failed, each good one accepted.
"""
from __future__ import annotations

import contextlib
import io
import os
import unittest

from tests.util import load_script

HERE = os.path.dirname(os.path.abspath(__file__))
LOGS = os.path.join(HERE, 'logs')
summary = load_script('summary')


def log(name: str) -> str:
    return os.path.join(LOGS, name)


def run(*argv: str) -> tuple[int, str]:
    """summary.py's exit status and output for these arguments."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = summary.main(list(argv))
    return rc, out.getvalue()


class Gate(unittest.TestCase):
    def judged(self, rc: int, argv: tuple[str, ...], *want: str) -> str:
        """summary.py ARGV's output, checked for exit status rc and every text of want."""
        got, out = run(*argv)
        self.assertEqual(got, rc, out)
        for w in want:
            self.assertIn(w, out)
        return out


class RunGate(Gate):
    def accepted(self, name: str) -> str:
        rc, out = run('run', log(name), '0')
        self.assertEqual(rc, 0, out)
        self.assertNotIn('FAILED', out)
        self.assertTrue(out.endswith(f'OK: full console log in {log(name)}\n'), out)
        return out

    def rejected(self, name: str, *why: str) -> str:
        out = self.judged(1, ('run', log(name), '0'), *why)
        self.assertTrue(out.endswith(f'FAILED: full console log in {log(name)}\n'), out)
        return out

    def test_good_table(self) -> None:
        out = self.accepted('run-good.log')
        self.assertIn(
            'Summary of the QEMU virt run (-smp 2, CONFIG_DMA_API_DEBUG=y, lockdep; short workloads)\n'
            'workload                   what ran result  DMA maps reports expected unexpected\n'
            'cow-storm           4096 COW writes ok             0              0/0          0\n'
            'v4l2-dmabuf               20 frames ok            16              0/0          0\n'
            'true-positive            1 COW copy ok             1              1/1          0\n'
            '(all)                                                               1          0\n', out)
        self.assertIn('dma-debug saw DMA mappings: peak 23 live at once', out)
        self.assertIn('dma-debug (/sys/kernel/debug/dma-api): error_count=1, all_errors=0, ', out)
        self.assertIn('  vivid.0                          1020  (alloc 998, map_sg 22)\n', out)
        self.assertIn('dma-debug per device (/sys/kernel/debug/dma-api/devices):\n'
                      '  driver=vivid device=vivid.0 maps=1020 live=0 ', out)

    def test_err_printk_warning_arm32_layout(self) -> None:
        # run-good.log: the DMA-API message follows the WARNING line (warn_slowpath_fmt)
        self.accepted('run-good.log')

    def test_err_printk_warning_arm64_x86_layout(self) -> None:
        # the message comes first, after '[ cut here ]' (__warn_printk), then the WARNING line
        self.accepted('run-good-arm64-warn.log')

    def test_real_full_table(self) -> None:
        # a real boot of the run kernel with this init, workloads=full (trimmed)
        out = self.accepted('real-run-full.log')
        self.assertIn('cow-storm         131072 COW writes ok             0              0/0          0\n'
                      'odirect-fork        5186 I/Os+forks ok         68969              0/0          0\n'
                      'v4l2-compliance           412 tests ok          1004              0/0          0\n',
                      out)
        self.assertIn('v4l2-compliance: streaming 48, streaming_fail 0, pass 338, fail 74, '
                      'warnings 11\nmm-cow: pass 33, skip 0, fail 0, xfail 0, error 0\n', out)
        self.assertIn('  a003e00.virtio_mmio             68969  (map_page 68969)\n', out)

    def test_real_full_table_7_2(self) -> None:
        # BASE=7.2: v4l-utils 1.30.1 (its two known failures per capture node pass the workload),
        # the map calls through 7.2's one dma_map_phys tracepoint (trimmed)
        out = self.accepted('real-run-full-7.2.log')
        self.assertIn('v4l2-compliance           300 tests ok          1138              0/0          0\n',
                      out)
        self.assertIn('v4l2-compliance: streaming 56, streaming_fail 0, pass 296, fail 4, known_fail 4, '
                      'warnings 0\nmm-cow: pass 33, skip 0, fail 0, xfail 0, error 0\n', out)
        self.assertIn('  a003e00.virtio_mmio             50364  (map_phys 50364)\n', out)

    def test_real_boot(self) -> None:
        for name in sorted(os.listdir(LOGS)):
            if name.startswith('real-run-'):
                with self.subTest(name):
                    self.accepted(name)

    def test_real_net_pair(self) -> None:
        # a real boot of the run kernel (7.2) with workloads=short, net-pair among them
        out = self.accepted('real-run-short-net-pair-7.2.log')
        self.assertIn('net-pair              8 MiB TCP+UDP ok          7923              0/0          0\n',
                      out)
        self.assertIn('net-pair: TCP 4194304 bytes A->B in 616 ms, 4194304 B->A in 872 ms, UDP 200 round '
                      'trips; DMA-API maps by A eth1 (a003a00.virtio_mmio, mergeable receive buffers) 3916 '
                      '(page_pool 576, live after unbind 0), by B eth0 (a003800.virtio_mmio, small receive '
                      'buffers) 4007 (page_pool 640, live after unbind 0); page_pool pages held 1216, '
                      'released 1216 (0 before the unbind)\n', out)

    def test_net_pair_without_maps(self) -> None:
        # the same boot, had a NIC bypassed the DMA API: the workload's own verdict fails the gate
        self.rejected('run-net-pair-no-maps.log',
                      'FAILED: workload net-pair failed: eth1 (a003a00.virtio_mmio) made no DMA-API map')

    def test_real_arm64_layout(self) -> None:
        self.accepted('run-good-real-arm64-layout.log')

    def test_real_warning_without_report(self) -> None:
        self.rejected('run-real-warn-without-report.log',
                      'FAILED: kernel problem: WARNING: CPU: 1 PID: 1 at ../linux/kernel/dma/debug.c:1130',
                      'FAILED: workload true-positive: expected one DMA-API report')

    def test_unexpected_report(self) -> None:
        self.rejected('run-unexpected-report.log',
                      'FAILED: unexpected DMA-API report during v4l2-dmabuf: DMA-API: vivid vivid.0: '
                      'mapping sg segment longer',
                      'FAILED: dma-debug error_count is 2, 1 report(s) were expected')

    def test_missing_expected_report(self) -> None:
        self.rejected('run-missing-expected.log', 'FAILED: workload true-positive: expected one '
                      'DMA-API report containing "test_dma_assert_idle: cpu touching', 'saw 0')

    def test_hung_workload(self) -> None:
        self.rejected('run-hung.log',
                      'FAILED: workload v4l2-dmabuf was running when the log ends',
                      'FAILED: workload true-positive was planned but never reported',
                      'FAILED: the boot did not finish while workload v4l2-dmabuf was running '
                      f'(QEMU exit code 0); see {log("run-hung.log")}')

    def test_missing_workload(self) -> None:
        out = self.rejected('run-missing-workload.log',
                            'FAILED: workload v4l2-dmabuf was planned but never reported; see')
        self.assertIn('cow-storm           4096 COW writes ok             0              0/0          0\n'
                      'v4l2-dmabuf                - frames none           -              0/0          0\n'
                      'true-positive ', out)
        self.assertNotIn('did not finish', out)

    def test_failed_workload(self) -> None:
        self.rejected('run-failed-workload.log', 'FAILED: workload cow-storm failed: the workers '
                      'did not run concurrently on 2 CPUs')

    def test_warning_elsewhere(self) -> None:
        self.rejected('run-warn-other.log', 'FAILED: kernel problem: WARNING: CPU: 0 PID: 1 at '
                      'mm/memory.c:3281')

    def test_dma_debug_own_warning(self) -> None:
        # a WARN_ONCE of dma-debug itself carries no DMA-API report in its block: a problem
        self.rejected('run-warn-own.log', 'FAILED: kernel problem: WARNING: CPU: 0 PID: 1 at '
                      'kernel/dma/debug.c:811')

    def test_no_plan(self) -> None:
        self.rejected('run-no-plan.log', 'FAILED: init printed no KTAP plan (1..N)')

    def test_nothing_planned(self) -> None:
        self.rejected('run-nothing-planned.log', 'FAILED: init planned no test (1..0)')

    def test_no_init(self) -> None:
        self.rejected('run-no-init.log', 'FAILED: no KTAP output from init')

    def test_missing_log(self) -> None:
        with self.assertRaises(OSError):
            run('run', log('no-such.log'), '0')


class SoakGate(Gate):
    def test_good(self) -> None:
        rc, out = run('soak', log('soak-good.log'), '0')
        self.assertEqual(rc, 0, out)
        self.assertIn('), 20 s, 2 threads\n', out)
        self.assertIn('operations: 7599 (single 1900, page 1900, sg 1900, coherent 1899); '
                      'debug_dma_assert_idle(): 950 on mapped pages, 9000 on unmapped pages\n', out)
        self.assertIn('  thread 0 cpu=0 single=1000 page=1000 sg=1000 coherent=999 churned=100\n', out)
        self.assertIn('DMA-API reports (error_count): 702; expected 702 (2 from bad inputs, 700 '
                      'from asserts on mapped device-writable pages); unexpected 0\n', out)
        self.assertIn('bad inputs:\n  ok   assert_idle(NULL): 0 report(s), expected 0; tracker '
                      'after: lines 0(+0), pages 0(+0)\n', out)
        self.assertIn('fault injection: failslab failed 1234 allocations, fail_page_alloc 567; ', out)
        self.assertTrue(out.endswith('OK: full console log in ' + log('soak-good.log') + '\n'))

    def test_real_soak_mode_without_module(self) -> None:
        # init's soak mode booted for real on the run kernel, which has no dma_soak.ko
        self.judged(1, ('soak', log('soak-real-no-module.log'), '0'),
                    'FAILED: soak step load failed: /dma_soak.ko: No such file or directory',
                    'FAILED: soak step bad-inputs failed: no list in /sys/kernel/debug/dma_soak/bad',
                    'FAILED: the bad-input pass printed no subtest')

    def test_failed_bad_input(self) -> None:
        self.judged(1, ('soak', log('soak-bad-input-failed.log'), '0'),
                    '  FAIL unmap_page twice: 0 report(s), expected 1',
                    'FAILED: soak step bad-inputs: unmap_page twice failed',
                    'FAILED: bad inputs: 1 DMA-API report(s), 2 expected')

    def test_missing_bad_input(self) -> None:
        self.judged(1, ('soak', log('soak-bad-input-missing.log'), '0'),
                    'FAILED: soak step bad-inputs: 2 of 3 planned subtest results')

    def test_hung_soak(self) -> None:
        self.judged(1, ('soak', log('soak-hung.log'), '124'),
                    'FAILED: soak step soak was running when the log ends',
                    'FAILED: subtest soak (line 34) has no result line', 'QEMU exit code 124')


class KunitGate(Gate):
    def kunit(self, rc: int, totals: str, *argv: str) -> str:
        """summary.py kunit ARGV: its output, checked for exit status rc and the totals line."""
        out = self.judged(rc, ('kunit',) + argv)
        self.assertTrue(out.endswith(f'\n{totals}\n'), out)
        return out

    def test_good(self) -> None:
        out = self.kunit(0, '4 passed, 0 failed, 1 skipped', '--gate', 'checkpatch=ok',
                         f'virt={log("kunit-good.json")}:{log("kunit-expected")}')
        self.assertIn('    [virt] dma-debug-tracker: 1 passed, 0 failed, 1 skipped\n', out)

    def test_suite_without_cases_rejected(self) -> None:
        """A suite that crashed before its first case (status FAIL, no cases) fails, also as expected."""
        out = self.kunit(1, '1 passed, 1 failed, 0 skipped',
                         f'virt={log("kunit-suite-crashed.json")}')
        self.assertIn('[virt] dma-debug-tracker.(no test case ran): FAIL', out)

    def test_real_vivt(self) -> None:
        # recorded from the baseline 'make check' (build/kunit-vivt.json, kunit/expected-vivt)
        self.kunit(0, '12 passed, 0 failed, 0 skipped',
                   f'vivt={log("real-kunit-vivt.json")}:{log("real-kunit-expected-vivt")}')

    def test_missing_suite(self) -> None:
        out = self.kunit(1, '2 passed, 1 failed, 0 skipped',
                         f'vivt={log("kunit-missing-suite.json")}:{log("kunit-expected")}')
        self.assertIn('FAILED: [vivt] expected suite dma-debug-tracker did not run', out)

    def test_failure(self) -> None:
        out = self.kunit(1, '1 passed, 2 failed, 1 skipped', f'x={log("kunit-failure.json")}')
        self.assertIn('FAILED: [x] dma-debug.dma_debug_double_unmap: FAIL', out)
        self.assertIn('FAILED: [x] dma-debug-tracker.tracker_counts: ERROR', out)

    def test_gates_count(self) -> None:
        out = self.kunit(1, '4 passed, 1 failed, 1 skipped', '--gate', 'a=ok',
                         f'virt={log("kunit-good.json")}', '--gate', 'b=FAILED')
        self.assertIn('FAILED: gate b: FAILED', out)

    def test_run_gates_per_base(self) -> None:
        # check.sh's run gate: one gate run-<base> per base of RUN_GATE_BASES
        out = self.kunit(1, '4 passed, 1 failed, 1 skipped', '--gate', 'run-7.2=ok',
                         f'virt={log("kunit-good.json")}', '--gate', 'run-6.12=FAILED')
        self.assertIn('    [gate] run-7.2: ok\n', out)
        self.assertIn('FAILED: gate run-6.12: FAILED', out)

    def test_missing_results(self) -> None:
        out = self.kunit(1, '0 passed, 1 failed, 0 skipped', 'virt=/nonexistent/kunit.json')
        self.assertIn('[virt] no results (/nonexistent/kunit.json missing)', out)

    def test_missing_expected_file(self) -> None:
        out = self.kunit(1, '3 passed, 1 failed, 1 skipped',
                         f'virt={log("kunit-good.json")}:/nonexistent/expected')
        self.assertIn('the expected suites file /nonexistent/expected is missing', out)


class Progress(unittest.TestCase):
    def test_shows_what_matters(self) -> None:
        out = io.StringIO()
        with open(log('soak-good.log'), encoding='utf-8') as f:
            summary.progress(f, out)
        shown = out.getvalue().splitlines()
        self.assertIn('    # start soak: 20 s, failslab and fail_page_alloc fail 10% of the soak '
                      "threads' allocations", shown)
        self.assertIn('        ok 3 unmap_page twice', shown)
        self.assertIn('        # soak: 10/20 s', shown)
        self.assertIn('    ok 5 kmemleak', shown)
        self.assertNotIn('    # dma-api: error_count=702', shown)


class Parser(unittest.TestCase):
    def parse(self, text: str) -> 'summary.Ktap':
        lines = [summary.Line(i, *((t[15:], True) if t.startswith('[') else (t, False)))
                 for i, t in enumerate(text.split('\n'), 1)]
        doc = summary.parse_ktap(lines)
        assert doc is not None
        return doc

    def test_nested_and_skip(self) -> None:
        doc = self.parse('KTAP version 1\n1..2\n    KTAP version 1\n    # Subtest: a\n    1..1\n'
                         '    # x: k=1\n    ok 1 one\n# a: note text\nok 1 a\n'
                         'noise line\nok 2 b # SKIP no disk\n')
        self.assertEqual(doc.plan, 2)
        self.assertEqual([(r.name, r.status) for r in doc.results], [('a', 'ok'), ('b', 'SKIP')])
        sub = doc.results[0].subtest
        assert sub is not None
        self.assertEqual((sub.name, sub.plan, sub.results[0].name), ('a', 1, 'one'))
        self.assertEqual(doc.data('x'), {'k': '1'})
        self.assertEqual(doc.data('a'), {})      # a note is not data
        self.assertEqual(doc.texts('a'), ['note text'])

    def test_printk_subtest(self) -> None:
        # the driver's subtest through printk, init's lines without a prefix
        doc = self.parse('KTAP version 1\n1..1\n[    1.000000]     KTAP version 1\n'
                         '[    1.000001]     1..1\n[    1.000002]     not ok 1 t\nok 1 s\n')
        sub = doc.results[0].subtest
        assert sub is not None
        self.assertEqual(sub.results[0].status, 'FAIL')

    def test_kernel_ktap_before_init(self) -> None:
        # a KTAP document through printk (e.g. KUnit at boot) is not init's
        doc = self.parse('[    0.500000] KTAP version 1\n[    0.500001] 1..7\nKTAP version 1\n1..1\n'
                         'ok 1 x\n')
        self.assertEqual((doc.plan, len(doc.results)), (1, 1))

    def test_unfinished_subtest(self) -> None:
        doc = self.parse('KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: s\n    1..2\n'
                         '    ok 1 a\n')
        self.assertEqual([u.name for u in doc.unfinished], ['s'])
        self.assertEqual(doc.results, [])


if __name__ == '__main__':
    unittest.main()
