"""Files → typed models, collecting every problem on the way (never stopping at the first).

Profiles are loaded first (:mod:`hubgen.load.partners`), then the articles that name them
(:mod:`hubgen.load.articles`), then the checks that need every file (:mod:`hubgen.load.checks`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from hubgen.core.models import Hub, HubSettings, Partner
from hubgen.core.problems import Problems
from hubgen.load.articles import load_articles
from hubgen.load.checks import ask_look_alike_traits, run_hub_checks
from hubgen.load.partners import check_unique_codes, load_partners
from hubgen.load.textmemo import next_load


def load_hub(
    settings: HubSettings,
    *,
    newcomers: frozenset[str] = frozenset(),
    partners_loaded: Callable[[Mapping[str, Partner]], None] | None = None,
) -> tuple[Hub, Problems]:
    """Load every partner profile and article under ``settings``; return the hub and all problems.

    ``newcomers``: slugs of partners whose profile is new in the change under review (a
    look-alike is blamed on them, not on the partner they imitate). ``partners_loaded``: given
    the valid profiles before the articles load (a build starts what needs only them).
    """
    next_load()
    problems = Problems()
    broken: set[str] = set()
    partners = load_partners(settings, problems, broken)
    if partners_loaded is not None:
        partners_loaded(partners)
    traits = ask_look_alike_traits(partners)  # a child process answers while articles load
    try:
        articles, article_files = load_articles(settings, partners, broken, problems)
        check_unique_codes(partners, problems)
        run_hub_checks(settings, partners, articles, problems, traits, newcomers)
    finally:
        traits.close()
    files_read = len(partners) + len(broken) + article_files
    return Hub(settings, partners, tuple(articles), files_read), problems
