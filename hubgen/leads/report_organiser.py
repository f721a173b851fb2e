"""The organiser's report page: reciprocity, the funnel, response times, unanswered leads, the
per-partner counts, the referral matrix and the charts (drawn by report.py beside it).

Every name, slug and id is escaped by report_html.text; the page runs no script and loads
nothing but its own charts (report_html.report_page's Content-Security-Policy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hubgen.leads.funnel import ROUTES, STAGES
from hubgen.leads.report_figures import RECIPROCITY_MONTHS, RULE, UNANSWERED_AFTER, hours_text
from hubgen.leads.report_html import light_badge, report_page, table, text

if TYPE_CHECKING:
    from hubgen.leads.report import Summary

UNANSWERED_SHOWN = 200
"""The unanswered list names this many (the oldest); the rest are counted per partner above."""


def organiser_html(summary: Summary, title: str) -> str:
    def name(slug: str) -> str:
        return text(summary.names.get(slug, slug))

    def row(slug: str, cells: str) -> str:
        return f'<tr data-partner="{text(slug)}"><th scope="row">{name(slug)}</th>{cells}</tr>'

    as_of = f"{summary.as_of:%Y-%m-%d %H:%M %Z}" if summary.as_of else ""
    window = f"{summary.window_start:%Y-%m-%d}" if summary.window_start else ""
    sections = [
        f"""<p class="totals">{summary.total} leads ({summary.direct} without a referral between
partners, {summary.self_referrals} flagged as self-referrals); {summary.spam} spam posts not
counted. Counted up to {text(as_of)}; generated {summary.generated:%Y-%m-%d %H:%M} UTC.</p>""",
        _reciprocity(summary, row, window),
        _funnel(summary, row),
        _responses(summary, row, window),
        _unanswered(summary, name),
        _per_partner(summary, row),
        _matrix(summary, name),
        f"""<h2>Leads over time</h2>
<img src="over-time.svg" alt="Bar chart of leads per {text(summary.period)}">""",
    ]
    return report_page(title, "\n\n".join(sections))


def _reciprocity(summary: Summary, row: _Row, window: str) -> str:
    rows = [
        row(
            b.partner,
            f'<td data-count="sent">{b.sent}</td>'
            f'<td data-count="received">{b.received}</td>'
            f'<td data-count="balance">{b.sent - b.received:+d}</td>'
            f'<td class="text" data-light="{b.light.colour}">'
            f"{light_badge(b.light.colour, b.light.label)}</td>",
        )
        for b in summary.balances
    ]
    return f"""<h2>Who gives, who takes: the last {RECIPROCITY_MONTHS} months</h2>
<p>Referrals a partner gave to other partners and received from them, for leads since
{text(window)}. A partner's own link to its own page is not a referral.</p>
<p class="note" id="light-rule">{text(RULE)}</p>
{table("reciprocity", ("Partner", "Referred to others", "Received from others", "Balance", "Light"), rows)}"""


def _funnel(summary: Summary, row: _Row) -> str:
    rows = []
    for f in summary.funnel:
        cells = [f'<td data-count="arrivals">{f.arrivals}</td>']
        for stage in STAGES:
            cells.append(f'<td data-count="{stage}">{f.count(stage)}</td>')
            cells += [
                f'<td data-count="{stage}-{route}">{f.count(stage, route)}</td>' for route in ROUTES
            ]
        cells += [
            f'<td data-rate="won-{route}">{_rate(f.count("won", route), f.count("received", route))}</td>'
            for route in ROUTES
        ]
        rows.append(row(f.partner, "".join(cells)))
    headers = ["Partner", "Arrivals"]
    for stage in ("Leads", "Accepted", "Won"):
        headers += [stage, f"{stage}: referred", f"{stage}: direct"]
    headers += ["Won of referred leads", "Won of direct leads"]
    return f"""<h2>From arrival to client</h2>
