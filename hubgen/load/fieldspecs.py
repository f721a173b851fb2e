"""What each field of a partner profile and of an article's front matter may hold: one table.

The loaders (:mod:`hubgen.load.partners`, :mod:`hubgen.load.articles`) read their field names,
required fields and length limits from here, and the CMS configuration (:mod:`hubgen.cms`) is
generated from the same table, so the browser's form and ``hubgen check`` cannot drift apart.
Rules that span files (an author must name a partner, a cover needs its alt text) stay in the
loaders; the table says which of them a form can show (``Rule``, ``FieldSpec.options``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from hubgen.core.models import PartnerStatus
from hubgen.load.slugs import RESERVED_SLUGS


class Widget(StrEnum):
    """How a field is edited; the CMS maps each to one of its widgets."""

    LINE = "line"
    """One line of text."""
    TEXT = "text"
    """Several lines of plain text."""
    MARKDOWN = "markdown"
    COLOR = "color"
    DAY = "day"
    """A date (YYYY-MM-DD)."""
    MOMENT = "moment"
    """A date with an optional time (YYYY-MM-DD HH:MM)."""
    IMAGE = "image"
    """A file in the entry's own folder, or an https:// URL."""
    LIST = "list"
    """A list of short texts."""
    CHOICE = "choice"
    BOOLEAN = "boolean"
    AUTHORS = "authors"
    """Partners and their people (``acme`` or ``acme/jane``): a relation to the partners."""
    GROUP = "group"
    """A mapping of the sub-fields in ``FieldSpec.fields``."""
    GROUPS = "groups"
    """A list of mappings of the sub-fields in ``FieldSpec.fields``."""


@dataclass(frozen=True)
class Rule:
    """A pattern every value (or list item) must match, and hubgen's hint when it does not.

    The pattern is written in the common subset of Python's and JavaScript's regular
    expressions: the CMS checks it in the browser, ``hubgen check`` in Python."""

    pattern: str
    message: str


