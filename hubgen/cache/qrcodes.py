"""Partners' QR codes, kept between builds by what they encode and drawn ahead of the pages.

segno takes about 5 ms a code, most of it choosing the mask that scans best: half a second of
the page loop's process for a cold build of a hub with 100 partners. What a code encodes (the
partner's tracked link to their page) is known once the profiles are loaded, before the
articles are: :class:`QrDrawing` draws the missing codes into the cache in a forked worker
while the parent loads the articles, when a build's other cores are still idle, and the
build's own lookups (:meth:`hubgen.cache.build.BuildCache.qr_svg`) then find them kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from hubgen.cache import prerender
from hubgen.cache.inputs import module_versions
from hubgen.cache.pagecache import blob_file
from hubgen.cache.rendercache import fingerprint
from hubgen.core.atomicfile import replacing
from hubgen.core.models import HubSettings, Partner
from hubgen.site.sharekit import qr_code_text, qr_svg


def qr_key(text: str, title: str) -> str:
    """The cache key of a QR code: what it encodes and says, and segno's version."""
    return fingerprint("qr", module_versions("segno"), text, title)


class QrDrawing:
    """The QR codes of a hub's active partners not kept yet, drawn into the cache folder
    ``folder`` by a forked worker (none when there are too few, or the build cannot fork)."""

    def __init__(self, folder: Path, settings: HubSettings, partners: Iterable[Partner]) -> None:
        texts = [qr_code_text(settings, partner) for partner in partners if partner.is_active]
        wanted = [(qr_key(text, title), text, title) for text, title in texts]
        todo = [item for item in wanted if not blob_file(folder, item[0]).is_file()]
        self._workers: prerender.Background | None = None
        self.drawing = 0
        """How many codes the worker was given."""
        if len(todo) < prerender.MIN_BODIES or not prerender.can_fork():
            return

        def draw(index: int) -> None:  # in the worker: the parent finds the code in the cache
            key, text, title = todo[index]
            with replacing(blob_file(folder, key)) as stream:
                stream.write(qr_svg(text, title))

        self._workers = prerender.Background(len(todo), draw, jobs=1)
        self.drawing = len(todo)

    def wait(self) -> None:
        """Until the worker is done (a code it did not draw is drawn when it is asked for)."""
        if self._workers is not None:
            self._workers.wait()
            self._workers = None

    def stop(self) -> None:
        """The build stopped: no worker is left drawing."""
        if self._workers is not None:
            self._workers.stop()
            self._workers = None
