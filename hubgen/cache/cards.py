"""Social cards kept between builds, by what they are drawn from.

Drawing a card takes some tens of milliseconds; its key is what it is drawn from, each logo by
its digest (:func:`hubgen.site.socialcards.card_inputs`), with resvg's and Pillow's versions,
the bundled fonts and the text layout libraries
(:func:`hubgen.site.socialcards.drawing_inputs`) and hubgen's code. A warm build hashes those and
links the kept PNGs into the site; only new or changed cards are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from hubgen.cache import prerender
from hubgen.cache.inputs import code_digest, module_versions
from hubgen.cache.keptfile import KeptFile
from hubgen.cache.pagecache import PageCache
from hubgen.cache.rendercache import fingerprint
from hubgen.core.files import link_or_copy
from hubgen.site.catalog import Catalog
from hubgen.site.socialcards import (
    CARD_FORMAT,
    Card,
    LogoCache,
    card_inputs,
    chrome_order,
    drawing_inputs,
    hub_cards,
    render_card,
)

SUFFIX = ".png"


class KeptCard(KeptFile):
    """A card the cache holds: linked into the site, not drawn."""

    def __init__(
        self, config: MkDocsConfig, path: str, kept: str | Path, inode: int | None = None
    ) -> None:
        super().__init__(
            path,
            src_dir=None,
            dest_dir=config.site_dir,
            use_directory_urls=config.use_directory_urls,
        )
        self.abs_src_path = str(kept)
        self.generated_by = "hubgen"
        self.inode = inode
        """The kept file's inode, when the cache's listing gave it."""


def card_salt() -> str:
    return fingerprint(
        "card", CARD_FORMAT, module_versions("resvg_py", "PIL"), drawing_inputs(), code_digest()
    )


class PendingCard(KeptCard):
    """A card a background worker is drawing while the pages render: MkDocs copies static files
    before the page loop, so it is linked into the site by :meth:`CardDrawing.finish` instead."""

    def copy_file(self, dirty: bool = False) -> None:
        pass

    def is_modified(self) -> bool:
        return True


@dataclass
class CardDrawing:
    """The cards being drawn in the background, and how to finish them."""

    cards: list[tuple[Card, str, Path]]
    """Each card still to draw, its key, and where it goes in the site."""
    pages: PageCache
    logos: LogoCache
    workers: prerender.Background | None

    def finish(self) -> None:
        """Wait for the workers, draw here any card a worker did not (its error raised here),
        and link every card into the site."""
        if self.workers is not None:
            self.workers.wait()
            self.workers = None
        for card, key, target in self.cards:
            kept = self.pages.binary_blob(key, SUFFIX)
            if kept is None:
                kept = self.pages.keep_binary_blob(key, SUFFIX, render_card(card, self.logos))
            link_or_copy(kept, target)
        self.cards = []

    def stop(self) -> None:
        if self.workers is not None:
            self.workers.stop()
            self.workers = None


def card_files(
    config: MkDocsConfig, catalog: Catalog, pages: PageCache | None, jobs: int = 1
) -> tuple[list[File], CardDrawing | None]:
    """Every social card of the site as a file to publish (kept, or drawn now and kept), and
    the cards still being drawn, if any.

    Drawing is most of a card's cost (tens of milliseconds of CPU each, a cold 3,000-article
    hub's largest single step). With ``jobs`` > 1 the cards not kept yet are drawn into the
    cache by ``jobs - 1`` forked workers *while the pages render* on the main process (the page
    loop uses one core, so the others would idle); :meth:`CardDrawing.finish` links them into the
    site after the pages. The same bytes as drawn here.
    """
    logos = LogoCache()
    cards = hub_cards(catalog, logos)
    if pages is None:
        return [_drawn(config, card, logos) for card in cards], None
    salt = card_salt()
    keys = [fingerprint(salt, *card_inputs(card)) for card in cards]
    kept = pages.kept_binary_blobs(keys, SUFFIX)
    missing = [i for i, key in enumerate(keys) if key not in kept]
    # Cards sharing a chrome drawn one after another: each chrome is drawn once, however many
    # a hub has (10,000 articles by 300 firms: thousands, more than a build keeps at once).
    missing.sort(key=lambda i: chrome_order(cards[i]))
    files: list[File] = []
    if jobs > 1 and len(missing) >= prerender.MIN_BODIES and prerender.can_fork():

        def draw(index: int) -> None:  # in a worker: the parent finds the PNG in the cache
            card = missing[index]
            pages.keep_binary_blob(keys[card], SUFFIX, render_card(cards[card], logos))

        workers = prerender.Background(len(missing), draw, max(1, jobs - 1))
        drawing = CardDrawing([], pages, logos, workers)
        waiting = set(missing)
        for index, (card, key) in enumerate(zip(cards, keys, strict=True)):
            if index in waiting:
                pending = PendingCard(config, card.path, pages.binary_blob_path(key, SUFFIX))
                drawing.cards.append((card, key, Path(pending.abs_dest_path)))
                files.append(pending)
            else:
                files.append(KeptCard(config, card.path, kept[key].path, kept[key].inode()))
        return files, drawing
    drawn: dict[str, Path] = {}
    for index in missing:  # drawn here, errors raised here; once for cards alike
        if (key := keys[index]) not in drawn:
            drawn[key] = pages.keep_binary_blob(key, SUFFIX, render_card(cards[index], logos))
    for card, key in zip(cards, keys, strict=True):
        if (entry := kept.get(key)) is not None:
            files.append(KeptCard(config, card.path, entry.path, entry.inode()))
        else:
            files.append(KeptCard(config, card.path, drawn[key]))
    return files, None


def _drawn(config: MkDocsConfig, card: Card, logos: LogoCache) -> File:
    return File.generated(config, card.path, content=render_card(card, logos))
