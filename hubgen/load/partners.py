"""Partner profiles (``partners/<slug>.yml`` and the images in ``partners/<slug>/``) → partners.

A profile is read field group by field group (identity, services, ideal client, referral code,
maintainers, social links, people, contact details); each reports its own problems, and a
profile with any error gives no partner (its articles are then not blamed for naming it).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from hubgen.core import urls
from hubgen.core.models import (
    Credential,
    HubSettings,
    IdealClient,
    Image,
    Partner,
    PartnerStatus,
    Person,
    SocialLink,
    Testimonial,
)
from hubgen.core.problems import Problems
from hubgen.core.text import is_slug, slugify
from hubgen.load.bodylimits import body_limits
from hubgen.load.fields import FieldReader, is_url
from hubgen.load.fieldspecs import (
    CREDENTIAL,
    GITHUB_HANDLE,
    IDEAL_CLIENT,
    PARTNER,
    PERSON,
    SOCIAL_NETWORKS,
    TESTIMONIAL,
)
from hubgen.load.slugs import RESERVED_SLUGS
from hubgen.load.sourcefile import local_image, parse_mapping, read_text
from hubgen.load.yamlsafe import YamlDoc

MAX_PROFILE_BYTES = 64 * 1024

# Field names, required fields and limits come from the table the CMS form is generated from.
PARTNER_FIELDS = PARTNER.names
PARTNER_REQUIRED = PARTNER.required
PERSON_FIELDS = PERSON.names
IDEAL_CLIENT_FIELDS = IDEAL_CLIENT.names
CREDENTIAL_FIELDS = CREDENTIAL.names
TESTIMONIAL_FIELDS = TESTIMONIAL.names

_GITHUB_HANDLE_RE = re.compile(GITHUB_HANDLE.pattern)

MarkdownField = tuple[FieldReader, str, str | None]
"""A text rendered as Markdown on the partner's page: the reader holding it, its name, its value."""

NOT_FIELDS = (
    "a partner profile must be a mapping of 'field: value' lines",
    "start with 'name: Your Firm'",
)
"""What to say when the file's YAML is not a mapping of fields (message, hint)."""


class _Identity(NamedTuple):
    name: str
    tagline: str
    status: PartnerStatus
    joined: date


def load_partners(
    settings: HubSettings, problems: Problems, broken: set[str]
) -> dict[str, Partner]:
    """Valid partners by slug; ``broken`` collects slugs whose profile has problems."""
    partners: dict[str, Partner] = {}
    folder = settings.partners_dir
    if not folder.is_dir():
        problems.add(
            settings.relative(folder),
            1,
            1,
            "",
            "partners folder does not exist",
            "create it and add one <slug>.yml per partner",
        )
        return partners
    for path in sorted(folder.iterdir()):
        rel = settings.relative(path)
        if path.is_dir() or path.name.startswith("."):
            continue
        if path.suffix == ".yaml":
            problems.add(
                rel, 1, 1, "", "partner profiles end in .yml", f"rename it to {path.stem}.yml"
            )
            continue
        if path.suffix != ".yml":
            continue
        partner = _load_partner(path, rel, settings, problems)
        if partner is not None:
            partners[partner.slug] = partner
        else:
            broken.add(path.stem)
    return partners


def check_unique_codes(partners: dict[str, Partner], problems: Problems) -> None:
    """One partner per referral code: a code (or a slug used as one) names one firm's leads."""
    owners: dict[str, Partner] = {}
    for partner in partners.values():
        code = partner.referral_code
        clash = owners.get(code) or (partners.get(code) if code != partner.slug else None)
        if clash is not None and clash is not partner:
            problems.add(
                partner.source,
                1,
                1,
                "referral_code",
                f"referral code '{code}' is already used by {clash.source}",
                "choose a code no other partner uses, or leave it out to use your slug",
            )
            continue
        owners[code] = partner


