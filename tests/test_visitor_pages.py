"""What visitors see: the partner fields that build trust (profession, credentials, team,
testimonials), and the pages that show them, parsed from real builds."""

from __future__ import annotations

from hubkit import HubDir

from hubgen.core.models import Credential
from hubgen.core.models import Testimonial as Quote

TRUST_FIELDS = """profession: Accountant
credentials:
  - name: Chartered Accountants
    regulator: ICAEW
    url: https://www.icaew.com/
  - name: Registered for audit
testimonials:
  - quote: They answer the phone.
    attribution: Sam Example, Example Bakery
"""


def test_trust_fields_are_typed(minihub: HubDir) -> None:
    minihub.edit("partners/acme.yml", "disclaimer: Not tax advice.", TRUST_FIELDS)
    hub, problems = minihub.load()
    assert list(problems) == []
    acme = hub.partners["acme"]
    assert acme.profession == "Accountant"
    assert acme.credentials == (
        Credential("Chartered Accountants", "ICAEW", "https://www.icaew.com/"),
        Credential("Registered for audit"),
    )
    assert acme.testimonials == (Quote("They answer the phone.", "Sam Example, Example Bakery"),)
    assert hub.partners["brightside"].profession == ""  # optional


def test_bad_trust_fields_name_file_line_and_field(minihub: HubDir) -> None:
    minihub.edit(
        "partners/acme.yml",
        "disclaimer: Not tax advice.",
        "profession: [Accountant]\n"
        "credentials:\n"
        "  - regulator: ICAEW\n"
        "    url: http://icaew.example\n"
        "  - Chartered\n"
        "testimonials:\n"
        "  - quote: Great.\n"
        "    by: Sam\n",
    )
    assert minihub.problems_text() == [
        "partners/acme.yml:31:13: error: profession: expected text, got a list"
        " (write the value on the same line)",
        "partners/acme.yml:33:5: error: credentials[0].name: required field 'name' is missing"
        " (add 'name: …')",
        "partners/acme.yml:34:10: error: credentials[0].url: 'http://icaew.example' is not a"
        " valid URL (write a full address starting with https://)",
        "partners/acme.yml:35:5: error: credentials[1]: expected a mapping, got 'Chartered'",
        "partners/acme.yml:37:5: error: testimonials[0].attribution: required field"
        " 'attribution' is missing (add 'attribution: …')",
        "partners/acme.yml:38:5: error: testimonials[0].by: unknown field 'by'"
        " (expected one of: attribution, quote)",
    ]


def test_a_long_profession_is_refused(minihub: HubDir) -> None:
    minihub.edit("partners/acme.yml", "disclaimer: Not tax advice.", "profession: " + "A" * 41)
    (problem,) = minihub.load()[1]
    assert problem.field == "profession" and "limit is 40" in problem.message
