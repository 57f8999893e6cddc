"""The parallel-loop benchmark network built in the peer tools (pandapipes, TESPy).

Used by ``parallel_loop.py --peers``; each peer is optional (``pip install '.[bench]'``). Every
function returns a dict with the peer's timing and the same result quantities as thermo's run,
or ``{"error": ...}`` when the peer is missing or fails.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from parallel_loop import DP, Q_BRANCH, ROUGH, SUPPLY_T, D, lengths


def run_peers(args, ours: dict) -> dict:
    out = {}
    for name, fn in (("pandapipes", run_pandapipes), ("tespy", run_tespy)):
        if args.branches > 2048 and name == "tespy":
            out[name] = {"skipped": "TESPy takes about a minute at 1024 branches; run N <= 2048"}
            continue
        try:
            res = fn(args.branches, args.fluid, args.headers, args.repeats)
        except ImportError as exc:
            res = {"error": f"not installed: {exc}"}
        except Exception as exc:  # noqa: BLE001 - a peer failing is reported, not fatal
            res = {"error": f"{type(exc).__name__}: {exc}"}
        if "solve_s" in res:
            res["speed_ratio"] = res["solve_s"] / ours["solve_s"]
            if "solve_cpu_s" in res and "solve_cpu_s" in ours:
                res["speed_ratio_cpu"] = res["solve_cpu_s"] / ours["solve_cpu_s"]
            res["m_first_rel_diff"] = res["m_first_kg_s"] / ours["m_first_kg_s"] - 1
            res["m_last_rel_diff"] = res["m_last_kg_s"] / ours["m_last_kg_s"] - 1
            res["T_return_diff_K"] = res["T_return_C"] - ours["T_return_C"]
        out[name] = res
    return out


def run_pandapipes(n: int, fluid: str, headers: str, repeats: int) -> dict:
    import logging

    import pandapipes as pp

    logging.getLogger("pandapipes").setLevel(logging.ERROR)
    if fluid != "water" or headers != "ideal":
        return {"skipped": "pandapipes comparison implemented for water with ideal headers"}
    t0 = time.perf_counter()
    net = pp.create_empty_network(fluid="water")
    S = pp.create_junction(net, pn_bar=2.3, tfluid_k=SUPPLY_T)
    R = pp.create_junction(net, pn_bar=2.0, tfluid_k=SUPPLY_T)
    mids = pp.create_junctions(net, n, pn_bar=2.0, tfluid_k=SUPPLY_T)
    L = lengths(n)
    pipes = pp.create_pipes_from_parameters(
        net,
        [S] * n,
        mids,
        length_km=L / 1000.0,
        inner_diameter_mm=D * 1000.0,
        k_mm=ROUGH * 1000.0,
    )
    pp.create_heat_exchangers(net, mids, [R] * n, qext_w=-Q_BRANCH, inner_diameter_mm=D * 1000.0)
    pp.create_circ_pump_const_pressure(
        net,
        return_junction=R,
        flow_junction=S,
        p_flow_bar=2.3,
        plift_bar=DP / 1e5,
        t_flow_k=SUPPLY_T,
    )
    build_s = time.perf_counter() - t0
    times, cpu = [], []
    for _ in range(repeats + 1):
        t, c = time.perf_counter(), time.process_time()
        pp.pipeflow(net, mode="sequential", friction_model="colebrook", iter=200)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    m = net.res_pipe["mdot_from_kg_per_s"].to_numpy()
    t_ret = float(net.res_junction.loc[R, "t_k"]) - 273.15
    return {
        "version": pp.__version__,
        "mode": "sequential",
        "friction_model": "colebrook",
        "build_s": build_s,
        "solve_s": statistics.median(times[1:]),
        "solve_cpu_s": statistics.median(cpu[1:]),
        "m_first_kg_s": float(m[list(pipes).index(pipes[0])]),
        "m_last_kg_s": float(m[-1]),
        "T_return_C": t_ret,
    }


def run_tespy(n: int, fluid: str, headers: str, repeats: int) -> dict:
    """TESPy 0.11: splitter -> n x (pipe, heater) -> merge, closed by a pressure source and cooler."""
    from tespy.components import CycleCloser, Merge, Pipe, Pump, SimpleHeatExchanger, Splitter
    from tespy.connections import Connection
    from tespy.networks import Network as TNetwork

    if fluid != "water" or headers != "ideal":
        return {"skipped": "TESPy comparison implemented for water with ideal headers"}
    t0 = time.perf_counter()
    nw = TNetwork(iterinfo=False)
    nw.units.set_defaults(temperature="degC", pressure="bar", pressure_difference="bar", heat="W")
    cc = CycleCloser("closer")
    sp = Splitter("supply", num_out=n)
    mg = Merge("return", num_in=n)
    cooler = SimpleHeatExchanger("cooler")
    conns = []
    L = lengths(n)
    for i in range(n):
        pipe = Pipe(f"pipe{i}")
        heater = SimpleHeatExchanger(f"load{i}")
        pipe.set_attr(L=float(L[i]), D=D, ks=ROUGH, Q=0)
        heater.set_attr(Q=Q_BRANCH, dp=0)
        c1 = Connection(sp, f"out{i + 1}", pipe, "in1", label=f"s{i}")
        c2 = Connection(pipe, "out1", heater, "in1", label=f"m{i}")
        c3 = Connection(heater, "out1", mg, f"in{i + 1}", label=f"r{i}")
        conns += [c1, c2, c3]
        if i == 0:
            first = c1
        last = c1
    pump = Pump("source")
    c_ret = Connection(mg, "out1", cooler, "in1", label="ret")
    c_cool = Connection(cooler, "out1", pump, "in1", label="cool")
    c_pump = Connection(pump, "out1", cc, "in1", label="pumped")
    c_sup = Connection(cc, "out1", sp, "in1", label="sup")
    nw.add_conns(*conns, c_ret, c_cool, c_pump, c_sup)
    # ideal pressure source: an isentropic pump lifting 0.3 bar (adds 0.007 K of work heat, which
    # the supply temperature specification after the pump absorbs)
    c_sup.set_attr(T=SUPPLY_T - 273.15, p=2.0 + DP / 1e5, fluid={"water": 1})
    c_ret.set_attr(p=2.0)
    cooler.set_attr(dp=0)
    pump.set_attr(eta_s=1.0)
    for k, c in enumerate(conns):
        c.set_attr(m0=0.025, p0=2.15, h0=150e3 if k % 3 == 2 else 126e3)
    for c in (c_ret, c_cool, c_pump, c_sup):
        c.set_attr(m0=0.025 * n, h0=130e3)
    build_s = time.perf_counter() - t0
    times = []
    for _ in range(max(1, repeats)):
        t = time.perf_counter()
        nw.solve("design")
        times.append(time.perf_counter() - t)
    t_ret = float(c_ret.T.val)
    return {
        "version": __import__("tespy").__version__,
        "build_s": build_s,
        "solve_s": statistics.median(times),
        "m_first_kg_s": float(first.m.val),
        "m_last_kg_s": float(last.m.val),
        "T_return_C": t_ret,
        "converged": bool(getattr(nw, "converged", True)),
    }


__all__ = ["run_peers", "np"]
