"""The search index built in parts and merged: the same index Pagefind writes for all the pages
at once, decoded file by file (words, locations, pages, filters, chunk bounds), and a rebuild
after one edit re-indexes one part."""

from __future__ import annotations

import gzip
import json
import logging
import marshal
import os
import shutil
from pathlib import Path

import pytest
from hubkit import build_in_place, demo_copy, written_as
from mkdocs.exceptions import Abort
from pagefindkit import decode, encode, index, meta_path

from hubgen.cli import main
from hubgen.mkdocs_adapter import searchindex, searchprepare
from hubgen.mkdocs_adapter.pagefindservice import SCRIPTS
from hubgen.mkdocs_adapter.searchprepare import Preparer, _start
from hubgen.site.searchmerge import MergeError, merge, prepare
from hubgen.site.searchparts import cut

PARTS = ".hubgen-cache/search-build/bundles"


def bundles(hub: Path) -> list[Path]:
    """The kept bundles: one per part with pages, and the merged one (not the scripts they
    link)."""
    return [p for p in (hub / PARTS).iterdir() if p.is_dir() and p.name != SCRIPTS]


def part_bundles(hub: Path) -> list[Path]:
    """The kept bundle of each part with pages, in part order."""
    return sorted((p for p in bundles(hub) if p.name.isdigit()), key=lambda p: int(p.name))


