"""Verification cases for the power chain (``thermo.power``); explained in docs/validation/power.md."""

from __future__ import annotations

import numpy as np

from thermo.verification import VerificationCase

_MW = 1e6


def _square(low: float, high: float, duty: float, period: float, step: float, n: int) -> np.ndarray:
    t = (np.arange(n) + 0.5) * step
    return np.where((t % period) < duty * period, high, low)


def _chain_run():
    """A day-long 1-s run with every part of the chain active (shared by the balance cases)."""
    from thermo.facility.it_load import TrainingSwing
    from thermo.power import (
        UPS,
        Distribution,
        PowerChain,
        Storage,
        TrainingJob,
        hall_it_power,
        simulate,
    )

    sw = TrainingSwing(checkpoint_interval_s=1800.0, checkpoint_duration_s=60.0)
    it = hall_it_power(
        40 * _MW,
        6.0,
        step_s=1.0,
        jobs=[TrainingJob(0.8, sw, start_h=0.5, stop_h=5.5, ramp_s=30.0)],
        token_rate=1e7,
    )
    chain = PowerChain(
        psu=Storage(30e6, 20 * _MW, 20 * _MW, round_trip=0.98, name="psu"),
        psu_ramp_W_per_s=2 * _MW,
        distribution=Distribution(45 * _MW),
        ups=UPS(48 * _MW),
        cooling_per_it=0.05,
        other_W=0.4 * _MW,
        battery=Storage.from_c_rate(10 * 3.6e9, 2.0),
        ramp_W_per_s=10 * _MW / 60.0,
        cap_W=38 * _MW,
    )
    return simulate(chain, it)


_RUN: list = []


def _run():
    if not _RUN:
        _RUN.append(_chain_run())
    return _RUN[0]


def _battery_balance() -> float:
    return _run().battery.balance_error(1.0)


def _psu_balance() -> float:
    return _run().psu.balance_error(1.0)


def _chain_closure() -> float:
    """|grid − (IT meter + distribution + UPS + cooling + other + battery losses + ΔE)| / grid."""
    r = _run()
    s = r.series
    grid = float(np.sum(s["grid_W"]))
    parts = sum(
        float(np.sum(s[k]))
        for k in ("it_meter_W", "distribution_loss_W", "ups_loss_W", "cooling_W")
    )
    parts += 0.4 * _MW * len(s["grid_W"])
    stored = float(r.battery.energy_J[-1] - r.battery.energy_J[0])
    parts += r.battery.losses_J + stored
    return abs(grid - parts) / grid


def _peak_shave_energy() -> float:
    """Energy a lossless battery delivers to hold a cap under one square pulse [MJ]."""
    from thermo.power import Storage, dispatch

    low, high, cap, width = 20 * _MW, 40 * _MW, 32 * _MW, 300.0
    load = np.full(1200, low)
    load[300 : 300 + int(width)] = high
    st = Storage(1e12, 1e9, 1e9, 0.0, 1.0, 0.5, 1.0)
    res = dispatch(load, 1.0, st, cap_W=cap, recharge_time_s=1e15)
    return float(res.energy_J[0] - res.energy_J.min()) / 1e6


def _ramp_step_energy() -> float:
    """Energy a lossless battery delivers to ramp-limit a load step [MJ]."""
    from thermo.power import Storage, dispatch

    step_w, ramp = 12 * _MW, 10 * _MW / 60.0
    load = np.full(600, 20 * _MW)
    load[60:] += step_w
    st = Storage(1e12, 1e9, 1e9, 0.0, 1.0, 0.5, 1.0)
    res = dispatch(load, 1.0, st, ramp_W_per_s=ramp, recharge_time_s=1e15)
    return float(res.energy_J[0] - res.energy_J.min()) / 1e6


def _ups_eff(x: float, mode: str = "double_conversion"):
    def f() -> float:
        from thermo.power import UPS

        return float(UPS(1e6, mode).efficiency(x))

    return f


def _psu_peak_reduction() -> float:
    """Peak reduction by PSU storage of an idle/compute square wave (0.1 s steps)."""
    from thermo.power import Storage, dispatch

    rack = 135e3  # GB300 NVL72 rack power [W], REFERENCE sec. 2 [S]
    step, period, duty, idle = 0.05, 2.0, 0.625, 0.2
    n = int(600 / step)
    load = _square(idle * rack, rack, duty, period, step, n)
    need = (1.0 - duty) * (1.0 - idle) * duty * period * rack  # J per cycle above the mean
    st = Storage(4.0 * need, rack, rack, 0.1, 0.9, 0.5, 0.98, "psu")
    res = dispatch(
        load,
        step,
        st,
        ramp_W_per_s=0.01 * rack,
        recharge_time_s=30.0,
        initial_meter_W=float(load.mean()),
        follow_window_s=10.0,
    )
    settled = res.meter_W[int(120 / step) :]
    return 1.0 - float(settled.max()) / float(load.max())


_SRC_BAL = "Conservation of energy: Σ(P_in − P_out)·Δt − losses = ΔE_stored (first law)"
_SRC_UPS = (
    "Schneider Electric Galaxy VS: double conversion 'up to 97% at every load level', eConversion "
    "'up to 99%' (quoted by eatonupsus.com [S]); Galaxy VX operation manual 990-5452, Operation "
    "Modes: eConversion reduces the UPS losses 'by a factor three' [V]"
)

