# SPDX-License-Identifier: GPL-2.0
"""What the tests share: loading a workshop script (scripts/NAME.py) as a module."""
from __future__ import annotations

import importlib.util
import os
import sys
import types

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_script(name: str) -> types.ModuleType:
    """Import scripts/NAME.py (the scripts are not a package) and register it as NAME."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, os.path.join(TOP, 'scripts', f'{name}.py'))
    assert spec and spec.loader, name
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
