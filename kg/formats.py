"""Write query results as an aligned table, CSV, TSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import unicodedata

from kg.queries import Result

FORMATS = ("table", "csv", "tsv", "json")


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def render(result: Result, fmt: str) -> str:
    """``result`` in format ``fmt`` (one of ``FORMATS``)."""
    if fmt == "json":
        rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow(["" if v is None else v for v in row])
        return buffer.getvalue()
    if fmt == "table":
        cells = [list(result.columns)]
        cells += [["" if v is None else v.replace("\n", " ") for v in row] for row in result.rows]
        sizes = [max(width(row[i]) for row in cells) for i in range(len(result.columns))]
        lines = ["  ".join(_pad(cell, sizes[i]) for i, cell in enumerate(row)).rstrip() for row in cells]
        lines.insert(1, "  ".join("-" * s for s in sizes))
        lines.append(f"({len(result.rows)} rows)")
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
