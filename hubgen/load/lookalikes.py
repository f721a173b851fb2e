"""What the look-alike checks know about each partner name and referral code, asked of ICU in a
child process.

ICU (:mod:`hubgen.load.confusables`) is the only faithful implementation of Unicode TS #39, but
loading it adds about 17 MB to a process for the rest of its life, and a build's peak memory is
a benchmarked figure. The checks need only a few facts per text, for a few hundred texts, so one
short-lived ``python -m hubgen.load.confusables`` answers them all at once (~0.1 s) and exits.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

TIMEOUT_SECONDS = 120
"""A few hundred short texts take well under a second; this only bounds a wedged child."""


@dataclass(frozen=True, slots=True)
class TextTraits:
    """TS #39 facts about one text (see :mod:`hubgen.load.confusables` for each)."""

    skeleton: str
    """Equal skeletons: a reader may take one text for the other."""
    mixed_scripts: bool
    """Mixes scripts beyond TS #39's highly restrictive level."""
    foreign_letters: tuple[str, ...]
    """Non-ASCII characters imitating ASCII ones, and invisible ones, named."""
    odd_characters: tuple[str, ...]
    """When ``mixed_scripts``: the characters outside the text's main script, named."""

    @property
    def disguised(self) -> bool:
        """Uses look-alike letters or mixes scripts: the likelier impostor of a pair."""
        return bool(self.foreign_letters) or self.mixed_scripts


class LookAlikeCheckFailed(RuntimeError):
    """The ICU child process could not answer."""


class TraitsRequest:
    """The traits of ``texts``, asked of a child process started now and answered when
    :meth:`answer` is called: the child starts Python and loads ICU (most of its 0.1 s) while
    the parent goes on loading the hub, on a core that is idle then."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._distinct = sorted(set(texts))
        self._process: subprocess.Popen[str] | None = None
        if not self._distinct:
            return
        try:
            self._process = subprocess.Popen(
                # -P: never import from the working directory (a hub could hold "hubgen").
                [sys.executable, "-P", "-m", "hubgen.load.confusables"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
        except OSError as error:
            raise LookAlikeCheckFailed(
                f"the look-alike name check could not run: {error}"
            ) from error

    def answer(self) -> Mapping[str, TextTraits]:
        """The traits, by text; raises :class:`LookAlikeCheckFailed` if the child could not
        answer within :data:`TIMEOUT_SECONDS`."""
        process, self._process = self._process, None
        if process is None:
            return {}
        try:
            stdout, stderr = process.communicate(json.dumps(self._distinct), TIMEOUT_SECONDS)
        except (OSError, subprocess.TimeoutExpired) as error:
            process.kill()
            process.communicate()
            raise LookAlikeCheckFailed(
                f"the look-alike name check could not run: {error}"
            ) from error
        if process.returncode != 0:
            last = (stderr.strip().splitlines() or ["no error output"])[-1]
            raise LookAlikeCheckFailed(
                f"the look-alike name check failed ({last}); "
                "reinstall hubgen's dependencies (pyicu-wheels provides ICU)"
            )
        answers = json.loads(stdout)
        return {
            text: TextTraits(
                skeleton=answer["skeleton"],
                mixed_scripts=answer["mixed_scripts"],
                foreign_letters=tuple(answer["foreign_letters"]),
                odd_characters=tuple(answer["odd_characters"]),
            )
            for text, answer in zip(self._distinct, answers, strict=True)
        }

    def close(self) -> None:
        """Stop the child if :meth:`answer` was never called (loading failed)."""
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.communicate()
