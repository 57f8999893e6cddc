"""Pump rotors: speed held by the motor, coasting down on a trip, ramped up on a start.

A running pump turns at its set relative speed ``n`` (the motor supplies whatever shaft power the
network asks: quasi-steady hydraulics). When it trips, the motor torque vanishes and the rotor
(inertia ``J`` [kg m²], rated angular speed ``w0`` [rad/s]) slows under the shaft power the pump
still delivers to the fluid, ``P_shaft = P_hydraulic / eta``::

    J w dw/dt = -P_shaft       =>      A n dn/dt = -P_shaft(n),    A = J w0²

For a pump in a fixed system of quadratic resistances the affinity laws give ``P_shaft = P0 n³``
at constant efficiency, hence ``dn/dt = -(P0/A) n²`` and the classical run-down
``n(t) = 1 / (1 + t/T)`` with ``T = J w0² / P0`` (inertia against a load torque proportional to
speed squared; e.g. Stepanoff, *Centrifugal and Axial Flow Pumps*, 2nd ed., Wiley 1957, ch. 13;
verified in ``thermo verify -k transient``). At and near shut-off (a check valve closed behind
the pump) the hydraulic power vanishes, but the impeller still churns: the rotor absorbs at
least :data:`SHUTOFF_POWER_FRACTION` of its power before the trip, times ``n³``, so an isolated
pump keeps running down, as ``1/(1 + t/T0)`` with ``T0 = A / (0.44 P_trip)``.

Each time step advances ``n`` with the integrator's BDF formula, the shaft power taken from the
network at the new speed: :class:`Coasting` makes the speeds extra unknowns of the step's Newton
iteration, so the load follows the network whatever its curve. Friction and windage of the
rotor and the motor are not modelled apart from that floor (they shorten the run-down:
conservative for ride-through).

A start ramps the relative speed linearly from its current value to the set speed in
``start_time`` seconds (a soft starter or drive ramp; the motor's own torque limit is not
modelled).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thermo.components.pump import G, Pump
from thermo.errors import InputError

__all__ = ["PumpRotors", "MIN_SPEED"]

MIN_SPEED = 1e-4
"""Relative speed below which a coasting pump is taken as stopped [-]."""

SHUTOFF_POWER_FRACTION = 0.44
"""Shaft power a centrifugal pump absorbs at zero flow, as a fraction of its power at the
operating point before the trip (scaled with ``n³``) [-]: recirculation in the impeller, disk
friction, bearings and seals. A worked example of Mockridge's correlation for a radial-flow pump
gives 44 % of the design-point power, "a typical result", rising with specific speed
(Karassik et al., *Pump Handbook*, centrifugal pumps chapter, as reproduced on a handbook
site [S]; docs/references.md sec. 13). An assumption [D] for any given pump: give the
datasheet's power at shut-off (``shutoff_power_fraction`` in the rotor data) when it matters."""


@dataclass
class _Rotor:
    name: str
    group: object
    local: int
    A: float  # J w0^2 [J]
    mode: str = "running"  # running | coasting | starting
    target: float = 1.0
    ramp_rate: float = 0.0  # [1/s]
    control: int = -1  # index of a control driving this pump's speed, or -1
    shutoff: float = SHUTOFF_POWER_FRACTION
    P_ref: float = 0.0  # shaft power at speed 1 of the operating point before the trip [W]

    def floor(self, n: float) -> float:
        """Least shaft power the coasting rotor absorbs at relative speed ``n`` [W]."""
        return self.shutoff * self.P_ref * n**3


