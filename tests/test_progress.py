"""Progress that suits its place (issue 18, item 4): a bar on a terminal, plain lines in a log."""

from __future__ import annotations

import io

import numpy as np

from thermo.progress import Progress


class _Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_log_gets_a_plain_line_every_interval_and_a_last_line() -> None:
    stream, clock = io.StringIO(), _Clock()
    bar = Progress(8760, "hour", stream=stream, interval=5.0, clock=clock)
    for done in range(168, 8760, 168):  # 52 batches, 2 s apart
        clock.t += 2.0
        bar.update(done)
    clock.t += 2.0
    bar.update(8760)
    bar.update(8760)  # a second update after the end writes nothing more
    bar.close()
    text = stream.getvalue()
    assert "\r" not in text
    lines = text.splitlines()
    # 104 s of updates, a line when >= 5 s passed since the last: every third update (6 s)
    assert len(lines) == 52 // 3 + 1
    assert lines[-1] == "  hour 8760/8760  (100.0 %)"
    assert lines[0] == f"  hour {3 * 168:4d}/8760  ({100 * 3 * 168 / 8760:5.1f} %)"


def test_disabled_writes_nothing() -> None:
    stream = io.StringIO()
    with Progress(10, "case", stream=stream, enabled=False) as bar:
        bar.update(5)
    assert stream.getvalue() == ""


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_gets_a_tqdm_bar() -> None:
    stream = _Tty()
    bar = Progress(4, "case", stream=stream)
    assert bar._bar is not None
    for k in range(1, 5):
        bar.update(k)
    text = stream.getvalue()
    assert "\r" in text and "4/4" in text


def test_annual_run_in_a_log_has_no_carriage_return(capsys) -> None:
    """The hourly simulator with progress on, standard error captured (not a terminal)."""
    from thermo.case import load_case, run_case

    run = run_case(load_case("winnipeg_year"), progress=True, hours=48)
    err = capsys.readouterr().err
    assert "\r" not in err
    assert err.splitlines()[-1] == "  hour 48/48  (100.0 %)"
    # the run itself: 48 hours recorded, heat added closes against the hourly column
    assert len(run.hourly) == 48
    assert np.isfinite(run.hourly["heat_added_W"]).all()


def test_verify_shows_the_case_count_in_a_log(capsys) -> None:
    from thermo.cli import main
    from thermo.verification import all_cases

    main(["verify", "-k", "friction"])
    err = capsys.readouterr().err
    n = sum("friction" in c.id for c in all_cases())
    assert n > 0 and "\r" not in err
    assert err.splitlines()[-1] == f"  case {n}/{n}  (100.0 %)"
    main(["verify", "-q", "-k", "friction"])
    assert capsys.readouterr().err == ""