# The hints are the loader's own (hubgen.load.fields, partners, articles): the form says the same.
COLOR = Rule(
    r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$", 'write a hex colour in quotes, e.g. "#0f766e"'
)
SLUG = Rule(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", "use lowercase letters, digits and hyphens")
REFERRAL_CODE = Rule(SLUG.pattern, "use lowercase letters, digits and single hyphens")
HTTPS_URL = Rule(r"^https://[^\s/?#]+[^\s]*$", "write a full address starting with https://")
WEB_URL = Rule(
    r"^https?://[^\s/?#]+[^\s]*$", "write a full address starting with https:// or http://"
)
EMAIL = Rule(
    r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$", "write it as name@example.com"
)
ARTICLE_SLUG = Rule(
    rf"^(?!(?:{'|'.join(sorted(RESERVED_SLUGS))})$)" + SLUG.pattern[1:],
    "use lowercase letters, digits and hyphens (not " + ", ".join(sorted(RESERVED_SLUGS)) + ")",
)
GITHUB_HANDLE = Rule(r"^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$", "write the handle without spaces")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    widget: Widget
    hint: str = ""
    required: bool = False
    max_length: int | None = None
    """Characters, after surrounding spaces are stripped (of each item, for a list)."""
    rule: Rule | None = None
    options: tuple[str, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    min_items: int = 0

    @property
    def one_line(self) -> bool:
        return self.widget is Widget.LINE


@dataclass(frozen=True)
class SpecTable:
    """The fields of one kind of file, in the order a form shows them."""

    fields: tuple[FieldSpec, ...]

    def __iter__(self) -> Iterator[FieldSpec]:
        return iter(self.fields)

    def __getitem__(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields if spec.required)

    def limit(self, name: str) -> int:
        """The length limit of a field that has one (KeyError if it has none: a typo)."""
        limit = self[name].max_length
        if limit is None:
            raise KeyError(f"{name} has no length limit")
        return limit

    def sub(self, name: str) -> SpecTable:
        """The sub-fields of a group field."""
        return SpecTable(self[name].fields)


def _line(name: str, label: str, limit: int, hint: str = "", **more: object) -> FieldSpec:
    return FieldSpec(name, label, Widget.LINE, hint, max_length=limit, **more)  # type: ignore[arg-type]


SOCIAL_NETWORKS = (
    "linkedin", "x", "facebook", "instagram", "youtube", "mastodon", "github", "bluesky",
)  # fmt: skip

PERSON = SpecTable((
    FieldSpec("id", "Id", Widget.LINE, "A short id for bylines: authors: [your-firm/jane]",
              required=True, rule=SLUG),
    _line("name", "Name", 80, required=True),
    _line("role", "Role", 120),
    FieldSpec("photo", "Photo", Widget.IMAGE, "A square photo: SVG, PNG, JPEG or WebP"),
    FieldSpec("bio", "Short bio", Widget.TEXT, max_length=600),
))  # fmt: skip

IDEAL_CLIENT = SpecTable((
    FieldSpec("who_we_help", "Who you help", Widget.MARKDOWN, required=True),
    FieldSpec("how_to_spot_them", "How partners can spot them", Widget.MARKDOWN, required=True),
))  # fmt: skip

CREDENTIAL = SpecTable((
    _line("name", "Name", 120, required=True),
    _line("regulator", "Regulator", 120),
    FieldSpec("url", "Where to check it", Widget.LINE, rule=HTTPS_URL),
))  # fmt: skip

TESTIMONIAL = SpecTable((
    FieldSpec("quote", "Quote", Widget.TEXT, required=True, max_length=600),
    _line("attribution", "Who said it", 120, required=True),
))  # fmt: skip

PARTNER = SpecTable((
    _line("name", "Firm name", 80, "As clients know you", required=True),
    _line("tagline", "Tagline", 120, "One line saying what you do", required=True),
    FieldSpec("status", "Status", Widget.CHOICE, "Set by the organisers",
              options=tuple(s.value for s in PartnerStatus)),
    FieldSpec("joined", "Joined", Widget.DAY, "Set by the organisers", required=True),
    FieldSpec("logo", "Logo", Widget.IMAGE, "SVG, PNG, JPEG or WebP, in your own folder",
              required=True),
    FieldSpec("color", "Brand colour", Widget.COLOR, "Your cards' accent colour", rule=COLOR),
    FieldSpec("website", "Website", Widget.LINE, rule=WEB_URL),
    FieldSpec("email", "E-mail", Widget.LINE, rule=EMAIL),
    _line("phone", "Phone", 40),
    _line("location", "Location", 120),
    _line("service_area", "Service area", 200),
    FieldSpec("services", "Services", Widget.LIST, "At least one", required=True,
              max_length=60, min_items=1),
    FieldSpec("topics", "Topics", Widget.LIST, max_length=60),
    FieldSpec("referral_code", "Referral code", Widget.LINE,
              "In your referral links; set by the organisers once published",
        rule=REFERRAL_CODE,
    ),
    FieldSpec("maintainers", "Maintainers", Widget.LIST,
              "GitHub user names allowed to change this profile", max_length=40,
              rule=GITHUB_HANDLE),
    FieldSpec("bio", "About the firm", Widget.MARKDOWN, required=True),
    FieldSpec("ideal_client", "Ideal client", Widget.GROUP, required=True,
              fields=IDEAL_CLIENT.fields),
    FieldSpec("what_makes_us_different", "What makes you different", Widget.MARKDOWN),
    FieldSpec("social", "Social links", Widget.GROUP, fields=tuple(
        FieldSpec(network, network.capitalize(), Widget.LINE, rule=HTTPS_URL)
        for network in SOCIAL_NETWORKS
    )),
    FieldSpec("people", "People", Widget.GROUPS, "Article bylines can name them",
              fields=PERSON.fields),
    FieldSpec("disclaimer", "Disclaimer", Widget.TEXT, max_length=1000),
    _line("profession", "Profession", 40),
    FieldSpec("credentials", "Credentials", Widget.GROUPS,
              "Qualifications and registrations, each checkable at its regulator",
              fields=CREDENTIAL.fields),
    FieldSpec("testimonials", "Testimonials", Widget.GROUPS, "Clients' own words",
              fields=TESTIMONIAL.fields),
))  # fmt: skip
"""A partner profile, ``partners/<slug>.yml``."""

CALL_TO_ACTION = SpecTable((
    _line("heading", "Heading", 120),
    FieldSpec("text", "Text", Widget.TEXT, max_length=400),
    _line("button", "Button", 40),
))  # fmt: skip

ARTICLE = SpecTable((
    _line("title", "Title", 200, required=True),
    FieldSpec("date", "Date", Widget.MOMENT, "When it is published", required=True),
    FieldSpec("updated", "Updated", Widget.MOMENT, "The date of the last real change"),
    FieldSpec("authors", "Authors", Widget.AUTHORS, "Partners (or their people) who wrote it",
              required=True, max_length=100, min_items=1),
    FieldSpec("topics", "Topics", Widget.LIST, "Pick the hub's topics or add one",
              max_length=60),
    _line("category", "Category", 60),
    FieldSpec("summary", "Summary", Widget.TEXT, "Shown on cards and in feeds", max_length=500),
    FieldSpec("cover", "Cover image", Widget.IMAGE, "Next to the article, or an https:// URL"),
    _line("cover_alt", "Cover alt text", 300,
          "Describe the image for people who cannot see it (required with a cover)"),
    FieldSpec("draft", "Draft", Widget.BOOLEAN, "Drafts are not published"),
    FieldSpec("slug", "URL slug", Widget.LINE, "Leave empty to use the file name",
              rule=ARTICLE_SLUG),
    _line("id", "Feed id", 200, "Leave empty: the article's address"),
    FieldSpec("cta", "Call to action", Widget.GROUP, fields=CALL_TO_ACTION.fields),
))  # fmt: skip
"""An article's front matter (its body is Markdown after it)."""