class PumpRotors:
    """The pumps of a transient network and their speed state."""

    def __init__(self, system, data: dict[str, dict[str, float]]) -> None:
        self.system = system
        self.rotors: dict[str, _Rotor] = {}
        for name, spec in data.items():
            loc = system.group_of.get(name)
            if loc is None or not isinstance(system.branches[loc[0].branch_index[loc[1]]], Pump):
                raise InputError(f"pump data given for {name!r}, which is not a Pump", key=name)
            J = float(spec.get("inertia", 0.0))
            w0 = float(spec.get("rated_speed", 0.0))
            if not (J > 0 and w0 > 0):
                raise InputError(
                    f"pump {name!r} needs inertia > 0 [kg m2] and rated_speed > 0 [rad/s]",
                    key=f"pumps.{name}",
                )
            g, local = loc
            ctl = -1
            for j, c in enumerate(system.controls):
                if c.component == name:
                    ctl = j
            frac = float(spec.get("shutoff_power_fraction", SHUTOFF_POWER_FRACTION))
            if not 0.0 <= frac <= 1.0:
                raise InputError(
                    f"pump {name!r}: shutoff_power_fraction must lie in [0, 1], got {frac}",
                    key=f"pumps.{name}",
                )
            self.rotors[name] = _Rotor(name, g, local, J * w0 * w0, control=ctl, shutoff=frac)
            self.rotors[name].target = float(g.speed[local])

    def rotor(self, name: str) -> _Rotor:
        try:
            return self.rotors[name]
        except KeyError:
            raise InputError(
                f"no rotor data for pump {name!r}: give its inertia and rated speed in "
                "[transient.pumps]",
                key=name,
            ) from None

    def speed(self, name: str, x: np.ndarray) -> float:
        r = self.rotor(name)
        if r.control >= 0 and self.system.control_fixed[r.control] is None:
            return float(x[self.system.layout.u.start + r.control])
        return float(r.group.speed[r.local])

    def set_speed(self, r: _Rotor, n: float) -> None:
        r.group.speed[r.local] = n
        if r.control >= 0:
            # a tripped or starting pump is not driven by its controller: hold the actuator
            self.system.control_fixed[r.control] = n

    def trip(self, name: str, x: np.ndarray, shaft_power: float = 0.0) -> None:
        """Trip pump ``name`` at state ``x``; ``shaft_power`` [W] is its power there (the
        reference of its power at shut-off, :data:`SHUTOFF_POWER_FRACTION`)."""
        r = self.rotor(name)
        n = self.speed(name, x)
        r.mode = "coasting"
        r.P_ref = max(shaft_power, 0.0) / max(n, MIN_SPEED) ** 3
        self.set_speed(r, n)

    def start(self, name: str, start_time: float, x: np.ndarray) -> None:
        r = self.rotor(name)
        n = self.speed(name, x)
        r.mode = "starting"
        r.ramp_rate = max(r.target - n, 0.0) / max(start_time, 1e-9)
        if r.ramp_rate == 0.0:
            r.mode = "running"
        self.set_speed(r, n)

    def stop(self, name: str) -> None:
        """Hold a pump stopped (speed ``MIN_SPEED``) — a standby pump before its start."""
        r = self.rotor(name)
        r.mode = "stopped"
        self.set_speed(r, MIN_SPEED)

    @property
    def dynamic(self) -> list[_Rotor]:
        return [r for r in self.rotors.values() if r.mode in ("coasting", "starting")]

    def ramp(self, t_step_end: float, n_start: dict[str, float], dt: float) -> None:
        """Speeds of starting pumps at the end of a step of length ``dt``."""
        for r in self.rotors.values():
            if r.mode == "starting":
                n = min(n_start[r.name] + r.ramp_rate * dt, r.target)
                self.set_speed(r, n)

    def finish_ramps(self) -> None:
        for r in self.rotors.values():
            if r.mode == "starting" and r.group.speed[r.local] >= r.target - 1e-12:
                r.mode = "running"

    def coast(self, r: _Rotor, P_shaft: float, n_now: float, rate: float, history: float) -> float:
        """New speed of a coasting rotor from the BDF formula ``A (rate n + history) = -k n²``
        with ``k = P_shaft / n_now³`` (see module docstring)."""
        k = max(P_shaft, r.floor(n_now), 0.0) / max(n_now, MIN_SPEED) ** 3
        a = r.A * rate
        c = r.A * history
        if k <= 0.0:
            n = -c / a
        else:
            # the root of k n² + a n + c = 0 with n > 0 (c < 0), in the form free of cancellation
            disc = a * a - 4.0 * k * c
            n = -2.0 * c / (a + np.sqrt(max(disc, 0.0)))
        return max(float(n), MIN_SPEED)


