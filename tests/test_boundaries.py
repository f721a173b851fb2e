"""The package's boundaries at run time, where import-linter's static contracts cannot look."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from hubkit import FIXTURES, copy_hub

PROBE = """
import sys
from hubgen.cli import main
for argv in {runs!r}:
    try:
        main(argv)
    except SystemExit:
        pass
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {roots!r})
print("LOADED:" + ",".join(loaded))
"""


def loaded_after(*runs: list[str], roots: tuple[str, ...] = ("mkdocs", "material")) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(runs=list(runs), roots=roots)],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("LOADED:"))
    return [m for m in line.removeprefix("LOADED:").split(",") if m]


def test_leads_commands_never_import_mkdocs(tmp_path: Path) -> None:
    # The receiver runs on a server that has no business loading the site generator.
    db = f"sqlite:///{tmp_path / 'leads.sqlite3'}"
    runs = (
        ["leads", "export", "--db", db],
        ["leads", "report", "--db", db, "--out", str(tmp_path / "report")],
        ["leads", "serve", "--help"],
    )
    assert loaded_after(*runs) == []
    assert (tmp_path / "report" / "index.html").is_file()  # the commands really ran


def test_the_probe_sees_mkdocs_when_a_site_command_runs(tmp_path: Path) -> None:
    # The same probe on `hubgen check` must see MkDocs, or the test above proves nothing.
    hub = Path(__file__).parent / "fixtures" / "minihub" / "mkdocs.yml"
    assert "mkdocs" in loaded_after(["check", "-f", str(hub)])


def test_builds_and_checks_keep_icu_out_of_their_process(tmp_path: Path) -> None:
    # ICU costs a process ~17 MB for good: the look-alike check asks a child process instead,
    # so a build's peak memory does not carry it. The check still runs (a look-alike is caught).
    hub = copy_hub(FIXTURES / "minihub", tmp_path / "hub")
    slug = next(p.stem for p in sorted((hub / "partners").glob("*.yml")))
    name = yaml.safe_load((hub / "partners" / f"{slug}.yml").read_text(encoding="utf-8"))["name"]
    impostor = name.replace("o", "\u043e", 1) if "o" in name else "\u0410" + name[1:]
    text = (hub / "partners" / f"{slug}.yml").read_text(encoding="utf-8")
    (hub / "partners" / "impostor.yml").write_text(
        text.replace(f"name: {name}", f"name: {impostor}"), encoding="utf-8"
    )
    shutil.copytree(hub / "partners" / slug, hub / "partners" / "impostor")
    config = str(hub / "mkdocs.yml")
    site = str(tmp_path / "site")
    assert (
        loaded_after(["check", "-f", config], ["build", "-f", config, "-d", site], roots=("icu",))
        == []
    )
    caught = subprocess.run(
        [sys.executable, "-m", "hubgen", "check", "-f", config], capture_output=True, text=True
    )
    assert "looks like the name of" in caught.stdout + caught.stderr
