"""Validation of ``[scenario] it_load``: the IT-load fraction of an annual run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thermo.case.schema import (
    INVALID,
    Context,
    Raw,
    check_keys,
    describe,
    expect_int,
    expect_number,
    expect_str,
)

__all__ = ["it_load_spec", "read_it_load_csv", "GENERATED_IT_LOAD_KEYS"]


def it_load_spec(raw: Raw, ctx: Context, case_dir: Path, *, roots: tuple[Path, ...] = ()) -> Any:
    """``[scenario] it_load``: a fraction, 24 hourly fractions, ``(csv path, column)`` or
    ``("generated", kwargs)``; 1.0 after an error (reported in ``ctx``)."""
    v = raw.value
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        f = expect_number(raw, ctx)
        if f is not INVALID and not 0 <= f <= 2:
            ctx.add(f"an IT-load fraction must lie between 0 and 2, got {v}", raw.src)
            return 1.0
        return 1.0 if f is INVALID else f
    if isinstance(v, list):
        if len(v) != 24 or not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and 0 <= x <= 2 for x in v
        ):
            ctx.add(
                f"expected 24 fractions (0 to 2), one per hour of the day, got {describe(v)}",
                raw.src,
            )
            return 1.0
        return [float(x) for x in v]
    if isinstance(v, dict) and "profile" in v:
        return _generated_it_load(raw, ctx)
    if isinstance(v, dict):
        check_keys(v, ("file", "column"), raw.src, ctx, "`it_load`")
        f = expect_str(Raw(v.get("file"), raw.src.child("file")), ctx, what="a CSV file path")
        c = expect_str(Raw(v.get("column"), raw.src.child("column")), ctx, what="a column name")
        if f is INVALID or c is INVALID:
            return 1.0
        from thermo.case.files import FileProblem, data_file

        try:
            path = data_file(f, case_dir, roots or (case_dir.resolve(),))
        except FileProblem as exc:
            ctx.add(f"{exc} (relative to the case file)", raw.src.child("file"))
            return 1.0
        return (str(path), c)
    ctx.add(
        "expected a fraction, 24 hourly fractions, `{ file = ..., column = ... }` or "
        '`{ profile = "generated", ... }`, got ' + describe(v),
        raw.src,
    )
    return 1.0


GENERATED_IT_LOAD_KEYS = (
    "utilisation",
    "diurnal_amplitude",
    "diurnal_peak_hour",
    "swing_high",
    "swing_low",
    "swing_duty",
    "swing_period_s",
    "swing_ramp_s",
    "checkpoint_interval_s",
    "checkpoint_duration_s",
    "checkpoint_level",
    "idle_level",
    "idle_fraction",
    "idle_block_steps",
    "utilisation_noise",
    "seed",
)
"""Keys of ``it_load = { profile = "generated", ... }``: the keywords of
:func:`thermo.facility.it_load.generated_it_profile` (plain numbers; times in seconds)."""


def _generated_it_load(raw: Raw, ctx: Context) -> Any:
    """``{ profile = "generated", ... }`` -> ``("generated", kwargs)``; the generator itself
    checks the values (on one day) so that its errors point at the key."""
    from thermo.errors import InputError
    from thermo.facility.it_load import generated_it_profile

    v = raw.value
    check_keys(v, ("profile", *GENERATED_IT_LOAD_KEYS), raw.src, ctx, "`it_load`")
    if v["profile"] != "generated":
        ctx.add(f'`profile` must be "generated", got {describe(v["profile"])}', raw.src)
        return 1.0
    kwargs: dict[str, Any] = {}
    for key in GENERATED_IT_LOAD_KEYS:
        if key not in v:
            continue
        r = Raw(v[key], raw.src.child(key))
        if key in ("seed", "idle_block_steps"):
            x = expect_int(r, ctx, 0, 2**63 - 1)
        else:
            x = expect_number(r, ctx)
        if x is INVALID:
            return 1.0
        kwargs[key] = x if key in ("seed", "idle_block_steps") else float(x)
    try:
        generated_it_profile(24, **kwargs)
    except InputError as exc:
        ctx.add(exc.reason, raw.src.child(exc.key) if exc.key in v else raw.src)
        return 1.0
    return ("generated", kwargs)


def read_it_load_csv(path: str, column: str, hours: int) -> list[float]:
    """The first ``hours`` values of ``column`` of the IT-load CSV ``path`` (fractions).

    Errors name the file, the line and the problem, never the file's contents (the file may
    not be what the case claims it is).

    Raises
    ------
    InputError
        Unreadable file, no such column, a value that is not a finite number, too few rows.
    """
    import csv
    import io
    import math

    from thermo.case.files import MAX_DATA_FILE_BYTES, FileProblem, read_limited
    from thermo.errors import InputError

    key = "scenario.it_load"
    try:
        text = read_limited(Path(path), MAX_DATA_FILE_BYTES).decode("utf-8")
    except FileProblem as exc:
        raise InputError(str(exc), key=f"{key}.file", file=path) from None
    except UnicodeDecodeError:
        raise InputError(
            "the IT-load file is not UTF-8 text", key=f"{key}.file", file=path
        ) from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        fields = reader.fieldnames
        if fields is None or column not in fields:
            n = len(fields or ())
            raise InputError(
                f'no column "{column}" in the header line of the IT-load file ({n} columns)',
                key=f"{key}.column",
                file=path,
                line=1,
            )
        values: list[float] = []
        for row in reader:
            if len(values) >= hours:
                break
            try:
                x = float(row[column])
            except (TypeError, ValueError):
                x = math.nan
            if not math.isfinite(x):
                raise InputError(
                    f'column "{column}" holds no finite number on this line',
                    key=key,
                    file=path,
                    line=reader.line_num,
                ) from None
            values.append(x)
    except csv.Error:
        raise InputError(
            "the IT-load file is not a readable CSV file", key=f"{key}.file", file=path
        ) from None
    if len(values) < hours:
        raise InputError(f"{len(values)} IT-load values for {hours} hours", key=key, file=path)
    return values
