"""Where a run writes, and how an earlier run's results are replaced (issue 18, item 5).

- The default folder is ``results/<case file stem>``: a copied and renamed case file writes next to,
  never into, the results of the case it was copied from (the ``[case] name`` inside stays the
  same after a copy, the file name does not).
- An earlier run's folder is *replaced*: the files that run wrote (listed in :data:`MANIFEST`) are
  removed first, so a plot of the last run that this run does not make cannot linger beside the new
  results. Files thermo did not write are never touched; a folder that holds such files is written
  into, with a notice.
- ``thermo cases --copy`` adds a ``.gitignore`` with ``results/`` so the outputs of a copied case
  are not committed by accident.
"""

from __future__ import annotations

import re
from pathlib import Path

MANIFEST = ".thermo-outputs"
"""Name of the file listing what the last run wrote into an output folder (one name a line)."""

GITIGNORE_LINE = "results/"


def default_out_dir(case_name: str, case_file: Path | None) -> str:
    """``results/<stem of the case file>``, or ``results/<case name>`` for a case read from text.

    The stem follows the rule of ``[case] name``: characters other than letters, digits, ``_``,
    ``-`` and ``.`` become ``_``; a stem not starting with a letter or digit (``..``) falls back
    to the case name, so the folder is always one plain folder below ``results/``.
    """
    stem = Path(case_file).stem if case_file is not None else ""
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", stem)
    if not re.match(r"[A-Za-z0-9]", stem):
        stem = case_name
    return f"results/{stem}"


def prepare_out_dir(out_dir: Path) -> str | None:
    """Clear the files an earlier run wrote into ``out_dir``; return a notice for the console.

    Returns None when the folder is new or empty. Only names listed in the folder's
    :data:`MANIFEST` (plain file names, no sub-folders) are removed.
    """
    if not out_dir.is_dir():
        return None
    manifest = out_dir / MANIFEST
    removed = 0
    if manifest.is_file():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            name = line.strip()
            if not name or Path(name).name != name or name in (".", ".."):
                continue
            p = out_dir / name
            if p.is_symlink() or p.is_file():
                p.unlink()
                removed += 1
        manifest.unlink()
        others = [p.name for p in out_dir.iterdir()]
        note = f"note: replaced the earlier results in {out_dir} ({removed} files)"
        if others:
            note += f"; {len(others)} other entries there left as they are"
        return note
    others = [p.name for p in out_dir.iterdir()]
    if not others:
        return None
    return (
        f"note: writing into existing folder {out_dir} ({len(others)} entries); "
        "files of the same name are overwritten"
    )


def write_manifest(out_dir: Path, written: list[Path]) -> None:
    """Record the plain file names written into ``out_dir`` for the next :func:`prepare_out_dir`."""
    names = sorted({p.name for p in written if p.parent.resolve() == out_dir.resolve()})
    (out_dir / MANIFEST).write_text("".join(f"{n}\n" for n in names), encoding="utf-8")


def add_gitignore(directory: Path) -> tuple[Path, str] | None:
    """Make ``directory/.gitignore`` ignore ``results/``; return (path, what was done) or None."""
    path = directory / ".gitignore"
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        lines = {ln.strip() for ln in text.splitlines()}
        if lines & {GITIGNORE_LINE, "results", "/results", "/results/"}:
            return None
        sep = "" if not text or text.endswith("\n") else "\n"
        path.write_text(f"{text}{sep}{GITIGNORE_LINE}\n", encoding="utf-8")
        return path, "added results/ to"
    if path.exists():  # a folder or something else called .gitignore: leave it alone
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# outputs of thermo run\n{GITIGNORE_LINE}\n", encoding="utf-8")
    return path, "wrote"
