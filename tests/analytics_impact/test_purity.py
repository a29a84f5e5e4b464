"""trustlens.analytics.impact never imports Django (DESIGN.md section 2)."""

import subprocess
import sys


def test_impact_package_imports_without_django():
    code = (
        "import sys; import trustlens.analytics.impact, trustlens.analytics.impact.simulation; "
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
