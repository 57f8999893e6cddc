"""The ``[nodes]`` table of a case file: properties of named nodes (today their elevation).

.. code-block:: toml

    [nodes]
    roof = { elevation = "24 m" }     # height above the case's datum
    basement.elevation = "-3 m"
    drain = { dead_end = true }       # a node with one connection, on purpose (zero flow)

Names are the final node names of the network (after template expansion). Nodes not listed sit
at elevation 0.
"""

from __future__ import annotations

from typing import Any

from thermo.case.problems import suggest
from thermo.case.schema import (
    Context,
    Raw,
    Source,
    check_keys,
    describe,
    expect_bool,
    parse_quantity,
)

NODE_KEYS = ("elevation", "dead_end")

__all__ = ["NODE_KEYS", "validate_nodes"]


def validate_nodes(raw: Any, src: Source, ctx: Context, known: list[str]) -> dict[str, float]:
    """Elevations [m] of the nodes in ``raw`` (the ``[nodes]`` table); problems go to ``ctx``."""
    out: dict[str, float] = {}
    if not isinstance(raw, dict):
        ctx.add(f"expected a table of nodes ([nodes]), got {describe(raw)}", src)
        return out
    names = set(known)
    for node, table in raw.items():
        nsrc = src.child(node)
        if node not in names:
            ctx.add(f'node "{node}" is not a node of this network{suggest(node, known)}', nsrc)
            continue
        if not isinstance(table, dict):
            ctx.add(
                f'expected a table such as {{ elevation = "3 m" }}, got {describe(table)}', nsrc
            )
            continue
        check_keys(table, NODE_KEYS, nsrc, ctx, f"node `{node}`")
        if "elevation" in table:
            z = parse_quantity(Raw(table["elevation"], nsrc.child("elevation")), "length", ctx)
            if isinstance(z, float | int) and not isinstance(z, bool):
                out[node] = float(z)
        if "dead_end" in table:
            expect_bool(Raw(table["dead_end"], nsrc.child("dead_end")), ctx)
    return out