def _load_partner(
    path: Path, rel: str, settings: HubSettings, problems: Problems
) -> Partner | None:
    slug = path.stem
    if not _is_partner_slug(slug, rel, problems):
        return None
    text = read_text(path, rel, MAX_PROFILE_BYTES, problems)
    if text is None:
        return None
    doc = parse_mapping(text, rel, problems, not_a_mapping=NOT_FIELDS)
    if doc is None:
        return None
    r = FieldReader(doc, rel, problems, data=doc.data)
    r.check_keys(PARTNER_FIELDS, PARTNER_REQUIRED)
    assets = settings.partners_dir / slug
    before = len(problems)

    identity = _identity(r)
    logo = _image(r, "logo", assets, "logo", settings.root)
    bio = r.text("bio")
    services = _services(r)
    ideal = _ideal_client(r)
    code = _referral_code(r, slug)
    maintainers = _maintainers(r)
    social = _social_links(r)
    people = _people(r, assets, settings.root)
    credentials = _credentials(r)
    testimonials = _testimonials(r)
    details = _details(r)
    topics = r.text_list("topics", max_length=PARTNER.limit("topics")) or []
    markdown: list[MarkdownField] = [
        (r, "bio", bio),
        (r, "what_makes_us_different", details.get("what_makes_us_different")),
    ]
    if ideal is not None:
        ideal_reader, ideal_client = ideal
        markdown += [
            (ideal_reader, "who_we_help", ideal_client.who_we_help),
            (ideal_reader, "how_to_spot_them", ideal_client.how_to_spot_them),
        ]
    _check_markdown(markdown, text, doc, problems)
    if (
        len(problems) > before
        or identity is None
        or logo is None
        or not bio
        or ideal is None
        or not services
    ):
        return None
    return Partner(
        slug=slug,
        name=identity.name,
        tagline=identity.tagline,
        status=identity.status,
        joined=identity.joined,
        logo=logo,
        bio=bio,
        ideal_client=ideal[1],
        services=tuple(services),
        source=rel,
        topics=tuple(topics),
        referral_code=code,
        maintainers=tuple(maintainers),
        social=tuple(social),
        people=tuple(people),
        credentials=tuple(credentials),
        testimonials=tuple(testimonials),
        **{k: v for k, v in details.items() if v is not None},
    )


def _is_partner_slug(slug: str, rel: str, problems: Problems) -> bool:
    """Whether the file name makes a usable slug (it is the partner's URL and author id)."""
    if is_slug(slug) and slug not in RESERVED_SLUGS:
        return True
    problems.add(
        rel,
        1,
        1,
        "",
        f"'{slug}' cannot be a partner slug",
        f"rename the file to lowercase letters, digits and hyphens, e.g. {slugify(slug) or 'acme'}.yml"
        + (" (that name is reserved)" if slug in RESERVED_SLUGS else ""),
    )
    return False


def _identity(r: FieldReader) -> _Identity | None:
    """Who the partner is and where it stands in the network (None if any part is wrong)."""
    name = r.text("name", max_length=PARTNER.limit("name"), one_line=True)
    tagline = r.text("tagline", max_length=PARTNER.limit("tagline"), one_line=True)
    status = r.choice("status", [s.value for s in PartnerStatus]) if r.has("status") else "active"
    joined = r.day("joined")
    if name and tagline and status and joined:
        return _Identity(name, tagline, PartnerStatus(status), joined)
    return None


def _services(r: FieldReader) -> list[str]:
    services = r.text_list("services", max_length=PARTNER.limit("services")) or []
    if r.has("services") and not services:
        r.error("services", "list at least one service", "e.g. services: [Bookkeeping]")
    return services


def _ideal_client(r: FieldReader) -> tuple[FieldReader, IdealClient] | None:
    """The ideal client and the reader of its mapping (its texts are checked as Markdown)."""
    ideal = r.mapping("ideal_client")
    if ideal is None:
        return None
    ideal.check_keys(IDEAL_CLIENT_FIELDS, IDEAL_CLIENT_FIELDS)
    who, spot = ideal.text("who_we_help"), ideal.text("how_to_spot_them")
    if who and spot:
        return ideal, IdealClient(who, spot)
    return None


def _referral_code(r: FieldReader, slug: str) -> str:
    """The code in the partner's referral links: the slug unless the profile names another."""
    code = r.text("referral_code", one_line=True) or slug
    if r.has("referral_code") and not is_slug(code):
        r.error(
            "referral_code",
            f"'{code}' is not URL-safe",
            "use lowercase letters, digits and single hyphens, e.g. " + (slugify(code) or slug),
        )
    return code


def _maintainers(r: FieldReader) -> list[str]:
    """GitHub handles that may change the profile (the ownership gate reads them)."""
    maintainers = r.text_list("maintainers", max_length=PARTNER.limit("maintainers")) or []
    for handle in maintainers:
        if not _GITHUB_HANDLE_RE.match(handle):
            r.error(
                "maintainers",
                f"'{handle}' is not a GitHub user name",
                "write the handle without spaces",
            )
    return maintainers


def _social_links(r: FieldReader) -> list[SocialLink]:
    """Links to the partner's accounts, in the order of :data:`SOCIAL_NETWORKS`."""
    social: list[SocialLink] = []
    social_map = r.mapping("social")
    if social_map is not None:
        social_map.check_keys(SOCIAL_NETWORKS)
        for network in SOCIAL_NETWORKS:
            url = social_map.url(network, schemes=("https",))
            if url:
                social.append(SocialLink(network, url))
    return social


