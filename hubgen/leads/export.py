"""Leads as CSV or JSON for partners and the organiser (pure).

CSV cells that a spreadsheet would read as a formula (starting with = + - @, tab or CR) get a
leading apostrophe: a visitor's "=HYPERLINK(…)" in a message must stay text when a partner opens
the export in Excel or LibreOffice.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from hubgen.leads.models import Lead

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIELDS = ("name", "email", "phone", "company", "service", "message", "consent")
UTM = ("utm_source", "utm_medium", "utm_campaign", "utm_content")
COLUMNS = (
    "id", "created_at", "status", "form", "page", *FIELDS, "consent_version", "first_ref",
    "last_ref", "first_partner", "last_partner", "credited_partner", "self_referral", "authors",
    "recipients", *UTM, "landing_page", "delivery_attempts", "delivered_at",
)  # fmt: skip


def lead_record(lead: Lead) -> dict[str, Any]:
    """A lead as plain JSON-ready data (the shape of ``GET /leads`` and ``--format json``)."""
    return {
        "id": lead.id,
        "created_at": lead.created_at.isoformat(),
        "status": lead.status,
        "form": lead.form_id,
        "page": lead.page,
        "fields": {k: v for k, v in lead.fields.items() if v},
        "consent_version": lead.consent_version or None,
        "referral": {
            "first_ref": lead.first_ref or None,
            "last_ref": lead.last_ref or None,
            "first_partner": lead.first_partner,
            "last_partner": lead.last_partner,
            "credited_partner": lead.credited_partner,
            "self_referral": lead.self_referral,
        },
        "authors": list(lead.authors),
        "recipients": list(lead.recipients),
        "utm": lead.utm,
        "landing_page": lead.landing_page or None,
        "delivery_attempts": lead.delivery_attempts,
        "delivered_at": lead.delivered_at.isoformat() if lead.delivered_at else None,
    }


def safe_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _row(lead: Lead) -> list[str]:
    values: dict[str, str] = {
        "id": lead.id,
        "created_at": lead.created_at.isoformat(),
        "status": lead.status,
        "form": lead.form_id,
        "page": lead.page,
        "consent_version": lead.consent_version,
        "first_ref": lead.first_ref,
        "last_ref": lead.last_ref,
        "first_partner": lead.first_partner or "",
        "last_partner": lead.last_partner or "",
        "credited_partner": lead.credited_partner or "",
        "self_referral": "yes" if lead.self_referral else "no",
        "authors": " ".join(lead.authors),
        "recipients": " ".join(lead.recipients),
        "landing_page": lead.landing_page,
        "delivery_attempts": str(lead.delivery_attempts),
        "delivered_at": lead.delivered_at.isoformat() if lead.delivered_at else "",
    }
    values.update({name: lead.fields.get(name, "") for name in FIELDS})
    values.update(
        {name: lead.utm.get(name.removeprefix("utm_"), lead.utm.get(name, "")) for name in UTM}
    )
    return [safe_cell(values[column]) for column in COLUMNS]


def to_csv(leads: Iterable[Lead]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for lead in leads:
        writer.writerow(_row(lead))
    return out.getvalue()


def to_json(leads: Iterable[Lead]) -> str:
    return json.dumps([lead_record(lead) for lead in leads], indent=2, ensure_ascii=False) + "\n"
