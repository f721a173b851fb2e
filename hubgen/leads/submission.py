"""A form post, from raw bytes to a validated :class:`Submission` (pure; no I/O).

Limits are stated in every message so a visitor (or the site's script) knows what to change.
Hidden fields are validated too, but only for shape: they are never trusted for routing.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote_plus, urlsplit

from hubgen.leads.registry import FormSpec, Registry

MAX_BODY = 16 * 1024
"""Bytes in one post. The largest real form is about 3 KiB of text, percent-encoded."""
MAX_FIELDS = 20
"""The largest form has 7 visible fields, 12 hidden ones and the honeypot."""
MAX_FIELD_BYTES = 2 * 1024
"""Any one value, decoded, in UTF-8."""

FORM_ERROR = "_form"
"""Error key for problems that belong to no single field."""

_LABELS = {
    "name": "your name",
    "email": "your e-mail address",
    "phone": "your phone number",
    "company": "your business name",
    "service": "a service",
    "message": "your message",
    "consent": "consent",
}
_MULTILINE = frozenset({"message"})
"""Fields that may hold line breaks. Everything else may reach an e-mail header, so CR/LF in it
is refused rather than cleaned: header injection attempts are not leads."""

_EMAIL = re.compile(
    r"^[^\s@<>(),;:\"\[\]\\]{1,64}@[^\s@<>(),;:\"\[\]\\.]+(\.[^\s@<>(),;:\"\[\]\\.]+)+$"
)
_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_CODE = re.compile(r"^[a-z0-9._~-]{1,64}$")
_VERSION = re.compile(r"^[A-Za-z0-9._-]{0,64}$")
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")


class FormError(Exception):
    """A post the receiver refuses; ``errors`` maps field names (or ``_form``) to messages."""

    def __init__(self, status: int, errors: dict[str, str]) -> None:
        super().__init__(f"{status}: {errors}")
        self.status = status
        self.errors = errors


@dataclass(frozen=True)
class Submission:
    form_id: str
    page: str
    """Site-relative URL of the page the form was on (``articles/x/``), as the hub spells it."""
    fields: dict[str, str]
    """The visible fields the form has, stripped; absent ones are empty strings."""
    first_ref: str = ""
    last_ref: str = ""
    landing_page: str = ""
    utm: dict[str, str] = field(default_factory=dict)
    idempotency_key: str | None = None
    consent_version: str = ""
    spam: bool = False

    @property
    def email(self) -> str:
        return self.fields.get("email", "").lower()

    def fingerprint(self) -> str:
        """What makes two posts the same enquiry, for de-duplicating posts that carry no key."""
        content = {
            "form": self.form_id,
            "page": self.page,
            "fields": self.fields,
            "refs": [self.first_ref, self.last_ref],
        }
        encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()


def label(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " "))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def parse_urlencoded(body: bytes) -> list[tuple[str, str]]:
    """Split an ``application/x-www-form-urlencoded`` body, enforcing the field limits."""
    if len(body) > MAX_BODY:
        raise FormError(
            413, {FORM_ERROR: f"The form is too large: {MAX_BODY // 1024} KiB at most."}
        )
    chunks = [c for c in body.split(b"&") if c]
    if len(chunks) > MAX_FIELDS:
        raise FormError(
            400, {FORM_ERROR: f"Too many fields: {len(chunks)} sent, {MAX_FIELDS} at most."}
        )
    pairs: list[tuple[str, str]] = []
    errors: dict[str, str] = {}
    for chunk in chunks:
        raw_name, _, raw_value = chunk.partition(b"=")
        try:
            name = unquote_plus(raw_name.decode("ascii"), errors="strict")
            value = unquote_plus(raw_value.decode("ascii"), errors="strict")
        except UnicodeError:
            raise FormError(
                400, {FORM_ERROR: "The form was not sent as UTF-8; reload the page and try again."}
            ) from None
        if len(value.encode()) > MAX_FIELD_BYTES:
            errors[name[:64]] = (
                f"{_capital(label(name))} is too long: {MAX_FIELD_BYTES // 1024} KiB "
                f"({MAX_FIELD_BYTES} bytes) at most per field."
            )
        pairs.append((name, value))
    if errors:
        raise FormError(400, errors)
    return pairs


def validate(pairs: list[tuple[str, str]], registry: Registry) -> Submission:
    """Check a parsed post against the hub's form definitions; raise :class:`FormError`."""
    values, errors = _values(pairs)
    form_id = values.get("form_id", "")
    spec = registry.forms.get(form_id)
    errors.update(_shape_errors(form_id, spec, values, registry))
    if spec is None or errors:
        raise FormError(400, errors)

    page = normalize_page(values.get("page", ""), registry)
    if values.get(registry.honeypot, "").strip():
        # Bots get the normal success answer so they learn nothing; the post is kept as spam.
        return Submission(
            form_id=form_id,
            page=page or "",
            fields={n: values.get(n, "")[: spec.max_length.get(n, 2000)] for n in spec.visible},
            spam=True,
        )

    fields = {n: _clean(n, values.get(n, "")) for n in spec.visible}
    errors = _field_errors(values, fields, spec)
    errors.update(_choice_errors(fields, registry, errors))
    if page is None and "page" not in errors:
        errors["page"] = (
            "This form was sent from a page this hub does not know; reload the page and try again."
        )
    if errors:
        raise FormError(400, errors)
    return _accepted(form_id, page or "", fields, values)


