"""A file of the site that a cache holds: a kept page or social card."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File

from hubgen.core.files import link_or_copy


class KeptFile(File):
    """Linked into the site from the cache's file (``abs_src_path``), unless the previous build
    left this very file there (:meth:`hubgen.cache.sitedir.OldSite.salvage`)."""

    in_place: bool = False
    """The previous build left this very file in the site: nothing to link."""

    def copy_file(self, dirty: bool = False) -> None:
        if self.in_place:
            return
        assert self.abs_src_path is not None
        link_or_copy(Path(self.abs_src_path), Path(self.abs_dest_path))
