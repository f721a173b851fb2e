"""The browser editor's configuration against what ``hubgen check`` enforces, so they cannot drift.

Every field the loaders read has a form field, with the same required flag; every pattern the
form carries is run in JavaScript (node, as the browser runs it) and in the loader on the same
values: the form refuses exactly what the loader refuses, with the loader's hint.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from hubkit import REPO, HubDir, Site

from hubgen.authoring.scaffold import template
from hubgen.cms.adminpage import COVER_ALT_MESSAGE, AdminPage, admin_policy
from hubgen.cms.bundle import (
    SCRIPT_INTEGRITY,
    TARBALL_INTEGRITY,
    Bundle,
    BundleError,
    integrity_of,
    load_bundle,
)
from hubgen.cms.decapconfig import cms_config, config_yaml, field_pattern
from hubgen.cms.settings import CmsSettings
from hubgen.load import articles, partners
from hubgen.load.fieldspecs import ARTICLE, PARTNER, SOCIAL_NETWORKS, FieldSpec, Widget

CMS = CmsSettings(repo="example/mini-hub")
ACME = "partners/acme.yml"
CASH = "content/articles/2025-07-01-cash.md"

NODE = shutil.which("node")


def js_matches(pattern: str, values: list[str]) -> list[bool]:
    """Whether each value matches ``pattern`` as Decap tests it: ``new RegExp(pattern).test``."""
    assert NODE is not None
    script = (
        "const [p, vs] = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(vs.map(v => new RegExp(p).test(v))))"
    )
    out = subprocess.run(
        [NODE, "-e", script, json.dumps([pattern, values])],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: list[bool] = json.loads(out.stdout)
    return result


def form_fields(config: dict[str, Any], collection: str) -> dict[str, dict[str, Any]]:
    """The collection's form fields by dotted name (``people.name``, ``cta.heading``)."""
    found: dict[str, dict[str, Any]] = {}

    def walk(fields: list[dict[str, Any]], prefix: str) -> None:
        for field in fields:
            name = prefix + field["name"]
            found[name] = field
            walk(field.get("fields", []), name + ".")

    coll = next(c for c in config["collections"] if c["name"] == collection)
    walk(coll["fields"], "")
    return found


@pytest.fixture
def config(minihub: HubDir) -> dict[str, Any]:
    hub, problems = minihub.load()
    assert list(problems) == []
    return cms_config(hub.settings, hub, CMS)


def test_every_field_the_loaders_read_is_in_the_form_with_its_required_flag(
    config: dict[str, Any],
) -> None:
    assert PARTNER.names == partners.PARTNER_FIELDS
    assert set(PARTNER.required) == set(partners.PARTNER_REQUIRED)
    assert PARTNER.sub("people").names == partners.PERSON_FIELDS
    assert PARTNER.sub("ideal_client").names == partners.IDEAL_CLIENT_FIELDS
    assert PARTNER.sub("social").names == SOCIAL_NETWORKS  # what the loader checks keys against
    assert ARTICLE.names == articles.ARTICLE_FIELDS
    assert ARTICLE.sub("cta").names == articles.CTA_FIELDS
    for collection, table in (("partners", PARTNER), ("articles", ARTICLE)):
        fields = form_fields(config, collection)
        for spec in table:
            assert fields[spec.name]["required"] is spec.required, spec.name
            assert fields[spec.name]["label"] == spec.label
            for sub in spec.fields:
                assert fields[f"{spec.name}.{sub.name}"]["required"] is sub.required
    assert form_fields(config, "articles")["body"]["widget"] == "markdown"


def test_widgets_follow_the_field_kinds(config: dict[str, Any]) -> None:
    fields = form_fields(config, "partners")
    assert fields["color"]["widget"] == "color"
    assert fields["joined"]["widget"] == "datetime"
    assert fields["joined"]["format"] == "YYYY-MM-DD"
    assert fields["logo"]["widget"] == "image"
    assert fields["services"]["widget"] == "list" and fields["services"]["min"] == 1
    assert fields["bio"]["widget"] == "markdown"
    assert fields["status"]["options"] == ["active", "pending", "retired"]
    assert fields["people"]["widget"] == "list"
    # The organisers' fields say that a partner's change is refused (the gate refuses it).
    assert "refused" in fields["status"]["hint"] and "refused" in fields["joined"]["hint"]
    coll = next(c for c in config["collections"] if c["name"] == "partners")
    assert (coll["folder"], coll["media_folder"], coll["public_folder"]) == (
        "partners", "{{filename}}", ""
    )  # fmt: skip
    assert coll["create"] is False  # only organisers admit partners


