"""Small helpers for the notebook displays (``_repr_html_``) and the HTML report: compact tables
with units (from rows or from a pandas frame), numbers formatted for reading, and an inline SVG
sparkline (no matplotlib needed)."""

from __future__ import annotations

import html
from typing import Any, Callable, Iterable, Optional, Sequence

import numpy as np

STYLE = "border-collapse:collapse;font-size:90%"
CELL = "padding:1px 8px"


def esc(x: Any) -> str:
    return html.escape(str(x))


def num(x: Any, digits: int = 3, missing: str = "&ndash;") -> str:
    """A number for reading: thousands separators, bn/mln for large values, ``digits``
    significant digits for small ones; ``missing`` for NaN and infinities (``"-"`` in plain text)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return esc(x)
    if not np.isfinite(v):
        return missing
    a = abs(v)
    if a >= 1e9:
        return f"{v / 1e9:,.2f} bn"
    if a >= 1e6:
        return f"{v / 1e6:,.2f} mln"
    if a >= 100 or v == int(v):
        return f"{v:,.0f}"
    return f"{v:.{digits}g}"


def pct(x: float) -> str:
    return f"{100 * float(x):.0f}%"


def table(header: Optional[Sequence[str]], rows: Iterable[Sequence[Any]], right: Sequence[int] = ()) -> str:
    """An HTML table; cells are inserted as given (escape them first), columns in ``right`` are
    right-aligned (and have the class ``num``, for a stylesheet such as the report's)."""
    head = "" if header is None else "<tr>" + "".join(f"<th style='{CELL}'>{h}</th>" for h in header) + "</tr>"
    body = ""
    for row in rows:
        body += "<tr>" + "".join(
            f"<td class='num' style='{CELL};text-align:right'>{c}</td>" if k in right
            else f"<td style='{CELL};text-align:left'>{c}</td>"
            for k, c in enumerate(row)
        ) + "</tr>"
    return f"<table style='{STYLE}'>{head}{body}</table>"


def frame(data: Any, number: Callable[[Any], str] = num) -> str:
    """A pandas frame as a :func:`table`: the index levels first, then the columns (a column of a
    MultiIndex named by its levels joined with `` / ``); text escaped, every other cell written by
    ``number`` and right-aligned when its column is numeric."""
    index = ["" if n is None else esc(n) for n in data.index.names]
    columns = [esc(" / ".join(map(str, c)) if isinstance(c, tuple) else c) for c in data.columns]
    right = [len(index) + j for j, dtype in enumerate(data.dtypes) if dtype.kind in "biufc"]
    rows = []
    for key, values in zip(data.index, data.itertuples(index=False)):
        keys = key if isinstance(key, tuple) else (key,)
        rows.append([esc(k) for k in keys] + [esc(v) if isinstance(v, str) else number(v) for v in values])
    return table(index + columns, rows, right)


def details(summary: str, content: str) -> str:
    return f"<details><summary>{summary}</summary>{content}</details>"


def sparkline(
    series: Sequence[Sequence[float]],
    colours: Sequence[str],
    lines: Sequence[float] = (),
    shade: Optional[Any] = None,
    width: int = 360,
    height: int = 70,
) -> str:
    """An inline SVG of a few daily series on one scale, with horizontal reference ``lines``
    (dashed) and an optional shading per day (0-1, e.g. the policy level)."""
    arrays = [np.asarray(s, dtype=float) for s in series]
    n = max((len(a) for a in arrays), default=0)
    if n < 2:
        return ""
    top = max([float(np.nanmax(a)) for a in arrays if len(a)] + list(lines) + [1e-12]) * 1.05
    sx = (width - 2) / (n - 1)

    def y(v: float) -> float:
        return height - 1 - (height - 2) * v / top

    parts = [f"<svg width='{width}' height='{height}' xmlns='http://www.w3.org/2000/svg' style='background:#fafafa'>"]
    if shade is not None:
        for d, s in enumerate(np.asarray(shade, dtype=float)):
            if s > 0:
                parts.append(f"<rect x='{1 + d * sx:.1f}' y='0' width='{sx + 0.5:.1f}' height='{height}' fill='#888' fill-opacity='{0.1 + 0.3 * s:.2f}'/>")
    for v in lines:
        parts.append(f"<line x1='0' x2='{width}' y1='{y(v):.1f}' y2='{y(v):.1f}' stroke='#444' stroke-dasharray='3,3' stroke-width='0.8'/>")
    for a, colour in zip(arrays, colours):
        points = " ".join(f"{1 + d * sx:.1f},{y(v):.1f}" for d, v in enumerate(a))
        parts.append(f"<polyline points='{points}' fill='none' stroke='{colour}' stroke-width='1.4'/>")
    parts.append("</svg>")
    return "".join(parts)
