"""Lead forms: which fields a form has, where it posts, and the hidden fields that carry credit.

Pure data for templates and for hub.json (the lead receiver accepts exactly these fields).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from hubgen.core.formsettings import FormSettings
from hubgen.core.models import Article, Partner
from hubgen.core.text import slugify
from hubgen.site.catalog import Catalog


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str
    """HTML input type, or ``textarea`` / ``select`` / ``checkbox``."""
    autocomplete: str = ""
    max_length: int = 2000


VISIBLE_FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        FieldSpec("name", "Your name", "text", "name", 200),
        FieldSpec("email", "E-mail address", "email", "email", 254),
        FieldSpec("phone", "Phone number", "tel", "tel", 40),
        FieldSpec("company", "Business name", "text", "organization", 200),
        FieldSpec("service", "What is it about?", "select", "", 200),
        FieldSpec("message", "How can we help?", "textarea", "", 2000),
        FieldSpec("consent", "Consent", "checkbox", "", 10),
    )
}

HIDDEN_FIELDS = (
    "form_id", "page", "authors", "first_ref", "last_ref", "landing_page", "utm_source",
    "utm_medium", "utm_campaign", "utm_content", "idempotency_key", "consent_version",
)  # fmt: skip
"""Filled by the page (server-rendered) or by the attribution script; never trusted for routing.

Kept to what the receiver cannot derive, so the largest form (7 visible fields, these 12 and the
honeypot) stays within the receiver's 20-field limit. The credited partner follows from
``first_ref``/``last_ref`` and the hub's attribution model; the page's partner from ``page``."""

MAX_FIELDS = 20

HONEYPOT = "website"
"""Left empty by people (it is hidden), filled by bots."""

UNSURE = "Not sure — let the network decide"
"""The contact page's choice for visitors who cannot tell which firm they need; routed, like
every service, through hub.json, to the organiser (``forms.organiser``), who passes it on."""

OTHER_GROUP = "Other"
"""The contact page's group for the services of firms that name no profession."""


@dataclass(frozen=True)
class LeadForm:
    """One rendered form: its id, the partners it is offered to, the server-known hidden values."""

    id: str
    heading: str
    recipients: tuple[Partner, ...]
    fields: tuple[FieldSpec, ...]
    required: frozenset[str]
    hidden: dict[str, str] = field(default_factory=dict)
    services: tuple[str, ...] = ()
    service_groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The contact page's choices, grouped by profession: (profession, its firms' services)."""
    unsure: str = ""
    """The "not sure" choice, offered first when the hub names an organiser."""

    @property
    def recipient_names(self) -> str:
        names = [p.name for p in self.recipients]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    @property
    def consent_text(self) -> str:
        """Names everyone who will receive the visitor's details (stored with the lead by version)."""
        if self.id == "contact":
            return (
                "I agree that the partner firm offering the service I chose may contact me about "
                "this enquiry, and that the network organiser may see it."
            )
        return f"I agree that {self.recipient_names} may contact me about this enquiry."

    @property
    def consent_version(self) -> str:
        return hashlib.sha256(self.consent_text.encode()).hexdigest()[:12]

    @property
    def hidden_fields(self) -> list[tuple[str, str]]:
        values = {**self.hidden, "consent_version": self.consent_version}
        return [(name, values.get(name, "")) for name in HIDDEN_FIELDS]


def _fields(settings: FormSettings, *, with_service: bool) -> tuple[FieldSpec, ...]:
    names = [n for n in settings.fields if n != "service" or with_service]
    if with_service and "service" not in names:
        names.insert(names.index("message") if "message" in names else len(names), "service")
    return tuple(VISIBLE_FIELDS[n] for n in names)


def article_form(catalog: Catalog, article: Article, settings: FormSettings) -> LeadForm | None:
    """Offered to the article's active authors; the hidden fields name the article and authors."""
    recipients = catalog.active_authors(article)
    if not recipients:
        return None
    return LeadForm(
        id="article",
        heading="Ask the authors",
        recipients=recipients,
        fields=_fields(settings, with_service=False),
        required=frozenset(settings.required),
        hidden={
            "form_id": "article",
            "page": article.url,
            "authors": " ".join(p.slug for p in recipients),
        },
    )


