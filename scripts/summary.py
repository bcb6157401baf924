#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge a gate of the workshop and print its summary.

usage:
  summary.py run LOG [QEMU_EXIT_CODE]     the 'make' boot (userspace/init.c's workloads)
  summary.py soak LOG [QEMU_EXIT_CODE]    the 'make soak' boot (userspace/soak.c, soak/dma_soak.c)
  summary.py kunit [--gate NAME=ok|FAILED]... TARGET=JSON[:EXPECTED_SUITES_FILE]...
  summary.py progress <CONSOLE                what to show while a guest runs (qemu ... | tee LOG |)

The guests print KTAP (Documentation/dev-tools/ktap.rst): init writes 'KTAP version 1', a plan
'1..N' and one 'ok N NAME' / 'not ok N NAME' per planned test to the console itself; the soak
driver's subtest comes through printk ('[   1.234567] ' prefixes are stripped line by line).
Diagnostics '# KEY: k=v ...' carry the data of the tables (see userspace/common.h).  A planned
test without a result, a missing plan, a boot that did not finish fail, naming the test that was
running when the log ends.  Exit status 1 when the gate fails.

The parser is this file's own, not tools/testing/kunit/kunit_parser.py: that one strips a fixed
prefix length taken from the version line, which mangles a log where init's lines have no printk
prefix and the driver's have one; it also prints while it parses and needs the kernel tree.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Iterable, Optional

# ---------------------------------------------------------------- console log and KTAP

PRINTK = re.compile(r'^\[\s*\d+\.\d+\] ?')
VERSION = re.compile(r'K?TAP version (\d+)$')
SUBTEST = re.compile(r'# Subtest: (.*)$')
PLAN = re.compile(r'1\.\.(\d+)\b')
RESULT = re.compile(r'(ok|not ok) (\d+)(?: -)? ?([^#]*?)\s*(?:#\s*(.*))?$')
DIAG = re.compile(r'#(?: (.*))?$')
KEYED = re.compile(r'([\w.-]+(?: [\w.-]+)?): (.*)$')
KV = re.compile(r'(\w+)=(\S*)$')
START = re.compile(r'# start (\S+):')


@dataclass
class Line:
    """A console line: its number (from 1), its text without a printk prefix, whether it had one."""
    no: int
    text: str
    printk: bool


@dataclass
class Diag:
    """A KTAP diagnostic '# KEY: TEXT' (KEY '' when the line has no 'KEY: ')."""
    key: str
    text: str

    def kv(self) -> Optional[dict[str, str]]:
        """The k=v pairs of TEXT, if TEXT is nothing else."""
        pairs = [KV.match(tok) for tok in self.text.split()]
        if not pairs or not all(pairs):
            return None
        return {m.group(1): m.group(2) for m in pairs if m}


@dataclass
class Result:
    """One 'ok N NAME' / 'not ok N NAME [# DIRECTIVE]' line."""
    number: int
    name: str
    ok: bool
    directive: str
    line: int
    log: list[Diag] = field(default_factory=list)       # the diagnostics before it, same level
    subtest: Optional['Ktap'] = None

    @property
    def status(self) -> str:
        if self.directive.upper().startswith('SKIP'):
            return 'SKIP'
        return 'ok' if self.ok else 'FAIL'


@dataclass
class Ktap:
    """A KTAP document or subtest: its plan, results and diagnostics."""
    line: int
    name: str = ''
    plan: Optional[int] = None
    results: list[Result] = field(default_factory=list)
    diags: list[Diag] = field(default_factory=list)
    unfinished: list['Ktap'] = field(default_factory=list)  # subtests whose result never came
    _log: list[Diag] = field(default_factory=list)
    _child: Optional['Ktap'] = None

    def all_diags(self) -> Iterable[Diag]:
        yield from self.diags
        for r in self.results:
            if r.subtest:
                yield from r.subtest.all_diags()
        for u in self.unfinished:
            yield from u.all_diags()

    def texts(self, key: str) -> list[str]:
        """The TEXT of every '# KEY: TEXT' here and in the subtests."""
        return [d.text for d in self.all_diags() if d.key == key]

    def data(self, key: str) -> dict[str, str]:
        """The k=v pairs of every '# KEY: k=v ...' here and in the subtests, merged."""
        out: dict[str, str] = {}
        for d in self.all_diags():
            kv = d.kv() if d.key == key else None
            if kv:
                out.update(kv)
        return out

    def texts_of(self, key: str) -> list[Diag]:
        """The diagnostics '# KEY: ...' of this level only."""
        return [d for d in self.diags if d.key == key]

    def notes(self, key: str) -> list[str]:
        """The '# KEY: error: TEXT' lines (why KEY failed)."""
        return [t[len('error: '):] for t in self.texts(key) if t.startswith('error: ')]


def read_log(path: str) -> list[Line]:
    with open(path, encoding='utf-8', errors='replace') as f:
        raw = [l.rstrip('\r\n').replace('\r', '') for l in f]
    out = []
    for no, text in enumerate(raw, 1):
        m = PRINTK.match(text)
        out.append(Line(no, text[m.end():] if m else text, bool(m)))
    return out


def _diag(content: str) -> Optional[Diag]:
    m = DIAG.match(content)
    if not m:
        return None
    text = m.group(1) or ''
    k = KEYED.match(text)
    return Diag(k.group(1), k.group(2)) if k else Diag('', text)


def pairs(text: str) -> dict[str, str]:
    """Every k=v in text."""
    return dict(re.findall(r'(\w+)=(\S+)', text))


def parse_ktap(lines: list[Line]) -> Optional[Ktap]:
    """The KTAP document init printed (the first top-level version line without a printk
    prefix, else the first one), or None.  Lines that are not KTAP are skipped wherever they are."""
    starts = [i for i, l in enumerate(lines) if VERSION.match(l.text)]
    own = [i for i in starts if not lines[i].printk]
    if not starts:
        return None
    first = (own or starts)[0]
    root = Ktap(lines[first].no)
    stack = [root]
    for l in lines[first + 1:]:
        content = l.text.lstrip(' ')
        indent = len(l.text) - len(content)
        content = content.rstrip()
        kind = next((k for k, rx in (('version', VERSION), ('subtest', SUBTEST), ('plan', PLAN),
                                     ('result', RESULT), ('diag', DIAG)) if rx.match(content)), None)
        if kind is None or indent % 4:
            continue
        depth = indent // 4
        if depth == 0 and kind == 'version':
            break                       # a second document: not init's
        if depth > len(stack):
            continue
        while depth < len(stack) - 1:
            close(stack)
        if kind == 'version' and depth == len(stack) - 1 and (stack[-1].plan is not None or
                                                              stack[-1].results):
            close(stack)                # a new subtest: the open one never got its result
            stack[-1].unfinished.append(stack[-1]._child)
            stack[-1]._child = None
        if depth == len(stack):
            stack.append(Ktap(l.no))
        doc = stack[-1]
        if kind == 'version':
            continue
        if kind == 'subtest':
            m = SUBTEST.match(content)
            doc.name = m.group(1).strip() if m else ''
        elif kind == 'plan':
            m = PLAN.match(content)
            if doc.plan is None and m:
                doc.plan = int(m.group(1))
        elif kind == 'result':
            m = RESULT.match(content)
            assert m
            r = Result(int(m.group(2)), m.group(3).strip(), m.group(1) == 'ok', m.group(4) or '',
                       l.no, doc._log, doc._child)
            doc._log, doc._child = [], None
            doc.results.append(r)
        else:
            d = _diag(content)
            if d:
                doc.diags.append(d)
                doc._log.append(d)
    while True:                         # the log ends: what is still open never got a result
        doc = stack[-1]
        if doc._child:
            doc.unfinished.append(doc._child)
            doc._child = None
        if len(stack) == 1:
            return root
        stack[-2].unfinished.append(stack.pop())


def close(stack: list[Ktap]) -> None:
    """Close the deepest open subtest: its parent's next result line takes it."""
    child = stack.pop()
    if stack[-1]._child:
        stack[-1].unfinished.append(stack[-1]._child)
    stack[-1]._child = child


def planned_names(doc: Ktap) -> list[str]:
    """The tests init planned, from '# init: ... tests=A,B,C'."""
    tests = doc.data('init').get('tests', '')
    return [] if tests in ('', '-') else tests.split(',')


def running_at_end(lines: list[Line]) -> str:
    """The test init had started last and not reported when the log ends ('' if none)."""
    current = ''
    for l in lines:
        if l.printk:
            continue
        m = START.match(l.text)
        if m:
            current = m.group(1)
        elif RESULT.match(l.text):
            current = ''
    return current


def ktap_failures(doc: Optional[Ktap], lines: list[Line], log_path: str, qemu_rc: str,
                  noun: str) -> list[str]:
    """Why init's KTAP fails: no document, no plan, planned tests without a result (naming the one
    that was running), failed tests and subtests (with init's '# NAME: error:' notes), an
    unfinished boot."""
    if doc is None:
        return [f'no KTAP output from init (no "KTAP version 1" line): init did not start or '
                f'crashed (QEMU exit code {qemu_rc}); see {log_path}']
    out = []
    if doc.plan is None:
        out.append(f'init printed no KTAP plan (1..N); see {log_path}')
    elif doc.plan == 0:
        out.append(f'init planned no test (1..0): nothing was checked (kernel argument '
                   f'workloads=?); see {log_path}')
    names = planned_names(doc)
    if doc.plan is not None and names and len(names) != doc.plan:
        out.append(f'init planned {doc.plan} tests but named {len(names)} ({",".join(names)})')
    for i, r in enumerate(doc.results):
        if r.number != i + 1:
            out.append(f'{noun} {r.name}: KTAP result number {r.number}, expected {i + 1} '
                       f'(line {r.line} of {log_path})')
        if r.status == 'FAIL' and (doc.notes(r.name) or not r.subtest):
            why = '; '.join(doc.notes(r.name)) or f'see the "# {r.name}:" lines in {log_path}'
            out.append(f'{noun} {r.name} failed: {why}')
        if r.subtest:
            out += subtest_failures(r.subtest, f'{noun} {r.name}', log_path)
    reported = {r.name for r in doc.results}
    running = running_at_end(lines)
    missing = [n for n in names if n not in reported]
    if doc.plan is not None and len(doc.results) < doc.plan and not missing:
        missing = [f'#{i}' for i in range(len(doc.results) + 1, doc.plan + 1)]
    for n in missing:
        if n == running:
            out.append(f'{noun} {n} was running when the log ends: no result (hung or crashed; '
                       f'QEMU exit code {qemu_rc}); see {log_path}')
        else:
            out.append(f'{noun} {n} was planned but never reported; see {log_path}')
    for u in doc.unfinished:
        out.append(f'subtest {u.name or "(unnamed)"} (line {u.line}) has no result line')
    if not any(d.key == 'init' and d.text == 'done' for d in doc.diags):
        where = f' while {noun} {running} was running' if running else ''
        out.append(f'the boot did not finish{where} (QEMU exit code {qemu_rc}); see {log_path}')
    return out


def subtest_failures(sub: Ktap, what: str, log_path: str) -> list[str]:
    out = []
    if sub.plan is None:
        out.append(f'{what}: its subtest printed no plan; see line {sub.line} of {log_path}')
    elif len(sub.results) != sub.plan:
        out.append(f'{what}: {len(sub.results)} of {sub.plan} planned subtest results; '
                   f'see line {sub.line} of {log_path}')
    for r in sub.results:
        if r.status == 'FAIL':
            why = '; '.join(d.text[len('error: '):] for d in r.log if d.text.startswith('error: '))
            out.append(f'{what}: {r.name} failed' + (f': {why}' if why else ''))
    return out


# ---------------------------------------------------------------- kernel problems, DMA-API reports

PROBLEM = re.compile(r'(WARNING:|BUG:|Oops|Kernel panic|Unable to handle kernel|'
                     r'INFO: task .* blocked|possible recursive locking|hung_task|'
                     r'general protection fault|Internal error:)')
# A dma-debug report: "DMA-API: <driver> <device>: <message>" printed by err_printk().
REPORT = re.compile(r'DMA-API: (\S+) (\S+): (.*)')
NOT_REPORT = re.compile(r'(preallocated|debugging|\d+ debug entries)')
CUT_HERE = '------------[ cut here ]------------'


def is_report(text: str) -> Optional[re.Match[str]]:
    m = REPORT.search(text)
    return m if m and not NOT_REPORT.match(m.group(1)) else None


def err_printk_warning(texts: list[str], i: int) -> bool:
    """Is texts[i] the WARNING of err_printk() in kernel/dma/debug.c, i.e. a DMA-API report
    judged as a report?  WARN(1, fmt) prints the message after the 'WARNING:' line on arm32
    (warn_slowpath_fmt), before it, after '[ cut here ]', on arm64 and x86_64 (__warn_printk).
    dma-debug's own WARN_ONCE()s (tracker underflow...) carry no report: they are problems."""
    if not (texts[i].startswith('WARNING:') and 'kernel/dma/debug.c' in texts[i]):
        return False
    if any(is_report(t) for t in texts[i + 1:i + 3]):
        return True
    for t in reversed(texts[max(0, i - 4):i]):
        if is_report(t):
            return True
        if t == CUT_HERE:
            break
    return False


def kernel_problems(texts: list[str], rx: re.Pattern[str]) -> list[str]:
    """Lines matching rx that are not DMA-API reports nor err_printk()'s WARNING."""
    return [t for i, t in enumerate(texts)
            if rx.search(t) and 'DMA-API' not in t and not err_printk_warning(texts, i)]


def charged_reports(lines: list[Line]) -> list[tuple[str, str]]:
    """Every DMA-API report, with the workload running when it was printed."""
    out, current, started = [], '(boot)', False
    for l in lines:
        if not l.printk:
            if VERSION.match(l.text):
                started = True
            m = START.match(l.text)
            if m:
                current = m.group(1)
            elif started and RESULT.match(l.text):
                current = '(between workloads)'
            elif l.text == '# init: done':
                current = '(end)'
        m = is_report(l.text)
        if m:
            out.append((current, l.text[m.start():]))
    return out


def num(d: dict[str, str], k: str, default: int = -1) -> int:
    try:
        return int(d.get(k, default))
    except (TypeError, ValueError):
        return default


# ---------------------------------------------------------------- run

# What a workload's ops count.
UNITS = {'cow-storm': 'COW writes', 'odirect-fork': 'I/Os+forks', 'v4l2-dmabuf': 'frames',
         'true-positive': 'COW copy', 'free-mapped': 'buffer freed', 'mm-cow': 'tests',
         'v4l2-compliance': 'tests', 'net-pair': 'MiB TCP+UDP'}


def net_pair_line(name: str, kv: dict[str, str]) -> str:
    """What workload net-pair moved, and the DMA-API maps of its two NICs (userspace/net_pair.c)."""
    def nic(x: str) -> str:
        kind = 'mergeable' if kv.get(f'mrg_rxbuf_{x}') == '1' else 'small'
        return (f'{kv.get(f"nic_{x}", "?")} ({kv.get(f"dev_{x}", "?")}, {kind} receive buffers) '
                f'{kv.get(f"maps_{x}", "?")} (page_pool {kv.get(f"page_pool_maps_{x}", "?")}, '
                f'live after unbind {kv.get(f"live_after_unbind_{x}", "?")})')
    return (f'{name}: TCP {kv.get("tcp_a_to_b", "?")} bytes A->B in {kv.get("tcp_a_to_b_ms", "?")} ms, '
            f'{kv.get("tcp_b_to_a", "?")} B->A in {kv.get("tcp_b_to_a_ms", "?")} ms, UDP '
            f'{kv.get("udp_datagrams", "?")} round trips; DMA-API maps by A {nic("a")}, by B {nic("b")}; '
            f'page_pool pages held {kv.get("page_pool_pages_held", "?")}, released '
            f'{kv.get("page_pool_pages_released", "?")} '
            f'({kv.get("page_pool_pages_released_before_unbind", "?")} before the unbind)')


def summarise_run(log_path: str, qemu_rc: str) -> int:
    lines = read_log(log_path)
    texts = [l.text for l in lines]
    doc = parse_ktap(lines)
    top = doc or Ktap(0)
    mode = top.data('init').get('mode', '?')
    dma_api = top.data('dma-api')
    devices = top.texts('dma-devices')
    expects = []
    for t in top.texts('expect-report'):
        wl, _, text = t.partition(' ')
        expects.append([wl, text, 0])
    dev_maps: dict[str, dict[str, int]] = {}
    for t in top.texts('dma-device-maps'):
        f = t.split()
        if len(f) == 3 and f[2].isdigit():
            dev_maps.setdefault(f[0], {})[f[1]] = int(f[2])

    unexpected = []
    for wl, r in charged_reports(lines):
        for e in expects:
            if e[0] == wl and e[1] in r and e[2] == 0:
                e[2] += 1
                break
        else:
            unexpected.append((wl, r))
    problems = kernel_problems(texts, PROBLEM)

    status = {r.name: r.status for r in top.results}     # a planned workload without one: none
    names = planned_names(top) or list(status)
    rows = [(n, status.get(n, 'none')) for n in names]
    rows += [(n, s) for n, s in status.items() if n not in names]
    print(f'\nSummary of the QEMU virt run (-smp 2, CONFIG_DMA_API_DEBUG=y, lockdep; {mode} workloads)')
    print(f'{"workload":<16} {"what ran":>18} {"result":<6} {"DMA maps":>9} {"reports expected":>16} '
          f'{"unexpected":>10}')
    for name, res in rows:
        kv = top.data(name)
        exp = sum(1 for e in expects if e[0] == name)
        got = sum(e[2] for e in expects if e[0] == name)
        unexp = sum(1 for wl, _ in unexpected if wl == name)
        ran = f'{kv.get("ops", "-")} {UNITS.get(name, "ops")}'
        print(f'{name:<16} {ran:>18} {res:<6} {kv.get("dma_maps", "-"):>9} {f"{got}/{exp}":>16} '
              f'{unexp:>10}')
    others = [wl for wl, _ in unexpected if wl not in {n for n, _ in rows}]
    for wl in sorted(set(others)):
        print(f'{wl:<16} {"":>18} {"":<6} {"":>9} {"":>16} {others.count(wl):>10}')
    print(f'{"(all)":<16} {"":>18} {"":<6} {"":>9} {sum(e[2] for e in expects):>16} '
          f'{len(unexpected):>10}')
    for name, _ in rows:
        kv = top.data(name)
        if 'pass' in kv:
            print(f'{name}: ' + ', '.join(f'{k} {kv[k]}' for k in
                                          ('streaming', 'streaming_fail', 'pass', 'skip', 'fail', 'known_fail',
                                           'xfail', 'error', 'warnings') if k in kv))
    for name, _ in rows:
        kv = top.data(name)
        if 'tcp_a_to_b' in kv:
            print(net_pair_line(name, kv))
    print('DMA maps: DMA-API map calls (page, sg list, resource, coherent allocation) while the '
          'workload ran, each checked by dma-debug')
    try:
        peak = int(dma_api['nr_total_entries']) - int(dma_api['min_free_entries'])
        print(f'dma-debug saw DMA mappings: peak {peak} live at once '
              '(nr_total_entries - min_free_entries)')
    except (KeyError, ValueError):
        pass
    if dma_api:
        print('dma-debug (/sys/kernel/debug/dma-api): ' +
              ', '.join(f'{k}={v}' for k, v in dma_api.items()))
    failed = []
    for e in expects:
        if e[2] != 1:
            failed.append(f'workload {e[0]}: expected one DMA-API report containing "{e[1]}", '
                          f'saw {e[2]}')
    if dev_maps:
        print('DMA map calls per device, whole run (dma tracepoints; dma-debug checks each):')
        for dev, ev in sorted(dev_maps.items(), key=lambda kv: -sum(kv[1].values())):
            kinds = ', '.join(f'{k.replace("dma_", "")} {v}' for k, v in sorted(ev.items()))
            print(f'  {dev:<28} {sum(ev.values()):>8}  ({kinds})')
    if devices:
        print('dma-debug per device (/sys/kernel/debug/dma-api/devices):')
        for d in devices:
            print('  ' + d)
    failed += [f'unexpected DMA-API report during {wl}: {r}' for wl, r in unexpected]
    failed += [f'kernel problem: {p}' for p in problems]
    errors = num(dma_api, 'error_count')
    if 'error_count' in dma_api and errors != sum(e[2] for e in expects):
        failed.append(f'dma-debug error_count is {errors}, '
                      f'{sum(e[2] for e in expects)} report(s) were expected')
    elif doc and 'error_count' not in dma_api and any(d.text == 'done' for d in doc.texts_of('init')):
        failed.append(f'init printed no dma-debug state ("# dma-api:" lines): is '
                      f'CONFIG_DMA_API_DEBUG set? see {log_path}')
    failed += ktap_failures(doc, lines, log_path, qemu_rc, 'workload')
    return finish(failed, log_path)


def finish(failed: list[str], log_path: str) -> int:
    for f in failed:
        print(f'FAILED: {f}')
    print(('FAILED' if failed else 'OK') + f': full console log in {log_path}')
    return 1 if failed else 0


# ---------------------------------------------------------------- soak

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


def summarise_soak(log_path: str, qemu_rc: str) -> int:
    lines = read_log(log_path)
    texts = [l.text for l in lines]
    doc = parse_ktap(lines)
    top = doc or Ktap(0)
    sanit = {name: [t for t in texts if rx.search(t)] for name, rx in SANITIZERS}
    other = [t for t in kernel_problems(texts, OTHER)
             if not any(rx.search(t) for _, rx in SANITIZERS)]
    ops, fails, rep = top.data('ops'), top.data('failures'), top.data('reports')
    inj, leak, devc = top.data('injected'), top.data('kmemleak'), top.data('devices')
    start, api, api_end = top.data('soak-start'), top.data('dma-api'), top.data('dma-api-end')
    devs, devs_end = top.texts('dma-devices'), top.texts('dma-devices-end')
    threads = [d.kv() or {} for d in top.all_diags() if d.key == 'thread' and d.kv()]
    step = {r.name: r for r in top.results}
    bad = step['bad-inputs'].subtest if 'bad-inputs' in step else None
    bad = bad or next((u for u in top.unfinished if u.name == 'bad-inputs'), None)

    print(f'\nSummary of the soak (QEMU virt -smp 2; KASAN, lockdep, DEBUG_ATOMIC_SLEEP, kmemleak, '
          f'failslab + fail_page_alloc), {start.get("seconds", "?")} s, '
          f'{len(threads)} threads')
    print(f'operations: {ops.get("total", "?")} (single {ops.get("single", "?")}, '
          f'page {ops.get("page", "?")}, sg {ops.get("sg", "?")}, '
          f'coherent {ops.get("coherent", "?")}); debug_dma_assert_idle(): '
          f'{ops.get("asserts_mapped", "?")} on mapped pages, '
          f'{ops.get("asserts_idle", "?")} on unmapped pages')
    for t in threads:
        print(f'  thread {t.get("idx", "?")} ' +
              ' '.join(f'{k}={v}' for k, v in t.items() if k != 'idx'))
    print(f'devices: {devc.get("persistent", "?")} for the whole soak, '
          f'{devc.get("churned", "?")} registered, used and removed '
          f'({devc.get("churn_failed", "?")} failed to register)')
    print(f'fault injection: failslab failed {inj.get("failslab", "?")} allocations, '
          f'fail_page_alloc {inj.get("fail_page_alloc", "?")}; DMA-API calls that failed '
          f'{fails.get("map_failed", "?")}; mappings left untracked by the tracker '
          f'{top.data("tracker").get("untracked_mappings", "?")}; own buffers not allocated '
          f'{fails.get("own_alloc_failed", "?")}')
    exp = num(rep, 'soak_expected', 0) + num(rep, 'bad_expected', 0)
    err = num(api_end or api, 'error_count')
    unexpected = err - exp
    print(f'DMA-API reports (error_count): {err}; expected {exp} '
          f'({num(rep, "bad_expected", 0)} from bad inputs, {num(rep, "soak_expected", 0)} from '
          f'asserts on mapped device-writable pages); unexpected {unexpected}')
    print('bad inputs:')
    for r in bad.results if bad else []:
        d = next((x.kv() or {} for x in r.log if x.key == 'bad-input' and x.kv()), {})
        print(f'  {r.status:<4} {r.name}: {d.get("reports", "?")} report(s), '
              f'expected {d.get("expected", "?")}; tracker after: '
              f'lines {d.get("tracked_lines", "?")}, pages {d.get("tracked_pages", "?")}')
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

    failed = [f'{name}: {line}' for name, v in sanit.items() for line in v]
    failed += [f'kernel problem: {line}' for line in other]
    if kmem != 0:
        failed.append(f'kmemleak: {kmem} unreferenced object(s) (or no kmemleak) after the soak; '
                      f'see {log_path}')
    if not ops:
        failed.append(f'the soak driver printed no figures ("# ops:"): did dma_soak.ko load and '
                      f'run? see {log_path}')
    if unexpected != 0:
        failed.append(f'{unexpected} unexpected DMA-API report(s): error_count {err}, {exp} expected')
    failed += bad_input_failures(top, bad, log_path)
    for k in ('tracked_pages', 'tracked_lines'):
        if num(api_end, k) != 0:
            failed.append(f'the tracker is not empty at the end: {k}={api_end.get(k)}')
    for d in devs + devs_end:
        if 'driver=dma_soak' in d and num(pairs(d), 'live') != 0:
            failed.append(f'a soak device still has live mappings: {d}')
    if any('driver=dma_soak' in d for d in devs_end):
        failed.append('a soak device record outlived its device')
    if num(inj, 'failslab', 0) + num(inj, 'fail_page_alloc', 0) <= 0 and \
            start.get('inject', '1') != '0':
        failed.append('fault injection failed no allocation: the soak tested no failure path')
    failed += ktap_failures(doc, lines, log_path, qemu_rc, 'soak step')
    return finish(failed, log_path)


def bad_input_failures(top: Ktap, bad: Optional[Ktap], log_path: str) -> list[str]:
    """The bad-input pass: every input the module lists ran and reported, and the totals agree."""
    out = []
    if bad is None:
        return [f'the bad-input pass printed no subtest (no "# Subtest: bad-inputs"); see {log_path}']
    listed = num(top.data('dma_soak'), 'bad_inputs')
    if listed >= 0 and bad.plan != listed:
        out.append(f'the bad-input pass planned {bad.plan} inputs, dma_soak.ko lists {listed}')
    total = top.data('bad-total')
    if not total:
        out.append(f'no "# bad-total:" line: the bad-input pass did not finish; see {log_path}')
    elif num(total, 'reports') != num(total, 'expected', -2):
        out.append(f'bad inputs: {total.get("reports")} DMA-API report(s), '
                   f'{total.get("expected")} expected')
    return out


# ---------------------------------------------------------------- kunit

def walk(group: dict, path: list[str], out: list[tuple[str, str, str]]) -> None:
    """Collect (suite path, test name, status) from a kunit.py JSON group."""
    name = group.get('name', '')
    here = path + [name] if name else path
    for case in group.get('test_cases', []):
        out.append(('.'.join(here), case.get('name', '?'), case.get('status', 'ERROR')))
    for sub in group.get('sub_groups', []):
        walk(sub, here, out)
    if name and not group.get('test_cases') and not group.get('sub_groups'):
        # A suite without a single test case did not run: its init failed or the kernel died in it.
        status = group.get('status', 'ERROR')
        out.append(('.'.join(here), '(no test case ran)', 'ERROR' if status in ('PASS', 'SKIP') else status))


def suite_names(group: dict) -> set[str]:
    """Every group name below the top-level one (suites and parameterised tests)."""
    names = set()
    for sub in group.get('sub_groups', []):
        names.add(sub.get('name', ''))
        names |= suite_names(sub)
    return names


def summarise_kunit(gates: list[str], targets: list[str]) -> int:
    passed = failed = skipped = 0
    problems = []
    for g in gates:
        name, _, res = g.partition('=')
        print(f'    [gate] {name}: {res}')
        if res == 'ok':
            passed += 1
        else:
            failed += 1
            problems.append(f'gate {name}: {res or "no result"} (see its output above)')
    for arg in targets:
        target, _, rest = arg.partition('=')
        path, _, expected_file = rest.partition(':')
        if not os.path.exists(path):
            problems.append(f'[{target}] no results ({path} missing): the build or the boot failed; '
                            f'see the kunit.py output above')
            failed += 1
            continue
        try:
            with open(path, encoding='utf-8') as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            problems.append(f'[{target}] unreadable results {path}: {e}')
            failed += 1
            continue
        cases: list[tuple[str, str, str]] = []
        for sub in data.get('sub_groups', []):
            walk(sub, [], cases)
        per_suite: dict[str, list[int]] = {}
        for suite, test, status in cases:
            s = per_suite.setdefault(suite, [0, 0, 0])
            if status == 'PASS':
                s[0] += 1
            elif status == 'SKIP':
                s[2] += 1
            else:
                s[1] += 1
                problems.append(f'[{target}] {suite}.{test}: {status} (see {path})')
        for suite, (p, f_, s) in sorted(per_suite.items()):
            print(f'    [{target}] {suite}: {p} passed, {f_} failed, {s} skipped')
            passed, failed, skipped = passed + p, failed + f_, skipped + s
        if expected_file:
            if not os.path.exists(expected_file):
                problems.append(f'[{target}] the expected suites file {expected_file} is missing')
                failed += 1
            else:
                ran = suite_names(data)
                with open(expected_file, encoding='utf-8') as f:
                    for line in f:
                        want = line.split('#')[0].strip()
                        if want and want not in ran:
                            problems.append(f'[{target}] expected suite {want} did not run (not '
                                            f'built, or the kernel crashed before it; see {path})')
                            failed += 1
        if not cases:
            problems.append(f'[{target}] ran no test (see {path})')
            failed += 1
    for p in problems:
        print(f'FAILED: {p}')
    print(f'{passed} passed, {failed} failed, {skipped} skipped')
    return 1 if failed else 0


# ---------------------------------------------------------------- progress

PROGRESS = re.compile(r'^( {4})?(KTAP version|1\.\.\d|(not )?ok \d|# (start |init:|Subtest:|soak:|'
                      r'bad-total:|dma_soak:|cow-storm: workers|[\w-]+: error:))|DMA-API|WARNING:|'
                      r'BUG:|Oops|Kernel panic')


def progress(inp: Iterable[str], out: 'io.TextIOBase') -> None:
    """Copy the console lines a user wants to see while a guest runs (plan, starts, results,
    errors, DMA-API reports, kernel problems), indented, as they come."""
    for raw in inp:
        m = PRINTK.match(raw)
        text = raw.rstrip('\r\n')[m.end() if m else 0:]
        if PROGRESS.search(text):
            out.write('    ' + text + '\n')
            out.flush()


# ---------------------------------------------------------------- command line

def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog='summary.py', description=__doc__.split('\n\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    for cmd in ('run', 'soak'):
        p = sub.add_parser(cmd, help=f'judge the console log of the {cmd} boot')
        p.add_argument('log')
        p.add_argument('qemu_rc', nargs='?', default='?')
    sub.add_parser('progress', help='filter a console log on stdin to the lines worth showing live')
    k = sub.add_parser('kunit', help='sum up kunit.py JSON results and the gates before them')
    k.add_argument('--gate', action='append', default=[], metavar='NAME=ok|FAILED')
    k.add_argument('targets', nargs='*', metavar='TARGET=JSON[:EXPECTED_SUITES_FILE]')
    args, extra = ap.parse_known_args(argv)
    if extra and (args.cmd != 'kunit' or any(e.startswith('-') for e in extra)):
        ap.error(f'unrecognized arguments: {" ".join(extra)}')
    if args.cmd == 'kunit':
        args.targets += extra           # targets after a --gate
    if args.cmd == 'run':
        return summarise_run(args.log, args.qemu_rc)
    if args.cmd == 'soak':
        return summarise_soak(args.log, args.qemu_rc)
    if args.cmd == 'progress':
        progress(sys.stdin, sys.stdout)
        return 0
    return summarise_kunit(args.gate, args.targets)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
