# SPDX-License-Identifier: GPL-2.0
"""Tests of scripts/lint_objects.py: make lint's w1-sparse step takes the objects it checks from the
configuration and the kbuild Makefiles, not from what a previous build left on disk (issue 13, defect 1).

Run from the project root: python3 -m unittest discover -s tests -t .
"""
from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import unittest

from tests.util import load_script

HERE = os.path.dirname(os.path.abspath(__file__))
lint_objects = load_script('lint_objects')

# A small tree shaped like the kernel's (kernel/dma, mm, lib, drivers/media), with its Kbuild lists.
FILES = {
    'Kbuild': 'obj-y += kernel/ mm/\nobj-$(CONFIG_MEDIA_SUPPORT) += drivers/\n',
    'kernel/Makefile': 'obj-y += fork.o\nobj-y += dma/\nobj-$(CONFIG_CGROUPS) += cgroup/\n',
    'kernel/dma/Makefile': (
        'obj-$(CONFIG_HAS_DMA) += mapping.o direct.o\n'
        'obj-$(CONFIG_DMA_API_DEBUG) += debug.o\n'
        'obj-$(CONFIG_DMA_API_DEBUG_KUNIT_TEST) += debug_kunit.o\n'
        'CFLAGS_debug.o := -DDEBUG\n'),
    'kernel/cgroup/Makefile': 'obj-y := cgroup.o\n',
    'mm/Makefile': (
        'mmu-y := nommu.o\n'
        'mmu-$(CONFIG_MMU) := highmem.o memory.o \\\n\t   mincore.o\n'
        'obj-y := filemap.o $(mmu-y)\n'
        'ifdef CONFIG_MMU\n\tobj-$(CONFIG_ADVISE_SYSCALLS) += madvise.o\nendif\n'
        'ifneq ($(CONFIG_SMP),y)\nobj-y += up.o\nelse\nobj-y += smp.o\nendif\n'
        'obj-y += slub.o\n'),
    'drivers/Makefile': 'obj-y += media/\n',
    'drivers/media/Makefile': (
        'vb2-objs := vb2-core.o vb2-memops.o\n'
        'vb2-$(CONFIG_VB2_CONTIG) += vb2-contig.o\n'
        'obj-$(CONFIG_VB2) += vb2.o\n'
        'mc-objs := mc-device.o\n'
        'ifeq ($(CONFIG_MEDIA_CONTROLLER),y)\nobj-$(CONFIG_MEDIA_SUPPORT) += mc.o\nendif\n'),
}
CONFIG = '''CONFIG_HAS_DMA=y
CONFIG_DMA_API_DEBUG=y
CONFIG_DMA_API_DEBUG_KUNIT_TEST=m
# CONFIG_CGROUPS is not set
CONFIG_MMU=y
CONFIG_ADVISE_SYSCALLS=y
CONFIG_SMP=y
CONFIG_MEDIA_SUPPORT=y
CONFIG_VB2=y
CONFIG_VB2_CONTIG=y
'''


class LintObjects(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.tree = os.path.join(self.tmp.name, 'linux')
        for path, text in FILES.items():
            os.makedirs(os.path.dirname(os.path.join(self.tree, path)), exist_ok=True)
            with open(os.path.join(self.tree, path), 'w', encoding='utf-8') as f:
                f.write(text)
        self.config_path = os.path.join(self.tmp.name, '.config')
        with open(self.config_path, 'w', encoding='utf-8') as f:
            f.write(CONFIG)
        self.config = lint_objects.read_config(self.config_path)

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def chosen(self, *files: str) -> list[str]:
        return lint_objects.select(self.tree, self.config, list(files))[0]

    def run_main(self, *files: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        argv = sys.argv
        sys.argv = ['lint_objects.py', '--tree', self.tree, '--config', self.config_path, *files]
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                rc = lint_objects.main()
        finally:
            sys.argv = argv
        return rc, out.getvalue(), err.getvalue()

    def test_config_y_is_built_in_with_no_build_on_disk(self) -> None:
        # The defect: the old step kept only objects found in build/kunit-virt/, none on a fresh clone.
        self.assertEqual(self.chosen('kernel/dma/debug.c', 'kernel/dma/mapping.c'),
                         ['kernel/dma/debug.o', 'kernel/dma/mapping.o'])

    def test_module_and_unset_are_not_built_in(self) -> None:
        self.assertEqual(self.chosen('kernel/dma/debug_kunit.c', 'kernel/cgroup/cgroup.c'), [])

    def test_variable_lists_and_override(self) -> None:
        # mm/Makefile: mmu-$(CONFIG_MMU) := ... replaces mmu-y := nommu.o; obj-y names $(mmu-y).
        self.assertEqual(self.chosen('mm/memory.c', 'mm/mincore.c', 'mm/nommu.c', 'mm/filemap.c'),
                         ['mm/memory.o', 'mm/mincore.o', 'mm/filemap.o'])

    def test_conditionals(self) -> None:
        self.assertEqual(self.chosen('mm/madvise.c', 'mm/up.c', 'mm/smp.c'), ['mm/madvise.o', 'mm/smp.o'])
        self.config['CONFIG_SMP'] = 'n'
        del self.config['CONFIG_MMU']
        self.assertEqual(self.chosen('mm/madvise.c', 'mm/up.c', 'mm/smp.c', 'mm/nommu.c'),
                         ['mm/up.o', 'mm/nommu.o'])

    def test_composite_objects(self) -> None:
        self.assertEqual(self.chosen('drivers/media/vb2-core.c', 'drivers/media/vb2-contig.c'),
                         ['drivers/media/vb2-core.o', 'drivers/media/vb2-contig.o'])
        self.config['CONFIG_VB2'] = 'm'
        self.assertEqual(self.chosen('drivers/media/vb2-core.c'), [])
        # mc.o is added only under ifeq ($(CONFIG_MEDIA_CONTROLLER),y), which is not set.
        self.assertEqual(self.chosen('drivers/media/mc-device.c'), [])

    def test_directory_not_descended_into(self) -> None:
        self.config['CONFIG_MEDIA_SUPPORT'] = 'm'
        self.assertEqual(self.chosen('drivers/media/vb2-core.c'), [])

    def test_headers_and_unknown_files_are_not_objects(self) -> None:
        self.assertEqual(self.chosen('kernel/dma/debug.h', 'kernel/dma/none.c'), [])

    def test_main_fails_when_nothing_is_built(self) -> None:
        rc, out, err = self.run_main('kernel/cgroup/cgroup.c', 'kernel/dma/debug_kunit.c')
        self.assertEqual(rc, 1)
        self.assertEqual(out, '')
        self.assertIn('kernel/cgroup/cgroup.c', err)
        self.assertIn('nothing to check', err)

    def test_main_fails_without_a_config(self) -> None:
        os.remove(self.config_path)
        rc, _, err = self.run_main('kernel/dma/debug.c')
        self.assertEqual(rc, 1)
        self.assertIn('no configuration', err)

    def test_main_prints_the_objects(self) -> None:
        rc, out, err = self.run_main('kernel/dma/debug.c', 'kernel/cgroup/cgroup.c')
        self.assertEqual((rc, out), (0, 'kernel/dma/debug.o\n'))
        self.assertIn('not built in by', err)


if __name__ == '__main__':
    unittest.main()
