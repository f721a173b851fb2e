"""hubgen's ``partials/language.html`` gives Material's own texts, found once per build."""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest
from jinja2 import Environment, FileSystemLoader, TemplateNotFound

from hubgen.mkdocs_adapter import themetexts
from hubgen.mkdocs_adapter.themes import theme_dir

MATERIAL = Path(material.__file__).parent / "templates"
LANGUAGES = sorted(p.stem for p in (MATERIAL / "partials/languages").glob("*.html"))
KEYS = re.findall(
    r'^\s*"([^"]+)":', (MATERIAL / "partials/languages/en.html").read_text("utf-8"), re.M
)
assert len(LANGUAGES) > 50 and len(KEYS) > 40  # Material's files read as expected
USE = '{% import "partials/language.html" as lang with context %}{{ lang.t(key) }}'


def texts(env: Environment, language: str, keys: list[str]) -> list[str]:
    template = env.from_string(USE)
    config = {"theme": {"language": language}}
    return [template.render(config=config, key=key) for key in keys]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_the_one_materials_partial_gives(language: str) -> None:
    material_env = Environment(loader=FileSystemLoader(MATERIAL))
    hubgen_env = Environment(loader=FileSystemLoader([theme_dir(), MATERIAL]))
    lookups = themetexts.ThemeTexts(hubgen_env, language)
    hubgen_env.globals[themetexts.GLOBAL] = lookups
    keys = [*KEYS, "no.such.key"]  # a missing key is the key itself, as in Material's
    expected = texts(material_env, language, keys)
    assert texts(hubgen_env, language, keys) == expected
    assert texts(hubgen_env, language, keys) == expected  # the second time, from what it found
    assert expected[-1] == "no.such.key" and len(set(expected)) > 40


def test_a_language_material_lacks_fails_as_materials_partial_does() -> None:
    hubgen_env = Environment(loader=FileSystemLoader([theme_dir(), MATERIAL]))
    hubgen_env.globals[themetexts.GLOBAL] = themetexts.ThemeTexts(hubgen_env, "xx-nowhere")
    with pytest.raises(TemplateNotFound, match=re.escape("partials/languages/xx-nowhere.html")):
        texts(hubgen_env, "xx-nowhere", ["search.placeholder"])
