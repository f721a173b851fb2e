from __future__ import annotations

import pytest

from hubgen.site.colors import (
    DARK_BACKGROUND,
    LIGHT_BACKGROUND,
    accent,
    accent_rules,
    accessible_shade,
    contrast,
)


def test_contrast_matches_wcag_reference_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(
    "brand", ["#ffeb3b", "#0f766e", "#c3753a", "#111111", "#9f71e6", "#00ff00"]
)
def test_shades_pass_aa_on_both_schemes(brand: str) -> None:
    colors = accent(brand)
    assert contrast(colors.on_light, LIGHT_BACKGROUND) >= 4.5
    assert contrast(colors.on_dark, DARK_BACKGROUND) >= 4.5
    assert contrast(colors.text_on_brand, colors.on_light) >= 4.5


def test_a_colour_that_already_passes_is_kept() -> None:
    assert accessible_shade("#0f766e", LIGHT_BACKGROUND) == "#0f766e"
    assert accessible_shade("#ffeb3b", LIGHT_BACKGROUND) != "#ffeb3b"


def test_accent_rules_declare_each_colour_once_and_only_hex_colours() -> None:
    rules = accent_rules(["#ffeb3b", "#0f766e", "#ffeb3b", "red;} body{display:none", "#abc"])
    assert rules.splitlines() == [
        f".{accent('#0f766e').css_class} {{ {accent('#0f766e').style}; }}",
        f".{accent('#ffeb3b').css_class} {{ {accent('#ffeb3b').style}; }}",
    ]
    assert accent("#ffeb3b").css_class == "hg-brand-ffeb3b"
