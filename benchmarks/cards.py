"""The cost of social cards: what drawing one costs on a cold build, and signing one on a warm one.

    python -m benchmarks.cards PATH/TO/HUB [--sample 40]

A cold build draws every card (the home page's, each article's, each partner's); a warm one only
hashes what each card is drawn from (:mod:`hubgen.cache.cards`). Both are timed here, in one
process, after the hub is loaded and its logos rasterised (once per build): every card drawn in
the build's order (grouped by chrome, each chrome drawn once, as a build does), a sample
signed; in CPU time (``time.process_time``: a busy machine's other work does not count).
``benchmarks.run`` prints the line for each corpus it builds.
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
from hubgen.site.socialcards import (
    Card,
    LogoCache,
    card_inputs,
    chrome_order,
    hub_cards,
    render_card,
)


@dataclass(frozen=True)
class CardCost:
    cards: int
    """Cards the hub publishes, all drawn here."""
    draw_ms: float
    """Mean CPU time to draw one card (layout, pixels, PNG), logos already rasterised: cards
    drawn in the build's order, grouped by chrome, so each chrome is drawn once."""
    chromes: int
    """Distinct chromes (a card without its title) the cards were drawn on."""
    sampled: int
    """Cards whose cache key was timed."""
    sign_ms: float
    """Median CPU time to compute one card's cache key (what a warm build pays)."""
    largest: int
    """Bytes of the largest card."""
    mean_bytes: float
    """Mean bytes of a card."""

    def line(self) -> str:
        return (
            f"social cards: {self.cards:,} cards on {self.chromes:,} chromes; cold "
            f"{self.draw_ms:.1f} ms CPU per card (≈ {self.cards * self.draw_ms / 1000:.0f} s for "
            f"all), warm {self.sign_ms:.2f} ms per card; {self.mean_bytes / 1000:.1f} KB mean, "
            f"{self.largest / 1000:.1f} KB largest"
        )


def hub_catalog(hub: Path) -> Catalog:
    config = load_config(str(hub / "mkdocs.yml"))
    settings = hub_settings(config, config.plugins["hubgen"].config)  # type: ignore[attr-defined]
    loaded, _ = load_hub(settings)
    return Catalog(loaded, build_time(settings.timezone))


def sample_cards(cards: list[Card], sample: int) -> list[Card]:
    step = max(1, len(cards) // sample)
    return cards[::step][:sample]


def card_cost(hub: Path, sample: int = 40) -> CardCost:
    logos = LogoCache()
    cards = hub_cards(hub_catalog(hub), logos)
    for card in cards:  # each logo rasterised once, as a build does, before timing the cards
        for partner in card.partners:
            if partner.logo is not None:
                logos.raster(partner.logo)
    salt = card_salt()
    signs = []
    for card in sample_cards(cards, sample):
        started = time.process_time()
        fingerprint(salt, *card_inputs(card))
        signs.append(time.process_time() - started)
    # As hubgen.cache.cards.card_files orders them (the build keeps a bounded number of chromes).
    ordered = sorted(cards, key=chrome_order)
    started = time.process_time()
    sizes = [len(render_card(card, logos)) for card in ordered]
    drawing = time.process_time() - started
    return CardCost(
        len(cards),
        drawing / max(1, len(cards)) * 1000,
        len({chrome_order(card) for card in cards}),
        len(signs),
        statistics.median(signs) * 1000 if signs else 0.0,
        max(sizes, default=0),
        statistics.fmean(sizes) if sizes else 0.0,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cards", description=__doc__)
    parser.add_argument("hub", type=Path, help="a hub folder (its mkdocs.yml)")
    parser.add_argument(
        "--sample",
        type=int,
        default=40,
        help="cards whose cache key is timed (default: 40); every card is drawn",
    )
    args = parser.parse_args(argv)
    print(card_cost(args.hub.resolve(), args.sample).line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
