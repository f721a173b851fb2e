"""The package's boundaries at run time, where import-linter's static contracts cannot look."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
from hubgen.cli import main
for argv in {runs!r}:
    try:
        main(argv)
    except SystemExit:
        pass
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("mkdocs", "material"))
print("LOADED:" + ",".join(loaded))
"""


def loaded_after(*runs: list[str]) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(runs=list(runs))],
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