CASES: list[VerificationCase] = [
    VerificationCase(
        id="power.battery_energy_balance",
        kind="analytic",
        title="Site battery over a 6-h, 1-s run: in − out − losses = ΔE",
        source=_SRC_BAL,
        quantity="relative balance error",
        reference=0.0,
        unit="-",
        compute=_battery_balance,
        abs_tol=1e-9,
        notes="Issue 16 asks for 1e-9; the update is exact, so the error is round-off (~1e-14).",
    ),
    VerificationCase(
        id="power.psu_energy_balance",
        kind="analytic",
        title="PSU storage over the same run: in − out − losses = ΔE",
        source=_SRC_BAL,
        quantity="relative balance error",
        reference=0.0,
        unit="-",
        compute=_psu_balance,
        abs_tol=1e-9,
        notes="As the battery case.",
    ),
    VerificationCase(
        id="power.chain_energy_closure",
        kind="analytic",
        title="Grid energy = IT + distribution + UPS + cooling + other + battery losses + ΔE",
        source=_SRC_BAL,
        quantity="relative closure error",
        reference=0.0,
        unit="-",
        compute=_chain_closure,
        abs_tol=1e-9,
        notes="Every watt at the grid meter accounted for by stage over the run (UPS energy "
        "balance: input = output + losses by construction; this checks the bookkeeping).",
    ),
    VerificationCase(
        id="power.peak_shave_square_pulse",
        kind="analytic",
        title="Energy to hold a 32 MW cap under a 40 MW, 300 s pulse on 20 MW",
        source="Closed form: E = (P_high − P_cap)·T = 8 MW × 300 s = 2400 MJ (lossless storage)",
        quantity="energy delivered by the storage",
        reference=2400.0,
        unit="MJ",
        compute=_peak_shave_energy,
        rel_tol=1e-9,
        notes="Lossless, unlimited-power storage, no recharge during the pulse: the storage "
        "must supply exactly the area of the pulse above the cap.",
    ),
    VerificationCase(
        id="power.ramp_limited_step",
        kind="analytic",
        title="Energy to ramp-limit a 12 MW step to 10 MW/min",
        source="Closed form: E = ΔP²/(2·r) = (12 MW)² / (2 × 0.1667 MW/s) = 432 MJ, less "
        "ΔP·Δt/2 = 6 MJ for the discrete 1-s ramp: 426 MJ",
        quantity="energy delivered by the storage",
        reference=426.0,
        unit="MJ",
        compute=_ramp_step_energy,
        rel_tol=1e-9,
        notes="Triangle between the step and the ramp; on 1-s steps the meter already rises by "
        "r·Δt in the step of the jump, so the sum Σ(ΔP − k·r·Δt)·Δt over k = 1…ΔP/(rΔt) is "
        "ΔP²/(2r) − ΔP·Δt/2 exactly.",
    ),
    *[
        VerificationCase(
            id=f"power.ups_double_conversion_{int(100 * x)}pct",
            title=f"UPS efficiency in double conversion at {int(100 * x)} % load",
            source=_SRC_UPS,
            quantity="efficiency",
            reference=0.97,
            unit="-",
            compute=_ups_eff(x),
            abs_tol=0.005,
            notes="Default loss coefficients fitted to the flat 97 % claim; ±0.5 point covers "
            "the one-significant-figure vendor statement.",
        )
        for x in (0.25, 0.5, 0.75, 1.0)
    ],
    VerificationCase(
        id="power.ups_eco_50pct",
        title="UPS efficiency in eco mode (eConversion) at 50 % load",
        source=_SRC_UPS,
        quantity="efficiency",
        reference=0.99,
        unit="-",
        compute=_ups_eff(0.5, "eco"),
        abs_tol=0.003,
        notes="Losses divided by 3 [V] from the double-conversion curve give 98.96 %; the "
        "vendor's 'up to 99%' [S]; Eaton's Energy Saver System mode likewise 'increases system "
        "efficiency up to 99%' (Eaton 91PS/93PS UPS user's and installation guide, "
        "P-164000493 rev. 005, 2018, sec. 3.2 [V]).",
    ),
    VerificationCase(
        id="power.psu_smoothing_peak_reduction",
        title="GB300-class PSU storage: peak reduction of an idle/compute training square wave",
        source="NVIDIA developer blog, How New GB300 NVL72 Features Provide Steady Power for AI "
        "(2025): PSU energy storage 'reduce[s] peak grid demand by up to 30%' [V]; training power "
        "shows 'abrupt transitions between idle and high-power states' [V]",
        quantity="peak reduction",
        reference=0.30,
        unit="-",
        compute=_psu_peak_reduction,
        abs_tol=0.02,
        notes="Inputs (not published): 135 kW rack, idle 0.2, 2 s iterations, compute share "
        "0.625, 0.05 s steps, storage 4× one cycle's surplus, input ramp 1 % of rack power per second, meter following the 10-s mean. "
        "With these the ideal smoother removes exactly 1 − mean/peak = 30 %; the case shows "
        "that the storage model reaches the published bound with finite storage. It does not "
        "show that a particular measured trace gives 30 %.",
    ),
]
