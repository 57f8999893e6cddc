"""The sparse linear solves of the Newton iteration (thermo.network.linear) against a direct LU."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spl

from thermo import Coolant
from thermo.network import Cooler, ExpansionTank, HeatLoad, Network, Pipe, Pump, SolverOptions
from thermo.network.linear import LinearSolver
from thermo.network.newton import hub_dofs


def _manifold(n: int, mixed: bool = False) -> Network:
    """The benchmark's parallel loop (ideal headers); ``mixed`` adds longer branches (bigger
    blocks) so that blocks of several sizes are batched together."""
    net = Network(coolant=Coolant("water"))
    net.add(Pump("source", "C", "S", pressure_rise=0.3e5))
    net.add(Cooler("cooler", "R", "C", outlet_temperature=303.15))
    net.add(ExpansionTank("tank", "C", pressure=2e5))
    for i in range(n):
        L = 1.9 * (0.9 + 0.2 * i / (n - 1))
        net.add(Pipe(f"pipe{i}", "S", f"M{i}", length=L, diameter=4e-3))
        if mixed and i % 3 == 0:
            net.add(Pipe(f"extra{i}", f"M{i}", f"N{i}", length=0.5, diameter=4e-3))
            net.add(HeatLoad(f"load{i}", f"N{i}", "R", heat=1200.0))
        else:
            net.add(HeatLoad(f"load{i}", f"M{i}", "R", heat=1200.0))
    return net


def _jacobian(net: Network):
    """A Jacobian of the network away from its solution, rows and columns equilibrated (the raw
    Jacobian mixes pascals, kelvin and kg/s and has a condition number near 1e16, so that no solver
    could be compared with another on it)."""
    system = net.system()
    x = net.initial_state(system, SolverOptions())
    rng = np.random.default_rng(1)
    lay = system.layout
    x[lay.T] += rng.uniform(0.0, 15.0, lay.n_nodes)  # temperatures differ: full energy rows
    x[lay.m] *= rng.uniform(0.3, 1.5, lay.n_branches)
    x[lay.m][::7] *= -1.0  # some reversed flows (other upwind pattern)
    r, c, v = system.evaluate(x, jacobian=True).jac
    n = lay.size
    v = v / np.bincount(r, weights=np.abs(v), minlength=n)[r]
    v = v / np.bincount(c, weights=np.abs(v), minlength=n)[c]
    return system, (r, c, v)


@pytest.mark.parametrize(
    ("mixed", "branches"), [(False, 60), (True, 60), (False, 150), (True, 240)]
)
def test_schur_block_solve_matches_direct_lu(mixed, branches):
    """From 64 blocks of one size on, blocks that touch the same hub columns are batched apart
    (n = 150, 240): the answer is still the direct LU's."""
    net = _manifold(branches, mixed)
    system, (r, c, v) = _jacobian(net)
    n = system.layout.size
    solver = LinearSolver(n, r, c, hub_dofs(system), v)
    assert solver.schur_size >= 4  # the two headers' pressures and temperatures
    A = sp.csc_matrix((v, (r, c)), shape=(n, n))
    rng = np.random.default_rng(2)
    for _ in range(3):
        b = rng.normal(size=n)
        x = solver.solve(v, b)
        assert solver._small_blocks  # the batched dense path was taken
        groups = solver._small_blocks.groups
        if branches >= 150:  # the branch blocks do not carry the pump block's hub columns
            assert len(groups) >= 2 and min(g.w for g in groups) < max(g.w for g in groups)
        ref = spl.spsolve(A, b)
        assert np.abs(x - ref).max() <= 1e-10 * np.abs(ref).max()
        assert np.linalg.norm(A @ x - b) <= 1e-11 * np.linalg.norm(b)
    # new values on the same pattern (as in the next Newton iteration)
    v2 = v * rng.uniform(0.5, 2.0, len(v))
    A2 = sp.csc_matrix((v2, (r, c)), shape=(n, n))
    b = rng.normal(size=n)
    ref = spl.spsolve(A2, b)
    assert np.abs(solver.solve(v2, b) - ref).max() <= 1e-10 * np.abs(ref).max()


def test_block_path_needs_pivoting():
    """A block whose leading entry vanishes (the elimination must swap rows)."""
    net = _manifold(30)
    system, (r, c, v) = _jacobian(net)
    n = system.layout.size
    solver = LinearSolver(n, r, c, hub_dofs(system), v)
    v = v.copy()
    # scale some rows of the branch blocks strongly: partial pivoting must cope
    rows_scaled = np.isin(r, solver.Lr[::5])
    v[rows_scaled] *= 1e-9
    A = sp.csc_matrix((v, (r, c)), shape=(n, n))
    b = np.random.default_rng(3).normal(size=n)

    def backward_error(x):  # componentwise, relative to |A| |x| + |b|
        return np.max(np.abs(A @ x - b) / (abs(A) @ np.abs(x) + np.abs(b)))

    # as stable as a sparse LU with partial pivoting on the whole matrix
    assert backward_error(solver.solve(v, b)) <= 10.0 * backward_error(spl.spsolve(A, b))


def test_singular_block_falls_back_and_raises():
    net = _manifold(20)
    system, (r, c, v) = _jacobian(net)
    n = system.layout.size
    solver = LinearSolver(n, r, c, hub_dofs(system), v)
    v = v.copy()
    v[r == solver.Lr[0]] = 0.0  # one equation without entries: J is singular
    with pytest.raises(RuntimeError):
        x = solver.solve(v, np.ones(n))
        if np.all(np.isfinite(x)):  # a direct LU may report singularity as non-finite values
            raise AssertionError("a singular system gave a finite answer")
        raise RuntimeError("non-finite")


def test_layered_scatter_sums_duplicates_as_bincount():
    """Entries scattered by layers of distinct positions equal np.bincount's sums bit for bit
    (same summation order), duplicates and all."""
    from thermo.network.linear import _layers, _scatter

    rng = np.random.default_rng(3)
    pos = rng.integers(0, 50, 400)
    sel = rng.permutation(400)
    vals = rng.normal(size=400) * 10.0 ** rng.integers(-8, 8, 400)
    M = np.zeros(50)
    _scatter(M, _layers(pos, sel), vals)
    assert np.array_equal(M, np.bincount(pos, weights=vals[sel], minlength=50))


def test_steady_evaluation_equals_a_fresh_evaluation():
    """The start-up's isothermal evaluation with its energy balances restored is the plain
    evaluation at the same state, bit for bit (residuals and Jacobian values)."""
    net = _manifold(40)
    system = net.system()
    x = net.initial_state(system, SolverOptions())
    lay = system.layout
    x[lay.T] += np.linspace(0.0, 12.0, lay.n_nodes)
    iso = system.evaluate(x, jacobian=True, isothermal=x[lay.T].copy())
    steady = system.steady_evaluation(iso)
    fresh = system.evaluate(x, jacobian=True)
    assert np.array_equal(steady.F, fresh.F)
    assert np.array_equal(steady.jac[2], fresh.jac[2])
    assert not np.array_equal(iso.F, fresh.F)  # the isothermal rows differ


def test_worst_residuals_are_the_largest():
    from thermo.network.newton import worst_residuals

    net = _manifold(30)
    system = net.system()
    rng = np.random.default_rng(4)
    Fs = rng.normal(size=system.layout.size) * 10.0 ** rng.integers(-9, 2, system.layout.size)
    worst = worst_residuals(system, Fs)
    expected = np.sort(np.abs(Fs))[::-1][:5]
    assert [abs(w.value) for w in worst] == list(expected)