def partner_form(partner: Partner, url: str, settings: FormSettings) -> LeadForm:
    """On a partner's own page: the partner is known without any script or storage."""
    return LeadForm(
        id="partner",
        heading=f"Contact {partner.name}",
        recipients=(partner,),
        fields=_fields(settings, with_service=False),
        required=frozenset(settings.required),
        hidden={"form_id": "partner", "page": url},
    )


FORM_IDS = ("article", "partner", "contact")


def forms_manifest(catalog: Catalog, settings: FormSettings) -> dict[str, object]:
    """The ``forms`` section of hub.json: what the lead receiver accepts, and how it routes.

    Routing never trusts the browser: the receiver maps the posted ``page`` to the article's
    authors or the partner's page, and the chosen ``service`` to the partners offering it.
    """
    visible = {
        "article": _fields(settings, with_service=False),
        "partner": _fields(settings, with_service=False),
        "contact": _fields(settings, with_service=True),
    }
    required = {form_id: sorted(settings.required) for form_id in FORM_IDS}
    required["contact"] = sorted({*settings.required, "service"})
    return {
        "backend": settings.backend,
        "endpoint": settings.endpoint,
        "thank_you": settings.thank_you_url,
        "honeypot": HONEYPOT,
        "fields": {
            form_id: {
                "visible": [f.name for f in specs],
                "hidden": list(HIDDEN_FIELDS),
                "max_length": {f.name: f.max_length for f in specs},
            }
            for form_id, specs in visible.items()
        },
        "required": required,
        "services": _routes(catalog, settings),
    }


def organiser(catalog: Catalog, settings: FormSettings) -> Partner | None:
    """The active partner who runs the network (``forms.organiser``), if the hub names one."""
    found = catalog.hub.partners.get(settings.organiser) if settings.organiser else None
    return found if found is not None and found.is_active else None


def _routes(catalog: Catalog, settings: FormSettings) -> dict[str, list[str]]:
    """Each contact-page choice → the partners it goes to: a service's firms; "not sure", the
    organiser."""
    routes = {s.name: [p.slug for p in s.partners] for s in catalog.services.values()}
    if (runs := organiser(catalog, settings)) is not None:
        routes[UNSURE] = [runs.slug]
    return routes


def service_groups(catalog: Catalog) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The services on offer, grouped by the profession of the firms offering them (a service
    two kinds of firm offer is in both groups); firms without a profession under "Other"; no
    groups when no firm names a profession."""
    if not catalog.professions:
        return ()  # nothing to group by: one plain list
    groups: dict[str, dict[str, None]] = {}
    for profession in catalog.professions.values():
        for partner in profession.partners:
            groups.setdefault(profession.name, {}).update(dict.fromkeys(partner.services))
    for partner in catalog.partners:
        if not partner.profession:
            groups.setdefault(OTHER_GROUP, {}).update(dict.fromkeys(partner.services))
    names = {s.slug: s.name for s in catalog.services.values()}  # as the routes spell them
    return tuple(
        (group, tuple(sorted({names[slugify(s)] for s in services}, key=str.casefold)))
        for group, services in groups.items()
    )


def contact_form(catalog: Catalog, url: str, settings: FormSettings) -> LeadForm:
    """The hub's contact page: the visitor picks a service and the choice routes the lead."""
    return LeadForm(
        id="contact",
        heading="Your message",
        recipients=catalog.partners,
        fields=_fields(settings, with_service=True),
        required=frozenset(settings.required) | {"service"},
        hidden={"form_id": "contact", "page": url},
        services=tuple(s.name for s in catalog.services.values()),
        service_groups=service_groups(catalog),
        unsure=UNSURE if organiser(catalog, settings) is not None else "",
    )
