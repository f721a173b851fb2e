"""A static HTML report of who received, referred and wrote what, with SVG charts.

Counting is pure (:func:`summarize`); drawing uses matplotlib's object API (no pyplot global
state) with the SVG backend, text kept as text and a fixed hash salt so reruns on the same data
write the same files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from hubgen.leads.arrivals import ArrivalCount
from hubgen.leads.funnel import FunnelRow, funnel
from hubgen.leads.models import Lead, Outcome
from hubgen.leads.page import standalone_page
from hubgen.leads.registry import Registry
from hubgen.leads.routing import referred_recipients

if TYPE_CHECKING:  # matplotlib is imported when a report is drawn, not when hubgen starts
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

CHARTS = ("partners.svg", "matrix.svg", "over-time.svg")


@dataclass(frozen=True)
class Summary:
    partners: list[str]
    names: dict[str, str]
    received: Counter[str]
    received_referred: Counter[str]
    """Leads a partner received through another partner's referral."""
    received_direct: Counter[str]
    """Leads a partner received without another partner's referral (its own page or link)."""
    referred: Counter[str]
    """Leads a partner referred to other partners."""
    authored: Counter[str]
    matrix: Counter[tuple[str, str]]
    """(credited referrer, recipient) → leads; never a partner to itself."""
    referrers: list[str]
    recipients: list[str]
    timeline: list[tuple[date, int]]
    period: str
    """``day`` or ``week``: the bucket of :attr:`timeline`."""
    total: int
    spam: int
    direct: int
    self_referrals: int
    funnel: list[FunnelRow] = field(default_factory=list)
    """Per partner: arrivals → leads received → accepted → won (hubgen/leads/funnel.py)."""
    generated: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class _Tally:
    """Counts gathered in one pass over the leads (see :class:`Summary` for each)."""

    tz: ZoneInfo
    received: Counter[str] = field(default_factory=Counter)
    received_referred: Counter[str] = field(default_factory=Counter)
    received_direct: Counter[str] = field(default_factory=Counter)
    referred: Counter[str] = field(default_factory=Counter)
    authored: Counter[str] = field(default_factory=Counter)
    matrix: Counter[tuple[str, str]] = field(default_factory=Counter)
    days: Counter[date] = field(default_factory=Counter)
    total: int = 0
    spam: int = 0
    direct: int = 0
    self_referrals: int = 0

    def add(self, lead: Lead) -> None:
        if lead.status == "spam":
            self.spam += 1
            return
        self.total += 1
        self.received.update(lead.recipients)
        self.authored.update(set(lead.authors))
        others = referred_recipients(lead.credited_partner, lead.recipients)
        self.received_referred.update(others)
        self.received_direct.update(r for r in lead.recipients if r not in others)
        if lead.credited_partner and others:
            self.referred[lead.credited_partner] += 1
            for recipient in others:
                self.matrix[(lead.credited_partner, recipient)] += 1
        else:
            self.direct += 1
        self.self_referrals += lead.self_referral
        self.days[lead.created_at.astimezone(self.tz).date()] += 1


def summarize(
    leads: Iterable[Lead],
    registry: Registry | None = None,
    *,
    outcomes: Mapping[str, Sequence[Outcome]] | None = None,
    arrivals: Iterable[ArrivalCount] = (),
) -> Summary:
    """Count ``leads``; ``outcomes`` (lead id → events, oldest first) and ``arrivals`` feed
    the funnel table."""
    leads = list(leads)
    tally = _Tally(ZoneInfo(registry.timezone) if registry else ZoneInfo("UTC"))
    for lead in leads:
        tally.add(lead)
    names = {slug: p.name for slug, p in registry.partners.items()} if registry else {}
    partners = _partner_order(
        registry, set(tally.received) | set(tally.referred) | set(tally.authored)
    )
    timeline, period = _timeline(tally.days)
    matrix = tally.matrix
    return Summary(
        partners=partners,
        names=names,
        received=tally.received,
        received_referred=tally.received_referred,
        received_direct=tally.received_direct,
        referred=tally.referred,
        authored=tally.authored,
        matrix=matrix,
        referrers=[p for p in partners if any(k[0] == p for k in matrix)],
        recipients=[p for p in partners if any(k[1] == p for k in matrix)],
        timeline=timeline,
        period=period,
        total=tally.total,
        spam=tally.spam,
        direct=tally.direct,
        self_referrals=tally.self_referrals,
        funnel=funnel(leads, outcomes or {}, arrivals, partners),
    )


