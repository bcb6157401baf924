# SPDX-License-Identifier: GPL-2.0
"""scripts/qemu.py and scripts/target.py: every QEMU command line says what it needs, and only qemu.py
makes them.  Run from the project's top directory: python3 -m unittest discover -s tests -t ."""
import glob
import os
import re
import shutil
import sys
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, 'scripts'))
import qemu  # noqa: E402
import target  # noqa: E402


def says_what_it_needs(argv: list[str]) -> bool:
    """-nodefaults, or at least -nic none (QEMU's default NIC needs the ipxe-qemu package's ROM)."""
    return '-nodefaults' in argv or any(a == '-nic' and b == 'none' for a, b in zip(argv, argv[1:]))


class CommandLines(unittest.TestCase):
    def test_every_boot_says_what_it_needs(self) -> None:
        for name, p in qemu.PROFILES.items():
            with self.subTest(profile=name):
                argv = qemu.boot_argv(p, 'zImage', 'x=1', 'initrd', 'dtb', ('disk.img',))
                self.assertTrue(says_what_it_needs(argv), argv)
                # -nodefaults drops the default serial too: the console must be explicit.
                self.assertIn('-serial', argv)
                self.assertEqual(argv[0], qemu.arch_env(p.arch)['QEMU_BIN'])
                self.assertIn(f'console={qemu.arch_env(p.arch)["CONSOLE"]} x=1', argv)

    def test_every_dumpdtb_says_what_it_needs(self) -> None:
        for name, p in qemu.PROFILES.items():
            with self.subTest(profile=name):
                argv = qemu.dumpdtb_argv(p, 'out.dtb', 2, 1280)
                self.assertTrue(says_what_it_needs(argv), argv)
                self.assertIn(p.machine + ',dumpdtb=out.dtb', argv)

    def test_disks_use_the_dma_api(self) -> None:
        argv = qemu.boot_argv(qemu.PROFILES['arm-virt'], 'k', disks=('a', 'b'))
        self.assertIn('virtio-mmio.force-legacy=false', argv)
        self.assertEqual(sum('iommu_platform=on' in a for a in argv), 2)

    def test_nics_use_the_dma_api_on_one_hub(self) -> None:
        # Workload net-pair: two virtio-net NICs through the DMA API, on one hub and nothing else.
        for name, p in qemu.PROFILES.items():
            with self.subTest(profile=name):
                argv = qemu.boot_argv(p, 'k', nics=('', 'mrg_rxbuf=off'))
                nets = [b for a, b in zip(argv, argv[1:]) if a == '-netdev']
                self.assertEqual(nets, ['hubport,id=nic0,hubid=0', 'hubport,id=nic1,hubid=0'])
                devs = [b for a, b in zip(argv, argv[1:]) if a == '-device' and 'netdev=' in b]
                self.assertEqual(len(devs), 2)
                self.assertTrue(all('iommu_platform=on' in d for d in devs), devs)
                self.assertTrue(devs[1].endswith(',mrg_rxbuf=off'), devs)
                self.assertNotIn('-nic', argv)
                # A PCI NIC has an option ROM (efi-virtio.rom, ipxe-qemu) unless romfile= says none.
                if '-pci' in p.nic_device:
                    self.assertTrue(all(',romfile=,' in d for d in devs), devs)
        self.assertNotIn('-netdev', qemu.boot_argv(qemu.PROFILES['arm-virt'], 'k'))

    def test_only_qemu_py_builds_command_lines(self) -> None:
        # A QEMU option or binary spelt in any other workshop script is a second place.
        spelt = re.compile(r'qemu-system-\w+ |dumpdtb=|(?<![-\w])-machine |-nographic|-no-reboot')
        files = [f for f in glob.glob(os.path.join(TOP, 'scripts', '*')) + glob.glob(
            os.path.join(TOP, 'kunit', '**', '*'), recursive=True)
            if os.path.isfile(f) and os.path.basename(f) != 'qemu.py']
        for f in files:
            with open(f, encoding='utf-8', errors='replace') as fh:
                for n, line in enumerate(fh, 1):
                    code = line.split('#', 1)[0] if f.endswith(('.sh', '.py')) else line
                    with self.subTest(file=os.path.relpath(f, TOP), line=n):
                        self.assertIsNone(spelt.search(code), line.strip())
        self.assertFalse(os.path.exists(os.path.join(TOP, 'kunit', 'qemu_configs')))

    @unittest.skipUnless(shutil.which(qemu.arch_env('arm')['QEMU_BIN']), 'QEMU for arm not installed')
    def test_dumpdtb_runs_here(self) -> None:
        # Without -nodefaults, QEMU 'virt' fails here without ipxe-qemu: failed to find romfile
        # "efi-virtio.rom".
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, 'virt.dtb')
            self.assertEqual(qemu.dumpdtb(qemu.PROFILES['arm-virt'], out, 2, 1280), 0)
            with open(out, 'rb') as f:
                self.assertEqual(f.read(4), b'\xd0\x0d\xfe\xed')	# the FDT magic


