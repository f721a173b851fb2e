"""Build the same synthetic corpus with hubgen and with Material's blog plugin; compare.

    python -m benchmarks.run --sizes 1000:50,3000:100 --repeat 3    # the real benchmark
    python -m benchmarks.run --sizes 200:20 --repeat 1              # a smoke test

For every size (``ARTICLES:PARTNERS``) the corpus is generated afresh (seeded, so identical on
every machine), then each project is built ``--repeat`` times with ``mkdocs build -q``, one
fresh subprocess per build, hubgen and Material alternating (and taking turns going first) so
that background noise hits both alike. Wall time and the child's peak RSS come from
``os.wait4``, which reports that one process's own ``ru_maxrss``.

Prints medians, hubgen / Material ratios, page and feed counts, the scaling factor from the
smallest to the largest size, and the page weight of a hubgen article page; the targets are
reported as PASS/MISS lines, not asserted. Exits 1 only when a build fails.
"""

from __future__ import annotations

import argparse
import compileall
import gzip
import json
import os
import platform
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import hubgen
from benchmarks import cards, corpus, reports, search
from hubgen.site.hostlimits import measure

TOOLS = ("hubgen", "material", "material-light", "pelican")
"""Every tool built on the corpus; ``--tools`` picks some (hubgen is always built)."""
PROJECT = {
    "hubgen": "hub",
    "material": "material",
    "material-light": "material-light",
    "pelican": "pelican",
}
"""Each tool's project folder in the corpus (benchmarks/corpus.py WRITERS)."""
LABELS = {
    "hubgen": "hubgen",
    "material": "Material (blog, tags, rss, author profiles)",
    "material-light": "Material light (blog, rss)",
    "pelican": "Pelican (default feeds + tag feeds)",
}
PEERS = {"material": 0.30, "material-light": 0.30, "pelican": 1.0}
"""The time target against each peer, hubgen / peer, at the largest size run."""
MEMORY_PEERS = ("material", "material-light")
TARGET_SITE_BYTES = {3000: 250_000_000, 10_000: 1_000_000_000}
"""hubgen's built site at these article counts (the GitHub Pages limit is 1 GB)."""

# The targets from the speed issue, checked at the largest size that was run.
TARGET_TIME_RATIO = 0.30
TARGET_MEMORY_RATIO = 0.50
TARGET_SCALING = 3.2
TARGET_PAGE_WEIGHT = 60_000
TARGET_WARM_RATIO = 0.10
CACHE = ".hubgen-cache"
"""Bytes, gzipped: an article page's HTML plus hubgen's own CSS and JS (1 KB = 1,000 bytes)."""
GZIP_LEVEL = 6
"""What web servers use by default (nginx ``gzip_comp_level`` aside, Apache and Caddy use 6)."""


@dataclass
class Run:
    tool: str
    articles: int
    partners: int
    seconds: float
    peak_mb: float
    pages: int
    feeds: int
    files: int = 0
    site_bytes: int = 0


@dataclass
class Size:
    articles: int
    partners: int
    runs: list[Run] = field(default_factory=list)
    warm: dict[str, float] = field(default_factory=dict)
    """hubgen rebuilds with its caches: unchanged, one article edited, and `serve` after an edit."""

    @property
    def label(self) -> str:
        return f"{self.articles}/{self.partners}"

    def median(self, tool: str, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs if r.tool == tool)

    @property
    def tools(self) -> list[str]:
        return [tool for tool in TOOLS if any(r.tool == tool for r in self.runs)]

    def last(self, tool: str) -> Run:
        return [r for r in self.runs if r.tool == tool][-1]


@dataclass
class PageWeight:
    articles: int
    html_median: int
    html_max: int
    html_max_url: str
    assets: dict[str, int]
    referral_js: int | None
    material_html_median: int

    @property
    def total(self) -> int:
        """The heaviest article page: its HTML plus every hubgen stylesheet and script."""
        return self.html_max + sum(self.assets.values())


class BuildFailed(Exception):
    pass


def parse_sizes(text: str) -> list[tuple[int, int]]:
    sizes = []
    for item in text.split(","):
        articles, sep, partners = item.strip().partition(":")
        if not sep or not articles.isdigit() or not partners.isdigit() or int(partners) < 1:
            raise argparse.ArgumentTypeError(
                f"Expected sizes like '1000:50,3000:100' (ARTICLES:PARTNERS) but received: {item!r}"
            )
        sizes.append((int(articles), int(partners)))
    return sorted(sizes)


