#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Sum up kunit.py JSON results of one or more targets.

usage: kunit_summary.py TARGET=JSON[:EXPECTED_SUITES_FILE] ...

Prints one line per suite, fails (exit 1) on a failed or crashed test, on a missing result file and
on an expected suite that did not run, and ends with the line 'N passed, N failed, N skipped'.
"""
import json
import os
import sys


def walk(group, path, out):
    """Collect (suite path, test name, status) from a kunit.py JSON group."""
    name = group.get('name', '')
    here = path + [name] if name else path
    for case in group.get('test_cases', []):
        out.append(('.'.join(here), case.get('name', '?'), case.get('status', 'ERROR')))
    for sub in group.get('sub_groups', []):
        walk(sub, here, out)


def suite_names(group):
    """Every group name below the top-level one (suites and parameterised tests)."""
    names = set()
    for sub in group.get('sub_groups', []):
        names.add(sub.get('name', ''))
        names |= suite_names(sub)
    return names


def main(argv):
    passed = failed = skipped = 0
    problems = []
    gate = int(os.environ.get('GATE_FAILURES', '0') or 0)
    if gate:
        problems.append(f'{gate} gate(s) before the tests failed (see above)')
        failed += gate
    for arg in argv:
        target, _, rest = arg.partition('=')
        path, _, expected_file = rest.partition(':')
        if not os.path.exists(path):
            problems.append(f'[{target}] no results ({path} missing): the build or the boot failed')
            failed += 1
            continue
        try:
            with open(path, encoding='utf-8') as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            problems.append(f'[{target}] unreadable results {path}: {e}')
            failed += 1
            continue
        cases = []
        for sub in data.get('sub_groups', []):
            walk(sub, [], cases)
        per_suite = {}
        for suite, test, status in cases:
            s = per_suite.setdefault(suite, [0, 0, 0])
            if status == 'PASS':
                s[0] += 1
            elif status == 'SKIP':
                s[2] += 1
            else:
                s[1] += 1
                problems.append(f'[{target}] {suite}.{test}: {status}')
        for suite, (p, f_, s) in sorted(per_suite.items()):
            print(f'    [{target}] {suite}: {p} passed, {f_} failed, {s} skipped')
            passed, failed, skipped = passed + p, failed + f_, skipped + s
        if expected_file and os.path.exists(expected_file):
            ran = suite_names(data)
            with open(expected_file, encoding='utf-8') as f:
                for line in f:
                    want = line.split('#')[0].strip()
                    if want and want not in ran:
                        problems.append(f'[{target}] expected suite {want} did not run '
                                        '(not built, or the kernel crashed before it)')
                        failed += 1
        if not cases:
            problems.append(f'[{target}] ran no test')
            failed += 1
    for p in problems:
        print(f'FAILED: {p}')
    print(f'{passed} passed, {failed} failed, {skipped} skipped')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
