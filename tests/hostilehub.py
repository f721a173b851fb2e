"""A hub whose every contributor-controlled field is hostile: markup, script, event handlers,
template syntax. Used by the hostile-text tests (built files parsed) and the browser test."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


# Each payload breaks out of a different context: element text, an attribute, <title>, a
# template engine. Every one calls hg_pwned(), which the browser test defines and watches.
PAYLOADS = (
    '"><script>hg_pwned()</script>',
    "</title><img src=x onerror=hg_pwned()>",
    "'><svg onload=hg_pwned()>",
    "{{ 'hgtpl' ~ 'inj' }}",
)
TEMPLATE_RESULT = "hgtplinj"
"""What the template payload would print if partner text were ever rendered as a template."""

MARKER = "hg_pwned"


def hostile(label: str, index: int) -> str:
    """A field value: a readable label, then one of the payloads (rotating by field)."""
    return f"{label} {PAYLOADS[index % len(PAYLOADS)]}"


PARTNER_TEXT = {
    "name": hostile("Acme", 0),
    "tagline": hostile("Tagline", 1),
    "location": hostile("Leeds", 2),
    "service_area": hostile("Yorkshire", 3),
    "what_makes_us_different": hostile("Different", 0),
    "disclaimer": hostile("Disclaimer", 1),
    "phone": "0113 496 0000",
    "profession": hostile("Profession", 2),
}
SERVICES = [hostile("Books", 2), hostile("Payroll", 3)]
TOPICS = [hostile("Tax", 0)]
IDEAL = {"who_we_help": hostile("Owners", 1), "how_to_spot_them": hostile("Signs", 2)}
PERSON = {"id": "jane", "name": hostile("Jane", 3), "role": hostile("Role", 0)}
PERSON_BIO = hostile("Person bio", 1)
CREDENTIAL = {
    "name": hostile("Credential", 3),
    "regulator": hostile("Regulator", 0),
    "url": 'https://register.example/?q="><script>hg_pwned()</script>',
}
TESTIMONIAL = {"quote": hostile("Quote", 1), "attribution": hostile("Client", 2)}
BIO = (
    "Bio *text* <script>hg_pwned()</script> <img src=x onerror=hg_pwned()>\n\n"
    "[click](javascript:hg_pwned()) <a href='javascript:hg_pwned()'>raw</a> {{ 'hgtpl' ~ 'inj' }}"
)

ARTICLE = {
    "title": hostile("Title", 1),
    "summary": hostile("Summary", 0),
    "category": hostile("Category", 2),
    "cover_alt": hostile("Alt", 3),
}
ARTICLE_TOPICS = [hostile("Topic", 3), hostile("Other", 0)]
CTA = {"heading": hostile("Heading", 0), "text": hostile("Text", 1), "button": hostile("Go", 2)}
BODY = """Intro <script>hg_pwned()</script> and <img src=x onerror=hg_pwned()> {{ 'hgtpl' ~ 'inj' }}

## Heading <svg onload=hg_pwned()>

[a link](javascript:hg_pwned()) and <a href="JaVaScRiPt:hg_pwned()">another</a>
<iframe src="javascript:hg_pwned()"></iframe>
<form action="javascript:hg_pwned()"><button formaction="javascript:hg_pwned()">x</button></form>
"""
# No summary: the excerpt (meta description, feeds, cards) comes from this first paragraph.
SECOND_BODY = """</title><script>hg_pwned()</script> Second {{ 'hgtpl' ~ 'inj' }} "quoted" & more

Rest of the article.
"""


def yaml_value(value: object) -> str:
    """JSON is YAML: every string is written double-quoted, exactly as given."""
    return json.dumps(value, ensure_ascii=False)


def write_hostile_hub(root: Path) -> None:
    shutil.copytree(FIXTURES / "minihub", root, ignore=shutil.ignore_patterns(".hubgen-cache"))
    lines = [f"{key}: {yaml_value(value)}" for key, value in PARTNER_TEXT.items()]
    lines += [
        "status: active",
        "joined: 2024-01-15",
        "logo: logo.svg",
        'color: "#0f766e"',
        "website: https://acme.example",
        "email: hello@acme.example",
        f"services: {yaml_value(SERVICES)}",
        f"topics: {yaml_value(TOPICS)}",
        "referral_code: acme-ref",
        f"bio: {yaml_value(BIO)}",
        f"ideal_client: {yaml_value(IDEAL)}",
        "social:",
        "  linkedin: https://www.linkedin.com/company/acme-example",
        "people:",
        f"  - id: {PERSON['id']}",
        f"    name: {yaml_value(PERSON['name'])}",
        f"    role: {yaml_value(PERSON['role'])}",
        "    photo: jane.svg",
        f"    bio: {yaml_value(PERSON_BIO)}",
        f"credentials: [{yaml_value(CREDENTIAL)}]",
        f"testimonials: [{yaml_value(TESTIMONIAL)}]",
    ]
    (root / "partners/acme.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    brightside = root / "partners/brightside.yml"
    text = brightside.read_text(encoding="utf-8")
    brightside.write_text(
        text.replace("name: Brightside Law", f"name: {yaml_value(hostile('Brightside', 1))}"),
        encoding="utf-8",
    )
    front = [f"{key}: {yaml_value(value)}" for key, value in ARTICLE.items()]
    front += [
        "date: 2025-05-01",
        "authors: [acme/jane, brightside]",
        f"topics: {yaml_value(ARTICLE_TOPICS)}",
        "cover: images/cover.svg",
        f"cta: {yaml_value(CTA)}",
        f"id: {yaml_value(hostile('urn:id', 0))}",
    ]
    articles = root / "content/articles"
    (articles / "2025-05-01-hostile.md").write_text(
        "---\n" + "\n".join(front) + "\n---\n" + BODY, encoding="utf-8"
    )
    (articles / "2025-05-02-second.md").write_text(
        "---\ntitle: Second\ndate: 2025-05-02\nauthors: [acme]\n---\n" + SECOND_BODY,
        encoding="utf-8",
    )
