# SPDX-License-Identifier: GPL-2.0
"""scripts/lib.sh patch_notes: the test narration below a patch's '---' comes back as the commit's
note when make tree applies the series, so that make export gives the same files again."""
from __future__ import annotations

import os
import subprocess
import unittest

from tests.util import TOP

LOGS = os.path.join(TOP, 'tests', 'logs')


def patch_notes(name: str) -> str:
    return subprocess.run(['bash', '-c', '. scripts/lib.sh && patch_notes "$1"', 'bash',
                           os.path.join(LOGS, name)], cwd=TOP, check=True, text=True,
                          capture_output=True, env=dict(os.environ, BASE='7.2')).stdout


class PatchNotes(unittest.TestCase):
    def test_notes_come_back_whole(self) -> None:
        notes = patch_notes('patch-with-notes.patch').rstrip('\n').split('\n')
        self.assertEqual(notes[0], 'On 7.2.13 without this patch, QEMU virt with -m 1280, mem=1024M and a no-map')
        self.assertIn('', notes)	# a blank line inside the note is kept
        self.assertIn('    not ok 1 beyond-mem', notes)	# and its own indentation
        self.assertEqual(notes[-1], 'that memory with pages is still described with them.')
        self.assertFalse([n for n in notes if 'dma-mapping.c' in n or n.startswith('diff')])

    def test_no_notes(self) -> None:
        self.assertEqual(patch_notes('patch-without-notes.patch').strip(), '')


if __name__ == '__main__':
    unittest.main()
