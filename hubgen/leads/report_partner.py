"""A partner's monthly report, meant to be e-mailed: one self-contained HTML file.

What the partner's shares brought (arrivals by channel, the pages they landed on), the leads it
received and referred and what became of them, the thanks its referrals earned, and its
reciprocity balance over the rolling six months that end with the month. Lead ids only, never a
client's details. Lists are capped (:data:`LISTED`) so a file stays well under 100 KB however
busy the partner was; the counts above them are always whole.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hubgen.leads.arrivals import CHANNELS
from hubgen.leads.funnel import ACCEPTED_OR_FURTHER
from hubgen.leads.models import OutcomeStatus
from hubgen.leads.report_figures import (
    RECIPROCITY_MONTHS,
    RULE,
    Balance,
    hours_text,
    light,
)
from hubgen.leads.report_html import bar_chart, light_badge, report_page, table, text
from hubgen.leads.reportfacts import Facts, LeadFact, Reply, months_back

LISTED = 60
"""Rows per list in a partner's report; more are counted, not listed."""
TOP_PAGES = 10
_SAFE_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_Name = Callable[[str], str]


@dataclass
class PartnerMonth:
    partner: str
    month: str
    arrivals: Counter[str] = field(default_factory=Counter)
    """Channel → arrivals through the partner's links in the month."""
    pages: Counter[str] = field(default_factory=Counter)
    """Landing page → arrivals."""
    received: list[tuple[LeadFact, Reply | None]] = field(default_factory=list)
    sent: list[tuple[LeadFact, dict[str, Reply | None]]] = field(default_factory=list)
    """Leads the partner referred, with what each recipient reported on them."""
    thanks: list[tuple[LeadFact, str, datetime]] = field(default_factory=list)
    """(lead the partner referred, the partner who won it, when) for wins in the month."""
    balance: Balance | None = None
    waits: list[float] = field(default_factory=list)

    @property
    def referred_in(self) -> int:
        return sum(1 for lead, _ in self.received if self.partner in lead.referred)

    @property
    def via_articles(self) -> int:
        return sum(1 for lead, _ in self.received if self.partner in lead.authors)

    def stage(self, statuses: frozenset[OutcomeStatus]) -> int:
        return sum(1 for _, reply in self.received if reply and reply.status in statuses)


def partner_months(
    facts: Facts, partners: Sequence[str], month: str, start: datetime, end: datetime
) -> dict[str, PartnerMonth]:
    """Every partner's month ``[start, end)`` in one pass over the facts."""
    found = {p: PartnerMonth(p, month) for p in partners}

    def of(slug: str) -> PartnerMonth:
        return found.setdefault(slug, PartnerMonth(slug, month))

    for total in facts.arrivals:
        if total.month == month:
            of(total.partner).arrivals[total.channel] += total.count
    for total in facts.pages:
        of(total.partner).pages[total.landing] += total.count
    replies = {(r.lead_id, r.partner): r for r in facts.replies}
    wins: defaultdict[str, list[Reply]] = defaultdict(list)
    for reply in facts.replies:
        if reply.won_at is not None and start <= reply.won_at < end:
            wins[reply.lead_id].append(reply)
    window = months_back(end, RECIPROCITY_MONTHS)
    sent: Counter[str] = Counter()
    taken: Counter[str] = Counter()
    for lead in facts.leads:
        in_month = start <= lead.created_at < end
        referrer = lead.referrer
        if window <= lead.created_at < end and referrer:
            sent[referrer] += 1
            taken.update(lead.referred)
        if in_month:
            for partner in lead.recipients:
                answer = replies.get((lead.id, partner))
                of(partner).received.append((lead, answer))
                if answer is not None:
                    hours = (answer.first_at - lead.created_at).total_seconds() / 3600
                    of(partner).waits.append(max(0.0, hours))
            if referrer:
                states = {r: replies.get((lead.id, r)) for r in lead.referred}
                of(referrer).sent.append((lead, states))
        if referrer:
            for win in wins.get(lead.id, ()):
                if win.partner != referrer:
                    of(referrer).thanks.append((lead, win.partner, win.won_at or end))
    for slug, item in found.items():
        item.balance = Balance(slug, sent[slug], taken[slug])
    return found


def file_name(slug: str) -> str:
    """A file name for the partner's report; a slug that is not a plain slug gets a digest."""
    if _SAFE_SLUG.fullmatch(slug):
        return f"{slug}.html"
    return f"partner-{hashlib.sha256(slug.encode('utf-8')).hexdigest()[:16]}.html"


