"""The benchmark's corpus generator: deterministic, and the hub it writes passes ``hubgen check``."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.corpus import generate
from benchmarks.run import parse_sizes
from hubgen.cli import main


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_same_seed_writes_identical_files(tmp_path: Path) -> None:
    generate(tmp_path / "a", 12, 4, seed=7)
    generate(tmp_path / "b", 12, 4, seed=7)
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first == second
    assert sum(name.startswith("hub/content/articles/") for name in first) == 12
    assert sum(name.startswith("material/docs/blog/posts/") for name in first) == 12
    assert sum(name.startswith("hub/partners/") and name.endswith(".yml") for name in first) == 4


def test_another_seed_writes_other_articles(tmp_path: Path) -> None:
    generate(tmp_path / "a", 12, 4, seed=1)
    generate(tmp_path / "b", 12, 4, seed=2)
    assert _files(tmp_path / "a") != _files(tmp_path / "b")


def test_hub_and_blog_share_the_article_bodies(tmp_path: Path) -> None:
    generate(tmp_path, 12, 4)
    hub = sorted((tmp_path / "hub/content/articles").glob("*.md"))
    blog = sorted((tmp_path / "material/docs/blog/posts").glob("*.md"))
    assert [p.name for p in hub] == [p.name for p in blog]
    for hub_file, blog_file in zip(hub, blog, strict=True):
        body = hub_file.read_text(encoding="utf-8").split("---\n", 2)[2].strip()
        post = blog_file.read_text(encoding="utf-8").split("---\n", 2)[2]
        # The post adds Material's title heading and excerpt marker; the prose is the same.
        assert post.replace("\n\n<!-- more -->", "").split("\n\n", 1)[1].strip() == body
        words = len(body.split())
        assert 500 <= words <= 1700


def test_hubgen_check_accepts_the_hub(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    generate(tmp_path, 12, 4)
    assert main(["check", "-f", str(tmp_path / "hub/mkdocs.yml")]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().err


def test_sizes_are_parsed_and_bad_ones_named() -> None:
    assert parse_sizes("3000:100,1000:50") == [(1000, 50), (3000, 100)]
    with pytest.raises(Exception, match="Expected sizes like"):
        parse_sizes("1000")
