"""The cost of social cards: what drawing one costs on a cold build, and signing one on a warm one.

    python -m benchmarks.cards PATH/TO/HUB [--sample 40]

A cold build draws every card (the home page's, each article's, each partner's); a warm one only
builds each card's SVG text and hashes it (:mod:`hubgen.cache.cards`). Both are timed here on a
sample of the hub's cards, one process, after the hub is loaded; ``benchmarks.run`` prints the
line for each corpus it builds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import load_config

from hubgen.cache.cards import card_salt
from hubgen.cache.rendercache import fingerprint
from hubgen.load.loader import load_hub
from hubgen.mkdocs_adapter.config import hub_settings
from hubgen.site.catalog import Catalog, build_time
from hubgen.site.socialcards import LogoCache, card_inputs, hub_cards, render_card


@dataclass(frozen=True)
class CardCost:
    cards: int
    """Cards the hub publishes."""
    sampled: int
    draw_ms: float
    """Median time to draw one card (SVG → PNG), logos already drawn."""
    sign_ms: float
    """Median time to compute one card's cache key (what a warm build pays)."""
    largest: int
    """Bytes of the largest sampled card."""

    def line(self) -> str:
        return (
            f"social cards: {self.cards:,} cards; cold {self.draw_ms:.0f} ms per card "
            f"(≈ {self.cards * self.draw_ms / 1000:.0f} s for all), warm {self.sign_ms:.2f} ms "
            f"per card; largest of {self.sampled} sampled {self.largest / 1000:.1f} KB"
        )


def card_cost(hub: Path, sample: int = 40) -> CardCost:
    config = load_config(str(hub / "mkdocs.yml"))
    settings = hub_settings(config, config.plugins["hubgen"].config)  # type: ignore[attr-defined]
    loaded, _ = load_hub(settings)
    catalog = Catalog(loaded, build_time(settings.timezone))
    logos = LogoCache()
    cards = hub_cards(catalog, logos)
    step = max(1, len(cards) // sample)
    chosen = cards[::step][:sample]
    for card in chosen:  # each logo drawn once, as a build does, before timing the cards
        for partner in card.partners:
            if partner.logo is not None:
                logos.data_url(partner.logo)
    salt = card_salt()
    draws, signs, sizes = [], [], []
    for card in chosen:
        started = time.perf_counter()
        fingerprint(salt, *card_inputs(card))
        signs.append(time.perf_counter() - started)
        started = time.perf_counter()
        sizes.append(len(render_card(card, logos)))
        draws.append(time.perf_counter() - started)
    return CardCost(
        len(cards),
        len(chosen),
        statistics.median(draws) * 1000,
        statistics.median(signs) * 1000,
        max(sizes, default=0),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cards", description=__doc__)
    parser.add_argument("hub", type=Path, help="a hub folder (its mkdocs.yml)")
    parser.add_argument("--sample", type=int, default=40, help="cards timed (default: 40)")
    args = parser.parse_args(argv)
    print(card_cost(args.hub.resolve(), args.sample).line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
