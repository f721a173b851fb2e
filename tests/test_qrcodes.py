"""Partners' QR codes drawn ahead, while the articles load, are the ones the build would draw,
and the build takes them from the cache instead of drawing them again."""

from __future__ import annotations

from pathlib import Path

import pytest
from hubkit import HubDir
from mkdocs.config import load_config

from hubgen.cache import build as build_module
from hubgen.cache import prerender
from hubgen.cache.build import BuildCache
from hubgen.cache.pagecache import blob_file
from hubgen.cache.qrcodes import QrDrawing, qr_key
from hubgen.load.loader import load_hub
from hubgen.site.sharekit import qr_code_text, qr_svg

# Builds do not fork once other threads run (a forked child could inherit a lock held
# mid-operation), and later tests' servers and browsers leave threads in this process.
pytestmark = pytest.mark.before_threads


@pytest.fixture(autouse=True)
def forking() -> None:
    assert prerender.can_fork(), "a thread runs: the worker would not start (before_threads)"


def test_codes_drawn_ahead_are_the_active_partners_as_segno_draws_them(
    minihub: HubDir, tmp_path: Path
) -> None:
    settings = minihub.settings()
    hub, problems = load_hub(settings)
    assert not problems.errors
    folder = tmp_path / "cache" / "build"
    drawing = QrDrawing(folder, settings, hub.partners.values())
    assert drawing.drawing == 2  # acme and brightside; not newco (pending), not oldco (retired)
    drawing.wait()
    for partner in hub.partners.values():
        text, title = qr_code_text(settings, partner)
        kept = blob_file(folder, qr_key(text, title))
        if partner.is_active:
            assert kept.read_text("utf-8") == qr_svg(text, title), partner.slug
        else:
            assert not kept.exists(), partner.slug
    assert QrDrawing(folder, settings, hub.partners.values()).drawing == 0  # all kept now


def test_a_build_takes_the_codes_drawn_ahead_from_its_cache(
    minihub: HubDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(str(minihub.root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    settings = minihub.settings()
    hub, _problems = load_hub(settings)
    acme = hub.partners["acme"]
    cache = BuildCache()
    cache.draw_qr_codes_ahead(tmp_path / "cache", settings, hub.partners.values(), preview=False)
    cache.open(tmp_path / "cache", config, settings, preview=False)
    expected = qr_svg(*qr_code_text(settings, acme))

    def not_again(text: str, title: str) -> str:
        raise AssertionError(f"drawn again: {title}")

    monkeypatch.setattr(build_module, "qr_svg", not_again)
    # The first lookup waits for the worker, then finds its code kept.
    assert cache.qr_svg(*qr_code_text(settings, acme)) == expected
