"""Buttons and calls to action meet WCAG AA in light and dark mode, measured on the colours
Chromium computes (axe did not flag a Send button at 1.55:1 against the dark page): text 4.5:1
against the button's own background, and the button's boundary (its fill, or its border when it
has no fill) 3:1 against what is behind it (WCAG 1.4.11 non-text contrast)."""

from __future__ import annotations

from typing import Any

import pytest
from test_quality import PAGE_TYPES

TEXT = 4.5
BOUNDARY = 3.0
PAGES = {**PAGE_TYPES, "referral-guide": "referral-guide/", "not-found": "404.html"}

# Colours as Chromium computes them (rgb/rgba, or color(srgb) from color-mix), composited over
# the first opaque ancestor; the contrast ratio of WCAG 2. Returns one line per failing control,
# and how many were measured.
MEASURE = r"""([text, boundary]) => {
  const parse = (value) => {
    const m = value.match(/^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/);
    if (m) return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
    // color-mix() computes to color(srgb r g b [/ a]), channels from 0 to 1.
    const s = value.match(/^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.]+))?\)$/);
    if (!s) throw new Error('unexpected colour ' + value);
    return [s[1] * 255, s[2] * 255, s[3] * 255, s[4] === undefined ? 1 : +s[4]];
  };
  const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const behind = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] === 1) break;
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const controls = [...document.querySelectorAll('.hg-button, .md-button, form button[type=submit]')]
    .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden');
  const failures = [];
  for (const el of controls) {
    const style = getComputedStyle(el);
    const fill = behind(el);
    const page = behind(el.parentElement);
    const textRatio = ratio(over(parse(style.color), fill), fill);
    const own = parse(style.backgroundColor);
    const border = parseFloat(style.borderTopWidth) > 0 && style.borderTopStyle !== 'none'
      ? over(parse(style.borderTopColor), page) : null;
    const edge = Math.max(own[3] > 0 ? ratio(fill, page) : 0, border ? ratio(border, page) : 0);
    const name = (el.textContent || el.value || '').trim().slice(0, 40);
    if (textRatio < text) failures.push(`"${name}": text ${textRatio.toFixed(2)}:1`);
    if (edge < boundary) failures.push(`"${name}": boundary ${edge.toFixed(2)}:1`);
  }
  return {count: controls.length, failures};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_buttons_and_calls_to_action_meet_wcag_aa(demo_url: str, browser: Any, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    measured = 0
    failures: dict[str, list[str]] = {}
    for name, url in PAGES.items():
        page.goto(demo_url + url)
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.dataset.mdColorScheme") == expected
        result = page.evaluate(MEASURE, [TEXT, BOUNDARY])
        measured += result["count"]
        if result["failures"]:
            failures[name] = result["failures"]
    context.close()
    assert measured >= len(PAGES)  # the measurement found the buttons it is about
    assert not failures, "\n".join(
        f"{page}: {'; '.join(lines)}" for page, lines in failures.items()
    )
