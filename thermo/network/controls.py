"""Controls as equations: an actuator unknown (pump speed, valve opening, heat) and a setpoint.

A :class:`Control` adds one unknown ``u`` — the value of a controllable parameter of one component
(``Pump.speed``, ``Valve.opening``, ``HeatLoad.heat``) — and one equation, its target:

- :class:`DifferentialPressure`: ``p_high - p_low = value`` [Pa]
- :class:`MassFlow`: flow through a branch ``= value`` [kg/s]
- :class:`VolumeFlow`: volume flow through a branch (at its upstream density) ``= value`` [m³/s]
- :class:`NodeTemperature`: temperature of a node ``= value`` [K]

Bounds: when the unconstrained solution needs ``u`` outside ``[lower, upper]`` the actuator is held
at the bound and the control is reported **saturated** (the setpoint is missed, with the achieved
value reported) instead of failing to converge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thermo.errors import InputError


@dataclass(frozen=True)
class DifferentialPressure:
    """Target ``p[high] - p[low] = value`` [Pa]."""

    high: str
    low: str
    value: float


@dataclass(frozen=True)
class MassFlow:
    """Target mass flow through branch ``component`` [kg/s]."""

    component: str
    value: float


@dataclass(frozen=True)
class VolumeFlow:
    """Target volume flow through branch ``component`` [m³/s], at the upstream density."""

    component: str
    value: float


@dataclass(frozen=True)
class NodeTemperature:
    """Target temperature of ``node`` [K]."""

    node: str
    value: float


Target = DifferentialPressure | MassFlow | VolumeFlow | NodeTemperature


class Control:
    """Adjust ``parameter`` of ``component`` so that ``target`` holds, within ``[lower, upper]``.

    ``action`` says, as on a process controller, which way the actuator acts: ``"direct"`` when
    raising it raises the measured value (pump speed → pressure difference, heat → temperature),
    ``"reverse"`` when it lowers it (fan speed → leaving water temperature). With ``None``
    (default) the solver finds it from the network: the sign of the steady-state gain at the
    first converged state. The action decides saturation like a controller's anti-windup: a
    control on its upper bound whose setpoint still needs more (a direct-acting control below
    its setpoint) is saturated; one that needs less is released. State the action when the
    plant's response is not monotonic over the actuator's range (e.g. a valve whose extra flow
    also dilutes the temperature it controls), where a local gain can have the wrong sign.
    """

    def __init__(
        self,
        name: str,
        *,
        component: str,
        parameter: str,
        target: Target,
        lower: float,
        upper: float,
        initial: float | None = None,
        action: str | None = None,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise InputError(f"control name must be a non-empty string, got {name!r}", key="name")
        self.name = name
        self.component = component
        self.parameter = parameter
        if not isinstance(target, (DifferentialPressure, MassFlow, VolumeFlow, NodeTemperature)):
            raise InputError(
                "target must be DifferentialPressure, MassFlow, VolumeFlow or NodeTemperature, "
                f"got {target!r}",
                key=f"{name}.target",
            )
        self.target = target
        if not (np.isfinite(lower) and np.isfinite(upper) and lower < upper):
            raise InputError(
                f"bounds must be finite with lower < upper, got [{lower}, {upper}]",
                key=f"{name}.lower",
            )
        self.lower = float(lower)
        self.upper = float(upper)
        self.initial = initial
        if action not in (None, "direct", "reverse"):
            raise InputError(
                f"action must be 'direct' (raising the actuator raises the measured value), "
                f"'reverse' (it lowers it) or None (found from the network), got {action!r}",
                key=f"{name}.action",
            )
        self.action = action
        self.sign: int | None = {"direct": 1, "reverse": -1, None: None}[action]
        """+1 (direct acting), -1 (reverse acting) or None until found (see ``action``)."""

    # -------------------------------------------------------------- used by the assembly
    def bind(self, j: int, system, branch_pos: dict[str, int], node_id: dict[str, int]) -> None:
        self.index = j
        if self.component not in branch_pos:
            raise InputError(
                f"control acts on unknown component {self.component!r}",
                key=f"{self.name}.component",
            )
        self.branch = branch_pos[self.component]
        comp = system.branches[self.branch]
        if self.parameter not in comp.controllable:
            allowed = ", ".join(comp.controllable) or "nothing"
            raise InputError(
                f"{type(comp).__name__} {comp.name!r} has no controllable parameter "
                f"{self.parameter!r} (controllable: {allowed})",
                key=f"{self.name}.parameter",
            )
        t = self.target
        try:
            if isinstance(t, DifferentialPressure):
                self._nodes = (node_id[t.high], node_id[t.low])
            elif isinstance(t, NodeTemperature):
                self._nodes = (node_id[t.node],)
            else:
                self._target_branch = branch_pos[t.component]
        except KeyError as exc:
            raise InputError(
                f"control target refers to unknown element {exc.args[0]!r}",
                key=f"{self.name}.target",
            ) from None

    def initial_value(self, system) -> float:
        if self.initial is not None:
            return float(self.initial)
        comp = system.branches[self.branch]
        return float(np.clip(getattr(comp, self.parameter), self.lower, self.upper))

    def columns(self, system) -> list[int]:
        """The unknowns this control's equation may depend on, in a fixed order.

        The Jacobian pattern is built once (see :mod:`thermo.network.assembly`), so the row of a
        control always lists the same columns — the target's unknowns and the actuator ``u`` —
        whether the control is free (the setpoint equation) or held at a bound (``u - bound``),
        with zero coefficients for the columns not used in the current mode.
        """
        lay = system.layout
        t = self.target
        if isinstance(t, DifferentialPressure):
            i, k = self._nodes
            cols = [lay.p.start + i, lay.p.start + k]
        elif isinstance(t, NodeTemperature):
            cols = [lay.T.start + self._nodes[0]]
        elif isinstance(t, MassFlow):
            cols = [lay.m.start + self._target_branch]
        else:  # VolumeFlow: flow and the temperature of either end (the upstream one counts)
            b = self._target_branch
            cols = [
                lay.m.start + b,
                lay.T.start + int(system.inlet[b]),
                lay.T.start + int(system.outlet[b]),
            ]
        return [*cols, lay.u.start + self.index]

    def equation(self, x: np.ndarray, system, node_state: dict, fixed: float | None):
        """Residual and Jacobian coefficients, aligned with :meth:`columns`."""
        lay = system.layout
        col_u = lay.u.start + self.index
        t = self.target
        n_target = (
            3 if isinstance(t, VolumeFlow) else (2 if isinstance(t, DifferentialPressure) else 1)
        )
        if fixed is not None:
            return x[col_u] - fixed, [0.0] * n_target + [1.0]
        if isinstance(t, DifferentialPressure):
            i, k = self._nodes
            return x[lay.p][i] - x[lay.p][k] - t.value, [1.0, -1.0, 0.0]
        if isinstance(t, NodeTemperature):
            (i,) = self._nodes
            return x[lay.T][i] - t.value, [1.0, 0.0]
        b = self._target_branch
        m = x[lay.m][b]
        if isinstance(t, MassFlow):
            return m - t.value, [1.0, 0.0]
        forward = m >= 0
        up = system.inlet[b] if forward else system.outlet[b]
        rho = node_state["rho"][up]
        d_up = -m / rho**2 * node_state["drho_dT"][up]
        return m / rho - t.value, [
            1.0 / rho,
            d_up if forward else 0.0,
            0.0 if forward else d_up,
            0.0,
        ]

    def measured(self, x: np.ndarray, system, node_state: dict) -> float:
        """The achieved value of the target quantity at ``x`` (SI)."""
        value, _ = self.equation(x, system, node_state, None)
        return value + self.target.value

    def residual_scale(self, dp_ref: float, m_ref: float, rho_ref: float = 1000.0) -> float:
        t = self.target
        if isinstance(t, DifferentialPressure):
            return max(abs(t.value), dp_ref)
        if isinstance(t, NodeTemperature):
            return 1.0
        if isinstance(t, MassFlow):
            return max(abs(t.value), m_ref)
        return max(abs(t.value), m_ref / rho_ref)