def parse_tools(text: str) -> tuple[str, ...]:
    wanted = {item.strip() for item in text.split(",") if item.strip()} | {"hubgen"}
    unknown = sorted(wanted - set(TOOLS))
    if unknown:
        raise argparse.ArgumentTypeError(
            f"Expected tools among {', '.join(TOOLS)} but received: {', '.join(unknown)}"
        )
    return tuple(tool for tool in TOOLS if tool in wanted)


def peak_mb(rusage: object) -> float:
    maxrss = getattr(rusage, "ru_maxrss", 0)
    # Linux reports kilobytes, macOS bytes.
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def build_command(project: Path, site_dir: Path) -> list[str]:
    """How ``project`` is built: Pelican's command for a Pelican project, else ``mkdocs build``."""
    if (project / "pelicanconf.py").is_file():
        return [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-q",
                "-o", str(site_dir)]  # fmt: skip
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site_dir)]


def compile_bytecode() -> int:
    """Compile hubgen's modules once, as installing a package does; the modules compiled.

    The peers are installed packages, whose bytecode pip wrote. hubgen runs from this checkout,
    and where ``PYTHONDONTWRITEBYTECODE`` is set (as in many containers and CI images) Python
    never writes its bytecode: every build compiled hubgen's modules again, 0.3 s of each build
    and of each worker that imports them, which no installed copy pays."""
    package = Path(hubgen.__file__).parent
    before = sum(1 for _ in package.rglob("__pycache__/*.pyc"))
    compileall.compile_dir(package, quiet=1)
    return sum(1 for _ in package.rglob("__pycache__/*.pyc")) - before


def build(project: Path, site_dir: Path, log: Path) -> tuple[float, float]:
    """Build ``project`` into ``site_dir`` in a fresh process: (seconds, peak MB)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    command = build_command(project, site_dir)
    with log.open("wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=project, env=env, stdout=out, stderr=out)
        _, status, rusage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
        raise BuildFailed(
            f"{' '.join(command)} (in {project}) exited with {child.returncode}; "
            f"the end of {log}:\n" + "\n".join(tail)
        )
    return seconds, peak_mb(rusage)


WARM_REPEAT = 3
"""Each warm rebuild is timed this many times (a few seconds each) and its median reported:
one run of a few seconds carries a busy machine's noise (3.1 to 4.7 s, unchanged, at 3000/100)."""


def warm_rebuilds(hub: Path, work: Path, logs: Path, repeat: int = WARM_REPEAT) -> dict[str, float]:
    """Rebuild after a cold build: unchanged, then with one article edited (the cache's case);
    the median of ``repeat`` rebuilds of each, every edit a different one."""
    shutil.rmtree(hub / CACHE, ignore_errors=True)
    unchanged: list[float] = []
    edited: list[float] = []
    site = Path(tempfile.mkdtemp(prefix="site-warm-", dir=work))
    article = sorted((hub / "content" / "articles").rglob("*.md"))[0]
    original = article.read_text(encoding="utf-8")
    try:
        build(hub, site, logs / "hubgen-warm-cold.log")
        for run in range(repeat):
            unchanged.append(build(hub, site, logs / f"hubgen-warm-unchanged-{run}.log")[0])
            article.write_text(
                original + f"\nOne more sentence, edit {run + 1} for the benchmark.\n", "utf-8"
            )
            edited.append(build(hub, site, logs / f"hubgen-warm-edited-{run}.log")[0])
    finally:
        article.write_text(original, encoding="utf-8")
        shutil.rmtree(site, ignore_errors=True)
    return {
        "unchanged": statistics.median(unchanged),
        "one article edited": statistics.median(edited),
    }


