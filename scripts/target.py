#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""KUnit targets: one data file each, kunit/targets/<name>.target.

    target.py list [--tier TIER]
        the targets' names, one a line (--tier: only those of that tier: check, arches or manual)
    target.py setup NAME [--build-dir DIR]
        (DIR: default build/kunit-NAME) writes DIR/qemu_config.py (kunit.py --qemu_config, absolute paths baked in) and
        DIR/expected-suites (one suite a line), and prints the target as shell assignments
        (t_build_dir, t_base, t_arch, t_kunitconfig, t_series, t_profile, t_smp, t_memory, t_dtb_fragment,
        t_highmem, t_iommu, t_description, t_json, t_qemu_config, t_expected) for scripts/kunit.sh to eval

The format: 'key = value' lines; a line that starts with white space continues the value of the line
before; '#' starts a comment line.  Keys (paths relative to the project's top directory, except dtb):
    base, arch        the kernel base (config/bases/) and architecture (config/arch/)       required
    kunitconfig       the workshop's .kunitconfig for the target                           required
    kconfig           more options, inline (CONFIG_X=y ...), added to the profile's own
    series            glob patterns: the .kunitconfig files the series adds that the target runs
    profile           the QEMU machine profile (scripts/qemu.py profiles)                  required
    smp, memory       -smp and -m (MiB) of the boot (default: the profile's)
    cmdline           kernel arguments besides the console
    dtb_fragment      a .dtsi added to the device tree QEMU makes (scripts/kunit.sh: kunit.dtb)
    dtb               a device tree the kernel build makes, a path in the build directory
    highmem           yes: the boot log must show a HighMem zone (default no)
    json              where kunit.py writes its results (default build/kunit-<name>.json)
    tier              who runs the target: check (make check, the default), arches (make check-arches:
                      the other architectures, kept out of CI for its budget) or manual (make kunit
                      T=<name> only)
    suites            the suites that must run                                             required
"""
import argparse
import os
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402  (scripts/qemu.py)

TOP = qemu.TOP
TARGETS = os.path.join(TOP, 'kunit', 'targets')
KEYS = {'base', 'arch', 'kunitconfig', 'kconfig', 'series', 'profile', 'smp', 'memory', 'cmdline',
        'dtb_fragment', 'dtb', 'highmem', 'json', 'suites', 'tier'}
TIERS = ('check', 'arches', 'manual')
REQUIRED = ('base', 'arch', 'kunitconfig', 'profile', 'suites')


class TargetError(Exception):
    pass


def path_of(name: str) -> str:
    return os.path.join(TARGETS, name + '.target')


def names() -> list[str]:
    return sorted(f[:-len('.target')] for f in os.listdir(TARGETS) if f.endswith('.target'))


def parse(text: str, where: str) -> dict[str, str]:
    """The keys of a target file's text; TargetError names the file and line of a mistake."""
    t: dict[str, str] = {}
    key = ''
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith('#'):
            continue
        if line[0].isspace():
            if not key:
                raise TargetError(f'{where}:{n}: a continuation line before any key')
            t[key] += ' ' + line.strip()
            continue
        key, eq, value = (s.strip() for s in line.partition('='))
        if not eq or key not in KEYS:
            raise TargetError(f'{where}:{n}: not a "key = value" line with a known key '
                              f'({" ".join(sorted(KEYS))}): {line.strip()}')
        if key in t:
            raise TargetError(f'{where}:{n}: {key} given twice')
        t[key] = value
    for key in REQUIRED:
        if not t.get(key):
            raise TargetError(f'{where}: no {key} (required keys: {" ".join(REQUIRED)})')
    if t['profile'] not in qemu.PROFILES:
        raise TargetError(f'{where}: unknown profile {t["profile"]} '
                          f'(known: {" ".join(sorted(qemu.PROFILES))})')
    if t.get('highmem', 'no') not in ('yes', 'no'):
        raise TargetError(f'{where}: highmem must be yes or no, not {t["highmem"]}')
    if t.setdefault('tier', 'check') not in TIERS:
        raise TargetError(f'{where}: tier must be one of {" ".join(TIERS)}, not {t["tier"]}')
    if 'dtb' in t and 'dtb_fragment' in t:
        raise TargetError(f'{where}: give dtb or dtb_fragment, not both')
    for key in ('smp', 'memory'):
        if key in t and not t[key].isdigit():
            raise TargetError(f'{where}: {key} must be a number, not {t[key]}')
    return t


def load(name: str) -> dict[str, str]:
    path = path_of(name)
    if not os.path.isfile(path):
        raise TargetError(f'unknown KUnit target {name!r}: no {os.path.relpath(path, TOP)} '
                          f'(known: {" ".join(names())})')
    with open(path, encoding='utf-8') as f:
        return parse(f.read(), os.path.relpath(path, TOP))


def dtb_path(t: dict[str, str], build_dir: str) -> str:
    """The -dtb of the boot: the build's own, or kunit.dtb that kunit.sh makes from the fragment."""
    if 'dtb' in t:
        return os.path.join(build_dir, t['dtb'])
    if 'dtb_fragment' in t:
        return os.path.join(build_dir, 'kunit.dtb')
    return ''


def setup(name: str, build_dir: str = '') -> str:
    """Write the qemu_config and expected-suites files; return the shell assignments."""
    t = load(name)
    build_dir = os.path.abspath(build_dir or os.path.join(TOP, 'build', 'kunit-' + name))
    os.makedirs(build_dir, exist_ok=True)
    p = qemu.PROFILES[t['profile']]
    smp = int(t['smp']) if 'smp' in t else None
    memory = int(t['memory']) if 'memory' in t else None
    qcfg = os.path.join(build_dir, 'qemu_config.py')
    with open(qcfg, 'w', encoding='utf-8') as f:
        f.write(qemu.kunit_config(p, dtb_path(t, build_dir), t.get('cmdline', ''),
                                  tuple(t.get('kconfig', '').split()), smp, memory))
    expected = os.path.join(build_dir, 'expected-suites')
    with open(expected, 'w', encoding='utf-8') as f:
        f.write(f'# Suites that must run on the {name} target ({os.path.relpath(path_of(name), TOP)})\n')
        f.write(''.join(s + '\n' for s in t['suites'].split()))
    values = {
        'build_dir': build_dir, 'base': t['base'], 'arch': t['arch'],
        'kunitconfig': os.path.join(TOP, t['kunitconfig']),
        'series': t.get('series', ''),
        'profile': t['profile'],
        'smp': str(smp or p.smp), 'memory': str(memory or p.memory),
        'dtb_fragment': os.path.join(TOP, t['dtb_fragment']) if 'dtb_fragment' in t else '',
        'dtb': dtb_path(t, build_dir),
        'highmem': '1' if t.get('highmem') == 'yes' else '0',
        'iommu': '1' if p.iommu else '0', 'description': p.description,
        'json': os.path.join(TOP, t.get('json', f'build/kunit-{name}.json')),
        'qemu_config': qcfg, 'expected': expected,
    }
    return ''.join(f't_{k}={shlex.quote(v)}\n' for k, v in values.items())


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog='target.py', description=__doc__.split('\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    ls = sub.add_parser('list')
    ls.add_argument('--tier', choices=TIERS, help='only the targets of this tier')
    s = sub.add_parser('setup')
    s.add_argument('name')
    s.add_argument('--build-dir', default='')
    args = ap.parse_args(argv)
    try:
        if args.cmd == 'list':
            print('\n'.join(n for n in names() if not args.tier or load(n)['tier'] == args.tier))
        else:
            sys.stdout.write(setup(args.name, args.build_dir))
    except (TargetError, OSError) as e:
        print(f'ERROR: {e}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
