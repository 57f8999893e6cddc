"""Renew the report images shown in docs/cli.md.

    python tools/docs_images.py

Runs the shipped ``data_hall`` case into a temporary folder and copies its four operating-point
plots to ``docs/img/data_hall_*.png``; then runs the report.html browser test with
``THERMO_REPORT_SCREENSHOT`` set, so that ``docs/img/report.png`` is the screenshot the test made
(needs Chromium; the test says so when it is absent).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLOTS = ("flows", "temperature_path", "hydraulic_grade", "schematic")


def main() -> int:
    img = ROOT / "docs" / "img"
    img.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "data_hall"
        cmd = [sys.executable, "-m", "thermo", "run", "data_hall", "--out", str(out), "-q"]
        subprocess.run(cmd, check=True, env=env, cwd=tmp)
        for name in PLOTS:
            shutil.copyfile(out / f"{name}.png", img / f"data_hall_{name}.png")
            print(f"wrote docs/img/data_hall_{name}.png")
    env["THERMO_REPORT_SCREENSHOT"] = str(img / "report.png")
    test = "tests/test_report_html.py::test_page_loads_in_chromium_and_every_plot_shows"
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", test]
    done = subprocess.run(cmd, env=env, cwd=ROOT, check=False)
    if done.returncode == 0:
        print("wrote docs/img/report.png (the screenshot made by the test)")
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main())