def serve_rebuild(hub: Path, logs: Path, timeout: float = 1800, repeat: int = WARM_REPEAT) -> float:
    """``mkdocs serve``, then one article edited ``repeat`` times: the median seconds of the
    rebuilds they trigger.

    Timed from MkDocs' "Building documentation..." to "Reloading browsers", as the lines
    arrive: the rebuild alone, without the watcher's quarter-second wait for edits to settle.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    lines: queue.Queue[tuple[float, str]] = queue.Queue()
    article = sorted((hub / "content" / "articles").rglob("*.md"))[1]
    original = article.read_text(encoding="utf-8")
    # A benchmark started in the background (`&`) ignores SIGINT, and a child inherits an
    # ignored signal: its Python would never raise KeyboardInterrupt, so the SIGINT that stops
    # it below would be ignored too. A handled signal is reset to its default in the child.
    ignored = signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        child = subprocess.Popen(
            command, cwd=hub, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    assert child.stderr is not None
    stream = child.stderr

    def read() -> None:
        for line in stream:
            lines.put((time.perf_counter(), line))

    threading.Thread(target=read, daemon=True).start()
    log = (logs / "hubgen-serve.log").open("w", encoding="utf-8")

    def wait_for(text: str) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                at, line = lines.get(timeout=1)
            except queue.Empty:
                if child.poll() is not None:
                    break
                continue
            log.write(line)
            if text in line:
                return at
        raise BuildFailed(f"mkdocs serve (in {hub}) never printed {text!r}; see {log.name}")

    try:
        wait_for("Serving on")
        rebuilds: list[float] = []
        for run in range(repeat):
            time.sleep(1)
            article.write_text(
                original + f"\nOne more sentence, edit {run + 1} while serving.\n", "utf-8"
            )
            started = wait_for("Building documentation")
            rebuilds.append(wait_for("Reloading browsers") - started)
        return statistics.median(rebuilds)
    finally:
        # Ctrl-C, not SIGTERM: only interrupted does `mkdocs serve` delete the temporary copy
        # of the site it serves (hundreds of MB at 3,000 articles, left behind on every run).
        child.send_signal(signal.SIGINT)
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        article.write_text(original, encoding="utf-8")
        log.close()


def count_pages(site: Path) -> int:
    """HTML files: MkDocs writes ``page/index.html``, Pelican ``page.html``."""
    return sum(1 for _ in site.rglob("*.html"))


def count_feeds(site: Path) -> int:
    """RSS, Atom and JSON feeds, whatever the generator calls them."""
    count = 0
    for path in site.rglob("*"):
        name = path.name.lower()
        if path.suffix in (".xml", ".json") and ("feed" in name or "rss" in name or "atom" in name):
            count += 1
    return count


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0))


def page_weight(hub_site: Path, material_site: Path) -> PageWeight:
    manifest = json.loads((hub_site / "hub.json").read_text(encoding="utf-8"))
    sizes = sorted((gz(hub_site / a["url"] / "index.html"), a["url"]) for a in manifest["articles"])
    assets = {
        path.relative_to(hub_site).as_posix(): gz(path)
        for path in sorted((hub_site / "assets" / "hubgen").glob("*"))
        if path.suffix in (".css", ".js")
    }
    referral = hub_site / "assets" / "hubgen" / "referral.js"
    posts = [
        gz(path)
        for year in sorted(material_site.joinpath("blog").glob("[0-9]" * 4))
        for path in year.rglob("index.html")
    ]
    return PageWeight(
        articles=len(sizes),
        html_median=int(statistics.median(s for s, _ in sizes)) if sizes else 0,
        html_max=sizes[-1][0] if sizes else 0,
        html_max_url=sizes[-1][1] if sizes else "",
        assets=assets,
        referral_js=gz(referral) if referral.is_file() else None,
        material_html_median=int(statistics.median(posts)) if posts else 0,
    )


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "mkdocs": version("mkdocs"),
        "mkdocs-material": version("mkdocs-material"),
        "mkdocs-rss-plugin": version("mkdocs-rss-plugin"),
        "hubgen": version("hubgen"),
    }


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(sizes: list[Size], weight: PageWeight | None, info: dict[str, str], repeat: int) -> str:
    lines = [
        f"{info['date']} · {info['cpus']} × {info['cpu']} · Python {info['python']} · "
        f"mkdocs {info['mkdocs']}, material {info['mkdocs-material']}, "
        f"mkdocs-rss-plugin {info['mkdocs-rss-plugin']} · median of {repeat}",
        "",
        "| articles/partners | tool | time | peak memory | hubgen / tool time | "
        "hubgen / tool memory | HTML pages | feed files | files | site size |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size in sizes:
        ht, hm = size.median("hubgen", "seconds"), size.median("hubgen", "peak_mb")
        for tool in size.tools:
            t, m, last_run = (
                size.median(tool, "seconds"),
                size.median(tool, "peak_mb"),
                size.last(tool),
            )
            ratios = "— | —" if tool == "hubgen" else f"{ht / t:.2f} | {m and hm / m:.2f}"
            lines.append(
                f"| {size.label} | {LABELS[tool]} | {t:.1f} s | {m:.0f} MB | {ratios} | "
                f"{last_run.pages:,} | {last_run.feeds:,} | {last_run.files:,} | "
                f"{last_run.site_bytes / 1e6:,.1f} MB |"
            )
    lines.append("")
    scaling: dict[str, float] = {}
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        factor = last.articles / first.articles if first.articles else float("nan")
        parts = []
        for tool in last.tools:
            scaling[tool] = last.median(tool, "seconds") / first.median(tool, "seconds")
            memory = last.median(tool, "peak_mb") / first.median(tool, "peak_mb")
            parts.append(f"{tool} ×{scaling[tool]:.2f} time, ×{memory:.2f} memory")
        lines.append(
            f"scaling {first.articles} → {last.articles} articles (×{factor:.1f}): "
            + "; ".join(parts)
        )
    if weight is not None:
        assets = ", ".join(f"{name} {size / 1000:.1f} KB" for name, size in weight.assets.items())
        lines += [
            f"page weight (gzip -{GZIP_LEVEL}, {weight.articles} article pages): HTML median "
            f"{weight.html_median / 1000:.1f} KB, max {weight.html_max / 1000:.1f} KB "
            f"(/{weight.html_max_url}); hubgen assets: {assets or 'none'}; "
            f"heaviest page + assets = {weight.total / 1000:.1f} KB "
            f"(Material blog post HTML median: {weight.material_html_median / 1000:.1f} KB)",
            "attribution script assets/hubgen/referral.js: "
            + (
                f"{weight.referral_js / 1000:.1f} KB gzipped"
                if weight.referral_js is not None
                else "not present"
            ),
        ]
    last = sizes[-1]
    lines += ["", f"targets (at {last.label}):"]
    hub_time, hub_memory = last.median("hubgen", "seconds"), last.median("hubgen", "peak_mb")
    for peer, target in PEERS.items():
        if peer in last.tools:
            ratio = hub_time / last.median(peer, "seconds")
            lines.append(
                f"{verdict(ratio <= target)} time hubgen / {LABELS[peer]} {ratio:.2f} ≤ {target:.2f}"
            )
    for peer in MEMORY_PEERS:
        if peer in last.tools:
            ratio = hub_memory / last.median(peer, "peak_mb")
            lines.append(
                f"{verdict(ratio <= TARGET_MEMORY_RATIO)} peak memory hubgen / {LABELS[peer]} "
                f"{ratio:.2f} ≤ {TARGET_MEMORY_RATIO:.2f}"
            )
    for size in sizes:
        if (site_limit := TARGET_SITE_BYTES.get(size.articles)) is not None:
            built = size.last("hubgen").site_bytes
            lines.append(
                f"{verdict(built <= site_limit)} hubgen site at {size.label} "
                f"{built / 1e6:,.0f} MB ≤ {site_limit / 1e6:,.0f} MB"
            )
    if scaling:
        # 3.2 for 3× the articles: within 7 % of linear; other sizes get the same allowance.
        growth = sizes[-1].articles / sizes[0].articles
        limit = TARGET_SCALING if growth == 3 else TARGET_SCALING / 3 * growth
        lines.append(
            f"{verdict(scaling['hubgen'] <= limit)} hubgen scaling "
            f"time({sizes[-1].articles})/time({sizes[0].articles}) "
            f"{scaling['hubgen']:.2f} ≤ {limit:.2f}"
        )
    else:
        lines.append("SKIP scaling: run at least two sizes, e.g. --sizes 1000:50,3000:100")
    cold = last.median("hubgen", "seconds")
    for name, seconds in last.warm.items():
        lines.append(
            f"{verdict(seconds / cold <= TARGET_WARM_RATIO)} warm rebuild ({name}) / cold "
            f"{seconds / cold:.2f} ≤ {TARGET_WARM_RATIO:.2f} ({seconds:.1f} s vs {cold:.1f} s)"
        )
    if weight is not None:
        lines.append(
            f"{verdict(weight.total <= TARGET_PAGE_WEIGHT)} page weight (article HTML + hubgen "
            f"CSS/JS, gzipped) {weight.total / 1000:.1f} KB ≤ {TARGET_PAGE_WEIGHT / 1000:.0f} KB"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=parse_sizes("1000:50,3000:100"),
        help="ARTICLES:PARTNERS[,…] (default: 1000:50,3000:100)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="builds per tool and size")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(__file__).parent / ".work",
        help="folder for corpora, sites, logs and results (default: benchmarks/.work)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the built sites")
    parser.add_argument(
        "--tools",
        type=parse_tools,
        default=TOOLS,
        help=f"comma-separated tools to build besides hubgen (default: all of {', '.join(TOOLS)})",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"Expected --repeat of at least 1 but received: {args.repeat}")

    work: Path = args.work.resolve()
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    info = machine()
    print(
        f"hubgen benchmark: sizes {', '.join(f'{a}:{p}' for a, p in args.sizes)}, "
        f"repeat {args.repeat}, seed {args.seed}, {info['cpus']} × {info['cpu']}",
        flush=True,
    )
    if compiled := compile_bytecode():
        print(f"hubgen's bytecode: {compiled} modules compiled, as installing it would", flush=True)
    sizes: list[Size] = []
    weight: PageWeight | None = None
    try:
        for articles, partners in args.sizes:
            size = Size(articles, partners)
            sizes.append(size)
            root = work / f"corpus-{articles}-{partners}-s{args.seed}"
            started = time.perf_counter()
            corpus.generate(root, articles, partners, args.seed)
            print(
                f"{size.label}: corpus written in {time.perf_counter() - started:.1f} s → {root}",
                flush=True,
            )
            sites: dict[str, Path] = {}
            tools: tuple[str, ...] = args.tools
            for rep in range(args.repeat):
                # Each repetition starts with another tool, so background noise hits all alike.
                turn = rep % len(tools)
                for tool in tools[turn:] + tools[:turn]:
                    site = Path(tempfile.mkdtemp(prefix=f"site-{tool}-", dir=work))
                    log = logs / f"{tool}-{articles}-{partners}-{rep + 1}.log"
                    # Cold builds: hubgen's render cache from the previous run must not help.
                    shutil.rmtree(root / PROJECT["hubgen"] / CACHE, ignore_errors=True)
                    seconds, peak = build(root / PROJECT[tool], site, log)
                    weighed = measure(site)
                    run = Run(
                        tool,
                        articles,
                        partners,
                        seconds,
                        peak,
                        count_pages(site),
                        count_feeds(site),
                        weighed.files,
                        weighed.bytes,
                    )
                    size.runs.append(run)
                    print(
                        f"  {tool:<14} run {rep + 1}: {seconds:6.1f} s {peak:6.0f} MB "
                        f"{run.pages:6,} pages {run.feeds:5,} feeds {run.files:6,} files "
                        f"{run.site_bytes / 1e6:7.1f} MB",
                        flush=True,
                    )
                    if tool in sites and not args.keep:
                        shutil.rmtree(sites[tool], ignore_errors=True)
                    sites[tool] = site
            size.warm = warm_rebuilds(root / PROJECT["hubgen"], work, logs)
            size.warm["serve, one article edited"] = serve_rebuild(root / PROJECT["hubgen"], logs)
            print(
                "  hubgen   warm: "
                + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in size.warm.items()),
                flush=True,
            )
            print("  " + cards.card_cost(root / PROJECT["hubgen"]).line(), flush=True)
            # Bytes a visitor's search loads (benchmarks/search.py), Pagefind vs search_index.json.
            if "material" in sites:
                print(search.report(search.measure(sites["hubgen"], sites["material"]), size.label))
            if (articles, partners) == args.sizes[-1] and "material" in sites:
                weight = page_weight(sites["hubgen"], sites["material"])
            if not args.keep:
                for site in sites.values():
                    shutil.rmtree(site, ignore_errors=True)
    except BuildFailed as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1

    # The leads reports on a 100-partner network (benchmarks/reports.py), SQLite and PostgreSQL.
    leads_reports = reports.run(reports.parser().parse_args([]))
    text = report(sizes, weight, info, args.repeat) + "\n" + "\n".join(leads_reports)
    print("\n" + text)
    results = {
        "machine": info,
        "repeat": args.repeat,
        "seed": args.seed,
        "runs": [asdict(run) for size in sizes for run in size.runs],
        "warm": {size.label: size.warm for size in sizes},
        "page_weight": asdict(weight) if weight else None,
        "leads_reports": leads_reports,
        "report": text,
    }
    out = work / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
