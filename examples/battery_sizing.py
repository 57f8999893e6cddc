"""Size the site battery of a 40 MW AI training hall for a grid ramp limit and a peak cap.

A day at 1 s: one synchronous training job on 80 % of the hall (2 s iterations, 60 s checkpoint
every 30 min, starting at 01:00 and stopping at 05:00 with 60 s ramps), GB300-class PSU storage,
a UPS and a lithium-ion battery at 2C. For each battery size the script prints the grid peak,
the share of seconds above 10 MW/min, the seconds the battery could not hold the limits and what
the battery costs in energy; the smallest size with no violation is the answer for this load. At 2C the battery's power
(2 MW per MWh) binds before its energy: the 32 MW job start and stop need about 16 MW.
All sizing inputs are illustrative (see docs/power.md).
"""

from __future__ import annotations

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

MW, MWH = 1e6, 3.6e9

job = TrainingJob(
    0.8,
    TrainingSwing(checkpoint_interval_s=1800.0, checkpoint_duration_s=60.0),
    start_h=1.0,
    stop_h=5.0,
    ramp_s=60.0,
)
it = hall_it_power(40 * MW, 6.0, step_s=1.0, jobs=[job], gpu_floor=0.5, token_rate=2e7)

print(f"{'battery':>8} {'grid peak':>10} {'> 10 MW/min':>12} {'shortfall':>10} {'losses':>8}")
smallest = None
for mwh in (0.5, 1.0, 2.0, 4.0, 8.0):
    chain = PowerChain(
        psu=Storage(30e6, 20 * MW, 20 * MW, round_trip=0.98, name="psu"),
        psu_ramp_W_per_s=2 * MW,
        distribution=Distribution(45 * MW),
        ups=UPS(48 * MW),
        cooling_per_it=0.053,
        battery=Storage.from_c_rate(mwh * MWH, 2.0),
        ramp_W_per_s=10 * MW / 60,
        cap_W=36 * MW,
    )
    m = simulate(chain, it).metrics
    ok = m["shortfall_steps"] == 0
    if ok and smallest is None:
        smallest = mwh
    print(
        f"{mwh:>6.1f} MWh {m['grid_peak_W'] / MW:>7.2f} MW {100 * m['grid_ramp_violation_share']:>10.3f} %"
        f" {int(m['shortfall_steps']):>8d} s {m['battery_loss_kWh'] / 1e3:>5.2f} MWh"
    )
print(f"smallest battery holding both limits: {smallest} MWh" if smallest else "none of them")
