"""Verification cases of the buffer tank in the annual study (``storage.*``); explained in
docs/validation/annual.md (section "Storage tank").

The hourly tank (:func:`thermo.facility.annual_storage.run_tank`) is implicit Euler with one-hour
steps. A fully mixed tank of mass ``M`` discharging into a feed of flow ``m`` at ``T_f``
(temperature-limited, no loss) relaxes as ``T - T_f = (T0 - T_f) exp(-t/tau)``, ``tau = M/m``
(first-order lumped system; Incropera et al., *Fundamentals of Heat and Mass Transfer*, 7th ed.,
sec. 5.2). Four cases:

* ``storage.hourly_tank_discrete_form`` — the model against the exact solution of its own
  scheme, ``T_n - T_f = (T0 - T_f)/(1 + r)^n`` (``r = Δt/tau``), to 1e-9 K (rounding): the
  piecewise-linear root and the hour-to-hour carry are right.
* ``storage.hourly_tank_closed_form`` — the 1-h temperature after 12 hours against the exact
  exponential. The tank is the flagship variant's (1200 m³ discharging at 40 kg/s: tau = 8.2 h,
  r = 0.122), a 20 K swing. Tolerance: implicit Euler's local error is ``r²/2`` of the distance
  to equilibrium to leading order, the distance decays as ``exp(-t/tau)``, so the global error
  after ``n`` steps is ``n r²/2 exp(-n r) (T0 - T_f)`` + O(r³) = 0.41 K; 0.5 K leaves 25 % for
  the higher-order terms at r = 0.12 (the rigorous bound ``n r²/2 (T0 - T_f)`` = 1.8 K is looser).
* ``storage.stratified_plug_flow_delivery`` — the ideally stratified tank
  (:mod:`thermo.facility.stratified_storage`) discharging for 2 hours delivers its initial
  temperature the whole time (plug flow: the feed front reaches the top only after M/m), to
  1e-12 relative.
* ``storage.hourly_tank_substep_convergence`` — the same run with 60 steps per hour (inputs held
  within the hour): the leading-order error falls 60-fold, to 0.0069 K; tolerance 0.01 K.
"""

from __future__ import annotations

import math

import numpy as np

from thermo.verification import VerificationCase

__all__ = ["CASES", "hourly_tank_error", "stratified_delivery_error"]

K = 273.15
VOLUME = 1200.0
"""The flagship variant's tank [m³]."""
FEED = 40.0
"""The flagship greenhouse loop's flow [kg/s]."""
HOURS = 12
T0, T_FEED = K + 70.0, K + 50.0


def _lossless_tank(stratified: bool = False):
    """The test tank: :data:`VOLUME` at ``T0``, no heat loss, no charging."""
    from thermo.facility.annual_storage import MixedTank

    return MixedTank(
        volume=VOLUME,
        max_temperature=K + 95.0,
        initial_temperature=T0,
        ambient_temperature=K + 10.0,
        u_value=0.0,
        charge_flow=0.0,
        stratified=stratified,
    )


def hourly_tank_error(steps_per_hour: int = 1) -> tuple[float, float]:
    """(error of the tank temperature after :data:`HOURS` against the exponential [K], error
    against the implicit-Euler closed form ``(T0 - T_f)/(1 + r)^n`` [K])."""
    from thermo.facility.annual_storage import run_tank

    tank = _lossless_tank()
    n = HOURS * steps_per_hour
    dt = 3600.0 / steps_per_hour
    y = run_tank(
        tank,
        surplus=np.zeros(n),
        need=np.full(n, 1e12),  # never need-limited: the temperature limits the discharge
        T_source=np.full(n, T0),
        T_feed=np.full(n, T_FEED),
        feed_flow=np.full(n, FEED),
        step_s=dt,
    )
    tau = tank.density * VOLUME / FEED
    exact = T_FEED + (T0 - T_FEED) * math.exp(-HOURS * 3600.0 / tau)
    r = dt / tau
    discrete = T_FEED + (T0 - T_FEED) * (1.0 + r) ** (-n)
    return float(y.temperature[-1] - exact), float(y.temperature[-1] - discrete)


_SOURCE = (
    "Closed form of a fully mixed tank (first-order lumped system, Incropera et al., "
    "Fundamentals of Heat and Mass Transfer, 7th ed., sec. 5.2)"
)


def stratified_delivery_error() -> float:
    """Ideally stratified tank (plug flow) at ``T0`` discharging into the feed: the heat given in
    the first 2 hours against ``m c (T0 - T_f) · 7200 s``, relative (the thermocline has not
    reached the top: 2 h < M/m = 8.2 h)."""
    from thermo.facility.annual_storage import run_tank

    tank = _lossless_tank(stratified=True)
    y = run_tank(
        tank,
        surplus=np.zeros(2),
        need=np.full(2, 1e12),
        T_source=np.full(2, T0),
        T_feed=np.full(2, T_FEED),
        feed_flow=np.full(2, FEED),
    )
    exact = FEED * tank.cp * (T0 - T_FEED) * 7200.0
    return float(y.discharge.sum() * 3600.0 / exact - 1.0)


CASES: list[VerificationCase] = [
    VerificationCase(
        id="storage.stratified_plug_flow_delivery",
        kind="analytic",
        title="Ideally stratified tank: 2 h of discharge at the initial temperature (plug flow)",
        source="Plug flow through a tank: the outlet stays at the initial temperature until V/Q",
        quantity="heat delivered, relative error",
        reference=0.0,
        unit="-",
        compute=stratified_delivery_error,
        abs_tol=1e-12,
        notes=(
            "The parcel stack has no numerical dispersion: the top water leaves at 70 degC until "
            "the feed water (50 degC) reaches the top after M/m = 8.2 h; rounding only."
        ),
    ),
    VerificationCase(
        id="storage.hourly_tank_discrete_form",
        kind="analytic",
        title="Hourly buffer tank: 12 h of discharge against its scheme's closed form (1+r)^-n",
        source="Implicit Euler on the first-order tank equation, solved in closed form",
        quantity="tank temperature error after 12 h",
        reference=0.0,
        unit="K",
        compute=lambda: hourly_tank_error(1)[1],
        abs_tol=1e-9,
        notes="Rounding only: checks the hour's root and the carry from hour to hour.",
    ),
    VerificationCase(
        id="storage.hourly_tank_closed_form",
        kind="analytic",
        title="Hourly buffer tank (1-h implicit Euler) after 12 h of discharge vs the exponential",
        source=_SOURCE,
        quantity="tank temperature error after 12 h",
        reference=0.0,
        unit="K",
        compute=lambda: hourly_tank_error(1)[0],
        abs_tol=0.5,
        notes=(
            "Leading-order global error n r^2/2 exp(-n r) (T0 - T_f) = 0.41 K (1200 m3 at "
            "40 kg/s, tau = 8.2 h, 20 K swing); 0.5 K leaves 25 % for O(r^3). Implicit Euler lags "
            "the exponential (the hourly tank gives its heat a little later; energy is conserved "
            "exactly)."
        ),
    ),
    VerificationCase(
        id="storage.hourly_tank_substep_convergence",
        kind="analytic",
        title="The same tank with 60 steps per hour converges to the exponential",
        source=_SOURCE,
        quantity="tank temperature error after 12 h",
        reference=0.0,
        unit="K",
        compute=lambda: hourly_tank_error(60)[0],
        abs_tol=0.01,
        notes="First order: the leading-order error falls 60-fold, to 0.0069 K.",
    ),
]
