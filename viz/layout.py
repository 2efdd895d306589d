"""Node positions for the views: a seeded spring layout, so a view draws at once with physics off."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx


def layout(keys: list[str], pairs: Iterable[tuple[str, str]], seed: int,
           boxes: Mapping[str, tuple[float, float]] | None = None) -> dict[str, tuple[float, float]]:
    """Spring layout of a sorted copy, scaled to pixels and rounded so the output is stable.

    Below 500 nodes this is ``nx.spring_layout``; from 500 on networkx wants scipy and loops in
    Python, so the same Fruchterman-Reingold model runs here in blocks of numpy rows instead.
    Up to 600 nodes, nodes whose boxes (``boxes``: key -> width, height in pixels of the node and
    its label; default 150 x 70) overlap are then pushed apart, so labels stay readable.
    """
    import numpy as np

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
    points = np.array([pos[k] for k in keys], dtype=float) * scale
    if len(keys) <= _SEPARATE_UP_TO:
        size = np.array([(boxes or {}).get(k, _BOX) for k in keys], dtype=float)
        points = _separate(points, size, seed, 300 if len(keys) <= 200 else 60)
    return {k: (round(float(p[0]), 1), round(float(p[1]), 1)) for k, p in zip(keys, points, strict=True)}


_BOX = (150.0, 70.0)  # pixels: a node with a short label under it
_SEPARATE_UP_TO = 600  # larger graphs are read zoomed out; spreading them costs seconds


def _separate(points: Any, size: Any, seed: int, rounds: int = 60) -> Any:
    """Push apart nodes whose boxes (``size``: width, height per node) overlap, a little each round,
    along the axis where they overlap least.

    Spring layouts crowd dense clusters (a clique of fifteen states, two hubs sharing all their
    neighbours, an actor's dozen agreements) into one spot; this keeps their shape and spreads them
    until the labels no longer cover each other.
    """
    import numpy as np

    n = len(points)
    if n < 2:
        return points
    jitter = np.random.RandomState(seed).uniform(-0.01, 0.01, points.shape)  # no two points exactly equal
    points = (points + jitter).astype(np.float32)
    half = (size / 2).astype(np.float32)
    block = 512
    for _ in range(rounds):
        move = np.zeros_like(points)
        crowded = False
        for start in range(0, n, block):
            rows = slice(start, start + block)
            dx = points[rows, None, 0] - points[None, :, 0]
            dy = points[rows, None, 1] - points[None, :, 1]
            ox = half[rows, None, 0] + half[None, :, 0] - np.abs(dx)
            oy = half[rows, None, 1] + half[None, :, 1] - np.abs(dy)
            overlap = (ox > 0) & (oy > 0)
            np.fill_diagonal(overlap[:, start:start + block], False)
            if not overlap.any():
                continue
            crowded = True
            sideways = overlap & (ox <= oy)
            move[rows, 0] += np.where(sideways, np.sign(dx) * ox, 0.0).sum(axis=1) / 2
            move[rows, 1] += np.where(overlap & ~sideways, np.sign(dy) * oy, 0.0).sum(axis=1) / 2
        if not crowded:
            break
        points = points + np.clip(move, -2 * half, 2 * half) * 0.6
    return points.astype(float)


def _large_spring_layout(keys: list[str], pairs: list[tuple[str, str]], seed: int) -> dict[str, Any]:
    """Fruchterman-Reingold as networkx runs it, in float32 blocks of numpy rows (about twice as fast)."""
    import numpy as np

    index = {k: i for i, k in enumerate(keys)}
    src = np.array([index[a] for a, _ in pairs], dtype=np.intp)
    dst = np.array([index[b] for _, b in pairs], dtype=np.intp)
    n, iterations, block = len(keys), 50, 512
    pos = np.random.RandomState(seed).rand(n, 2).astype(np.float32)
    k, t = math.sqrt(1.0 / n), 0.1
    k2, floor = np.float32(k * k), np.float32(1e-4)
    for _ in range(iterations):
        disp = np.empty((n, 2), dtype=np.float32)
        x, y = pos[:, 0], pos[:, 1]
        for start in range(0, n, block):  # repulsion between all pairs, a block of rows at a time
            rows = slice(start, start + block)
            dx, dy = x[rows, None] - x, y[rows, None] - y
            d2 = dx * dx
            d2 += dy * dy
            np.maximum(d2, floor, out=d2)
            force = k2 / d2
            disp[rows, 0], disp[rows, 1] = np.einsum("ij,ij->i", dx, force), np.einsum("ij,ij->i", dy, force)
        delta = pos[src] - pos[dst]  # attraction along the edges
        pull = delta * (np.sqrt(np.maximum((delta**2).sum(axis=1), floor)) / np.float32(k))[:, None]
        np.add.at(disp, src, -pull)
        np.add.at(disp, dst, pull)
        length = np.sqrt((disp**2).sum(axis=1))
        pos += (disp * (t / np.where(length < 0.01, 0.1, length))[:, None]).astype(np.float32)
        t -= 0.1 / (iterations + 1)
    return dict(zip(keys, nx.rescale_layout(pos.astype(float), scale=1.0), strict=True))


# --- timeline -----------------------------------------------------------------------------------

_ROW = 90.0  # vertical step between stacked events
_GAP = 150.0  # least horizontal distance between two events (or actors) on one level
_UNDATED_GAP = 320.0  # from the last dated event to the column of undated ones
_UNDATED_PER_COLUMN = 8


def day_number(date: str) -> float | None:
    """The day a date at any ISO precision stands for: the day itself, mid-month, or mid-year; ``None`` if undated."""
    import datetime as dt

    text = date.strip()
    try:
        if len(text) >= 10:
            return float(dt.date.fromisoformat(text[:10]).toordinal())
        if len(text) == 7:
            return dt.date(int(text[:4]), int(text[5:7]), 1).toordinal() + 14.0
        if len(text) == 4:
            return dt.date(int(text), 7, 1).toordinal() + 0.0
    except ValueError:
        return None
    return None


def _ticks(first: float, last: float, scale: float, origin: float) -> list[dict[str, Any]]:
    """Axis ticks: months over spans up to two years, else years; at most about 14 of them."""
    import datetime as dt

    start, end = dt.date.fromordinal(int(first)), dt.date.fromordinal(int(last))
    if last - first <= 731:
        marks = []
        year, month = start.year, start.month
        while (year, month) <= (end.year, end.month):
            marks.append((dt.date(year, month, 1), f"{year}-{month:02d}"))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        marks = [(dt.date(y, 1, 1), str(y)) for y in range(start.year, end.year + 1)]
    marks = [(day, label) for day, label in marks if first <= day.toordinal() <= last]
    if not marks:  # all events within one month: one tick at the first of them
        return [{"x": round((first - origin) * scale, 1), "label": start.isoformat()}]
    step = max(1, math.ceil(len(marks) / 14))
    return [{"x": round((day.toordinal() - origin) * scale, 1), "label": label} for day, label in marks[::step]]


def timeline_layout(events: list[tuple[str, str]], links: Iterable[tuple[str, str]], focus: list[str],
                    ) -> tuple[dict[str, tuple[float, float]], dict[str, Any]]:
    """Fixed positions for a timeline, and its date axis.

    ``events`` are (key, date) with ISO dates at any precision ("" undated); ``links`` are (actor,
    event) pairs; ``focus`` the actors the timeline is about. Events lie left to right by date (x
    from the day), stacked upwards when they would overlap, undated ones in a column after the last
    date; the focus actors form a band above the events, the other actors a band below the axis,
    each near the mean x of its events. Returns positions (key -> x, y) and the axis for the page.
    """
    dated = sorted(((d, k) for k, date in events if (d := day_number(date)) is not None))
    undated = sorted(k for k, date in events if day_number(date) is None)
    positions: dict[str, tuple[float, float]] = {}
    origin = dated[0][0] if dated else 0.0
    span = (dated[-1][0] - origin) if dated else 0.0
    width = min(4000.0, max(700.0, _GAP * len(dated)))
    scale = width / span if span else 0.0
    levels: list[float] = []
    for day, key in dated:
        x = (day - origin) * scale
        level = next((i for i, end in enumerate(levels) if end + _GAP <= x), len(levels))
        if level == len(levels):
            levels.append(x)
        levels[level] = x
        positions[key] = (round(x, 1), -level * _ROW)
    last_x = span * scale if dated else -_UNDATED_GAP
    undated_x = last_x + _UNDATED_GAP if undated else None
    for i, key in enumerate(undated):
        column, level = divmod(i, _UNDATED_PER_COLUMN)
        positions[key] = (round(last_x + _UNDATED_GAP + column * _GAP * 1.3, 1), -level * _ROW)
    top = min((y for _, y in positions.values()), default=0.0)
    axis_y = _ROW
    event_x = {k: p[0] for k, p in positions.items()}
    left = min(event_x.values(), default=0.0)
    right = max(event_x.values(), default=0.0)

    members: dict[str, list[float]] = {}
    for actor, event in sorted(set(links)):
        if event in event_x:
            members.setdefault(actor, []).append(event_x[event])
    middle = (left + right) / 2
    for i, key in enumerate(focus):
        positions[key] = (round(middle + (i - (len(focus) - 1) / 2) * _GAP * 1.5, 1), top - 2.2 * _ROW)
    others = sorted((sum(xs) / len(xs), key) for key, xs in members.items() if key not in focus)
    per_row = max(6, int((right - left) / _GAP) + 1)
    rows = math.ceil(len(others) / per_row)
    for row in range(rows):  # rows of at most per_row actors, each as near its events as the gaps allow
        band = others[row::rows]
        placed: list[float] = []
        for x, _ in band:
            placed.append(max(x, placed[-1] + _GAP) if placed else x)
        shift = sum(x for x, _ in band) / len(band) - sum(placed) / len(placed)
        for (_, key), x in zip(band, placed, strict=True):
            positions[key] = (round(x + shift, 1), axis_y + (2.2 + row) * _ROW)
    axis = {
        "y": axis_y, "x0": round(left - 80, 1), "x1": round(last_x + 80 if dated else right + 80, 1),
        "ticks": _ticks(origin, origin + span, scale, origin) if dated else [],
        "undated_x": undated_x, "gap": _UNDATED_GAP, "top": top - _ROW / 2,
    }
    return positions, axis
