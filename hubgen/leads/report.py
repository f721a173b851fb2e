"""A static HTML report of who received, referred and wrote what, with SVG charts.

Counting is pure (:func:`summarize`); drawing uses matplotlib's object API (no pyplot global
state) with the SVG backend, text kept as text and a fixed hash salt so reruns on the same data
write the same files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from hubgen.leads.funnel import FunnelRow, funnel
from hubgen.leads.models import Lead
from hubgen.leads.registry import Registry
from hubgen.leads.report_figures import (
    RECIPROCITY_MONTHS,
    Balance,
    Response,
    Unanswered,
    balances,
    responses,
    unanswered,
)
from hubgen.leads.reportfacts import ArrivalTotal, LeadFact, Reply, months_back

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
    """Per partner: arrivals → leads received → accepted → won, referred and direct apart."""
    generated: datetime = field(default_factory=lambda: datetime.now(UTC))
    as_of: datetime | None = None
    """The report counts what happened before this moment (now, or the end of ``--month``)."""
    window_start: datetime | None = None
    """Start of the rolling window of :attr:`balances` and :attr:`responses`."""
    balances: list[Balance] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    unanswered: list[Unanswered] = field(default_factory=list)


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
    direct: int = 0
    self_referrals: int = 0

    def add(self, lead: LeadFact) -> None:
        self.total += 1
        self.received.update(lead.recipients)
        self.authored.update(set(lead.authors))
        others = lead.referred
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


def fact_of(lead: Lead) -> LeadFact:
    """A stored lead as the reports see it (no personal data)."""
    return LeadFact(lead.id, lead.created_at, lead.credited_partner, lead.recipients,
                    lead.authors, lead.self_referral, lead.status)  # fmt: skip


def summarize(
    leads: Iterable[Lead | LeadFact],
    registry: Registry | None = None,
    *,
    replies: Iterable[Reply] = (),
    arrivals: Iterable[ArrivalTotal] = (),
    spam: int = 0,
    as_of: datetime | None = None,
) -> Summary:
    """Count ``leads`` (spam among them is counted as spam and nothing else); ``replies`` and
    ``arrivals`` feed the funnel and response figures, up to ``as_of`` (default: now)."""
    facts: list[LeadFact] = []
    for lead in leads:
        if lead.status == "spam":
            spam += 1
        else:
            facts.append(fact_of(lead) if isinstance(lead, Lead) else lead)
    replies = list(replies)
    tz = ZoneInfo(registry.timezone) if registry else ZoneInfo("UTC")
    tally = _Tally(tz)
    for fact in facts:
        tally.add(fact)
    names = {slug: p.name for slug, p in registry.partners.items()} if registry else {}
    partners = _partner_order(
        registry, set(tally.received) | set(tally.referred) | set(tally.authored)
    )
    timeline, period = _timeline(tally.days)
    matrix = tally.matrix
    now = (as_of or datetime.now(UTC)).astimezone(tz)
    window = months_back(now, RECIPROCITY_MONTHS)
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
        spam=spam,
        direct=tally.direct,
        self_referrals=tally.self_referrals,
        funnel=funnel(facts, replies, arrivals, partners),
        as_of=now,
        window_start=window,
        balances=balances(facts, partners, window, now),
        responses=responses(facts, replies, partners, window, now),
        unanswered=unanswered(facts, replies, now),
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


def render_html(summary: Summary, title: str) -> str:
    """The organiser report's page (hubgen/leads/report_organiser.py)."""
    from hubgen.leads.report_organiser import organiser_html

    return organiser_html(summary, title)


def write_report(summary: Summary, out: Path, title: str = "Leads") -> Path:
    out.mkdir(parents=True, exist_ok=True)
    _charts(summary, out)
    index = out / "index.html"
    index.write_text(render_html(summary, title), encoding="utf-8")
    return index
