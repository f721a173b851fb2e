"""The benchmark's peers (benchmarks/corpus.py, benchmarks/run.py): the light Material set-up and
Pelican get the same article bodies as the hub, and the runner builds and measures Pelican."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import feedparser
import pytest
import yaml

import hubgen
from benchmarks import run
from benchmarks.corpus import generate
from benchmarks.run import build, count_feeds, count_pages, parse_tools
from hubgen.site.hostlimits import measure


def test_the_light_material_setup_has_blog_and_rss_only(tmp_path: Path) -> None:
    generate(tmp_path, 6, 3)
    config = yaml.safe_load((tmp_path / "material-light/mkdocs.yml").read_text())
    plugins = [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]]
    assert plugins == ["search", "blog", "rss"]
    assert "authors_profiles" not in config["plugins"][1]["blog"]
    light = sorted((tmp_path / "material-light/docs/blog/posts").glob("*.md"))
    full = sorted((tmp_path / "material/docs/blog/posts").glob("*.md"))
    assert [p.read_bytes() for p in light] == [p.read_bytes() for p in full]


def test_pelican_builds_the_same_bodies_with_its_feeds(tmp_path: Path) -> None:
    corpus = generate(tmp_path, 6, 3)
    site = tmp_path / "pelican-site"
    seconds, peak = build(tmp_path / "pelican", site, tmp_path / "pelican.log")
    assert seconds > 0 and peak > 0
    for article in corpus.articles:
        page = site / f"{article.stem[11:]}.html"
        assert page.is_file(), page
        text = re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))
        first_words = " ".join(article.body.split()[:6]).replace("**", "")
        assert first_words in " ".join(text.split()), article.stem
    everything = feedparser.parse((site / "feeds/all.atom.xml").read_bytes())
    assert len(everything.entries) == len(corpus.articles)
    assert list((site / "feeds/tag").glob("*.atom.xml"))  # per-tag feeds, as hubgen's topics
    assert count_feeds(site) > len(corpus.partners)  # per author and category as well
    assert count_pages(site) > len(corpus.articles)
    size = measure(site)
    assert size.files > count_pages(site) and size.bytes > 0


def test_tools_are_picked_by_name_and_hubgen_is_always_built() -> None:
    assert parse_tools("pelican") == ("hubgen", "pelican")
    assert parse_tools("material-light,material") == ("hubgen", "material", "material-light")
    with pytest.raises(
        argparse.ArgumentTypeError, match=r"Expected tools among .* but received: hugo"
    ):
        parse_tools("pelican,hugo")


def test_hubgen_is_measured_with_its_bytecode_compiled_as_installed_packages_are() -> None:
    run.compile_bytecode()
    package = Path(hubgen.__file__).parent
    tag = sys.implementation.cache_tag
    missing = [
        source
        for source in package.rglob("*.py")
        if not (source.parent / "__pycache__" / f"{source.stem}.{tag}.pyc").is_file()
    ]
    assert not missing
    assert run.compile_bytecode() == 0  # already compiled: nothing more