def _partner_order(registry: Registry | None, seen: set[str]) -> list[str]:
    """Every partner of the hub in its order (with a registry), then others seen in the leads
    (partners who left), by slug."""
    ordered = [s for s in (registry.partners if registry else ()) if s in seen or registry]
    return ordered + sorted(seen - set(ordered))


def _timeline(days: Counter[date]) -> tuple[list[tuple[date, int]], str]:
    if not days:
        return [], "day"
    first, last = min(days), max(days)
    if (last - first).days <= 120:
        span = (last - first).days + 1
        return [(first + timedelta(n), days[first + timedelta(n)]) for n in range(span)], "day"
    weeks: Counter[date] = Counter()
    for day, count in days.items():
        weeks[day - timedelta(day.weekday())] += count
    start = first - timedelta(first.weekday())
    count_weeks = (last - start).days // 7 + 1
    return [
        (start + timedelta(7 * n), weeks[start + timedelta(7 * n)]) for n in range(count_weeks)
    ], "week"


# -- drawing ------------------------------------------------------------------------------------


def _label(summary: Summary, slug: str) -> str:
    return summary.names.get(slug, slug)


def _charts(summary: Summary, out: Path) -> None:
    import matplotlib

    with matplotlib.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": "hubgen-leads", "font.size": 9}
    ):
        _save(_partners_chart(summary), out / "partners.svg")
        _save(_matrix_chart(summary), out / "matrix.svg")
        _save(_timeline_chart(summary), out / "over-time.svg")


def _save(fig: Figure, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, format="svg", metadata={"Date": None})


def _whole_numbers() -> MaxNLocator:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)  # counts of leads: no half-lead ticks


def _partners_chart(summary: Summary) -> Figure:
    from matplotlib.figure import Figure

    labels = [_label(summary, s) for s in summary.partners] or ["(no partners)"]
    height = max(2.5, 0.45 * len(labels) + 1)
    fig = Figure(figsize=(7.5, height))
    ax = fig.add_subplot()
    rows = range(len(summary.partners))
    bar = 0.27
    for offset, (name, counts, colour) in enumerate(
        (
            ("received", summary.received, "#0f766e"),
            ("referred to others", summary.referred, "#b45309"),
            ("via their articles", summary.authored, "#4338ca"),
        )
    ):
        ax.barh(
            [r + (offset - 1) * bar for r in rows],
            [counts[s] for s in summary.partners],
            height=bar,
            label=name,
            color=colour,
        )
    ax.set_yticks(list(rows), labels[: len(summary.partners)])
    ax.xaxis.set_major_locator(_whole_numbers())
    ax.invert_yaxis()
    ax.set_xlabel("leads")
    ax.legend(loc="lower right")
    ax.set_title("Leads per partner")
    return fig


def _matrix_chart(summary: Summary) -> Figure:
    from matplotlib.figure import Figure

    referrers, recipients = summary.referrers, summary.recipients
    fig = Figure(figsize=(max(4.0, 1.1 * len(recipients) + 3), max(2.5, 0.5 * len(referrers) + 2)))
    ax = fig.add_subplot()
    grid = [[summary.matrix[(r, c)] for c in recipients] for r in referrers] or [[0]]
    ax.imshow(grid, cmap="Oranges", aspect="auto")
    darkest = max(max(row) for row in grid) or 1
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            # Light text on the darker half of the colour scale keeps every number legible.
            colour = "#ffffff" if value > darkest / 2 else "#111827"
            own = referrers and referrers[i] == recipients[j]  # never a referral
            ax.text(j, i, "–" if own else str(value), ha="center", va="center", color=colour)
    ax.set_xticks(
        range(len(recipients)),
        [_label(summary, s) for s in recipients],
        rotation=30,
        ha="right",
    )
    ax.set_yticks(range(len(referrers)), [_label(summary, s) for s in referrers])
    ax.set_xlabel("received by")
    ax.set_ylabel("referred by")
    ax.set_title("Referral matrix")
    return fig


def _timeline_chart(summary: Summary) -> Figure:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 3))
    ax = fig.add_subplot()
    if summary.timeline:
        days = [d for d, _ in summary.timeline]
        step = 1 if summary.period == "day" else 7
        ax.bar(
            date2num(days),  # type: ignore[no-untyped-call]
            [n for _, n in summary.timeline],
            width=0.8 * step,
            color="#0f766e",
        )
        # A week either side of a short period: a few days read as bars on a calendar
        # rather than as one block filling the chart.
        margin = 7 if (days[-1] - days[0]).days < 28 else step
        ax.set_xlim(
            date2num(days[0] - timedelta(margin)),  # type: ignore[no-untyped-call]
            date2num(days[-1] + timedelta(margin)),  # type: ignore[no-untyped-call]
        )
        locator = AutoDateLocator()  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.yaxis.set_major_locator(_whole_numbers())
    ax.set_ylabel(f"leads per {summary.period}")
    ax.set_title("Leads over time")
    return fig


