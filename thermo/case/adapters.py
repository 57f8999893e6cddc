"""Small constructors for component types whose case-file keys differ from the class signature.

Each takes the component name, its port nodes and SI keyword arguments (nested sub-tables already
built by :func:`thermo.case.builder.construct`) and returns the component. Errors are
:class:`~thermo.errors.InputError` with ``key="<name>.<case-file key>"`` so that the loader points
at the right line.
"""

from __future__ import annotations

from typing import Any

from thermo.errors import InputError

__all__ = ["cold_plate", "server_tray", "rack", "boiler"]


def cold_plate(name: str, inlet: str, outlet: str, *, resistance_curve: Any = None, **kw: Any):
    """:class:`~thermo.components.cold_plate.ColdPlate`; ``resistance_curve`` -> ``resistance``."""
    from thermo.components.cold_plate import ColdPlate

    if resistance_curve is not None:
        kw["resistance"] = resistance_curve
    return ColdPlate(name, inlet, outlet, **kw)


def _loops(name: str, plates: dict[str, dict[str, Any]], loops: list[list[str]]) -> list:
    from thermo.components.rack import PlateSpec

    out = []
    for loop in loops:
        row = []
        for label in loop:
            if label not in plates:
                known = ", ".join(f'"{k}"' for k in plates) or "none"
                raise InputError(
                    f'loop names plate "{label}", which is not defined in `plates` '
                    f"(defined: {known})",
                    key=f"{name}.loops",
                )
            kw = dict(plates[label])
            curve = kw.pop("resistance_curve", None)
            if curve is not None:
                kw["resistance"] = curve
            row.append(PlateSpec(label, **kw))
        out.append(row)
    return out


def server_tray(
    name: str,
    inlet: str,
    outlet: str,
    *,
    plates: dict[str, dict[str, Any]],
    loops: list[list[str]],
    **kw: Any,
):
    """:class:`~thermo.components.rack.ServerTray` from named plate blueprints and loops."""
    from thermo.components.rack import ServerTray

    return ServerTray(name, inlet, outlet, loops=_loops(name, plates, loops), **kw)


def rack(name: str, supply: str, *, plates: dict, loops: list[list[str]], **kw: Any):
    """:class:`~thermo.components.rack.Rack`; the case-file port ``return`` is ``return_``."""
    from thermo.components.rack import Rack

    ret = kw.pop("return")
    return Rack(name, supply, ret, loops=_loops(name, plates, loops), **kw)


def boiler(
    name: str,
    inlet: str,
    outlet: str,
    *,
    fuel: str = "gas",
    condensing: bool | None = None,
    **kw: Any,
):
    """:class:`~thermo.components.boiler.Boiler` with a gas (default) or electric plant model."""
    from thermo.components.boiler import Boiler
    from thermo.plant.boiler import ElectricBoiler, GasBoiler

    if fuel == "electric":
        if condensing is not None:
            raise InputError("`condensing` applies to gas boilers only", key=f"{name}.condensing")
        plant = ElectricBoiler()
    else:
        plant = GasBoiler() if condensing is None else GasBoiler(condensing=condensing)
    return Boiler(name, inlet, outlet, boiler=plant, **kw)


def pipe(
    name: str, inlet: str, outlet: str, *, fittings: Any = None, k_minor: float = 0.0, **kw: Any
):
    """A Pipe whose named ``fittings`` (:mod:`thermo.correlations.fitting_list`) add their K to
    ``k_minor``."""
    from thermo.components.base import check_nonnegative, check_positive
    from thermo.components.pipe import Pipe

    k = check_nonnegative(k_minor, "k_minor", name)
    if fittings:
        from thermo.correlations.fitting_list import fittings_k

        k += fittings_k(fittings, check_positive(kw.get("diameter"), "diameter", name))
    return Pipe(name, inlet, outlet, k_minor=k, **kw)
