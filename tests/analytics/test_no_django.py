"""trustlens.analytics is pure Python: importing every module of it never imports Django."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import trustlens.analytics

SCRIPT = """
import importlib, pkgutil, sys
import trustlens.analytics as pkg
names = [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]
for name in names:
    importlib.import_module(name)
import trustlens.cli.measures
bad = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
assert not bad, bad
print(len(names))
"""


def test_every_analytics_module_imports_without_django():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout.strip().splitlines()[-1]) >= 15
    assert "trustlens.analytics.measures.progress8" in {
        m.name for m in pkgutil.walk_packages(trustlens.analytics.__path__, "trustlens.analytics.")
    }
