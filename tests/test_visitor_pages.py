"""What visitors see: the partner fields that build trust (profession, credentials, team,
testimonials), and the pages that show them, parsed from real builds."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hubkit import REPO, HubDir, Site, build_hub

from hubgen.core.models import (
    Credential,
    Hub,
    HubSettings,
    IdealClient,
    Image,
    Partner,
    PartnerStatus,
)
from hubgen.core.models import Testimonial as Quote
from hubgen.core.problems import Problems
from hubgen.leads.registry import load_registry
from hubgen.leads.routing import route
from hubgen.leads.submission import validate
from hubgen.load.partners import load_partners
from hubgen.site.catalog import Catalog
from hubgen.site.forms import UNSURE
from hubgen.site.pages import network_statement

PARTNER_SETTINGS = HubSettings(
    name="Hub", root=Path("/hub"), docs_dir=Path("/hub/content"), partners_dir=Path("/hub/p")
)
PARTNER = Partner(
    slug="p",
    name="Firm",
    tagline="Tagline",
    status=PartnerStatus.ACTIVE,
    joined=date(2024, 1, 1),
    logo=Image("https://logo.example/l.svg"),
    bio="Bio",
    ideal_client=IdealClient("Owners", "Signs"),
    services=("Bookkeeping",),
    source="partners/p.yml",
)

TRUST_FIELDS = """profession: Accountant
credentials:
  - name: Chartered Accountants
    regulator: ICAEW
    url: https://www.icaew.com/
  - name: Registered for audit
testimonials:
  - quote: They answer the phone.
    attribution: Sam Example, Example Bakery
