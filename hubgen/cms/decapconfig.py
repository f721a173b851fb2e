"""The Decap CMS configuration (``admin/config.yml``), generated from hubgen's field table.

Each field of :mod:`hubgen.load.fieldspecs` becomes a form field with its label, hint, required
flag, widget and, where the loader checks one, a pattern with hubgen's own hint: a form refuses
what ``hubgen check`` would refuse, before the save. What a form cannot say (an author must be
a partner, a cover needs alt text) is a choice list made from the loaded hub, or a check in
``hubgen-admin.js``; the gate and ``hubgen check`` judge every pull request anyway.
"""

from __future__ import annotations

from typing import Any

import yaml

from hubgen.cms.settings import CmsSettings
from hubgen.core.models import Hub, HubSettings
from hubgen.load.fieldspecs import ARTICLE, PARTNER, FieldSpec, SpecTable, Widget
from hubgen.review.organiserfields import ORGANISER_FIELDS

PARTNERS = "partners"
ARTICLES = "articles"
# hubgen's formats (static/hubgen-formats.js): a save rewrites only the changed values, so a
# file's comments, key order and quoting stay as the partner wrote them.
FORMAT_YAML = "hubgen-yaml"
FORMAT_FRONT_MATTER = "hubgen-frontmatter"

ARTICLE_FILE = "{{year}}-{{month}}-{{day}}-{{slug}}"
"""New articles' file names: date first so files sort, the loader drops it from the URL."""

MOMENT_FORMAT = "YYYY-MM-DD HH:mm"
"""How dates with a time are written (hubgen reads ``YYYY-MM-DD HH:MM``)."""
DAY_FORMAT = "YYYY-MM-DD"

MAX_TOPICS_IN_HINT = 40


def length_pattern(spec: FieldSpec) -> list[str] | None:
    """``[regex, message]`` for a length limit: at most N characters once surrounding spaces
    are stripped (as the loader counts), and one line for one-line fields."""
    if spec.max_length is None:
        return None
    char = r"[^\n]" if spec.one_line else r"[\s\S]"
    message = f"the limit is {spec.max_length} characters (shorten it)"
    if spec.one_line:
        message = f"one line; {message}"
    return [rf"^\s*{char}{{0,{spec.max_length}}}\s*$", message]


def field_pattern(spec: FieldSpec) -> list[str] | None:
    """The one pattern a form field carries: the field's rule, else its length limit."""
    if spec.rule is not None:
        return [spec.rule.pattern, spec.rule.message]
    return length_pattern(spec)


def cms_config(settings: HubSettings, hub: Hub, cms: CmsSettings) -> dict[str, Any]:
    """The whole configuration, as a mapping (written as YAML by :func:`config_yaml`)."""
    partners_folder = settings.relative(settings.partners_dir)
    articles_folder = settings.relative(settings.docs_dir / settings.articles_dir)
    backend: dict[str, Any] = {
        "name": "github",
        "repo": cms.repo,
        "branch": cms.branch,
        "open_authoring": cms.open_authoring,
        # Pull requests are judged by hubgen check and the gate: the CMS merges nothing itself.
        "squash_merges": True,
    }
    if cms.auth_url:
        backend["base_url"] = cms.auth_url
    if cms.auth_endpoint:
        backend["auth_endpoint"] = cms.auth_endpoint
    config: dict[str, Any] = {
        "backend": backend,
        "publish_mode": "editorial_workflow",
        # Uploads outside a collection go next to the articles (the gate allows images there).
        "media_folder": articles_folder,
        "public_folder": "",
        "site_url": settings.site_url or None,
        "logo_url": None,
        "locale": "en",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            _partners_collection(partners_folder),
            _articles_collection(articles_folder, hub),
        ],
    }
    if cms.local_backend:
        config["local_backend"] = {"url": cms.local_backend}
    return {key: value for key, value in config.items() if value is not None}


def config_yaml(config: dict[str, Any]) -> str:
    header = (
        "# Written by hubgen (hubgen cms / hubgen build) from the hub's field rules: do not edit,\n"
        "# change mkdocs.yml's hubgen 'cms' options and rebuild instead.\n"
    )
    return header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)


def _partners_collection(folder: str) -> dict[str, Any]:
    return {
        "name": PARTNERS,
        "label": "Partner profiles",
        "label_singular": "Partner profile",
        "description": "Your firm's profile. Saving opens a pull request the organisers review.",
        "folder": folder,
        "extension": "yml",
        "format": FORMAT_YAML,
        # Only organisers add partners (the gate refuses a new profile from a partner).
        "create": False,
        "delete": False,
        "identifier_field": "name",
        # Each partner's images stay in partners/<slug>/, referred to by file name.
        "media_folder": "{{filename}}",
        "public_folder": "",
        "fields": _fields(PARTNER, organiser=True),
    }


