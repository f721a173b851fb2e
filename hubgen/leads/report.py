"""A static HTML report of who received, referred and wrote what, with SVG charts.

Counting is pure (:func:`summarize`); the charts are standalone SVG files beside the page
(report_charts.py), the page itself is report_organiser.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hubgen.leads.funnel import FunnelRow, funnel
from hubgen.leads.models import Lead
from hubgen.leads.registry import Registry
from hubgen.leads.report_charts import matrix_chart, partners_chart, timeline_chart
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
        # Plain loops rather than Counter.update: this runs once per lead of the whole history.
        self.total += 1
        others = lead.referred
        for recipient in lead.recipients:
            self.received[recipient] += 1
            if recipient in others:
                self.received_referred[recipient] += 1
            else:
                self.received_direct[recipient] += 1
        for author in set(lead.authors):
            self.authored[author] += 1
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
    partners = summary.partners
    counts = (summary.received, summary.referred, summary.authored)
    (out / "partners.svg").write_text(
        partners_chart([_label(summary, s) for s in partners],
                       [[c[s] for s in partners] for c in counts]),
        encoding="utf-8",
    )  # fmt: skip
    rows, columns = summary.referrers, summary.recipients
    column = {slug: j for j, slug in enumerate(columns)}
    row = {slug: i for i, slug in enumerate(rows)}
    cells = {(row[r], column[c]): n for (r, c), n in summary.matrix.items() if n}
    (out / "matrix.svg").write_text(
        matrix_chart([_label(summary, s) for s in rows], [_label(summary, s) for s in columns],
                     cells, {i for i, s in enumerate(rows) if s in column}),
        encoding="utf-8",
    )  # fmt: skip
    (out / "over-time.svg").write_text(
        timeline_chart(summary.timeline, summary.period), encoding="utf-8"
    )


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