def build(root: Path, site: Path) -> Path:
    assert main(["build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(site)]) == 0
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The demo with one index, and a copy indexed in parts of four pages: (one, parted, hub)."""
    work = tmp_path_factory.mktemp("search-parts")
    one = build(demo_copy(work / "one"), work / "one-site")
    hub = demo_copy(work / "parted", search_pages_per_part=4)
    return one, build(hub, work / "parted-site"), hub


def test_the_merged_index_is_the_one_pagefind_writes_for_all_pages(
    sites: tuple[Path, Path, Path],
) -> None:
    one, parted, hub = sites
    parts = part_bundles(hub)
    assert len(parts) > 5
    # Some parts lack a meta field others have (no dated page): their field numbers differ.
    fields = [decode(meta_path(part))[5] for part in parts]
    assert len({tuple(f) for f in fields}) > 1
    single, merged = index(one / "pagefind"), index(parted / "pagefind")
    assert merged["pages"] == single["pages"]
    assert merged["words"] == single["words"]
    assert merged["filters"] == single["filters"]
    assert merged["bounds"] == single["bounds"]
    assert merged["version"] == single["version"] and merged["sorts"] == []
    entry = json.loads((parted / "pagefind/pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(single["pages"])
    # Pagefind's scripts come along; the fragments are whole.
    for name in ("pagefind.js", "pagefind-worker.js", "wasm.en.pagefind"):
        assert (parted / "pagefind" / name).read_bytes() == (one / "pagefind" / name).read_bytes()


def test_an_edit_re_indexes_one_part_and_merges_again(
    sites: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, parted, hub = sites
    entries = {p.name: written_as(p / "pagefind-entry.json") for p in bundles(hub)}
    prepared = {p.name: written_as(p) for p in (hub / PARTS).glob("*.runs")}
    assert len(prepared) == len(entries) - 1  # each part's words, kept for the next merge
    build(hub, parted)
    unchanged = {p.name: written_as(p / "pagefind-entry.json") for p in bundles(hub)}
    assert unchanged == entries  # nothing changed: nothing re-indexed, nothing merged
    merged = hub / PARTS / "merged"
    written = {p.relative_to(merged): written_as(p) for p in merged.glob("*/*.pf_*")}
    article = hub / "content/articles/2025-01-20-cash-flow-forecast.md"
    article.write_text(
        article.read_text("utf-8").replace("\n## ", "\nA zanzibarquokka paragraph.\n\n## ", 1),
        "utf-8",
    )
    started: list[object] = []
    monkeypatch.setattr(searchprepare, "_start", lambda: started.append(1) or _start())
    build(hub, parted)
    assert started == []  # the one part's words are prepared by the merge, which waits anyway
    after = {p.name: written_as(p / "pagefind-entry.json") for p in bundles(hub)}
    changed = sorted(name for name in after if after[name] != entries[name])
    (edited,) = [name for name in changed if name != "merged"]
    assert "/articles/cash-flow-forecast/" in index(hub / PARTS / edited)["pages"]
    assert len(changed) == 2
    again = {p.name: written_as(p) for p in (hub / PARTS).glob("*.runs")}
    assert [name for name in again if again[name] != prepared[name]] == [f"{edited}.runs"]
    words = index(parted / "pagefind")["words"]
    assert list(words["zanzibarquokka"][0]) == ["/articles/cash-flow-forecast/"]
    # The merge linked the files whose content is unchanged (the filters) from the last one,
    # and wrote the chunks with the new word: the same index as merging from scratch.
    rewritten = {p.relative_to(merged): written_as(p) for p in merged.glob("*/*.pf_*")}
    linked = {name for name, inode in rewritten.items() if written.get(name) == inode}
    filters = {name for name in rewritten if name.parts[0] == "filter"}
    assert filters and filters <= linked
    assert any(name.parts[0] == "index" for name in set(rewritten) - linked)
    assert not (hub / PARTS / "merged.previous").exists()
    merge(part_bundles(hub), tmp_path / "fresh")
    assert index(tmp_path / "fresh") == index(merged)
    fragments = sorted(p.name for p in (merged / "fragment").iterdir())
    assert fragments == sorted(p.name for p in (tmp_path / "fresh" / "fragment").iterdir())


def test_words_kept_from_another_index_or_damaged_are_prepared_again(
    sites: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, parted, hub = sites
    parts = part_bundles(hub)
    copies = []
    for part in parts:
        shutil.copytree(part, tmp_path / part.name)
        copies.append(tmp_path / part.name)
    kept = [part.with_name(part.name + ".runs") for part in parts]
    shutil.copy(kept[1], tmp_path / "0.runs")  # another part's words, stamped with its index
    (tmp_path / "1.runs").write_bytes(b"not marshal")
    (tmp_path / "out").mkdir()
    merge(copies, tmp_path / "out")
    assert index(tmp_path / "out") == index(parted / "pagefind")


def test_parts_without_pages_are_left_out(sites: tuple[Path, Path, Path], tmp_path: Path) -> None:
    one, _, _ = sites
    hub = demo_copy(tmp_path / "hub", search_pages_per_part=1)  # a part per page
    site = build(hub, tmp_path / "site")
    pages = index(one / "pagefind")["pages"]
    found = {p.name for p in bundles(hub)}
    # Share kits and the referral guide are pages of their own parts, left out of the index.
    assert "merged" in found and len(found) - 1 == len(pages)
    assert max(int(name) for name in found if name.isdigit()) > len(pages)
    assert index(site / "pagefind")["pages"] == pages


def test_parts_are_runs_of_pages_in_build_order_of_about_the_part_size() -> None:
    pages = [f"articles/a{n}/index.html" for n in range(3000)]
    parts = cut(pages, 250)
    assert [page for part in parts for page in part] == pages
    assert all(125 <= len(part) <= 500 for part in parts[:-1]) and parts[-1]
    assert 8 <= len(parts) <= 16
    assert cut([], 250) == [[]] and cut(["a"], 250) == [["a"]]
    assert cut(pages[:5], 1) == [[page] for page in pages[:5]]


def test_an_added_or_removed_page_changes_its_own_part_and_at_most_the_next() -> None:
    pages = [f"articles/a{n}/index.html" for n in range(3000)]
    before = cut(pages, 250)
    for at in (0, 1234, 2999):
        added = cut([*pages[:at], "articles/new/index.html", *pages[at:]], 250)
        removed = cut(pages[:at] + pages[at + 1 :], 250)
        for after in (added, removed):
            changed = [part for part in after if part not in before]
            assert 1 <= len(changed) <= 2, (at, len(changed))


def _copy_parts(hub: Path, target: Path) -> list[Path]:
    folders = part_bundles(hub)
    copies = []
    for folder in folders[:2]:
        shutil.copytree(folder, target / folder.name)
        copies.append(target / folder.name)
    return copies


def test_a_fragment_name_two_parts_share_is_made_unique(
    sites: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, _, hub = sites
    first, second = _copy_parts(hub, tmp_path / "parts")
    # Give the second part's first page the first part's first page's name (short hashes of
    # separate Pagefind runs can collide).
    taken = decode(meta_path(first))[1][0][0]
    meta = decode(meta_path(second))
    old = meta[1][0][0]
    meta[1][0][0] = taken
    (second / "fragment" / f"{old}.pf_fragment").rename(
        second / "fragment" / f"{taken}.pf_fragment"
    )
    encode(meta_path(second), meta)
    (tmp_path / "out").mkdir()
    pages = merge([first, second], tmp_path / "out")
    merged = decode(meta_path(tmp_path / "out"))[1]
    names = [name for name, _ in merged]
    assert len(names) == len(set(names)) == pages
    urls = {
        json.loads(
            gzip.decompress((tmp_path / "out/fragment" / f"{n}.pf_fragment").read_bytes())[12:]
        )["url"]
        for n in names
    }
    assert len(urls) == pages  # every page keeps its own text


def test_an_index_format_it_does_not_know_is_refused(
    sites: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, _, hub = sites
    first, second = _copy_parts(hub, tmp_path / "parts")
    meta = decode(meta_path(second))
    meta[0] = "2.0.0"
    encode(meta_path(second), meta)
    (tmp_path / "out").mkdir()
    with pytest.raises(MergeError, match="index format"):
        merge([first, second], tmp_path / "out")


def test_a_damaged_index_file_is_refused_by_name(
    sites: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, _, hub = sites
    first, second = _copy_parts(hub, tmp_path / "parts")
    chunk = next((second / "index").iterdir())
    chunk.write_bytes(chunk.read_bytes()[:-40])  # cut short, as by a full disk
    (tmp_path / "out").mkdir()
    with pytest.raises(MergeError, match=rf"{chunk.name} is not a whole gzip file"):
        merge([first, second], tmp_path / "out")


def test_meta_locations_of_words_and_their_variants_name_the_merged_fields(
    tmp_path: Path,
) -> None:
    """A part whose pages lack a meta field numbers the others differently: its words' and
    their diacritic variants' meta locations are renumbered to the merged list."""
    from hubgen.site import searchmerge

    def part(folder: Path, fields: list[str], meta_locations: list[int]) -> Path:
        (folder / "index").mkdir(parents=True)
        (folder / "fragment").mkdir()
        page = [0, [1], meta_locations]  # page 0, one location, its meta locations
        encode(folder / "index/en_chunk.pf_index", [[["cafe", [page], [["café", [page]]]]]])
        (folder / "fragment/en_page.pf_fragment").write_bytes(gzip.compress(b"pagefind_dcd{}"))
        encode(
            folder / "pagefind.en_meta.pf_meta",
            ["1.5.2", [["en_page", 3]], [["cafe", "cafe", "en_chunk"]], [], [], fields],
        )
        (folder / "pagefind-entry.json").write_text(
            json.dumps(
                {"version": "1.5.2", "languages": {"en": {"hash": "en_meta", "page_count": 1}}}
            )
        )
        return folder

    # -2 switches to field 1, then position 0: "title" in the first part, "title" in the second.
    first = part(tmp_path / "a", ["date", "title"], [-2, 0])
    second = part(tmp_path / "b", ["title"], [-1, 0])
    (tmp_path / "out").mkdir()
    searchmerge.merge([first, second], tmp_path / "out")
    meta = decode(meta_path(tmp_path / "out"))
    assert meta[5] == ["date", "title"]
    ((chunk_name,),) = [[c[2]] for c in meta[2]]
    ((word, pages, variants),) = decode(tmp_path / "out/index" / f"{chunk_name}.pf_index")[0]
    assert word == "cafe"
    assert [page[2] for page in pages] == [[-2, 0], [-2, 0]]  # both on "title"
    assert [page[2] for page in variants[0][1]] == [[-2, 0], [-2, 0]]
    assert [page[0] for page in pages] == [0, 1]  # the second part's page is page 1


def test_one_process_prepares_each_part_it_is_given_and_answers_for_one_that_fails(
    sites: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, _, hub = sites
    parts = part_bundles(hub)[:3]
    copies = []
    for part in parts:
        shutil.copytree(part, tmp_path / part.name)
        copies.append(tmp_path / part.name)
    (tmp_path / "broken").mkdir()  # no bundle in it: prepare fails, the next ones go on
    preparer = Preparer()
    preparer.prepare(copies[0])
    started = preparer._process
    for bundle in [tmp_path / "broken", *copies[1:]]:
        preparer.prepare(bundle)
        assert preparer._process is started  # the same process for every part
    preparer.close()
    assert started is not None and started.returncode == 0
    for part, copy in zip(parts, copies, strict=True):
        here = shutil.copytree(part, tmp_path / "here" / part.name)
        prepare(here)  # the same words as preparing it in this process (marshal's bytes
        # differ with what each process shares, so they are compared loaded)
        assert marshal.loads(copy.with_name(copy.name + ".runs").read_bytes()) == (
            marshal.loads(here.with_name(here.name + ".runs").read_bytes())
        )
    assert not (tmp_path / "broken.runs").exists()
    merge(copies, tmp_path / "out")  # and the merge takes them as prepared
    assert index(tmp_path / "out")["pages"]


def test_a_rebuild_leaves_the_index_in_the_site_and_links_only_what_changed(
    tmp_path: Path,
) -> None:
    hub = demo_copy(tmp_path / "hub", search_pages_per_part=4)
    site = tmp_path / "site"
    build_in_place(hub, site)  # `mkdocs build`: rebuilt in place (`hubgen build` swaps it)
    published = site / "pagefind"

    def files() -> dict[str, os.stat_result]:
        return {
            str(p.relative_to(published)): p.stat() for p in published.rglob("*") if p.is_file()
        }

    def mirrors_the_merged_bundle() -> None:
        merged = hub / PARTS / "merged"
        cached = {
            str(p.relative_to(merged)): p.stat().st_ino for p in merged.rglob("*") if p.is_file()
        }
        assert {name: found.st_ino for name, found in files().items()} == cached

    mirrors_the_merged_bundle()
    before = files()
    (published / "fragment" / "stray.pf_fragment").write_bytes(b"left by hand")
    replaced = next(name for name in before if name.startswith("index/"))
    (published / replaced).unlink()
    (published / replaced).write_bytes(b"not the chunk")
    build_in_place(hub, site)
    mirrors_the_merged_bundle()  # the stray file gone, the chunk linked again
    after = files()
    # Neither linked again nor unlinked (either changes a file's ctime): left where it was.
    moved = [name for name in before if after[name].st_ctime_ns != before[name].st_ctime_ns]
    assert moved == [replaced]
    article = hub / "content/articles/2025-01-20-cash-flow-forecast.md"
    article.write_text(article.read_text("utf-8") + "\nA zebraquokka paragraph.\n", "utf-8")
    build_in_place(hub, site)
    mirrors_the_merged_bundle()
    assert list(index(published)["words"]["zebraquokka"][0]) == ["/articles/cash-flow-forecast/"]


def test_a_merge_that_fails_fails_the_build_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    hub = demo_copy(tmp_path / "hub", search_pages_per_part=4)

    def refuse(bundles: list[Path], target: Path) -> None:
        raise MergeError("index format 2.0.0 (hubgen reads 1.x)")

    monkeypatch.setattr(searchindex, "merge", refuse)
    with pytest.raises(Abort), caplog.at_level(logging.ERROR, logger="mkdocs"):
        build_in_place(hub, tmp_path / "site")
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, errors
    assert "parts of the index could not be merged: index format 2.0.0" in errors[0]
    assert "set 'search_pages_per_part' above the number of pages" in errors[0]