"""


def test_trust_fields_are_typed(minihub: HubDir) -> None:
    minihub.edit("partners/acme.yml", "disclaimer: Not tax advice.", TRUST_FIELDS)
    hub, problems = minihub.load()
    assert list(problems) == []
    acme = hub.partners["acme"]
    assert acme.profession == "Accountant"
    assert acme.credentials == (
        Credential("Chartered Accountants", "ICAEW", "https://www.icaew.com/"),
        Credential("Registered for audit"),
    )
    assert acme.testimonials == (Quote("They answer the phone.", "Sam Example, Example Bakery"),)
    assert hub.partners["brightside"].profession == ""  # optional


def test_bad_trust_fields_name_file_line_and_field(minihub: HubDir) -> None:
    minihub.edit(
        "partners/acme.yml",
        "disclaimer: Not tax advice.",
        "profession: [Accountant]\n"
        "credentials:\n"
        "  - regulator: ICAEW\n"
        "    url: http://icaew.example\n"
        "  - Chartered\n"
        "testimonials:\n"
        "  - quote: Great.\n"
        "    by: Sam\n",
    )
    assert minihub.problems_text() == [
        "partners/acme.yml:31:13: error: profession: expected text, got a list"
        " (write the value on the same line)",
        "partners/acme.yml:33:5: error: credentials[0].name: required field 'name' is missing"
        " (add 'name: …')",
        "partners/acme.yml:34:10: error: credentials[0].url: 'http://icaew.example' is not a"
        " valid URL (write a full address starting with https://)",
        "partners/acme.yml:35:5: error: credentials[1]: expected a mapping, got 'Chartered'",
        "partners/acme.yml:37:5: error: testimonials[0].attribution: required field"
        " 'attribution' is missing (add 'attribution: …')",
        "partners/acme.yml:38:5: error: testimonials[0].by: unknown field 'by'"
        " (expected one of: attribution, quote)",
    ]


def test_a_long_profession_is_refused(minihub: HubDir) -> None:
    minihub.edit("partners/acme.yml", "disclaimer: Not tax advice.", "profession: " + "A" * 41)
    (problem,) = minihub.load()[1]
    assert problem.field == "profession" and "limit is 40" in problem.message


# -- the home page and titles (the fixture hub, built once) -------------------------------------


def test_home_says_who_the_network_is_from_its_data(mini_site: Site) -> None:
    hero = mini_site.page("").select_one(".hg-hero")
    assert hero is not None
    # Two active partners, only one of which says where it is: no place is claimed for them.
    assert hero.h1.get_text() == (
        "2 independent firms who know each other and refer clients to one another."
    )
    assert [img["alt"] for img in hero.select(".hg-hero__logos img")] == [
        "Acme Accounting",
        "Brightside Law",
    ]
    cta = hero.select_one(".hg-hero__actions .hg-button")
    assert cta.get_text() == "Tell us what is going on" and cta["href"] == "contact/"


@pytest.mark.parametrize(
    ("locations", "place"),
    [
        (["Park Square, Leeds LS1", "Leeds LS1 4AP", "Otley LS21"], "Leeds"),
        (["Leeds", "York", "Hull"], ""),
        (["Leeds", ""], ""),
        (["Kirkstall, Leeds LS5", "Holbeck, Leeds LS11"], "Leeds"),
    ],
)
def test_the_networks_place_is_where_most_firms_are(locations: list[str], place: str) -> None:
    partners = {
        f"p{i}": replace(PARTNER, slug=f"p{i}", name=f"Firm {i}", location=where)
        for i, where in enumerate(locations)
    }
    hub = Hub(PARTNER_SETTINGS, partners, ())
    assert Catalog(hub, datetime(2030, 1, 1, tzinfo=UTC)).place == place


def test_network_statement() -> None:
    assert network_statement(8, "Leeds") == (
        "8 independent firms in Leeds who know each other and refer clients to one another"
    )
    assert network_statement(1, "") == (
        "Independent firms who know each other and refer clients to one another"
    )


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("", "Mini Hub"),
        ("about/", "About Mini Hub"),
        ("partners/acme/", "Acme Accounting - Mini Hub"),
        ("articles/cash/", "Cash flow in summer - Mini Hub"),
        ("contact/", "Tell us what is going on - Mini Hub"),
    ],
)
def test_titles_name_the_site_once(mini_site: Site, url: str, title: str) -> None:
    assert mini_site.page(url).title.get_text() == title


# -- partner pages build trust (the demo hub) ----------------------------------------------------


def last_segment(href: str) -> str:
    """``../pennine-business-banking/`` → ``pennine-business-banking``; ``./`` → ``.``."""
    return href.rstrip("/").rsplit("/", 1)[-1]


def test_partner_page_shows_why_to_trust_the_firm(demo_site: Site) -> None:
    page = demo_site.page("partners/ledgerline/")
    assert page.select_one(".hg-partner__header .hg-kicker").get_text().startswith("Accountant ·")
    credentials = page.select(".hg-credentials li")
    assert [li.select_one(".hg-credentials__name").get_text() for li in credentials] == [
        "Chartered Accountants, registered for audit work",
        "Chartered Tax Adviser on the team",
    ]
    regulator = credentials[0].select_one("a")
    assert regulator["href"] == "https://find.icaew.com/"
    assert regulator.get_text() == "Institute of Chartered Accountants in England and Wales"
    photos = page.select(".hg-team .hg-person img")
    assert [img["src"] for img in photos] == ["priya.svg", "tom.svg"]
    assert all(img["width"] == img["height"] == "80" for img in photos)
    chips = page.select(".hg-body h2#services + ul > li")
    assert [li.get_text() for li in chips][:3] == [
        "Bookkeeping",
        "Year-end accounts",
        "VAT returns",
    ]
    quotes = page.select(".hg-testimonial")
    assert quotes[0].figcaption.get_text() == "Aisha Karim, director, Karim Dental Lab"
    # "Works closely with": the firms Ledgerline writes with, most shared articles first.
    shared = Counter(
        slug
        for card in page.select(".hg-card--article")
        for slug in (last_segment(a["href"]) for a in card.select(".hg-byline a"))
        if slug != "."  # the firm's own page
    )
    listed = [a["href"] for a in page.select(".hg-closely__list a")]
    assert [last_segment(href) for href in listed] == sorted(shared, key=lambda s: (-shared[s], s))
    assert len(listed) >= 2


def test_partner_page_is_written_for_visitors(demo_site: Site) -> None:
    page = demo_site.page("partners/ledgerline/")
    text = page.get_text()
    assert "Who we help" in text
    assert "How to spot them" not in text  # for partners: the referral guide
    assert "just crossed (or are nearing)" not in text
    headings = [h.get_text(strip=True) for h in page.select("h1, h2, h3")]
    assert headings.count("Contact Ledgerline Accounting") == 1
    assert page.select(".hg-disclaimer") == []  # the article-only disclaimer stays on articles
    assert page.select(".hg-feeds")  # this firm has articles: its feeds are offered


def test_a_partner_without_articles_offers_no_feeds(demo_site: Site) -> None:
    page = demo_site.page("partners/tandem-marketing/")
    assert page.select(".hg-feeds") == []
    assert page.select_one("#hg-partner-articles") is None
    assert page.select_one(".hg-closely") is None  # writes with nobody yet


@pytest.mark.parametrize("url", ["", "partners/ledgerline/", "articles/"])
def test_no_repository_link_in_the_header_unless_asked(demo_site: Site, url: str) -> None:
    assert demo_site.page(url).select(".md-source") == []


def test_the_repository_link_when_the_organiser_asks(minihub: HubDir, tmp_path: Path) -> None:
    minihub.edit("mkdocs.yml", "      tagline:", "      repo_link: true\n      tagline:")
    minihub.write(
        "mkdocs.yml", "repo_url: https://github.com/example/hub\n" + minihub.read("mkdocs.yml")
    )
    site = build_hub(minihub.root, tmp_path / "site")
    assert site.page("").select_one(".md-header__source .md-source")["href"] == (
        "https://github.com/example/hub"
    )


# -- the directory: professions first, services second, static pages for both -------------------


def visible_cards(page: Any) -> list[str]:
    return [c["data-partner"] for c in page.select(".hg-card--partner:not([hidden])")]


def test_directory_filters_by_profession(demo_site: Site) -> None:
    partners = {p.slug: p for p in demo_partners_active()}
    directory = demo_site.page("partners/")
    chips = directory.select(".hg-filter__main a")
    professions = sorted({p.profession for p in partners.values()}, key=str.casefold)
    assert [a.get_text() for a in chips] == ["All firms", *professions]
    assert 6 <= len(professions) <= 10  # about one chip per kind of firm, not one per service
    # Each firm's profession under its name.
    for card in directory.select(".hg-card--partner"):
        assert card.select_one(".hg-card__profession").get_text() == (
            partners[card["data-partner"]].profession
        )
    # Services are the second filter, folded away.
    assert directory.select_one("details.hg-filter__services:not([open])") is not None
    assert len(directory.select(".hg-filter__services a")) > len(professions)
    # Without JavaScript each chip is a page showing that profession's firms.
    solicitors = demo_site.page("professions/employment-solicitor/")
    assert visible_cards(solicitors) == ["harbour-employment-law"]
    current = solicitors.select_one(".hg-filter__main a[aria-current]")
    assert current.get_text() == "Employment solicitor"
    assert solicitors.select_one("[data-hg-filter-status]").get_text() == (
        "1 of 8 firms: Employment solicitor."
    )
    payroll = demo_site.page("services/payroll/")
    assert visible_cards(payroll) == ["kirkgate-hr", "ledgerline"]
    assert payroll.select_one("details.hg-filter__services[open]") is not None
    # A filter page holds its own firms only; the directory holds every firm, to filter in place.
    for page in (solicitors, payroll):
        assert page.select(".hg-card--partner[hidden]") == []
        assert page.select_one("[data-hg-filter-items][data-hg-filter-all]") is None
    assert directory.select_one("[data-hg-filter-items][data-hg-filter-all]") is not None
    assert len(directory.select(".hg-card--partner")) == len(partners)


def demo_partners_active() -> list[Partner]:
    settings = HubSettings(
        name="demo", root=REPO, docs_dir=REPO / "content", partners_dir=REPO / "partners"
    )
    return [p for p in load_partners(settings, Problems(), set()).values() if p.is_active]


# -- the contact page: problem first, grouped by profession, "not sure" to the organiser ----------


def test_contact_choices_are_grouped_by_profession_and_routed_by_hub_json(
    demo_site: Site,
) -> None:
    page = demo_site.page("contact/")
    select = page.select_one("select#hg-form-service")
    options = select.find_all("option", recursive=False)
    assert [o.get_text() for o in options] == ["Choose what fits best…", UNSURE]
    groups = {g["label"]: [o.get_text() for o in g.select("option")] for g in select("optgroup")}
    partners = demo_partners_active()
    assert list(groups) == sorted({p.profession for p in partners}, key=str.casefold)
    assert groups["Accountant"] == sorted(
        next(p for p in partners if p.slug == "ledgerline").services, key=str.casefold
    )
    assert "Payroll" in groups["Accountant"] and "Payroll" in groups["HR consultant"]
    # Every choice is a route in hub.json, which the lead receiver alone trusts.
    manifest = json.loads((demo_site.root / "hub.json").read_text(encoding="utf-8"))
    routes = manifest["forms"]["services"]
    choices = {o.get_text() for o in select.select("option") if o.get("value") != ""}
    assert choices == set(routes)
    assert routes[UNSURE] == ["ledgerline"]  # the organiser (forms.organiser)
    # How it works, beside the form.
    how = page.select_one(".hg-contact-page .hg-how")
    assert how.h2.get_text() == "How it works" and len(how.select("ol > li")) == 3


def test_not_sure_reaches_the_organiser_through_the_receiver(demo_site: Site) -> None:
    registry = load_registry(str(demo_site.root / "hub.json"))
    pairs = [
        ("form_id", "contact"),
        ("page", "contact/"),
        ("name", "Sam"),
        ("email", "sam@bakery.example"),
        ("service", UNSURE),
        ("message", "Our landlord wants to sell the building."),
        ("consent", "yes"),
    ]
    assert route(validate(pairs, registry), registry).recipients == ("ledgerline",)
    payroll = [(k, "Payroll" if k == "service" else v) for k, v in pairs]
    assert set(route(validate(payroll, registry), registry).recipients) == {
        "kirkgate-hr",
        "ledgerline",
    }


def test_without_an_organiser_or_professions_the_choices_are_one_list(mini_site: Site) -> None:
    select = mini_site.page("contact/").select_one("select#hg-form-service")
    assert select.select("optgroup") == []
    assert UNSURE not in select.get_text()
    assert [o.get_text() for o in select.select("option")][1:] == [
        "Bookkeeping",
        "Employment law",
        "Payroll",
    ]
