# SPDX-License-Identifier: GPL-2.0
"""scripts/boot-lib.sh runs_net_pair: the run boots with the two NICs exactly when the init will run
workload net-pair with the kernel arguments (a run without them fails net-pair; NICs without it are
devices nobody tests)."""
from __future__ import annotations

import subprocess
import unittest

from tests.util import TOP


def runs_net_pair(args: str) -> bool:
    rc = subprocess.run(['bash', '-c', '. scripts/boot-lib.sh && runs_net_pair "$1"', 'bash', args],
                        cwd=TOP, text=True, capture_output=True).returncode
    if rc not in (0, 1):
        raise AssertionError(f'runs_net_pair exited {rc}')
    return rc == 0


class RunsNetPair(unittest.TestCase):
    def test_every_workload(self) -> None:
        self.assertTrue(runs_net_pair('panic=-1'))	# no workloads=: the init runs them all
        self.assertTrue(runs_net_pair('workloads=full'))

    def test_short(self) -> None:
        self.assertTrue(runs_net_pair('panic=-1 workloads=short workloads_exclude=free-mapped'))

    def test_lists(self) -> None:
        self.assertTrue(runs_net_pair('workloads=net-pair'))
        self.assertTrue(runs_net_pair('workloads=cow-storm,net-pair,true-positive'))
        # a list without it, as run.sh passes one
        self.assertFalse(runs_net_pair('panic=-1 workloads=cow-storm,odirect-fork,v4l2-dmabuf,mm-cow,'
                                       'true-positive,free-mapped'))
        self.assertFalse(runs_net_pair('workloads=net-pair-x,x-net-pair'))

    def test_exclude_is_not_a_list(self) -> None:
        self.assertTrue(runs_net_pair('workloads_exclude=net-pair'))


if __name__ == '__main__':
    unittest.main()