def test_authors_are_the_loaded_partners_and_their_people(config: dict[str, Any]) -> None:
    authors = form_fields(config, "articles")["authors"]
    assert authors["widget"] == "select" and authors["multiple"] is True
    assert [o["value"] for o in authors["options"]] == [
        "acme", "acme/jane", "brightside", "newco", "oldco"
    ]  # fmt: skip
    assert authors["options"][1]["label"] == "Jane Doe, Acme Accounting (acme/jane)"
    topics = form_fields(config, "articles")["topics"]
    assert topics["hint"].endswith(
        "The hub's topics: Cash flow, Cyber security, Hiring, Property, Tax"
    )


def test_backend_is_the_hubs_repository_with_editorial_workflow(minihub: HubDir) -> None:
    hub, _ = minihub.load()
    cms = CmsSettings(
        repo="example/mini-hub", branch="live", auth_url="https://auth.example.org",
        auth_endpoint="oauth", open_authoring=True, local_backend="",
    )  # fmt: skip
    config = cms_config(hub.settings, hub, cms)
    assert config["backend"] == {
        "name": "github", "repo": "example/mini-hub", "branch": "live", "open_authoring": True,
        "squash_merges": True, "base_url": "https://auth.example.org", "auth_endpoint": "oauth",
    }  # fmt: skip
    assert config["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in config
    assert yaml.safe_load(config_yaml(config)) == config
    policy = admin_policy(cms).text()
    assert "connect-src 'self' blob: https://api.github.com https://auth.example.org;" in policy


# Values each kind of rule must accept and refuse (the first of each list is accepted).
RULE_CASES: dict[str, list[str]] = {
    "color": ["#0f766e", "#ABC", "red", "#12345", "0f766e", "#0f766e;x"],
    "website": ["https://acme.example/a?b", "http://acme.example", "acme.example", "ftp://a.b"],
    "email": ["a@b.example", "a b@c.example", "a@b", "@b.example"],
    "referral_code": ["acme-2", "Acme", "acme--x", "acme_x", "-acme"],
    "maintainers": ["jane-doe", "@jane", "jane doe", "-jane", "j" * 40],
    "social.linkedin": ["https://linkedin.example/x", "http://linkedin.example/x", "linkedin"],
    "people.id": ["jane-2", "Jane", "jane doe"],
}


def length_cases(spec: FieldSpec) -> list[str]:
    assert spec.max_length is not None
    limit = spec.max_length
    cases = ["x" * limit, "  " + "x" * limit + "  ", "x" * (limit + 1)]
    if spec.one_line:
        cases.append("a\nb")
    else:
        cases.append("a\n\nb")
    return cases


def partner_value(data: dict[str, Any], path: str, value: str) -> None:
    head, _, rest = path.partition(".")
    if head == "people":
        data["people"][0][rest] = value
    elif head == "social":
        data.setdefault("social", {})[rest] = value
    elif head in ("services", "topics", "maintainers"):
        data[head] = [value]
    else:
        data[head] = value


def loader_refuses(minihub: HubDir, path: str, value: str) -> list[str]:
    """The loader's problems on ``path`` of acme's profile set to ``value``."""
    original = minihub.read(ACME)
    data = yaml.safe_load(original)
    data["joined"] = str(data["joined"])
    partner_value(data, path, value)
    minihub.write(ACME, yaml.safe_dump(data, allow_unicode=True))
    try:
        _, problems = minihub.load()
    finally:
        minihub.write(ACME, original)
    field = path.replace("people.", "people[0].")
    return [
        f"{p.message} ({p.hint})"
        for p in problems
        if p.path == ACME and (p.field == field or p.field.startswith(field + "["))
    ]


def partner_cases() -> list[tuple[str, list[str]]]:
    cases = list(RULE_CASES.items())
    for spec in PARTNER:
        if spec.rule is None and spec.max_length is not None and spec.widget is not Widget.LIST:
            cases.append((spec.name, length_cases(spec)))
    for sub in PARTNER.sub("people"):
        if sub.rule is None and sub.max_length is not None:
            cases.append((f"people.{sub.name}", length_cases(sub)))
    cases.append(("services", length_cases(PARTNER["services"])[::2]))
    return cases


@pytest.mark.skipif(NODE is None, reason="node runs the form's patterns as the browser does")
@pytest.mark.parametrize(("path", "values"), partner_cases(), ids=lambda v: str(v)[:20])
def test_the_form_refuses_what_check_refuses_with_its_hint(
    minihub: HubDir, config: dict[str, Any], path: str, values: list[str]
) -> None:
    field = form_fields(config, "partners")[path]
    if field["widget"] == "list":
        field = field["field"]
    pattern, message = field["pattern"]
    accepted = js_matches(pattern, values)
    assert accepted[0], f"{path}: the form refuses the valid {values[0]!r}"
    assert not all(accepted), f"{path}: no case is refused"
    for value, ok in zip(values, accepted, strict=True):
        refused = loader_refuses(minihub, path, value)
        assert (not refused) == ok, (
            f"{path}={value!r}: form {'accepts' if ok else 'refuses'}, check says {refused}"
        )
        if refused and "limit is" not in message and "one line" not in message:
            # The form shows the loader's own hint.
            assert any(message in text for text in refused), (message, refused)


def test_article_patterns_match_the_loader(minihub: HubDir, config: dict[str, Any]) -> None:
    fields = form_fields(config, "articles")
    slug_pattern, slug_message = fields["slug"]["pattern"]
    values = ["cash-flow", "feeds", "Cash flow", "page", "a--b"]
    original = minihub.read(CASH)
    for value, ok in zip(values, js_matches(slug_pattern, values), strict=True):
        minihub.write(CASH, original.replace("authors: [acme]", f"authors: [acme]\nslug: {value}"))
        _, problems = minihub.load()
        refused = [p for p in problems if p.path == CASH and p.field == "slug"]
        assert (not refused) == ok, value
        if refused:
            assert any(p.hint.startswith(slug_message.split(" (")[0]) for p in refused)
    for name in ("title", "summary", "cover_alt", "category"):
        spec = ARTICLE[name]
        pattern = field_pattern(spec)
        assert pattern is not None and fields[name]["pattern"] == pattern
        for value, ok in zip(
            cases := length_cases(spec), js_matches(pattern[0], cases), strict=True
        ):
            text = json.dumps(value)
            # The field's own line replaced (or added): one key per field.
            kept = "".join(
                line for line in original.splitlines(True) if not line.startswith(f"{name}:")
            )
            minihub.write(CASH, kept.replace("authors: [acme]", f"authors: [acme]\n{name}: {text}"))
            _, problems = minihub.load()
            refused = [p for p in problems if p.path == CASH and p.field == name]
            assert (not refused) == ok, (name, value)
    minihub.write(CASH, original)


def test_the_cover_alt_message_is_the_loaders(minihub: HubDir) -> None:
    minihub.write("content/articles/cover.png", "")
    original = minihub.read(CASH)
    minihub.write(CASH, original.replace("authors: [acme]", "authors: [acme]\ncover: cover.png"))
    _, problems = minihub.load()
    alt = [p for p in problems if p.path == CASH and p.message.startswith("a cover image")]
    assert [f"{p.field}: {p.message} ({p.hint})" for p in alt] == [COVER_ALT_MESSAGE]


def test_the_admin_page_loads_only_the_pinned_script_and_its_own(minihub: HubDir) -> None:
    page = AdminPage("Mini <Hub>", ("../assets/hubgen/hubgen.css",), CMS).html()
    assert "<title>Edit Mini &lt;Hub&gt;</title>" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert 'data-pagefind-ignore="all"' in page
    scripts = [line for line in page.splitlines() if "<script " in line and " src=" in line]
    assert scripts == [
        '<script src="hubgen-manual-init.js"></script>',  # Decap waits for hubgen's formats
        f'<script src="decap-cms.js" integrity="{SCRIPT_INTEGRITY}"></script>',
        '<script src="hubgen-admin.js"></script>',
        '<script type="module" src="hubgen-formats.js"></script>',  # registers them, starts Decap
    ]
    assert (
        SCRIPT_INTEGRITY
        == "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p"
    )
    hostile = AdminPage("x", ("../a</script><script>alert(1)</script>.css",), CMS).html()
    assert "</script><script>alert" not in hostile


def test_a_tampered_bundle_is_refused_and_deleted(tmp_path: Path) -> None:
    cached = tmp_path / "decap-cms-3.16.3.tgz"
    cached.write_bytes(b"not the tarball")
    with pytest.raises(BundleError, match="does not match its pinned SHA-512"):
        load_bundle(tmp_path)
    assert not cached.exists()
    assert integrity_of(b"") != TARBALL_INTEGRITY


def test_init_writes_the_repository_and_hubgen_cms_prints_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hubgen.cli import main

    hub = tmp_path / "network"
    assert main(["init", str(hub), "--repo", "leeds-firms/hub", "--organiser", "claire-h"]) == 0
    settings = yaml.safe_load((hub / "mkdocs.yml").read_text())
    plugin = next(p["hubgen"] for p in settings["plugins"] if isinstance(p, dict))
    assert plugin["cms"] == {"repo": "leeds-firms/hub"}
    assert "Let partners edit in the browser" in (hub / "README.md").read_text()
    capsys.readouterr()
    assert main(["cms", "-f", str(hub / "mkdocs.yml")]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert printed["backend"]["repo"] == "leeds-firms/hub"
    authors = form_fields(printed, "articles")["authors"]["options"]
    assert [o["value"] for o in authors] == ["example-accounting"]
    assert main(["init", str(tmp_path / "bad"), "--repo", "not a repo"]) == 2


def test_hubgen_cms_needs_the_repository(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    from hubgen.cli import main

    assert main(["cms", "-f", str(minihub.root / "mkdocs.yml")]) == 2
    assert "cms: repo: owner/name" in capsys.readouterr().err


HOSTILE = "Acme</script><img src=x onerror=alert(1)> 'q' \"d\" {{x}} #c: - [y]"


def test_hostile_partner_text_stays_data_in_the_config_and_page(minihub: HubDir) -> None:
    minihub.edit(ACME, "name: Acme Accounting", f"name: {json.dumps(HOSTILE)}")
    minihub.edit(CASH, "topics: [Cash flow, Tax]", f"topics: [{json.dumps(HOSTILE[:60])}]")
    hub, problems = minihub.load()
    assert list(problems.errors) == []
    config = cms_config(hub.settings, hub, CMS)
    text = config_yaml(config)
    # YAML written by a YAML writer: read back, every label is exactly the partner's text.
    assert yaml.safe_load(text) == config
    labels = [o["label"] for o in form_fields(config, "articles")["authors"]["options"]]
    assert f"{HOSTILE} (acme)" in labels
    assert HOSTILE[:60].strip() in form_fields(config, "articles")["topics"]["hint"]
    page = AdminPage(HOSTILE, (), CMS).html()
    assert "<img" not in page and "</script><img" not in page


# hubgen-formats.js, run by node on the served files: what a save in the browser writes.
FORMATS_RUNNER = """
let input = "";
for await (const chunk of process.stdin) input += chunk;
const [folder, jobs] = JSON.parse(input);
const f = await import(folder + "/hubgen-formats.js");
const out = jobs.map(([kind, text, changes, order]) => {
  const [read, write] = kind === "yaml"
    ? [f.readYaml, f.writeYaml] : [f.readFrontMatter, f.writeFrontMatter];
  const data = text === null ? {} : read(text);
  for (const [path, value] of changes) {
    let at = data;
    path.slice(0, -1).forEach((key) => { at = at[key]; });
    at[path[path.length - 1]] = value;
  }
  return write(data, order);
});
console.log(JSON.stringify(out));
"""
Job = tuple[str, str | None, list[tuple[list[str | int], Any]], list[str]]


@pytest.fixture(scope="module")
def formats(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """/admin/'s format module and the yaml build it imports, as a build publishes them."""
    from hubgen.cms.publish import static_script

    folder = tmp_path_factory.mktemp("admin")
    bundle = load_bundle()
    Bundle({k: v for k, v in bundle.files.items() if k.startswith("yaml/")}).write(folder)
    (folder / "hubgen-formats.js").write_text(static_script("hubgen-formats.js"))
    (folder / "package.json").write_text('{"type": "module"}')  # node: .js files are modules
    return folder


def run_formats(folder: Path, jobs: list[Job]) -> list[str]:
    assert NODE is not None
    out = subprocess.run(
        [NODE, "--input-type=module", "-e", FORMATS_RUNNER],
        input=json.dumps([folder.as_uri(), jobs]), capture_output=True, text=True, check=True,
        timeout=60,
    )  # fmt: skip
    result: list[str] = json.loads(out.stdout)
    return result


COMMENTED = """# Acme's profile: the organisers review every change.
name: Acme Accounting  # as on the letterhead
tagline: "Numbers, sorted"

# Jane keeps the list below current.
services: [Tax, Payroll]
bio: |
  Two lines

  and a gap.
people:
  - id: jane
    name: Jane Doe   # founder
"""


@pytest.mark.skipif(NODE is None, reason="needs node")
def test_a_save_that_changes_nothing_writes_every_demo_file_back_byte_for_byte(
    formats: Path,
) -> None:
    files = sorted((REPO / "partners").glob("*.yml"))
    files += sorted((REPO / "content" / "articles").glob("*.md"))
    jobs: list[Job] = [
        ("yaml" if p.suffix == ".yml" else "front", p.read_text("utf-8"), [], []) for p in files
    ]
    assert len(files) > 20
    written = run_formats(formats, jobs)
    assert [w == job[1] for w, job in zip(written, jobs, strict=True)] == [True] * len(files)


@pytest.mark.skipif(NODE is None, reason="needs node")
def test_an_edit_rewrites_only_the_changed_values_and_keeps_comments(formats: Path) -> None:
    jobs: list[Job] = [
        ("yaml", COMMENTED, [(["tagline"], "Tax, payroll: sorted")], []),
        ("yaml", COMMENTED, [(["services"], ["Tax"]), (["people", 0, "name"], "Jane D.")], []),
        ("yaml", COMMENTED, [(["bio"], "One line"), (["color"], "#0f766e"), (["email"], "")], []),
    ]
    tagline, nested, added = run_formats(formats, jobs)
    assert tagline == COMMENTED.replace('"Numbers, sorted"', '"Tax, payroll: sorted"')
    assert nested == COMMENTED.replace("[Tax, Payroll]", "[Tax]").replace(
        "name: Jane Doe   #", "name: Jane D.   #"
    )
    # A new value goes at the end; an empty optional field is not written at all.
    assert added == COMMENTED.replace("|\n  Two lines\n\n  and a gap.", "One line") + (
        'color: "#0f766e"\n'
    )
    for text in (tagline, nested, added):
        assert text.startswith("# Acme's profile") and "# Jane keeps the list" in text


ARTICLE_TEXT = """---
# Reviewed by the organisers.
title: Cash flow
date: 2025-07-01
authors: [acme]  # the firm, not a person
---
Body with trailing spaces   \n\n--- not front matter ---\n"""


@pytest.mark.skipif(NODE is None, reason="needs node")
def test_an_article_keeps_its_body_byte_for_byte_and_its_front_matter_comments(
    formats: Path,
) -> None:
    order = ["title", "date", "authors", "summary"]
    jobs: list[Job] = [
        ("front", ARTICLE_TEXT, [(["title"], "Cash flow in a week")], order),
        ("front", ARTICLE_TEXT, [(["body"], "New body")], order),
        ("front", None, [(["title"], "New"), (["body"], "Hello"), (["authors"], ["acme/jane"])],
         order),
    ]  # fmt: skip
    title, body, new = run_formats(formats, jobs)
    assert title == ARTICLE_TEXT.replace("title: Cash flow", "title: Cash flow in a week")
    assert body == ARTICLE_TEXT.split("---\n", 2)[0] + "---\n" + ARTICLE_TEXT.split("---\n")[1] + (
        "---\nNew body\n"
    )
    # A new file is printed in the form's order, and parses to exactly the values entered.
    assert new == "---\ntitle: New\nauthors:\n  - acme/jane\n---\nHello\n"


@pytest.mark.skipif(NODE is None, reason="needs node")
def test_hostile_values_are_written_as_data(formats: Path) -> None:
    hostile = "x\"\nmaintainers: [mallory]\n# 'y': [z] --- |\n  - a"
    jobs: list[Job] = [
        ("yaml", COMMENTED, [(["tagline"], hostile), (["people", 0, "name"], hostile)], []),
        ("front", ARTICLE_TEXT, [(["title"], hostile), (["body"], "---\ntitle: evil\n---\n")], []),
    ]
    profile, article = run_formats(formats, jobs)
    parsed = yaml.safe_load(profile)
    assert parsed["tagline"] == hostile and parsed["people"][0]["name"] == hostile
    assert "maintainers" not in parsed
    front, body = article.split("---\n", 2)[1:]
    assert yaml.safe_load(front)["title"] == hostile
    assert body == "---\ntitle: evil\n---\n"


# How the two hosts that read ``_headers`` combine rules, as their documentation and parsers
# say: Cloudflare Pages (developers.cloudflare.com/pages/configuration/headers; workers-sdk
# parseHeaders and the asset server) applies every matching rule in order, a ``! Name`` line
# first detaching the header, and joins a header set again by a later rule with ", ";
# Netlify (netlify/build headers-parser, netlify-cli headersForPath) skips a line without a
# colon and lets a later matching rule's header replace an earlier one.
def header_rules(text: str) -> list[tuple[str, list[str], dict[str, str]]]:
    rules: list[tuple[str, list[str], dict[str, str]]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("/"):
            rules.append((line, [], {}))
        elif line.startswith("! ") and ":" not in line:
            rules[-1][1].append(line[2:].strip().lower())
        else:
            name, _, value = line.partition(":")
            rules[-1][2][name.strip().lower()] = value.strip()
    return rules


def matches(pattern: str, path: str) -> bool:
    return path == pattern or (pattern.endswith("*") and path.startswith(pattern[:-1]))


def cloudflare_headers(text: str, path: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    set_before: set[str] = set()
    for pattern, unset, values in header_rules(text):
        if not matches(pattern, path):
            continue
        for name in unset:
            headers.pop(name, None)
        for name, value in values.items():
            joined = name in set_before and name in headers
            headers[name] = f"{headers[name]}, {value}" if joined else value
            set_before.add(name)
    return headers


def netlify_headers(text: str, path: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    for pattern, _, values in header_rules(text):
        if matches(pattern, path):
            headers |= values
    return headers


def test_admin_gets_exactly_its_own_policy_on_cloudflare_and_netlify(
    minihub: HubDir, tmp_path: Path
) -> None:
    from hubgen.cms.publish import publish_admin
    from hubgen.site.csp import Policy, write_headers

    hub, _ = minihub.load()
    public = Policy((("default-src", ("'self'",)), ("script-src", ("'self'",))))
    write_headers(tmp_path, public)  # the public pages' rule, as a build writes it first
    publish_admin(tmp_path, hub, CMS)
    text = (tmp_path / "_headers").read_text("utf-8")
    admin = admin_policy(CMS).header()
    assert admin != public.header()
    for host in (cloudflare_headers, netlify_headers):
        page = host(text, "/articles/cash/")
        assert page["content-security-policy"] == public.header(), host
        assert "x-robots-tag" not in page
        for path in ("/admin/", "/admin/config.yml"):
            editor = host(text, path)
            assert editor["content-security-policy"] == admin, host
            assert editor["x-robots-tag"] == "noindex, nofollow"
            assert editor["x-content-type-options"] == "nosniff"  # the rest is inherited
    # Without the detach line, Cloudflare would send both policies, the public one blocking
    # the editor: the model of the host is the one that tells the two files apart.
    undetached = text.replace("  ! Content-Security-Policy\n", "")
    both = cloudflare_headers(undetached, "/admin/")["content-security-policy"]
    assert both == f"{public.header()}, {admin}"


@pytest.mark.parametrize("guide", ["demo", "init"])
def test_the_contributor_guide_puts_the_browser_editor_before_git(
    guide: str, demo_site: Site
) -> None:
    """#14: partners read "Edit in your browser" first, the git route second; the demo's guide
    shows the editor's real screens."""
    if guide == "demo":
        page = demo_site.page("write-for-the-network/")
    else:
        text = template("content/write-for-the-network.md", name="A Network", sample_slug="acme")
        page = BeautifulSoup(markdown.markdown(text.split("---", 2)[2]), "html.parser")
    headings = [h.get_text(" ", strip=True).rstrip("¶ ") for h in page.select("h2")]
    browser = headings.index("Edit in your browser")
    git = next(i for i, h in enumerate(headings) if h.startswith("Proposing your change on GitHub"))
    assert browser < git and browser <= 1, headings
    if guide == "demo":
        section = page.find(id="edit-in-your-browser").find_next("ol")
        shots = [img["src"] for img in section.select("img")]
        assert len(shots) == 3
        for src in shots:
            assert (demo_site.path("write-for-the-network/").parent / src).resolve().is_file()