def _articles_collection(folder: str, hub: Hub) -> dict[str, Any]:
    fields = _fields(ARTICLE, hub=hub)
    fields.append({"name": "body", "label": "Article", "widget": "markdown", "required": True})
    return {
        "name": ARTICLES,
        "label": "Articles",
        "label_singular": "Article",
        "description": "Shared articles. Saving opens a pull request the organisers review.",
        "folder": folder,
        "extension": "md",
        "format": FORMAT_FRONT_MATTER,
        "create": True,
        "delete": False,
        "identifier_field": "title",
        "slug": ARTICLE_FILE,
        "summary": "{{title}} ({{date}})",
        # A cover or inline image sits next to the article, as the loader looks for it.
        "media_folder": "",
        "public_folder": "",
        "fields": fields,
    }


def _fields(table: SpecTable, *, organiser: bool = False, hub: Hub | None = None) -> list[Any]:
    return [_field(spec, organiser=organiser, hub=hub) for spec in table]


def _field(spec: FieldSpec, *, organiser: bool = False, hub: Hub | None = None) -> dict[str, Any]:
    field: dict[str, Any] = {"name": spec.name, "label": spec.label, "required": spec.required}
    hint = spec.hint
    if organiser and spec.name in ORGANISER_FIELDS:
        hint = (hint + ". " if hint else "") + "A partner's change to it is refused"
    field.update(_widget(spec, hub))
    if spec.widget is Widget.LIST and spec.name == "topics" and hub is not None:
        hint = _topics_hint(hint, hub)
    if hint:
        field["hint"] = hint
    return field


def _widget(spec: FieldSpec, hub: Hub | None) -> dict[str, Any]:
    pattern = field_pattern(spec)
    with_pattern = {"pattern": pattern} if pattern else {}
    match spec.widget:
        case Widget.LINE:
            return {"widget": "string", **with_pattern}
        case Widget.TEXT:
            return {"widget": "text", **with_pattern}
        case Widget.MARKDOWN:
            return {"widget": "markdown", **with_pattern}
        case Widget.COLOR:
            # Typing is allowed, so a wrong value can be typed: the pattern refuses it.
            return {"widget": "color", "allowInput": True, **with_pattern}
        case Widget.DAY:
            return {
                "widget": "datetime", "format": DAY_FORMAT, "date_format": DAY_FORMAT,
                "time_format": False, "picker_utc": True,
            }  # fmt: skip
        case Widget.MOMENT:
            return {
                "widget": "datetime", "format": MOMENT_FORMAT, "date_format": DAY_FORMAT,
                "time_format": "HH:mm",
            }  # fmt: skip
        case Widget.IMAGE:
            return {"widget": "image", "choose_url": True, **with_pattern}
        case Widget.LIST:
            item = {"name": "item", "label": spec.label, "widget": "string", **with_pattern}
            # Open: each item shows its text (collapsed, a list of words shows only "Topics").
            return {"widget": "list", "field": item, "collapsed": False, **_min(spec)}
        case Widget.CHOICE:
            return {"widget": "select", "options": list(spec.options)}
        case Widget.BOOLEAN:
            return {"widget": "boolean", "default": False}
        case Widget.AUTHORS:
            return {
                "widget": "select",
                "multiple": True,
                "options": _author_options(hub),
                **_min(spec),
            }
        case Widget.GROUP:
            return {"widget": "object", "collapsed": not spec.required, "fields": _sub(spec)}
        case Widget.GROUPS:
            return {"widget": "list", "collapsed": True, "fields": _sub(spec)}


def _sub(spec: FieldSpec) -> list[Any]:
    return [_field(sub) for sub in spec.fields]


def _min(spec: FieldSpec) -> dict[str, int]:
    return {"min": spec.min_items} if spec.min_items else {}


def _author_options(hub: Hub | None) -> list[dict[str, str]]:
    """Every partner (``acme``) and each of its people (``acme/jane``): the only values the
    loader accepts as authors, so an unknown author cannot be picked."""
    options: list[dict[str, str]] = []
    for slug, partner in sorted((hub.partners if hub else {}).items()):
        options.append({"label": f"{partner.name} ({slug})", "value": slug})
        for person in partner.people:
            label = f"{person.name}, {partner.name} ({slug}/{person.id})"
            options.append({"label": label, "value": f"{slug}/{person.id}"})
    return options


def _topics_hint(hint: str, hub: Hub) -> str:
    names = sorted({t.name for a in hub.articles for t in a.topics}, key=str.casefold)
    if not names:
        return hint
    shown = ", ".join(names[:MAX_TOPICS_IN_HINT]) + (
        ", …" if len(names) > MAX_TOPICS_IN_HINT else ""
    )
    return f"{hint}. The hub's topics: {shown}"