class Coasting:
    """The speeds of coasting rotors as extra unknowns of one time step's Newton iteration.

    For each coasting rotor ``j`` the BDF formula of the run-down reads (module docstring)::

        g_j(x, n) = rate n_j + history_j + P_shaft,j(x, n_j) / (A_j n_j) = 0

    :class:`~thermo.transient.stepper.StepSolver` solves it together with the network's
    equations ``F(x, n) = 0`` (a bordered Newton system: the factorised ``dF/dx`` and, by
    differences on the pump's own law, ``dF/dn``, ``dg/dx`` and ``dg/dn``), so the coupled
    iteration converges as fast as the network alone instead of alternating between speed and
    flow. ``dg/dx`` counts the pump's flow (and its speed control, if any); the effect of the
    temperature on the shaft power (through the density) is left out of the derivatives only.
    """

    def __init__(self, rotors: PumpRotors, coasting: list[_Rotor], rate: float, history: dict):
        self.rotors = rotors
        self.list = coasting
        self.rate = rate
        self.history = np.array([history[r.name] for r in coasting])
        sys_ = rotors.system
        self._group_pos = {id(g): k for k, g in enumerate(sys_.groups)}

    def __len__(self) -> int:
        return len(self.list)

    def speeds(self) -> np.ndarray:
        return np.array([float(r.group.speed[r.local]) for r in self.list])

    def _power(self, r: _Rotor, ctx, x: np.ndarray, dm: float = 0.0, dn: float = 0.0):
        """Shaft power [W] and pressure change [Pa] of ``r``'s pump at ``ctx`` perturbed by
        ``dm`` (its flow) and ``dn`` (its speed)."""
        import copy

        g, i = r.group, r.local
        c = copy.copy(ctx)
        if dm:
            c.m = ctx.m.copy()
            c.m[i] += dm
        saved = g.speed[i]
        held = r.control >= 0
        try:
            if dn:
                if held:
                    c._u_all = ctx._u_all.copy()
                    c._u_all[r.control] += dn
                else:
                    g.speed[i] = saved + dn
            rep = g.report(c)
            P = float(rep["P_shaft_W"][i])
            dp = -float(rep["head_m"][i]) * float(c.rho[i]) * G
        finally:
            g.speed[i] = saved
        return P, dp

    def system(self, x: np.ndarray, ev) -> tuple:
        """``(g, B, C, D)`` at the iterate: residuals ``g`` [1/s], ``B = dF/dn`` (size × k),
        ``C = dg/dx`` as ``(columns, values)`` per rotor, ``D = dg/dn`` (k × k)."""
        sys_ = self.rotors.system
        lay = sys_.layout
        k = len(self.list)
        g_val = np.zeros(k)
        B = np.zeros((lay.size, k))
        C: list[tuple[np.ndarray, np.ndarray]] = []
        D = np.zeros((k, k))
        for j, r in enumerate(self.list):
            ctx = ev.contexts[self._group_pos[id(r.group)]]
            n = float(r.group.speed[r.local])
            m = float(ctx.m[r.local])
            P, dp = self._power(r, ctx, x)
            dn = 1e-7 * max(n, 1e-3)
            P_n, dp_n = self._power(r, ctx, x, dn=dn)
            dmv = 1e-7 * max(abs(m), 1e-6)
            P_m, _ = self._power(r, ctx, x, dm=dmv)
            A = r.A
            dP_dn_floor = None
            if P < r.floor(n):
                # the pump at (or near) shut-off: the power it absorbs anyway, P0 n³
                P, P_n, P_m = r.floor(n), r.floor(n + dn), r.floor(n)
                dP_dn_floor = (P_n - P) / dn
            g_val[j] = self.rate * n + self.history[j] + P / (A * n)
            dg_dP = 1.0 / (A * n)
            cols = [lay.m.start + int(r.group.branch_index[r.local])]
            vals = [dg_dP * (P_m - P) / dmv]
            if r.control >= 0:
                # the speed acts through the held control unknown u: F_u = u - n
                B[lay.u.start + r.control, j] = -1.0
                cols.append(lay.u.start + r.control)
                vals.append(0.0 if dP_dn_floor is not None else dg_dP * (P_n - P) / dn)
                D[j, j] = self.rate - P / (A * n * n)
                if dP_dn_floor is not None:
                    D[j, j] += dg_dP * dP_dn_floor
            else:
                B[2 * lay.n_nodes + int(r.group.branch_index[r.local]), j] = -(dp_n - dp) / dn
                D[j, j] = self.rate - P / (A * n * n) + dg_dP * (P_n - P) / dn
            C.append((np.array(cols), np.array(vals)))
        return g_val, B, C, D

    def apply(self, dn: np.ndarray) -> None:
        for r, d in zip(self.list, dn, strict=True):
            self.rotors.set_speed(r, max(float(r.group.speed[r.local]) + float(d), MIN_SPEED))
