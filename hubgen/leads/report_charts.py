"""The organiser report's charts as small standalone SVG files, drawn as plain strings.

Drawn by hand rather than with a plotting library: a network of 100 partners would otherwise
spend most of a report's time laying out thousands of text labels. Text stays text (escaped),
colours are presentation attributes (no ``style``), counts get whole-number ticks, and time runs
on a real calendar axis (month ticks, bars at their dates). Same data, same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

FONT = 'font-family="system-ui, sans-serif"'
INK = "#111827"
GRID = "#e5e7eb"
SERIES = (
    ("received", "#0f766e"),
    ("referred to others", "#b45309"),
    ("via their articles", "#4338ca"),
)
HEAT = ("#fff7ed", "#fed7aa", "#fdba74", "#fb923c", "#ea580c", "#9a3412")
NUMBERS_UP_TO = 30
"""Cells of the matrix carry their number up to this many columns (the table has them all)."""


def _t(value: object) -> str:
    return escape(str(value), quote=True)


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}"'
        f' height="{height}" role="img" {FONT} font-size="12">'
        f'<title>{_t(title)}</title><rect width="{width}" height="{height}" fill="#ffffff"/>'
        f'<text x="{width // 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold"'
        f' fill="{INK}">{_t(title)}</text>' + "".join(body) + "</svg>\n"
    )


def _short(label: str, limit: int = 28) -> str:
    """A label cut to fit, as escaped SVG text; a cut one keeps its whole text as a tooltip."""
    if len(label) <= limit:
        return _t(label)
    return f"{_t(label[: limit - 1])}…<title>{_t(label)}</title>"


def whole_ticks(top: int, most: int = 6) -> list[int]:
    """Whole-number ticks from 0 covering ``top``: no half-lead ticks."""
    step = 1
    while top / step > most:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if top / step <= most:
                break
    last = -(-max(top, 1) // step) * step
    return list(range(0, last + 1, step))


def partners_chart(labels: Sequence[str], series: Sequence[Sequence[int]]) -> str:
    """Grouped horizontal bars: per partner, each of :data:`SERIES`."""
    label_w, width, bar, gap = 190, 760, 7, 8
    group = bar * len(SERIES) + gap
    top_y = 56
    height = top_y + group * max(1, len(labels)) + 30
    ticks = whole_ticks(max((max(s, default=0) for s in series), default=0))
    span = width - label_w - 30
    scale = span / (ticks[-1] or 1)
    body = [
        f'<rect x="{label_w + i * 130}" y="30" width="10" height="10" fill="{colour}"/>'
        f'<text x="{label_w + i * 130 + 14}" y="39" fill="{INK}">{_t(name)}</text>'
        for i, (name, colour) in enumerate(SERIES)
    ]
    bottom = height - 24
    for tick in ticks:
        x = label_w + tick * scale
        body.append(
            f'<line x1="{x:.1f}" y1="{top_y - 4}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}"/>'
            f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" fill="{INK}">{tick}</text>'
        )
    for row, label in enumerate(labels):
        y = top_y + row * group
        body.append(
            f'<text x="{label_w - 6}" y="{y + group / 2 + 1:.1f}" text-anchor="end" fill="{INK}">'
            f"{_short(label)}</text>"
        )
        for k, (_, colour) in enumerate(SERIES):
            value = series[k][row]
            if value:
                body.append(
                    f'<rect x="{label_w}" y="{y + k * bar}" width="{value * scale:.1f}"'
                    f' height="{bar - 1}" fill="{colour}"/>'
                )
    return _svg(width, height, "Leads per partner", body)


def matrix_chart(
    rows: Sequence[str], columns: Sequence[str], cells: dict[tuple[int, int], int], own: set[int]
) -> str:
    """A heat grid: row i referred cell (i, j) leads to column j; ``own`` marks i == j rows."""
    n_rows, n_cols = max(1, len(rows)), max(1, len(columns))
    cell = 34 if n_cols <= NUMBERS_UP_TO else 9
    left, top = 190, 150
    width = left + cell * n_cols + 140  # room for the last rotated column label
    height = top + cell * n_rows + 40
    darkest = max(cells.values(), default=0) or 1
    size = min(12, cell - 1)  # labels no taller than their row: legible, never overlapping
    body = [
        f'<text x="{left + cell * n_cols / 2:.0f}" y="{height - 10}" text-anchor="middle"'
        f' fill="{INK}">received by →</text>',
        f'<text x="12" y="{top - 10}" fill="{INK}">referred by ↓</text>',
        f'<rect x="{left}" y="{top}" width="{cell * n_cols}" height="{cell * n_rows}"'
        f' fill="{HEAT[0]}" stroke="{GRID}"/>',
    ]
    for i, label in enumerate(rows):
        body.append(
            f'<text x="{left - 6}" y="{top + i * cell + cell / 2 + size / 3:.1f}" text-anchor="end"'
            f' font-size="{size}"'
            f' fill="{INK}">{_short(label)}</text>'
        )
    for j, label in enumerate(columns):
        x, y = left + j * cell + cell / 2 + size / 3, top - 6
        body.append(
            f'<text x="{x:.1f}" y="{y}" transform="rotate(-50 {x:.1f} {y})" fill="{INK}"'
            f' font-size="{size}">'
            f"{_short(label, 22)}</text>"
        )
    for (i, j), value in sorted(cells.items()):
        shade = HEAT[min(len(HEAT) - 1, 1 + (len(HEAT) - 2) * value // darkest)]
        x, y = left + j * cell, top + i * cell
        body.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{shade}"/>')
        if cell > 20:
            ink = "#ffffff" if value > darkest / 2 else INK
            body.append(
                f'<text x="{x + cell / 2:.1f}" y="{y + cell / 2 + 4:.1f}" text-anchor="middle"'
                f' fill="{ink}">{value}</text>'
            )
    if cell > 20:
        for i, j in ((i, j) for i in own for j in range(len(columns)) if rows[i] == columns[j]):
            body.append(
                f'<text x="{left + j * cell + cell / 2:.1f}" y="{top + i * cell + cell / 2 + 4:.1f}"'
                f' text-anchor="middle" fill="{INK}">–</text>'
            )
    return _svg(width, height, "Referral matrix", body)


def timeline_chart(points: Sequence[tuple[date, int]], period: str) -> str:
    """Bars at their dates on a calendar axis (month ticks), whole-number counts up the side."""
    width, height, left, right, top, bottom = 760, 300, 50, 20, 36, 250
    step = 1 if period == "day" else 7
    if points:
        first, last = points[0][0], points[-1][0]
        margin = 7 if (last - first).days < 28 else step
        start, end = first - timedelta(margin), last + timedelta(margin + step)
    else:
        start = end = date.today()
        end = start + timedelta(30)
    days = max(1, (end - start).days)
    per_day = (width - left - right) / days
    ticks = whole_ticks(max((n for _, n in points), default=0), 5)
    scale = (bottom - top) / (ticks[-1] or 1)
    body = []
    for tick in ticks:
        y = bottom - tick * scale
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">{tick}</text>'
        )
    months = _month_starts(start, end)
    every = max(1, -(-len(months) // 12))
    for n, month in enumerate(months):
        x = left + (month - start).days * per_day
        body.append(
            f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}" stroke="{INK}"/>'
        )
        if n % every == 0:
            label = f"{month:%b}" + (f" {month:%Y}" if month.month == 1 or n == 0 else "")
            body.append(f'<text x="{x + 2:.1f}" y="{bottom + 18}" fill="{INK}">{label}</text>')
    for day, count in points:
        if count:
            x = left + (day - start).days * per_day
            h = count * scale
            body.append(
                f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{max(1.0, per_day * step * 0.8):.1f}"'
                f' height="{h:.1f}" fill="#0f766e"><title>{day:%Y-%m-%d}: {count}</title></rect>'
            )
    body.append(
        f'<line x1="{left}" y1="{bottom}" x2="{width - right}" y2="{bottom}" stroke="{INK}"/>'
    )
    body.append(
        f'<text x="14" y="{(top + bottom) / 2:.0f}" transform="rotate(-90 14 {(top + bottom) / 2:.0f})"'
        f' text-anchor="middle" fill="{INK}">leads per {_t(period)}</text>'
    )
    return _svg(width, height, "Leads over time", body)


def _month_starts(start: date, end: date) -> list[date]:
    found = []
    month = date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            found.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return found