def write_report(summary: Summary, out: Path, title: str = "Leads") -> Path:
    out.mkdir(parents=True, exist_ok=True)
    _charts(summary, out)
    index = out / "index.html"
    index.write_text(render_html(summary, title), encoding="utf-8")
    return index


def render_html(summary: Summary, title: str) -> str:
    def name(slug: str) -> str:
        return escape(_label(summary, slug))

    per_partner = "\n".join(
        f'<tr data-partner="{escape(s)}"><th scope="row">{name(s)}</th>'
        f'<td data-count="received">{summary.received[s]}</td>'
        f'<td data-count="received-referred">{summary.received_referred[s]}</td>'
        f'<td data-count="received-direct">{summary.received_direct[s]}</td>'
        f'<td data-count="referred">{summary.referred[s]}</td>'
        f'<td data-count="authored">{summary.authored[s]}</td></tr>'
        for s in summary.partners
    )
    funnel_rows = "\n".join(
        f'<tr data-partner="{escape(row.partner)}"><th scope="row">{name(row.partner)}</th>'
        f'<td data-count="arrivals">{row.arrivals}</td>'
        f'<td data-count="received">{row.received}</td>'
        f'<td data-count="accepted">{row.accepted}</td>'
        f'<td data-count="won">{row.won}</td></tr>'
        for row in summary.funnel
    )
    head = "".join(
        f'<th scope="col" data-recipient="{escape(c)}">{name(c)}</th>' for c in summary.recipients
    )
    matrix_rows = "\n".join(
        f'<tr><th scope="row" data-referrer="{escape(r)}">{name(r)}</th>'
        + "".join(
            '<td class="self" title="not a referral">–</td>'
            if r == c
            else f'<td data-referrer="{escape(r)}" data-recipient="{escape(c)}">'
            f"{summary.matrix[(r, c)]}</td>"
            for c in summary.recipients
        )
        + "</tr>"
        for r in summary.referrers
    )
    style = """body { font: 1rem/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
  color: #1f2937; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #d1d5db; padding: .3rem .6rem; text-align: right; }
th[scope=row] { text-align: left; }
img { max-width: 100%; height: auto; }
.scroll { overflow-x: auto; }  /* wide tables scroll inside the page, never widen it */"""
    body = f"""<p class="totals">{summary.total} leads ({summary.direct} without a referral between partners,
{summary.self_referrals} flagged as self-referrals); {summary.spam} spam posts not counted.
Generated {summary.generated:%Y-%m-%d %H:%M} UTC.</p>

<h2>Leads per partner</h2>
<img src="partners.svg" alt="Bar chart of leads received, referred and authored per partner">
<div class="scroll"><table id="per-partner">
<thead><tr><th scope="col">Partner</th><th scope="col">Received</th>
<th scope="col">of which referred by a partner</th><th scope="col">of which direct</th>
<th scope="col">Referred to others</th><th scope="col">Via their articles</th></tr></thead>
<tbody>
{per_partner}
</tbody>
</table></div>

<h2>From arrival to client</h2>
<p>Per partner: visits that arrived with the partner's referral code, leads the partner
received, and of those, the ones the partner has marked accepted (or contacted, or won) and won,
by what it reported last. Arrivals are counted on their own, so the first column is how many
visitors a partner's links brought, whoever those visitors then asked for help.</p>
<div class="scroll"><table id="funnel">
<thead><tr><th scope="col">Partner</th><th scope="col">Arrivals</th>
<th scope="col">Leads received</th><th scope="col">Accepted</th><th scope="col">Won</th></tr></thead>
<tbody>
{funnel_rows}
</tbody>
</table></div>

<h2>Referral matrix</h2>
<p>Rows: the partner credited with the referral; columns: the partner who received the lead.
A partner's own links to its own page are direct leads, not referrals, and are not counted here.</p>
<img src="matrix.svg" alt="Heat map of referrals from partner to partner">
<div class="scroll"><table id="matrix">
<thead><tr><th scope="col">Referred by ↓ / received by →</th>{head}</tr></thead>
<tbody>
{matrix_rows}
</tbody>
</table></div>

<h2>Leads over time</h2>
<img src="over-time.svg" alt="Bar chart of leads per {summary.period}">"""
    return standalone_page(title, style, body)
