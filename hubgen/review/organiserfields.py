"""Fields of a partner's profile that only the hub's organisers set.

A partner edits its own profile, except for what admits it and what others rely on:
``status`` (a pending partner must not admit itself), ``joined``, and a ``referral_code`` once
it is published (referral links already shared use it). The gate compares these with the base ref.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hubgen.core.models import PartnerStatus
from hubgen.core.problems import Problem
from hubgen.load.partners import MAX_PROFILE_BYTES
from hubgen.load.yamlsafe import YamlDoc, YamlSyntaxError, parse_yaml

ORGANISER_FIELDS = ("status", "joined", "referral_code")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
DEFAULT_STATUS = PartnerStatus.ACTIVE.value
"""What a profile without ``status`` means (as :mod:`hubgen.load.partners` reads it)."""
PROFILE_LIMIT = MAX_PROFILE_BYTES
"""Bytes read of a changed profile: as many as the loader reads."""


@dataclass(frozen=True)
class Fields:
    """A profile's organiser-owned fields as written (None: absent)."""

    values: dict[str, Any]

    def effective(self, name: str) -> Any:
        value = self.values.get(name)
        return DEFAULT_STATUS if name == "status" and value is None else value


def fields_of(data: dict[str, Any]) -> Fields:
    return Fields({name: data.get(name) for name in ORGANISER_FIELDS})


def field_problems(
    path: str, slug: str, base: Fields | None, head_path: Path, where: str
) -> list[Problem]:
    """Changes to ``slug``'s organiser-owned fields from ``base`` to the file at ``head_path``."""
    if base is None:
        return [
            Problem(
                path,
                1,
                1,
                "ownership",
                f"the profile of {slug} cannot be read on {where}, so this change cannot be "
                "checked",
                "ask the hub's organisers to make this change",
            )
        ]
    if not head_path.exists() and not head_path.is_symlink():
        return [
            Problem(
                path,
                1,
                1,
                "ownership",
                f"deletes the profile of {slug}; only the hub's organisers remove partners",
                "put the file back; to leave the network, ask an organiser to set 'status: "
                "retired'",
            )
        ]
    doc, problem = _read(path, head_path)
    if problem is not None:
        return [problem]
    assert doc is not None
    head = fields_of(doc.data)
    problems = []
    for name in ORGANISER_FIELDS:
        before, after = base.effective(name), head.effective(name)
        if before == after or (name == "referral_code" and not before):
            continue
        position = doc.value_pos((name,)) if name in doc.data else doc.value_pos(())
        problems.append(
            Problem(
                path,
                position.line,
                position.col,
                name,
                _message(name, before, after, where),
                _hint(name, before),
            )
        )
    return problems


def _read(path: str, head_path: Path) -> tuple[YamlDoc | None, Problem | None]:
    cannot = "so its organiser-owned fields (status, joined, referral_code) cannot be checked"
    if head_path.is_symlink() or not head_path.is_file():
        return None, Problem(path, 1, 1, "", f"is not a plain file, {cannot}")
    try:
        with head_path.open("rb") as file:
            data = file.read(PROFILE_LIMIT + 1)
        if len(data) > PROFILE_LIMIT:
            return None, Problem(path, 1, 1, "", f"is larger than 64 KB, {cannot}")
        text = data.decode("utf-8-sig")
    except OSError as error:
        return None, Problem(path, 1, 1, "", f"cannot be read ({error.strerror}), {cannot}")
    except UnicodeDecodeError:
        return None, Problem(path, 1, 1, "", f"is not UTF-8 text, {cannot}", "save it as UTF-8")
    try:
        doc, _ = parse_yaml(text.replace("\r\n", "\n"))
    except YamlSyntaxError as error:
        issue = error.issue
        where = issue.position
        return None, Problem(
            path, where.line, where.col, "", f"{issue.message}, {cannot}", issue.hint
        )
    if not isinstance(doc.data, dict):
        return None, Problem(
            path,
            1,
            1,
            "",
            f"is not a list of 'field: value' lines, {cannot}",
            "write one 'field: value' per line",
        )
    return doc, None


def _shown(value: Any) -> str:
    """A value as the change wrote it, which may be anything: one short line in messages."""
    if value is None:
        return "not set"
    text = _CONTROL_RE.sub("?", value if isinstance(value, str) else repr(value))
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def _message(name: str, before: Any, after: Any, where: str) -> str:
    change = f"it is {_shown(before)} on {where} and this change makes it {_shown(after)}"
    if name == "referral_code":
        return f"a published referral code is kept, because shared referral links use it; {change}"
    return f"only the hub's organisers set '{name}'; {change}"


def _hint(name: str, before: Any) -> str:
    put_back = f"put back '{name}: {before}'" if before is not None else f"delete '{name}'"
    if name == "status":
        return f"{put_back}; an organiser changes it when admitting or retiring the firm"
    return f"{put_back}; ask an organiser if it must change"