<p>Per partner: visits that arrived with the partner's referral code, leads the partner
received, and of those, the ones the partner has marked accepted (or contacted, or won) and won,
by what it reported last. <em>Referred</em> leads came through another partner's link;
<em>direct</em> ones came without (the partner's own page or its own link). Arrivals are counted
on their own, so the first column is how many visitors a partner's links brought, whoever those
visitors then asked for help. The last two columns are the conversion: the share of referred
and of direct leads the partner won.</p>
{table("funnel", headers, rows)}"""


def _rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "–"


def _responses(summary: Summary, row: _Row, window: str) -> str:
    rows = [
        row(
            r.partner,
            f'<td data-count="received">{r.received}</td>'
            f'<td data-count="answered">{r.answered}</td>'
            f'<td data-hours="{"" if r.median_hours is None else f"{r.median_hours:.2f}"}">'
            f"{hours_text(r.median_hours)}</td>",
        )
        for r in summary.responses
    ]
    return f"""<h2>Response time</h2>
<p>For leads since {text(window)}: how many the partner has reported on (accepted, contacted,
won or not a fit), and the median time from the lead to the partner's first report.</p>
{table("responses", ("Partner", "Leads received", "Answered", "Median time to answer"), rows)}"""


def _unanswered(summary: Summary, name: _Name) -> str:
    found = summary.unanswered
    days = UNANSWERED_AFTER.days
    shown = found[:UNANSWERED_SHOWN]
    rows = [
        f'<tr data-lead="{text(u.lead_id)}" data-partner="{text(u.partner)}">'
        f'<td class="text"><code>{text(u.lead_id)}</code></td>'
        f'<td class="text">{name(u.partner)}</td>'
        f"<td>{u.created_at:%Y-%m-%d}</td>"
        f'<td data-count="age">{u.age_days}</td></tr>'
        for u in shown
    ]
    more = (
        f"<p>The {UNANSWERED_SHOWN} oldest are listed; {len(found) - UNANSWERED_SHOWN} more "
        "are not (<code>hubgen leads export --partner SLUG</code> lists a partner's leads).</p>"
        if len(found) > UNANSWERED_SHOWN
        else ""
    )
    return f"""<h2>Unanswered for more than {days} days</h2>
<p id="unanswered-total">{len(found)} lead{"s" * (len(found) != 1)} received more than {days}
days ago that the partner has not reported on yet, oldest first. The lead id is the one in the
partner's delivery; nothing about the client is shown here.</p>
{table("unanswered", ("Lead", "Partner", "Received", "Days waiting"), rows)}
{more}"""


def _per_partner(summary: Summary, row: _Row) -> str:
    rows = [
        row(
            s,
            f'<td data-count="received">{summary.received[s]}</td>'
            f'<td data-count="received-referred">{summary.received_referred[s]}</td>'
            f'<td data-count="received-direct">{summary.received_direct[s]}</td>'
            f'<td data-count="referred">{summary.referred[s]}</td>'
            f'<td data-count="authored">{summary.authored[s]}</td>',
        )
        for s in summary.partners
    ]
    headers = ("Partner", "Received", "of which referred by a partner", "of which direct",
               "Referred to others", "Via their articles")  # fmt: skip
    return f"""<h2>Leads per partner</h2>
<img src="partners.svg" alt="Bar chart of leads received, referred and authored per partner">
{table("per-partner", headers, rows)}"""


def _matrix(summary: Summary, name: _Name) -> str:
    slug = {s: text(s) for s in {*summary.referrers, *summary.recipients}}
    head = "".join(
        f'<th scope="col" data-recipient="{slug[c]}">{name(c)}</th>' for c in summary.recipients
    )
    rows = "\n".join(
        f'<tr><th scope="row" data-referrer="{slug[r]}">{name(r)}</th>'
        + "".join(
            '<td class="self" title="not a referral">–</td>'
            if r == c
            else f'<td data-referrer="{slug[r]}" data-recipient="{slug[c]}">'
            f"{summary.matrix[(r, c)]}</td>"
            for c in summary.recipients
        )
        + "</tr>"
        for r in summary.referrers
    )
    return f"""<h2>Referral matrix</h2>
<p>Rows: the partner credited with the referral; columns: the partner who received the lead.
A partner's own links to its own page are direct leads, not referrals, and are not counted here.</p>
<img src="matrix.svg" alt="Heat map of referrals from partner to partner">
<div class="scroll"><table id="matrix">
<thead><tr><th scope="col">Referred by ↓ / received by →</th>{head}</tr></thead>
<tbody>
{rows}
</tbody>
</table></div>"""


if TYPE_CHECKING:
    from collections.abc import Callable

    _Row = Callable[[str, str], str]
    _Name = Callable[[str], str]
