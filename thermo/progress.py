"""Progress that suits its place (issue 18, item 4).

On a terminal: a tqdm progress bar (it redraws one line with carriage returns). Anywhere else (a
CI log, a file, a pipe): one plain line every few seconds and a last line at the end, never a
carriage return, so a log holds a readable handful of lines instead of thousands of overdrawn ones.
Without tqdm installed, a terminal gets the plain lines too.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

INTERVAL_S = 5.0
"""Seconds between two plain progress lines."""


class Progress:
    """Report ``done`` out of ``total`` steps of ``what`` (``"hour"``, ``"case"``) to ``stream``.

    Parameters
    ----------
    total
        Number of steps.
    what
        Name of one step, printed in each line (``hour 4368/8760 (49.9 %)``).
    stream
        Where to write (default: standard error at the time of the call).
    enabled
        False: do nothing at all (``-q``).
    interval
        Seconds between plain lines (non-terminal streams).
    clock
        Seconds since an arbitrary origin (``time.monotonic``; replaceable in tests).
    """

    def __init__(
        self,
        total: int,
        what: str = "step",
        *,
        stream: TextIO | None = None,
        enabled: bool = True,
        interval: float = INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total, self.what, self.enabled = int(total), what, enabled
        self.stream = sys.stderr if stream is None else stream
        self.interval, self.clock = interval, clock
        self.done = 0
        self.note = ""
        self._bar: Any = None
        self._last = clock()
        self._closed = False
        if enabled and _is_terminal(self.stream):
            try:
                from tqdm import tqdm
            except ImportError:  # pragma: no cover - tqdm is a dependency
                tqdm = None
            if tqdm is not None:
                self._bar = tqdm(
                    total=self.total, unit=what, file=self.stream, leave=True, dynamic_ncols=True
                )

    def update(self, done: int, note: str | None = None) -> None:
        """Set the number of steps done so far (absolute, not an increment); ``note`` (e.g.
        ``"1 failed, ETA 40 s"``) follows the count on the bar and on each plain line."""
        done = min(int(done), self.total)
        if not self.enabled or self._closed:
            return
        if note is not None:
            self.note = note
            if self._bar is not None:
                self._bar.set_postfix_str(note, refresh=False)
        if self._bar is not None:
            self._bar.update(done - self.done)
            self.done = done
            if done >= self.total:
                self.close()
            return
        self.done = done
        now = self.clock()
        if done >= self.total:
            self.close()
        elif now - self._last >= self.interval:
            self._last = now
            self._line()

    def close(self) -> None:
        """End the bar, or write the last plain line; idempotent."""
        if not self.enabled or self._closed:
            return
        self._closed = True
        if self._bar is not None:
            self._bar.close()
        else:
            self._line()

    def _line(self) -> None:
        pct = 100.0 * self.done / self.total if self.total else 100.0
        width = len(str(self.total))
        note = f"  {self.note}" if self.note else ""
        self.stream.write(
            f"  {self.what} {self.done:{width}d}/{self.total}  ({pct:5.1f} %){note}\n"
        )
        self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