def write_partner_reports(
    months: dict[str, PartnerMonth], names: dict[str, str], site_name: str, out: Path
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for slug, item in months.items():
        path = out / file_name(slug)
        path.write_text(partner_html(item, names, site_name), encoding="utf-8")
        written.append(path)
    return written


def partner_html(item: PartnerMonth, names: dict[str, str], site_name: str) -> str:
    from statistics import median

    def name(slug: str) -> str:
        return text(names.get(slug, slug))

    own = names.get(item.partner, item.partner)
    title = f"{own}: {item.month}" + (f" at {site_name}" if site_name else "")
    won = item.stage(frozenset({OutcomeStatus.WON}))
    accepted = item.stage(ACCEPTED_OR_FURTHER)
    arrivals = sum(item.arrivals.values())
    figures = [
        ("arrivals", "visits through your links", arrivals),
        ("received", "leads received", len(item.received)),
        ("accepted", "accepted by you", accepted),
        ("won", "won by you", won),
        ("sent", "leads you referred", len(item.sent)),
        ("thanks", "of your referrals became clients", len(item.thanks)),
    ]
    wait = median(item.waits) if item.waits else None
    sections = [
        '<ul class="figures" id="figures">'
        + "".join(
            f'<li data-count="{key}"><strong>{value}</strong>{text(label)}</li>'
            for key, label, value in figures
        )
        + "</ul>",
        _arrivals(item),
        _received(item, name, accepted, won, wait),
        _sent(item, name),
        _thanks(item, name),
        _balance(item),
    ]
    return report_page(title, "\n\n".join(sections))


def _arrivals(item: PartnerMonth) -> str:
    channels = [c for c in CHANNELS if item.arrivals[c]] or ["link"]
    rows = [
        f'<tr data-channel="{text(c)}"><th scope="row">{text(c)}</th>'
        f'<td data-count="arrivals">{item.arrivals[c]}</td></tr>'
        for c in channels
    ]
    pages = [
        f'<tr><td class="text"><code>{text(page or "/")}</code></td>'
        f'<td data-count="arrivals">{count}</td></tr>'
        for page, count in sorted(item.pages.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_PAGES]
    ]
    chart = bar_chart("Visits by channel", [(c, item.arrivals[c]) for c in channels])
    return f"""<h2>What your shares brought</h2>
<p>Visits that arrived through your referral links this month, by where the link was shared
(link, feed, e-mail, QR code, social). Counted without cookies or any visitor id.</p>
{chart}
{table("arrivals", ("Channel", "Visits"), rows)}
<h3>Pages they landed on</h3>
{table("pages", ("Page", "Visits"), pages)}"""


def _received(item: PartnerMonth, name: _Name, accepted: int, won: int, wait: float | None) -> str:
    rows = []
    for lead, reply in item.received[:LISTED]:
        referred = item.partner in lead.referred and lead.credited_partner
        how = (
            f"referred by {name(lead.credited_partner)}"
            if referred and lead.credited_partner
            else "direct"
        )
        state = text(reply.status.label) if reply else "not reported yet"
        rows.append(
            f'<tr data-lead="{text(lead.id)}"><td class="text"><code>{text(lead.id)}</code></td>'
            f'<td>{lead.created_at:%Y-%m-%d}</td><td class="text">{how}</td>'
            f'<td class="text">{"yes" if item.partner in lead.authors else ""}</td>'
            f'<td class="text">{state}</td></tr>'
        )
    direct = len(item.received) - item.referred_in
    return f"""<h2>Leads you received</h2>
<p id="received-counts"><span data-count="referred">{item.referred_in}</span> referred by other
partners, <span data-count="direct">{direct}</span> direct (your own page or link),
<span data-count="via-articles">{item.via_articles}</span> through articles you wrote.
You accepted <span data-count="accepted">{accepted}</span> and won
<span data-count="won">{won}</span>; median time to your first answer:
<span data-hours>{hours_text(wait)}</span>.</p>
{table("received", ("Lead", "Received", "How", "Your article", "Your latest report"), rows)}
{_more(len(item.received))}"""


def _sent(item: PartnerMonth, name: _Name) -> str:
    rows = []
    for lead, states in item.sent[:LISTED]:
        became = "; ".join(
            f'<span data-partner="{text(r)}" data-state="{reply.status.value if reply else ""}">'
            f"{name(r)}: {text(reply.status.label) if reply else 'not reported yet'}</span>"
            for r, reply in states.items()
        )
        rows.append(
            f'<tr data-lead="{text(lead.id)}"><td class="text"><code>{text(lead.id)}</code></td>'
            f'<td>{lead.created_at:%Y-%m-%d}</td><td class="text">{became}</td></tr>'
        )
    return f"""<h2>Leads you referred</h2>
<p>Visitors who came through your links and asked another partner for help this month, and
what that partner has reported so far.</p>
{table("sent", ("Lead", "Received", "Sent to: what became of it"), rows)}
{_more(len(item.sent))}"""


def _thanks(item: PartnerMonth, name: _Name) -> str:
    rows = [
        f'<li data-lead="{text(lead.id)}">Your referral <code>{text(lead.id)}</code> became a '
        f"client of {name(winner)} on {when:%Y-%m-%d}. Thank you!</li>"
        for lead, winner, when in item.thanks[:LISTED]
    ]
    listed = (
        '<ul id="thanks">' + "".join(rows) + "</ul>"
        if rows
        else ('<p id="thanks">None this month.</p>')
    )
    return f"""<h2>Thanks</h2>
{listed}
{_more(len(item.thanks))}"""


def _balance(item: PartnerMonth) -> str:
    balance = item.balance or Balance(item.partner, 0, 0)
    state = light(balance.sent, balance.received)
    return f"""<h2>Your balance over {RECIPROCITY_MONTHS} months</h2>
<p id="balance" data-light="{state.colour}">You referred <span data-count="sent">{balance.sent}</span>
lead{"s" * (balance.sent != 1)} to other partners and received
<span data-count="received">{balance.received}</span> from them:
{light_badge(state.colour, state.label)}.</p>
<p class="note">{text(RULE)}</p>"""


def _more(count: int) -> str:
    if count <= LISTED:
        return ""
    return f'<p class="note">The first {LISTED} of {count} are listed.</p>'
