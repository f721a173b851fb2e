"""Lead-form settings: plain data shared by the content model and the form builder."""

from __future__ import annotations

from dataclasses import dataclass

BACKENDS = ("hubgen", "netlify", "formspree", "url")
FIELD_NAMES = ("name", "email", "phone", "company", "service", "message", "consent")


@dataclass(frozen=True)
class FormSettings:
    backend: str = "hubgen"
    endpoint: str = ""
    """Where forms POST: the lead receiver's URL (hubgen), a Formspree form URL, any URL."""
    fields: tuple[str, ...] = ("name", "email", "phone", "message", "consent")
    required: tuple[str, ...] = ("name", "email", "message", "consent")
    privacy_url: str = ""
    """The privacy policy linked from the consent checkbox."""
    thank_you_url: str = "thanks/"
    organiser: str = ""
    """The slug of the partner who runs the network: receives the contact page's "not sure"."""
