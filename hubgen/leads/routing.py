"""Who receives a lead and who is credited for it, from the hub's registry only (pure).

The browser names the page and the referral codes; the receiver decides what they mean:
- article form → the active authors of the article whose URL is the posted ``page``;
- partner form → the partner whose page is ``partners/<slug>/``;
- contact form → the partners offering the chosen ``service``.
Referral codes map to partners through hub.json; an unknown code is kept, never credited.
Only a touch credits a referrer; a lead whose touch is its own recipient's is direct to it
(see :func:`referred_recipients`).
"""

from __future__ import annotations

from dataclasses import dataclass

from hubgen.leads.registry import Partner, Registry
from hubgen.leads.submission import FormError, Submission


@dataclass(frozen=True)
class Route:
    recipients: tuple[str, ...]
    authors: tuple[str, ...]
    """Partners who wrote the page the lead came from (article forms only)."""
    first_partner: str | None
    last_partner: str | None
    credited: str | None
    """The referrer credited under the hub's model, when the code is one of the hub's."""
    self_referral: bool


NO_ROUTE = Route((), (), None, None, None, False)


def route(submission: Submission, registry: Registry) -> Route:
    if submission.spam:
        return NO_ROUTE
    recipients, authors = _recipients(submission, registry)
    first = registry.partner_for_code(submission.first_ref) if submission.first_ref else None
    last = registry.partner_for_code(submission.last_ref) if submission.last_ref else None
    # Credit needs a referral touch (a tracked link, short link, feed or QR code). A lead from a
    # partner's own page without one is direct to that partner, not a referral by them.
    credited = credit(first, last, registry.model)
    return Route(
        recipients=recipients,
        authors=authors,
        first_partner=first.slug if first else None,
        last_partner=last.slug if last else None,
        credited=credited.slug if credited else None,
        self_referral=is_self_referral(submission.email, (first, last)),
    )


def credit(first: Partner | None, last: Partner | None, model: str) -> Partner | None:
    """The touch the model names; the other known touch when that one's code was unknown.

    Falling back keeps credit with a partner who really sent the visitor (a stale or mistyped
    code on one touch should not erase the other); unknown codes themselves are never credited.
    """
    preferred, other = (first, last) if model == "first" else (last, first)
    return preferred or other


def referred_recipients(credited: str | None, recipients: tuple[str, ...]) -> tuple[str, ...]:
    """The recipients the credited partner referred the lead to: everyone but themselves.

    A partner's own link to its own page brings it a direct lead, not a referral; leads stored
    before this rule (credited to their page's partner) read the same way.
    """
    if credited is None:
        return ()
    return tuple(r for r in recipients if r != credited)


def is_self_referral(email: str, referrers: tuple[Partner | None, ...]) -> bool:
    """True when the visitor writes from a referring partner's own domain (e-mail or website)."""
    if "@" not in email:
        return False
    domain = email.rsplit("@", 1)[1].lower()
    return any(p is not None and domain in p.domains for p in referrers)


def _recipients(sub: Submission, registry: Registry) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if sub.form_id == "article":
        authors = registry.articles.get(sub.page)
        if authors is None:
            raise FormError(400, {"page": _unknown_page(sub.page)})
        active = tuple(a for a in authors if a in registry.partners)
        if not active:
            raise FormError(
                400, {"page": "No partner of this hub answers enquiries about this article."}
            )
        return active, authors
    if sub.form_id == "partner":
        for partner in registry.partners.values():
            if partner.url == sub.page:
                return (partner.slug,), ()
        raise FormError(400, {"page": _unknown_page(sub.page)})
    if sub.form_id == "contact":
        offering = tuple(s for s in registry.services.get(sub.fields.get("service", ""), ()))
        active = tuple(s for s in offering if s in registry.partners)
        if not active:
            raise FormError(400, {"service": "Please choose one of the services in the list."})
        return active, ()
    raise FormError(400, {"form_id": f"Unknown form '{sub.form_id}'."})


def _unknown_page(page: str) -> str:
    return (
        f"This hub takes no enquiries from the page '{page[:100]}'; reload the page and try again."
    )
