"""Reading a Pagefind bundle in tests: its files decoded, its pages named by URL."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import cbor2


def decode(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd")
    return cbor2.loads(data[12:])


def encode(path: Path, value: Any) -> None:
    path.write_bytes(gzip.compress(b"pagefind_dcd" + cbor2.dumps(value)))


def meta_path(bundle: Path) -> Path:
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    return bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"


def index(bundle: Path) -> dict[str, Any]:
    """A bundle's content with pages named by URL instead of by number."""
    meta = decode(meta_path(bundle))
    version, pages, chunks, filters, sorts, fields = meta
    urls = []
    for name, _count in pages:
        fragment = gzip.decompress((bundle / "fragment" / f"{name}.pf_fragment").read_bytes())
        urls.append(json.loads(fragment[12:])["url"])
    words: dict[str, Any] = {}
    for _from, _to, name in chunks:
        (found,) = decode(bundle / "index" / f"{name}.pf_index")
        for word, places, variants in found:
            number, by_url = 0, {}
            for delta, locations, meta_locations in places:
                number += delta
                by_url[urls[number]] = (
                    locations,
                    [fields[-v - 1] if v < 0 else v for v in meta_locations],
                )
            words[word] = (by_url, len(variants))
    facets = {}
    for _name, name in filters:
        facet, values = decode(bundle / "filter" / f"{name}.pf_filter")
        facets[facet] = {value: sorted(urls[n] for n in numbers) for value, numbers in values}
    return {
        "version": version,
        "pages": {url: count for url, (_, count) in zip(urls, pages, strict=True)},
        "words": words,
        "filters": facets,
        "bounds": [chunk[:2] for chunk in chunks],
        "sorts": sorts,
    }
