"""Node positions for the views: a seeded spring layout, so a view draws at once with physics off."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import networkx as nx


def layout(keys: list[str], pairs: Iterable[tuple[str, str]], seed: int) -> dict[str, tuple[float, float]]:
    """Spring layout of a sorted copy, scaled to pixels and rounded so the output is stable.

    Below 500 nodes this is ``nx.spring_layout``; from 500 on networkx wants scipy and loops in
    Python, so the same Fruchterman-Reingold model runs here in blocks of numpy rows instead.
    """
    pairs = sorted({(a, b) for a, b in pairs if a != b})
    if not keys:
        return {}
    if len(keys) < 500:
        h = nx.Graph()
        h.add_nodes_from(keys)
        h.add_edges_from(pairs)
        pos = nx.spring_layout(h, seed=seed, weight=None)
    else:
        pos = _large_spring_layout(keys, pairs, seed)
    scale = max(420.0, 80.0 * math.sqrt(len(keys)))
    return {k: (round(float(p[0]) * scale, 1), round(float(p[1]) * scale, 1)) for k, p in pos.items()}


def _large_spring_layout(keys: list[str], pairs: list[tuple[str, str]], seed: int) -> dict[str, Any]:
    import numpy as np

    index = {k: i for i, k in enumerate(keys)}
    src = np.array([index[a] for a, _ in pairs], dtype=np.intp)
    dst = np.array([index[b] for _, b in pairs], dtype=np.intp)
    n, iterations, block = len(keys), 50, 256
    pos = np.random.RandomState(seed).rand(n, 2)
    k, t = math.sqrt(1.0 / n), 0.1
    for _ in range(iterations):
        disp = np.empty((n, 2))
        x, y = pos[:, 0], pos[:, 1]
        for start in range(0, n, block):  # repulsion between all pairs, a block of rows at a time
            rows = slice(start, start + block)
            dx, dy = x[rows, None] - x, y[rows, None] - y
            force = (k * k) / np.maximum(dx * dx + dy * dy, 1e-4)
            disp[rows, 0], disp[rows, 1] = (dx * force).sum(axis=1), (dy * force).sum(axis=1)
        delta = pos[src] - pos[dst]  # attraction along the edges
        pull = delta * (np.sqrt(np.maximum((delta**2).sum(axis=1), 1e-4)) / k)[:, None]
        np.add.at(disp, src, -pull)
        np.add.at(disp, dst, pull)
        length = np.sqrt((disp**2).sum(axis=1))
        pos += disp * (t / np.where(length < 0.01, 0.1, length))[:, None]
        t -= 0.1 / (iterations + 1)
    return dict(zip(keys, nx.rescale_layout(pos, scale=1.0), strict=True))
