"""Arrivals: how many visitors partners' links bring, as aggregated counters only (pure).

An arrival is the first page of a visit whose URL carries a known referral code. It is counted
as ``(day, partner, landing page, channel) → count`` and nothing else: no visitor id, no address,
no user agent, no raw text from the request. Every stored value comes from hub.json or from a
fixed vocabulary, so the table stays bounded by days × partners × pages × channels whatever
anyone posts:

- the partner is the one whose code was given; an unknown code is not counted at all (keeping
  it, or even a count of them, would only measure how many strings someone invented);
- the landing page is one of the hub's article or partner pages (or the home page), otherwise
  ``(other)``;
- the channel is ``utm_medium`` mapped onto :data:`CHANNELS`; anything unrecognised is ``other``.

Two ways in: the site's referral script posts a beacon (``POST …/arrivals``), and a short link
``/r/<code>/`` without JavaScript goes through ``GET …/r/<code>``, which counts and redirects.
Do-Not-Track and Global Privacy Control are honoured on both.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hubgen.leads.registry import Partner, Registry

MAX_ARRIVAL_BODY = 1024
"""A beacon carries three short values; anything bigger is not one."""
ARRIVALS_PATH = "arrivals"
SHORT_LINK_PATH = "r/"
CHANNELS = ("link", "feed", "email", "qr", "social", "other")
OTHER_PAGE = "(other)"
_MEDIA = {
    "": "link", "link": "link", "referral": "link", "short": "link",
    "feed": "feed", "rss": "feed", "syndication": "feed",
    "email": "email", "e-mail": "email", "newsletter": "email",
    "qr": "qr", "social": "social",
}  # fmt: skip
FIELD_LIMIT = 512


class ArrivalError(Exception):
    """The request is not a beacon this receiver reads (answered 400 or 415)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Arrival:
    """One counted arrival: the key of the counter it adds one to."""

    day: date
    partner: str
    landing: str
    channel: str


@dataclass(frozen=True)
class ArrivalCount:
    day: date
    partner: str
    landing: str
    channel: str
    count: int


# -- where the site sends them (used by the build, so nothing here imports Starlette) ------------


def receiver_url(endpoint: str, path: str) -> str:
    """A receiver URL beside the lead endpoint: same origin, same path prefix.

    ``https://leads.example/leads`` → ``https://leads.example/arrivals``; a receiver mounted at
    ``https://hub.example/api/leads`` → ``https://hub.example/api/arrivals``. Being on the
    endpoint's origin, it is already allowed by the pages' Content-Security-Policy.
    """
    return urljoin(endpoint, path)


def short_link_via_receiver(endpoint: str, code: str) -> str:
    return receiver_url(endpoint, SHORT_LINK_PATH + quote(code, safe=""))


def receiver_paths(endpoint_path: str, path: str) -> set[str]:
    """The receiver's own paths for ``path``: at its root and beside the endpoint's path (when
    a proxy passes its prefix through)."""
    return {"/" + path, urljoin(endpoint_path or "/", path)}


# -- reading a beacon ------------------------------------------------------------------------------


def channel(medium: str) -> str:
    """``utm_medium`` → one of :data:`CHANNELS`."""
    return _MEDIA.get(medium.strip().lower(), "other")


def landing_page(path: str, registry: Registry) -> str:
    """The site-relative page a visitor landed on, if it is one of the hub's; else ``(other)``."""
    path = unquote(urlsplit(path[:FIELD_LIMIT]).path)
    base = registry.site_path
    if not path.startswith(base):
        return OTHER_PAGE
    page = path[len(base) :].removesuffix("index.html")
    if page and not page.endswith("/"):
        page += "/"
    known = page == "" or page in registry.articles
    known = known or any(p.url == page for p in registry.partners.values())
    return page if known else OTHER_PAGE


def parse_beacon(body: bytes, content_type: str) -> dict[str, str]:
    """The beacon's fields from a form-encoded (what ``sendBeacon`` sends) or JSON body."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ArrivalError(400, "the body is not UTF-8") from None
    if content_type == "application/json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            raise ArrivalError(400, "the body is not JSON") from None
        if not isinstance(data, dict):
            raise ArrivalError(400, "expected a JSON object")
        return {str(k): v for k, v in data.items() if isinstance(v, str)}
    if content_type in ("application/x-www-form-urlencoded", "text/plain"):
        try:
            return dict(parse_qsl(text, keep_blank_values=True, max_num_fields=8))
        except ValueError:  # more fields than a beacon has
            raise ArrivalError(400, "too many fields") from None
    raise ArrivalError(415, "send the arrival as application/x-www-form-urlencoded or JSON")


def arrival(fields: Mapping[str, str], registry: Registry, now: datetime) -> Arrival | None:
    """The counter an arrival adds to, or None when its code is not one of the hub's."""
    code = fields.get("ref", "")
    if not code or len(code) > FIELD_LIMIT:
        raise ArrivalError(400, "ref: the referral code is missing")
    partner = registry.partner_for_code(code)
    if partner is None:
        return None
    return Arrival(
        day=local_day(now, registry.timezone),
        partner=partner.slug,
        landing=landing_page(fields.get("landing", ""), registry),
        channel=channel(fields.get("medium", "")[:FIELD_LIMIT]),
    )


def short_link_arrival(partner: Partner, registry: Registry, now: datetime) -> Arrival:
    """A short link's arrival: the partner's page, through the channel its link names."""
    target = short_link_target(partner, registry)
    medium = dict(parse_qsl(urlsplit(target).query)).get("utm_medium", "")
    return Arrival(local_day(now, registry.timezone), partner.slug, partner.url, channel(medium))


def short_link_target(partner: Partner, registry: Registry, site_url: str | None = None) -> str:
    """Where the partner's short link leads: the static short link's own target (hub.json), on
    the hub's site or on ``site_url`` (an allowed preview copy of it)."""
    return (site_url or registry.site_url) + (partner.short_link_target or partner.url).lstrip("/")


def opted_out(headers: Mapping[str, str]) -> bool:
    """Do-Not-Track or Global Privacy Control sent with the request."""
    return headers.get("dnt", "").strip() == "1" or headers.get("sec-gpc", "").strip() == "1"


def local_day(now: datetime, timezone: str) -> date:
    """The day in the hub's own time zone, so a day's counts match the hub's calendar."""
    return now.astimezone(_zone(timezone)).date()


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


# -- reading the counters back ---------------------------------------------------------------------

ARRIVAL_COLUMNS = ("day", "partner", "landing", "channel", "count")


def arrivals_csv(counts: Iterable[ArrivalCount]) -> str:
    """The counters as CSV, one row per day, partner, landing page and channel."""
    from hubgen.leads.export import safe_cell  # here: the site's build imports this module

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ARRIVAL_COLUMNS)
    for c in counts:
        writer.writerow([c.day.isoformat(), safe_cell(c.partner), safe_cell(c.landing),
                         c.channel, c.count])  # fmt: skip
    return out.getvalue()


def arrivals_json(counts: Iterable[ArrivalCount]) -> str:
    rows = [
        {"day": c.day.isoformat(), "partner": c.partner, "landing": c.landing,
         "channel": c.channel, "count": c.count}
        for c in counts
    ]  # fmt: skip
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
