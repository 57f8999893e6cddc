"""Server trays and racks as composites: cold plates, quick disconnects and manifold headers.

A **composite** is a plain object with a ``name`` and ``parts()``, the list of branches it adds to a
network (``Network.add`` accepts it directly). Users build racks by count::

    gpu = PlateSpec("gpu", heat=1200.0)               # default GB200-class laws
    cpu = PlateSpec("cpu", heat=300.0, resistance=0.05)
    rack = Rack("rack1", "supply", "return", trays=18, loops=[[cpu, gpu, gpu]] * 2,
                quick_disconnect_kv=2.0, header_diameter=0.032, routing="Z")
    net.add(rack)

Naming: branches ``"rack1.tray03.gpu2"`` (labels counted per tray in loop order), internal nodes
``"rack1.tray03.n1"``, header taps ``"rack1.s03"`` / ``"rack1.r03"``, header segments
``"rack1.supply03"`` / ``"rack1.return03"``.

Manifolds: the supply and return headers are :class:`~thermo.components.pipe.Pipe` segments between
tray taps (Darcy–Weisbach friction, optional fitting loss per segment), so the flow maldistribution
between trays follows from the network. Two routings:

- ``"U"`` (direct return): supply enters and return leaves at the tray-0 end; the trays nearest the
  feed see the largest pressure difference.
- ``"Z"`` (reverse return): return leaves at the far end; every tray's path through the two headers
  has about the same length.

Not modelled: momentum (pressure recovery) in the headers and the branch-dependent tee losses of
dividing and combining flow. Manifold theory (Acrivos et al. 1959; Bajura & Jones 1976; reviewed by
J. Wang, "Theory of flow distribution in manifolds", Chem. Eng. J. 168:1331–1345, 2011) shows that
momentum recovery raises the pressure along a dividing header and can reverse the trends below
when header velocities are high; the model here is the friction-dominated limit, the usual case
for rack manifolds sized for low header velocity (check ``velocity_m_s`` of the header pipes).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from thermo.components.base import Branch, check_nonnegative, check_positive
from thermo.components.cold_plate import (
    DEFAULT_CASE_LIMIT,
    ColdPlate,
    MicrochannelColdPlate,
    pressure_law,
    resistance_law,
)
from thermo.components.pipe import Pipe
from thermo.components.valve import Valve
from thermo.errors import InputError

__all__ = ["PlateSpec", "QuickDisconnect", "ServerTray", "Rack", "rack_summary", "U_HEIGHT"]

U_HEIGHT = 0.04445
"""One rack unit [m] (EIA-310: 1.75 in), the default tray pitch of :class:`Rack`."""


class QuickDisconnect(Valve):
    """A quick-disconnect coupling pair: a fixed flow coefficient ``kv`` [m³/h] from its datasheet.

    ``dp = 1 bar · (ρ/1000) · (V/kv)²`` with ``V`` in m³/h (the Kv definition of IEC 60534-1, as
    :class:`~thermo.components.valve.Valve` at full opening). A datasheet giving ``dp`` at a flow
    converts as ``kv = V [m³/h] / sqrt(dp [bar])``; one giving ``Cv`` [US gpm/psi^0.5] as
    ``kv = 0.865 Cv`` (:func:`thermo.correlations.fittings.cv_to_kv`). No default: couplings differ
    widely (size, valving), so give the value of the part used.
    """

    controllable = ()

    def __init__(self, name: str, inlet: str, outlet: str, *, kv: float) -> None:
        super().__init__(name, inlet, outlet, kv=kv, opening=1.0)


class PlateSpec:
    """Blueprint of one cold plate of a tray (instantiated once per tray by :class:`ServerTray`).

    Parameters
    ----------
    label
        Device label; plates are named ``<tray>.<label><k>`` with k counted per label.
    heat
        Heat into the coolant [W].
    pressure_drop, pressure_drop_exponent, resistance
        Datasheet laws as for :class:`~thermo.components.cold_plate.ColdPlate` (None: defaults).
    case_limit
        Case-temperature limit [K].
    geometry
        A :class:`~thermo.correlations.microchannel.MicrochannelGeometry`: the plate is then a
        :class:`~thermo.components.cold_plate.MicrochannelColdPlate` (``pressure_drop`` and
        ``resistance`` must not be given).
    """

    def __init__(
        self,
        label: str,
        *,
        heat: float,
        pressure_drop: Any = None,
        pressure_drop_exponent: float | None = None,
        resistance: Any = None,
        case_limit: float = DEFAULT_CASE_LIMIT,
        geometry: Any = None,
        extra_resistance: float = 0.0,
    ) -> None:
        if not isinstance(label, str) or not label.isidentifier():
            raise InputError(
                f"plate label must be a short identifier such as 'gpu', got {label!r}", key="label"
            )
        self.label = label
        self.heat = float(check_nonnegative(heat, "heat", label))
        self.case_limit = check_positive(case_limit, "case_limit", label)
        self.geometry = geometry
        self.extra_resistance = extra_resistance
        if geometry is not None:
            if pressure_drop is not None or resistance is not None:
                raise InputError(
                    "give either datasheet laws (pressure_drop, resistance) or a geometry, not both",
                    key=f"{label}.geometry",
                )
            self.pressure_law = self.resistance_law = None
        else:
            # fitted once here, shared by every tray
            self.pressure_law = pressure_law(pressure_drop, pressure_drop_exponent, owner=label)
            self.resistance_law = resistance_law(resistance, owner=label)

    def build(self, name: str, inlet: str, outlet: str) -> Branch:
        """The cold-plate branch of this blueprint."""
        if self.geometry is not None:
            return MicrochannelColdPlate(
                name,
                inlet,
                outlet,
                heat=self.heat,
                geometry=self.geometry,
                case_limit=self.case_limit,
                extra_resistance=self.extra_resistance,
            )
        return ColdPlate(
            name,
            inlet,
            outlet,
            heat=self.heat,
            pressure_drop=self.pressure_law,
            resistance=self.resistance_law,
            case_limit=self.case_limit,
        )

    def __repr__(self) -> str:
        return f"PlateSpec({self.label!r}, heat={self.heat:g})"


def _check_loops(loops: Any, owner: str) -> list[list[PlateSpec]]:
    try:
        out = [list(loop) for loop in loops]
    except TypeError:
        raise InputError(
            "loops must be a list of loops, each a list of PlateSpec in flow order "
            "(e.g. [[cpu, gpu, gpu], [cpu, gpu, gpu]])",
            key=f"{owner}.loops",
        ) from None
    if not out or any(not loop for loop in out):
        raise InputError("loops must contain at least one non-empty loop", key=f"{owner}.loops")
    for loop in out:
        for p in loop:
            if not isinstance(p, PlateSpec):
                raise InputError(
                    f"loops must hold PlateSpec objects, got {type(p).__name__} {p!r}",
                    key=f"{owner}.loops",
                )
    return out


class ServerTray:
    """A server tray: loops of cold plates in parallel, the plates of a loop in series.

    ``inlet → [quick disconnect] → loops in parallel → [quick disconnect] → outlet``. With
    ``quick_disconnect_kv`` None there are no couplings (the loops join the ports directly).

    Parameters
    ----------
    name, inlet, outlet
        Tray name and the two port nodes.
    loops
        ``[[PlateSpec, ...], ...]``: each inner list is one series loop in flow order.
    quick_disconnect_kv
        Kv of the supply and return couplings [m³/h] (each), or None.
    """

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        loops: Sequence[Sequence[PlateSpec]],
        quick_disconnect_kv: float | None = None,
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"tray name must be a non-empty string, got {name!r}", key="name")
        self.name = name
        self.inlet = inlet
        self.outlet = outlet
        self.loops_spec = _check_loops(loops, name)
        parts: list[Branch] = []
        node_count = 0

        def node() -> str:
            nonlocal node_count
            node_count += 1
            return f"{name}.n{node_count}"

        if quick_disconnect_kv is not None:
            kv = check_positive(quick_disconnect_kv, "quick_disconnect_kv", name)
            start, end = node(), node()
            self.qd_in = QuickDisconnect(f"{name}.qd_in", inlet, start, kv=kv)
            self.qd_out = QuickDisconnect(f"{name}.qd_out", end, outlet, kv=kv)
            parts += [self.qd_in, self.qd_out]
        else:
            start, end = inlet, outlet
            self.qd_in = self.qd_out = None
        counts: dict[str, int] = {}
        self.loops: list[list[Branch]] = []
        for loop in self.loops_spec:
            chain = []
            up = start
            for k, spec in enumerate(loop):
                down = end if k == len(loop) - 1 else node()
                idx = counts.get(spec.label, 0)
                counts[spec.label] = idx + 1
                plate = spec.build(f"{name}.{spec.label}{idx}", up, down)
                chain.append(plate)
                up = down
            self.loops.append(chain)
            parts += chain
        if start == end:
            raise InputError(
                "a tray without quick disconnects needs distinct inlet and outlet nodes",
                key=f"{name}.inlet",
            )
        self._parts = parts

    @property
    def plates(self) -> list[Branch]:
        """All cold plates of the tray, loop by loop in flow order."""
        return [p for loop in self.loops for p in loop]

    def parts(self) -> list[Branch]:
        """The branches this tray adds to a network."""
        return list(self._parts)

    def __repr__(self) -> str:
        return f"ServerTray({self.name!r}, plates={len(self.plates)})"


class Rack:
    """A rack of identical server trays fed by supply and return manifold headers.

    Trays are numbered from the feed end (tray 0 nearest the supply inlet, at the bottom when
    ``vertical``). Header segment ``i`` of the supply runs from tap ``i-1`` (the ``supply`` port for
    ``i = 0``, over ``feed_length``) to tap ``i`` over ``tray_pitch``. The return header runs back to
    the tray-0 end (``routing="U"``) or on to the far end (``routing="Z"``, reverse return), leaving
    over ``feed_length`` to the ``return_`` port. With ``vertical`` the segments rise or fall by
    their length (hydrostatic head in the pipes; a closed loop cancels it except for the density
    difference between supply and return).

    Parameters
    ----------
    name, supply, return_
        Rack name and the two port nodes to connect to the loop.
    trays
        Number of trays (>= 1).
    loops, quick_disconnect_kv
        Tray layout, see :class:`ServerTray`.
    header_diameter
        Inner diameter of both headers [m].
    tray_pitch
        Distance between tray taps [m]; default one rack unit (:data:`U_HEIGHT`).
    feed_length
        Header length from the port to the first (or last) tap [m]; default ``tray_pitch``.
    routing
        ``"U"`` or ``"Z"``.
    roughness
        Header wall roughness [m] (default 1.5e-6 m, drawn tube).
    segment_k_minor
        Fitting loss per header segment [-] (e.g. a tee run-through; Crane TP-410 gives
        ``K = 20 f_T`` ≈ 0.4–0.5 for small tees); default 0.
    vertical
        Headers vertical (trays stacked upward from tray 0); default True.
    """

    def __init__(
        self,
        name: str,
        supply: str,
        return_: str,
        *,
        trays: int,
        loops: Sequence[Sequence[PlateSpec]],
        header_diameter: float,
        quick_disconnect_kv: float | None = None,
        tray_pitch: float = U_HEIGHT,
        feed_length: float | None = None,
        routing: str = "U",
        roughness: float = 1.5e-6,
        segment_k_minor: float = 0.0,
        vertical: bool = True,
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"rack name must be a non-empty string, got {name!r}", key="name")
        self.name = name
        if isinstance(trays, bool) or not isinstance(trays, (int, np.integer)) or trays < 1:
            raise InputError(
                f"trays must be a whole number >= 1, got {trays!r}", key=f"{name}.trays"
            )
        if routing not in ("U", "Z"):
            raise InputError(
                f"routing must be 'U' (direct return) or 'Z' (reverse return), got {routing!r}",
                key=f"{name}.routing",
            )
        if supply == return_:
            raise InputError(
                "supply and return ports must be different nodes", key=f"{name}.supply"
            )
        self.supply = supply
        self.return_ = return_
        self.routing = routing
        self.header_diameter = check_positive(header_diameter, "header_diameter", name)
        pitch = check_positive(tray_pitch, "tray_pitch", name)
        feed = pitch if feed_length is None else check_positive(feed_length, "feed_length", name)
        k_seg = check_nonnegative(segment_k_minor, "segment_k_minor", name)
        n = int(trays)
        width = max(2, len(str(n - 1)))
        s = [f"{name}.s{i:0{width}d}" for i in range(n)]
        r = [f"{name}.r{i:0{width}d}" for i in range(n)]
        pipe_kw = {"diameter": self.header_diameter, "roughness": roughness, "k_minor": k_seg}
        self.supply_header: list[Pipe] = []
        self.return_header: list[Pipe] = []
        for i in range(n):
            length = feed if i == 0 else pitch
            up = supply if i == 0 else s[i - 1]
            rise = length if (vertical and i > 0) else 0.0
            self.supply_header.append(
                Pipe(
                    f"{name}.supply{i:0{width}d}",
                    up,
                    s[i],
                    length=length,
                    elevation_change=rise,
                    **pipe_kw,
                )
            )
        for i in range(n):
            if routing == "U":
                length = feed if i == 0 else pitch
                down = return_ if i == 0 else r[i - 1]
                rise = -length if (vertical and i > 0) else 0.0
            else:
                last = i == n - 1
                length = feed if last else pitch
                down = return_ if last else r[i + 1]
                rise = length if (vertical and not last) else 0.0
            self.return_header.append(
                Pipe(
                    f"{name}.return{i:0{width}d}",
                    r[i],
                    down,
                    length=length,
                    elevation_change=rise,
                    **pipe_kw,
                )
            )
        self.trays = [
            ServerTray(
                f"{name}.tray{i:0{width}d}",
                s[i],
                r[i],
                loops=loops,
                quick_disconnect_kv=quick_disconnect_kv,
            )
            for i in range(n)
        ]

    @property
    def plates(self) -> list[Branch]:
        """Every cold plate of the rack, tray by tray."""
        return [p for t in self.trays for p in t.plates]

    def parts(self) -> list[Branch]:
        """All branches of the rack: trays, then the supply and return headers."""
        out: list[Branch] = []
        for t in self.trays:
            out += t.parts()
        return out + self.supply_header + self.return_header

    def __repr__(self) -> str:
        return f"Rack({self.name!r}, trays={len(self.trays)}, routing={self.routing!r})"


def rack_summary(result: Any, rack: Rack | ServerTray | Sequence[ServerTray]):
    """Per-tray table of a solved rack: flow, temperatures and the hottest case.

    Parameters
    ----------
    result
        :class:`~thermo.network.results.Results` of a network containing ``rack``.
    rack
        A :class:`Rack`, one :class:`ServerTray` or a list of trays.

    Returns
    -------
    pandas.DataFrame
        Indexed by tray name: ``m_dot_kg_s``, ``V_dot_L_min``, ``flow_ratio`` (to the mean tray
        flow), ``dp_Pa`` (inlet minus outlet port pressure), ``T_in_C``, ``T_out_C``, ``Q_W``,
        ``T_case_max_C``, ``hottest`` (plate name), ``case_margin_min_K``. The hottest case of the
        whole rack is ``table["T_case_max_C"].max()``.
    """
    import pandas as pd

    if isinstance(rack, Rack):
        trays = rack.trays
    elif isinstance(rack, ServerTray):
        trays = [rack]
    else:
        trays = list(rack)
    comp = result.components
    rows = []
    for t in trays:
        firsts = [loop[0].name for loop in t.loops]
        plates = [p.name for p in t.plates]
        case = comp.loc[plates, "T_case_C"]
        rows.append(
            {
                "m_dot_kg_s": float(comp.loc[firsts, "m_dot_kg_s"].sum()),
                "V_dot_L_min": float(comp.loc[firsts, "V_dot_L_min"].sum()),
                "dp_Pa": result.pressure(t.inlet) - result.pressure(t.outlet),
                "T_in_C": result.temperature(t.inlet) - 273.15,
                "T_out_C": result.temperature(t.outlet) - 273.15,
                "Q_W": float(comp.loc[plates, "Q_W"].sum()),
                "T_case_max_C": float(case.max()),
                "hottest": str(case.idxmax()),
                "case_margin_min_K": float(comp.loc[plates, "case_margin_K"].min()),
            }
        )
    table = pd.DataFrame(rows, index=pd.Index([t.name for t in trays], name="tray"))
    table.insert(2, "flow_ratio", table["m_dot_kg_s"] / table["m_dot_kg_s"].mean())
    return table
