"""The signature check that the webhooks guide (docs/pages/how-to/webhooks.md) tells partners to
copy, taken from the page and run as written: the delivery tests check real posts with it, so the
recipe in the guide is the one that works."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

WEBHOOKS_GUIDE = Path(__file__).parents[1] / "docs" / "pages" / "how-to" / "webhooks.md"

Verify = Callable[[bytes, Mapping[str, str], bytes], bool]
"""``verify(secret, headers, raw_body)`` as the guide defines it."""


def documented_verify(clock: Callable[[], float] | None = None) -> Verify:
    """The first Python block under the guide's "Verify the signature" heading, executed.

    ``clock`` stands in for the recipe's ``time.time`` when the deliveries were signed on a
    test's fake clock; the recipe's own code is unchanged."""
    section = WEBHOOKS_GUIDE.read_text(encoding="utf-8").split("## Verify the signature", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, str(WEBHOOKS_GUIDE), "exec"), namespace)  # our own docs, not input
    if clock is not None:
        namespace["time"] = SimpleNamespace(time=clock)
    verify: Verify = namespace["verify"]
    return verify
