"""Open a report in a real headless browser (Chromium): does it load, does every plot decode?

Used by the tests (tests/test_report_html.py) and by ``tools/docs_images.py``. The page is copied
next to itself with a probe script appended (the report itself carries no script); the probe waits
for the load event (every image loaded and decoded, or failed), counts the images that have a
size and writes what it found into the DOM, which ``--dump-dom`` prints. Chromium runs with every
network feature off; a page that tried to reach the network would show it in the console log,
which is returned too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["chromium", "BrowserCheck", "check_page", "screenshot"]

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
)

_PROBE = """
<script>
window.__errors = [];
window.addEventListener("error", function (e) { window.__errors.push(String(e.message)); }, true);
window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.images);
  var n = imgs.filter(function (im) { return im.complete && im.naturalWidth > 0; }).length;
  var p = document.createElement("pre");
  p.id = "thermo-probe";
  p.textContent = "PROBE images=" + imgs.length + " decoded=" + n +
    " errors=" + window.__errors.length + " title=" + document.title.length + " END";
  document.body.appendChild(p);
});
</script>
"""

_RESULT = re.compile(r"PROBE images=(\d+) decoded=(\d+) errors=(\d+) title=(\d+) END")


def chromium() -> str | None:
    """The Chromium executable on PATH (Debian: ``chromium``), or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class BrowserCheck:
    """What the probe saw: images on the page, images decoded, script errors, the console log."""

    images: int
    decoded: int
    errors: int
    loaded: bool
    console: str


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)


def check_page(page: Path, *, timeout: float = 120.0) -> BrowserCheck:
    """Load ``page`` (an HTML file) headless and report what the probe found."""
    exe = chromium()
    if exe is None:
        raise FileNotFoundError("no chromium on PATH")
    page = Path(page).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        probe = page.with_name(f".{page.stem}.probe.html")
        text = page.read_text(encoding="utf-8")
        at = text.rfind("</body>")
        probe.write_text(text[:at] + _PROBE + text[at:], encoding="utf-8")
        try:
            proc = _run(
                [
                    exe,
                    *_FLAGS,
                    f"--user-data-dir={tmp}",
                    "--enable-logging=stderr",
                    "--v=0",
                    "--virtual-time-budget=10000",
                    "--dump-dom",
                    probe.as_uri(),
                ],
                timeout,
            )
        finally:
            probe.unlink(missing_ok=True)
    m = _RESULT.search(proc.stdout)
    console = "\n".join(
        line for line in proc.stderr.splitlines() if "CONSOLE" in line or "net::" in line
    )
    if m is None:
        return BrowserCheck(0, 0, 0, False, console or proc.stderr[-2000:])
    images, decoded, errors, _ = (int(g) for g in m.groups())
    return BrowserCheck(images, decoded, errors, True, console)


def screenshot(
    page: Path, png: Path, *, width: int = 1280, height: int = 900, timeout: float = 120.0
) -> Path:
    """A PNG of the top of ``page`` (``width`` x ``height`` pixels) written to ``png``."""
    exe = chromium()
    if exe is None:
        raise FileNotFoundError("no chromium on PATH")
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        proc = _run(
            [
                exe,
                *_FLAGS,
                f"--user-data-dir={tmp}",
                f"--window-size={width},{height}",
                f"--screenshot={png}",
                Path(page).resolve().as_uri(),
            ],
            timeout,
        )
    if not png.exists():
        raise RuntimeError(
            f"chromium wrote no screenshot (exit {proc.returncode}): {proc.stderr[-800:]}"
        )
    return png
