"""The case files shipped with thermo: where they are, finding one by name, copying one.

They live in the repository's top-level ``cases/`` folder and are installed as ``thermo/cases``
(setup.py). Split from :mod:`thermo.case.loader`, which re-exports these functions.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from thermo.case.problems import CaseError, Problem, Where, suggest

__all__ = ["case_folders", "shipped_cases", "resolve_case", "copy_case"]


def case_folders() -> list[Path]:
    """Where the shipped case files are: the repository's top-level ``cases/`` folder (a source
    checkout, an editable install) and the installed package's ``thermo/cases`` (a wheel: the
    same files, put there by setup.py), those that exist, the repository's first."""
    package = Path(str(resources.files("thermo")))
    found = []
    repo = package.parent / "cases"
    if repo.is_dir() and (package.parent / "pyproject.toml").is_file():
        found.append(repo)
    installed = package / "cases"
    if installed.is_dir():
        found.append(installed)
    return found


def shipped_cases() -> dict[str, Path]:
    """Case files shipped with thermo: name -> path (``cases/<name>.toml`` of the repository,
    installed as ``thermo/cases/<name>.toml``); a name in the first folder of
    :func:`case_folders` wins."""
    out: dict[str, Path] = {}
    for root in case_folders():
        for p in sorted(root.glob("*.toml")):
            out.setdefault(p.stem, p)
    return dict(sorted(out.items()))


def resolve_case(case: str | Path) -> tuple[Path, str]:
    """A path, or the name of a shipped case -> (path, label used in messages)."""
    p = Path(case)
    if p.exists() or p.suffix == ".toml" or len(p.parts) > 1:
        return p, str(case)
    shipped = shipped_cases()
    if str(case) in shipped:
        return shipped[str(case)], f"{case}.toml"
    listing = ", ".join(shipped) or "none"
    raise CaseError(
        [
            Problem(
                f'no case file "{case}" and no shipped case of that name'
                f"{suggest(str(case), shipped)} (shipped: {listing}; `thermo cases` lists them)",
                Where(str(case)),
            )
        ]
    )


def copy_case(name: str, directory: str | Path) -> list[Path]:
    """Copy shipped case ``name`` and the files it includes into ``directory``.

    Raises
    ------
    CaseError
        Unknown name, or a target file that already exists (nothing is overwritten).
    """
    shipped = shipped_cases()
    if name not in shipped:
        raise CaseError(
            [
                Problem(
                    f'no shipped case "{name}"{suggest(name, shipped)} (shipped: '
                    f"{', '.join(shipped) or 'none'})",
                    Where(name),
                )
            ]
        )
    src = shipped[name].resolve()
    root = src.parent
    files = [src]
    todo = [src]
    while todo:
        path = todo.pop()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):  # pragma: no cover - shipped files are valid
            continue
        inc = data.get("include", [])
        for rel in [inc] if isinstance(inc, str) else inc:
            p = (path.parent / rel).resolve()
            if p not in files:
                files.append(p)
                todo.append(p)
    target = Path(directory)
    out = []
    for f in files:
        try:
            dest = target / f.relative_to(root)
        except ValueError:  # an include outside the cases folder: copy it next to the case
            dest = target / f.name
        if dest.exists():
            raise CaseError([Problem(f"{dest} exists already; not overwritten", Where(str(dest)))])
        out.append((f, dest))
    written = []
    for f, dest in out:
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(f.read_bytes())
        written.append(dest)
    return written