class Targets(unittest.TestCase):
    def test_every_target_makes_a_kunit_config(self) -> None:
        for name in target.names():
            with self.subTest(target=name), tempfile.TemporaryDirectory() as d:
                shell = target.setup(name, d)
                self.assertIn(f't_build_dir={d}\n', shell)
                with open(os.path.join(d, 'qemu_config.py'), encoding='utf-8') as f:
                    text = f.read()
                self.assertNotIn('sys.argv', text)
                ns: dict = {}
                # kunit.py imports it as a module of its qemu_configs package: stand in for it.
                code = text.replace('from ..qemu_config import QemuArchParams',
                                    'QemuArchParams = lambda **kw: kw')
                exec(compile(code, 'qemu_config.py', 'exec'), ns)  # noqa: S102
                params = ns['QEMU_ARCH']
                extra = params['extra_qemu_params']
                self.assertIn('-machine', extra)
                if '-dtb' in extra:
                    dtb = extra[extra.index('-dtb') + 1]
                    self.assertTrue(dtb.startswith(d + os.sep), dtb)
                with open(os.path.join(d, 'expected-suites'), encoding='utf-8') as f:
                    suites = [s for s in f.read().split('\n') if s and not s.startswith('#')]
                self.assertEqual(suites, target.load(name)['suites'].split())

    def test_kunit_py_adds_nodefaults(self) -> None:
        # kunit.py spells the start of the command line of a --qemu_config boot itself.
        path = os.path.join(TOP, 'build', 'linux-6.12', 'tools', 'testing', 'kunit', 'kunit_kernel.py')
        if not os.path.isfile(path):
            self.skipTest('no kernel tree in build/linux-6.12')
        with open(path, encoding='utf-8') as f:
            self.assertIn("'-nodefaults'", f.read())

    def test_bad_target_files_are_refused(self) -> None:
        good = 'base = 6.12\narch = arm\nkunitconfig = k\nprofile = arm-virt\nsuites = a\n'
        target.parse(good, 'good')
        for bad in (good.replace('suites = a\n', ''), good + 'colour = red\n',
                    good + 'highmem = maybe\n', good + 'tier = later\n', good + 'check = no\n',
                    good.replace('arm-virt', 'arm-nosuch'),
                    good + 'smp = two\n', '  continued\n' + good, good + 'suites = b\n',
                    good + 'dtb = x\ndtb_fragment = y\n'):
            with self.subTest(text=bad), self.assertRaises(target.TargetError):
                target.parse(bad, 'bad')

    def test_make_check_runs_each_base(self) -> None:
        # make check runs a target of each base: the product (7.2) and the backport (6.12).
        checked = [n for n in target.names() if target.load(n)['tier'] == 'check']
        self.assertEqual({target.load(n)['base'] for n in checked}, {'7.2', '6.12'})
        self.assertIn('virt-6.12', checked)


if __name__ == '__main__':
    unittest.main()
