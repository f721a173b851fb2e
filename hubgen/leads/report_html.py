"""The reports' HTML shell and small inline SVG charts: no script, no request to anywhere else.

Every page declares its own Content-Security-Policy: nothing may load but the page's one style
sheet (allowed by its hash) and images beside it, so a report opened from a mail attachment or
a shared folder cannot run or fetch anything even if a string in it were not escaped. Charts
drawn here use SVG presentation attributes (never ``style``), which that policy allows.
Every string handed to these helpers is escaped here; callers pass plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from hubgen.leads.page import standalone_page, style_only_policy

STYLE = """body { font: 1rem/1.5 system-ui, sans-serif; max-width: 62rem; margin: 1.5rem auto;
  padding: 0 1rem; color: #1f2937; background: #fff; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; line-height: 1.25; }
h2 { font-size: 1.25rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: .75rem 0; }
th, td { border: 1px solid #d1d5db; padding: .3rem .6rem; text-align: right; vertical-align: top; }
th, td { overflow-wrap: normal; white-space: nowrap; }  /* tables scroll, words stay whole */
th[scope=row], td.text, thead th:first-child { text-align: left; }
thead th { background: #f3f4f6; white-space: normal; min-width: 4.5em; }
img, svg { max-width: 100%; height: auto; }
.scroll { overflow-x: auto; }
.note { color: #4b5563; font-size: .9rem; }
.light { display: inline-block; width: .8em; height: .8em; border-radius: 50%;
  margin-right: .4em; vertical-align: -.05em; border: 1px solid #374151; }
.light-green { background: #15803d; } .light-amber { background: #d97706; }
.light-red { background: #b91c1c; } .light-grey { background: #d1d5db; }
.figures { display: flex; flex-wrap: wrap; gap: .75rem; padding: 0; list-style: none; }
.figures li { border: 1px solid #d1d5db; border-radius: .4rem; padding: .4rem .8rem; }
.figures strong { display: block; font-size: 1.4rem; }
code { font-size: .85em; overflow-wrap: anywhere; }
@media (prefers-color-scheme: dark) {
  body { color: #e5e7eb; background: #111827; }
  thead th { background: #1f2937; }
  th, td, .figures li { border-color: #4b5563; }
  .note { color: #9ca3af; }
  svg.chart { background: #fff; border-radius: .3rem; }
}"""


def report_page(title: str, body: str, style: str = STYLE) -> str:
    """A whole report page; ``body`` is HTML the caller built with :func:`text` and friends."""
    return standalone_page(title, style, body, policy=style_only_policy(style))


def text(value: object) -> str:
    """Plain text (a name, a slug, an id) as HTML text or an attribute value."""
    return escape(str(value), quote=True)


def light_badge(colour: str, label: str) -> str:
    return f'<span class="light light-{text(colour)}" aria-hidden="true"></span>{text(label)}'


def table(table_id: str, headers: Sequence[str], rows: Sequence[str], caption: str = "") -> str:
    """A scrolling table; ``rows`` are ready ``<tr>`` HTML, ``headers`` plain text."""
    head = "".join(f'<th scope="col">{text(h)}</th>' for h in headers)
    cap = f"<caption>{text(caption)}</caption>" if caption else ""
    body = (
        "\n".join(rows)
        if rows
        else (f'<tr><td class="text" colspan="{len(headers)}">None.</td></tr>')
    )
    return (
        f'<div class="scroll"><table id="{text(table_id)}">{cap}'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table></div>"
    )


def bar_chart(title: str, bars: Sequence[tuple[str, int]], colour: str = "#0f766e") -> str:
    """Horizontal bars with their values, as inline SVG (labels are escaped text)."""
    width, label_w, row_h = 440, 120, 26
    height = row_h * max(1, len(bars)) + 34
    top = max((v for _, v in bars), default=0) or 1
    span = width - label_w - 60
    parts = [
        f'<svg class="chart" role="img" aria-label="{text(title)}" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{text(title)}</title>",
        f'<text x="8" y="18" font-size="14" font-weight="bold" fill="#111827">{text(title)}</text>',
    ]
    for i, (label, value) in enumerate(bars):
        y = 30 + i * row_h
        length = round(span * value / top)
        short = label if len(label) <= 24 else label[:23] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" font-size="13" text-anchor="end"'
            f' fill="#111827">{text(short)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{length}" height="{row_h - 8}"'
            f' fill="{colour}"></rect>'
            f'<text x="{label_w + length + 6}" y="{y + 15}" font-size="13"'
            f' fill="#111827">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