def _details(r: FieldReader) -> dict[str, str | None]:
    """The optional fields, by :class:`~hubgen.core.models.Partner` field name (None: not set)."""
    return dict(
        color=r.color("color"),
        website=r.url("website"),
        email=r.email("email"),
        phone=r.text("phone", max_length=PARTNER.limit("phone"), one_line=True),
        location=r.text("location", max_length=PARTNER.limit("location"), one_line=True),
        service_area=r.text(
            "service_area", max_length=PARTNER.limit("service_area"), one_line=True
        ),
        what_makes_us_different=r.text("what_makes_us_different"),
        disclaimer=r.text("disclaimer", max_length=PARTNER.limit("disclaimer")),
        profession=r.text("profession", max_length=PARTNER.limit("profession"), one_line=True),
    )


def _check_markdown(
    fields: list[MarkdownField], text: str, doc: YamlDoc, problems: Problems
) -> None:
    """These texts are rendered as Markdown on the partner's page: the article limits apply."""
    for reader, field, markdown in fields:
        for limit in body_limits(markdown) if isinstance(markdown, str) else ():
            value = doc.value_pos((*reader.key, field))
            line, col = _position_in_value(text, value.line, value.col, limit.line, limit.col)
            problems.add(
                reader.path, line, col, reader.field_name(field), limit.message, limit.hint
            )


def _position_in_value(
    text: str, line: int, col: int, at_line: int, at_col: int
) -> tuple[int, int]:
    """Where ``(at_line, at_col)`` of a YAML value starting at ``(line, col)`` is in the file:
    a block scalar (``|``, ``>``) starts on the next line, indented; others where they start."""
    lines = text.split("\n")
    if 0 < line <= len(lines) and lines[line - 1][col - 1 : col] in ("|", ">"):
        target = line + at_line
        content = lines[target - 1] if target <= len(lines) else ""
        return target, len(content) - len(content.lstrip(" ")) + at_col
    quoted = 0 < line <= len(lines) and lines[line - 1][col - 1 : col] in ("'", '"')
    if at_line == 1:
        return line, col + quoted + at_col - 1
    return line + at_line - 1, at_col


def _image(reader: FieldReader, name: str, assets: Path, what: str, hub_root: Path) -> Image | None:
    """A logo or photo: an https:// URL, or a file in the partner's folder."""
    value = reader.text(name, one_line=True)
    if value is None:
        return None
    if "://" in value:
        if not is_url(value, ("https",)):
            reader.error(
                name,
                f"'{value}' is not an https:// URL",
                f"use https:// or a file in {assets.name}/",
            )
            return None
        return Image(value)
    path = local_image(assets, value, reader, name, what, assets, hub_root)
    if path is None:
        return None
    return Image(urls.partner_file(assets.name, PurePosixPath(value).as_posix()), path)


def _people(reader: FieldReader, assets: Path, hub_root: Path) -> list[Person]:
    """The firm's people (article bylines can name them), each with a unique id."""
    people: list[Person] = []
    seen: set[str] = set()
    for person in reader.mappings("people"):
        person.check_keys(PERSON_FIELDS, PERSON.required)
        pid = person.text("id", one_line=True)
        name = person.text("name", max_length=PERSON.limit("name"), one_line=True)
        if pid is not None and not is_slug(pid):
            person.error(
                "id",
                f"'{pid}' is not a valid id",
                f"use lowercase letters, digits and hyphens, e.g. {slugify(pid) or 'jane'}",
            )
            pid = None
        if pid is not None and pid in seen:
            person.error("id", f"two people share the id '{pid}'", "give each person their own id")
            pid = None
        photo = _image(person, "photo", assets, "photo", hub_root)
        role = person.text("role", max_length=PERSON.limit("role"), one_line=True) or ""
        bio = person.text("bio", max_length=PERSON.limit("bio")) or ""
        if pid and name:
            seen.add(pid)
            people.append(Person(pid, name, role, photo, bio))
    return people


def _credentials(r: FieldReader) -> list[Credential]:
    """Qualifications and registrations, each checkable at its regulator (``url``)."""
    found: list[Credential] = []
    for item in r.mappings("credentials"):
        item.check_keys(CREDENTIAL_FIELDS, CREDENTIAL.required)
        name = item.text("name", max_length=CREDENTIAL.limit("name"), one_line=True)
        regulator = (
            item.text("regulator", max_length=CREDENTIAL.limit("regulator"), one_line=True) or ""
        )
        url = item.url("url", schemes=("https",)) or ""
        if name:
            found.append(Credential(name, regulator, url))
    return found


def _testimonials(r: FieldReader) -> list[Testimonial]:
    """Clients' own words (plain text), each with who said them."""
    found: list[Testimonial] = []
    for item in r.mappings("testimonials"):
        item.check_keys(TESTIMONIAL_FIELDS, TESTIMONIAL_FIELDS)
        quote = item.text("quote", max_length=TESTIMONIAL.limit("quote"))
        attribution = item.text(
            "attribution", max_length=TESTIMONIAL.limit("attribution"), one_line=True
        )
        if quote and attribution:
            found.append(Testimonial(quote, attribution))
    return found