def _values(pairs: list[tuple[str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    """The post as a mapping (the last of repeated values), and an error for each field sent
    more than once."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, value in pairs:
        if name in values:
            errors[name[:64]] = f"The field '{name[:64]}' was sent more than once."
        values[name] = value
    return values, errors


def _shape_errors(
    form_id: str, spec: FormSpec | None, values: dict[str, str], registry: Registry
) -> dict[str, str]:
    """An unknown form, or fields the form does not have."""
    if spec is None:
        known = ", ".join(sorted(registry.forms))
        return {
            "form_id": f"Unknown form '{form_id[:64]}' (this receiver takes: {known}); "
            "reload the page and try again."
        }
    allowed = spec.allowed | {registry.honeypot}
    return {
        name[:64]: f"This form has no field called '{name[:64]}'."
        for name in values
        if name not in allowed
    }


def _field_errors(values: dict[str, str], fields: dict[str, str], spec: FormSpec) -> dict[str, str]:
    """Control characters in any value, then each visible field's length and presence."""
    errors: dict[str, str] = {}
    for name, value in values.items():
        problem = _control_characters(name, value)
        if problem:
            errors[name] = problem
    for name, value in fields.items():
        limit = spec.max_length.get(name)
        if name in errors:
            continue
        if limit is not None and len(value) > limit:
            errors[name] = (
                f"{_capital(label(name))} is too long: {limit} characters at most "
                f"(you wrote {len(value)})."
            )
        elif not value and name in spec.required:
            errors[name] = _missing(name)
    return errors


def _choice_errors(
    fields: dict[str, str], registry: Registry, errors: dict[str, str]
) -> dict[str, str]:
    """The e-mail address's shape, the consent box and the service list, for fields that have
    a value and no error yet."""
    found: dict[str, str] = {}

    def given(name: str) -> str:
        return "" if name in errors else fields.get(name, "")

    if given("email") and not _EMAIL.match(fields["email"]):
        found["email"] = "Please enter a valid e-mail address, like name@example.com."
    if given("consent") and fields["consent"] != "yes":
        found["consent"] = "Please tick the box to agree to be contacted."
    if given("service") and fields["service"] not in registry.services:
        found["service"] = "Please choose one of the services in the list."
    return found


def _accepted(
    form_id: str, page: str, fields: dict[str, str], values: dict[str, str]
) -> Submission:
    """The submission, with the hidden attribution fields bounded and normalised."""
    key = values.get("idempotency_key", "").strip()
    return Submission(
        form_id=form_id,
        page=page,
        fields=fields,
        first_ref=_code(values.get("first_ref", "")),
        last_ref=_code(values.get("last_ref", "")),
        landing_page=values.get("landing_page", "").strip()[:500],
        utm={n: values[n].strip()[:200] for n in UTM_FIELDS if values.get(n, "").strip()},
        # A malformed key is ignored, not refused: the visitor cannot fix a hidden field, and a
        # content-derived key still makes retries safe.
        idempotency_key=key if _KEY.match(key) else None,
        consent_version=v if _VERSION.match(v := values.get("consent_version", "").strip()) else "",
    )


def normalize_page(page: str, registry: Registry) -> str | None:
    """The site-relative URL of ``page``: accepts ``articles/x/``, ``/articles/x/`` and absolute
    URLs under the hub's own site URL; anything else is ``None``."""
    page = page.strip()
    if page.startswith(("http://", "https://")):
        if not page.startswith(registry.site_url):
            return None
        page = page[len(registry.site_url) :]
    else:
        base = registry.site_path
        if page.startswith(base):
            page = page[len(base) :]
    page = urlsplit(page).path.lstrip("/")
    if page.endswith("index.html"):
        page = page[: -len("index.html")]
    if ".." in page.split("/") or len(page) > 300:
        return None
    return page


def _control_characters(name: str, value: str) -> str | None:
    allowed = "\r\n\t" if name in _MULTILINE else ""
    for char in value:
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp") and char not in allowed:
            if char in "\r\n\u2028\u2029" or category != "Cc":
                return f"{_capital(label(name))} cannot contain line breaks."
            return f"{_capital(label(name))} contains a control character; please retype it."
    return None


def _clean(name: str, value: str) -> str:
    if name in _MULTILINE:
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return " ".join(value.split())


def _missing(name: str) -> str:
    if name == "consent":
        return "Please tick the box to agree to be contacted."
    if name == "service":
        return "Please choose a service."
    if name == "message":
        return "Please write your message."
    return f"Please enter {label(name)}."


def _code(value: str) -> str:
    """A referral code as the hub spells codes; anything else is kept (bounded) but never matches."""
    value = value.strip().lower()
    return value if _CODE.match(value) else value[:64]
