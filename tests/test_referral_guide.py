"""The referral guide: for partners, every firm's ideal client on one page that prints on A4; kept
out of search engines, the sitemap, the search index and the feeds; linked from share kits and,
with the share kit, discreetly from each partner page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from hubkit import Site, static_server

GUIDE = "referral-guide/"


def test_the_guide_shows_every_active_firm_in_a_block(mini_site: Site) -> None:
    soup = mini_site.page(GUIDE)
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex"
    firms = soup.select(".hg-guide__firm")
    assert [f["id"] for f in firms] == ["acme", "brightside"]  # not pending or retired firms
    acme = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in firms[0].select("dt")
    }
    assert acme["Their ideal client"] == "Owners of firms with 5 to 50 staff."
    assert acme["How to spot them"] == "They mention a tax bill they did not expect."
    assert acme["What makes them different"] == "Fixed fees."
    assert "https://mini.example/partners/acme/" in acme["Send them to"]
    assert "What makes them different" not in firms[1].get_text()  # Brightside has none
    assert "Newco" not in soup.get_text() and "Oldco" not in soup.get_text()


def test_the_guide_stays_out_of_search_engines_search_and_feeds(mini_site: Site) -> None:
    root = mini_site.root
    assert "referral-guide" not in (root / "sitemap.xml").read_text("utf-8")
    assert "referral-guide" not in (root / "search/search_index.json").read_text("utf-8")
    feeds = [
        p for p in root.rglob("*") if p.suffix in (".xml", ".atom") or p.name.endswith("feed.json")
    ]
    assert feeds
    for feed in feeds:
        assert "referral-guide" not in feed.read_text("utf-8"), feed
    # Not in the navigation: no page but the kits' and the partner pages' footers link it.
    home = mini_site.page("")
    assert not home.select(f'a[href$="{GUIDE}"]')


def test_share_kits_and_partner_pages_link_the_guide_and_the_kit(mini_site: Site) -> None:
    kit = mini_site.page("partners/acme/share/")
    assert kit.select_one('.hg-share__guide a[href="../../../referral-guide/"]')
    profile = mini_site.page("partners/acme/")
    line = profile.select_one(".hg-partner__kit")
    assert line.get_text(" ", strip=True).startswith("Partner of the network? Your share kit")
    assert line.select_one('a[href="share/"]')
    assert line.select_one('a[href="../../referral-guide/"]')


def test_the_guide_prints_on_a4_one_firm_per_block(mini_site: Site, browser: Any) -> None:
    with static_server(mini_site.root) as base:
        page = browser.new_page()
        page.goto(base + GUIDE)
        page.emulate_media(media="print")
        styles = page.evaluate(
            """() => ({
                firms: [...document.querySelectorAll('.hg-guide__firm')].map(
                    e => getComputedStyle(e).breakInside),
                header: getComputedStyle(document.querySelector('.md-header')).display,
                sidebar: [...document.querySelectorAll('.md-sidebar')].map(
                    e => getComputedStyle(e).display),
            })"""
        )
        assert styles["firms"] == ["avoid", "avoid"]
        assert styles["header"] == "none" and set(styles["sidebar"]) <= {"none"}
        pdf = page.pdf(prefer_css_page_size=True)
        page.close()
    # The page size the stylesheet asks for: A4 is 595 × 842 points.
    boxes = re.findall(rb"/MediaBox ?\[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}


def test_hostile_partner_text_in_the_guide_and_the_404_page_is_text(tmp_path: Path) -> None:
    from hostilehub import PARTNER_TEXT, write_hostile_hub

    from hubgen.cli import main

    root = tmp_path / "hub"
    write_hostile_hub(root)
    out = tmp_path / "site"
    assert main(["build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(out)]) == 0
    soup = Site(out).page(GUIDE)
    text = soup.get_text()
    assert PARTNER_TEXT["name"] in text and PARTNER_TEXT["what_makes_us_different"] in text
    assert not soup.select(".hg-guide script, .hg-guide img[onerror], .hg-guide svg")
    # The 404 page is not autoescaped by hubgen (it is Material's template name): it escapes itself.
    missing = Site(out).page("404.html")
    assert PARTNER_TEXT["name"] in missing.select_one(".hg-strip").get_text()
    assert not missing.select(".hg-notfound script, .hg-notfound [onerror], .hg-notfound svg")
