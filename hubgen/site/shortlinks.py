"""Short links ``/r/<code>/``: tiny static pages that send the visitor on with the partner's code.

They are plain HTML (not themed pages): a ``<meta refresh>`` and a visible link work without
JavaScript, and the attribution script (a file, never inline) replaces the location at once when
it runs. The page they lead to records the referral, so no storage is needed for the landing
itself. Their Content-Security-Policy is the hub's, without the theme's inline-script hashes:
nothing inline runs here.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from hubgen.core import urls
from hubgen.site.catalog import Catalog
from hubgen.site.csp import build_policy, meta_tag
from hubgen.leads.arrivals import short_link_via_receiver
from hubgen.core.models import HubSettings, Partner
from hubgen.site.pages import StaticFile
from hubgen.core.referral import tracking_parameters


def short_link_pages(catalog: Catalog) -> list[StaticFile]:
    settings = catalog.settings
    if not settings.referral.short_links:
        return []
    return [_short_link(catalog, partner) for partner in catalog.partners]


def short_link_target(settings: HubSettings, partner: Partner) -> str:
    """Where a short link leads, site-relative: the partner's own page with their code. It shows
    who shared the link, and its forms name the partner in server-rendered fields, so the
    referral survives even where script storage is capped."""
    params = tracking_parameters(partner.referral_code, settings.referral, settings.slug)
    return f"{urls.partner(partner.slug)}?{urlencode(params)}"


def _short_link(catalog: Catalog, partner: Partner) -> StaticFile:
    settings = catalog.settings
    url = urls.short_link(partner.referral_code)
    root = "../" * url.count("/")
    landing = urls.partner(partner.slug)
    target = f"{root}{short_link_target(settings, partner)}"
    refresh = f'<meta http-equiv="refresh" content="0; url={escape(target)}">'
    if settings.forms.backend == "hubgen" and settings.forms.endpoint:
        # Without JavaScript the refresh goes through hubgen's receiver, which counts the arrival
        # and answers 303 to the same target. With it, the script goes straight there and the
        # landing page's beacon counts, so the link works while the receiver is down. The later
        # refresh covers a script that failed to load; the earliest refresh is the one that runs.
        via = short_link_via_receiver(settings.forms.endpoint, partner.referral_code)
        refresh = (
            f'<noscript><meta http-equiv="refresh" content="0; url={escape(via)}"></noscript>\n'
            f'<meta http-equiv="refresh" content="1; url={escape(target)}">'
        )
    absolute = urls.absolute(settings.site_url, landing)
    hub, name = escape(settings.name), escape(partner.name)
    html = f"""<!doctype html>
<html lang="{escape(settings.language)}">
<head>
<meta charset="utf-8">
{meta_tag(build_policy(settings, preview=catalog.preview))}
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{name} shared {hub} with you</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{escape(absolute)}">
<script src="{root}{urls.REFERRAL_SCRIPT}" data-redirect="{escape(target)}"></script>
{refresh}
</head>
<body>
<p>{name} shared {hub} with you. <a href="{escape(target)}">Continue to {hub}</a>.</p>
</body>
</html>
"""
    return StaticFile(urls.html_file(url), html)
