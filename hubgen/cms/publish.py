"""Write ``/admin/`` into a built site: the page, the generated config, the pinned CMS bundle."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from hubgen.cms import ADMIN_DIR
from hubgen.cms.adminpage import STATIC_SCRIPTS, AdminPage, headers_rule
from hubgen.cms.bundle import Bundle, load_bundle
from hubgen.cms.decapconfig import cms_config, config_yaml
from hubgen.cms.settings import CmsSettings
from hubgen.core import urls
from hubgen.core.models import Hub

CONFIG_FILE = "config.yml"
HEADERS_FILE = "_headers"

# The site's stylesheets the article preview loads (Material's, then hubgen's), if built.
_PREVIEW_STYLES = (
    "assets/stylesheets/main.*.css",
    "assets/stylesheets/palette.*.css",
    urls.THEME_STYLESHEET,
)


def static_script(name: str) -> str:
    return files("hubgen.cms").joinpath("static", name).read_text("utf-8")


def preview_styles(site_dir: Path, extra_css: list[str]) -> tuple[str, ...]:
    """The built site's stylesheets as /admin/ refers to them (``../assets/…``)."""
    found: list[str] = []
    for pattern in _PREVIEW_STYLES:
        found += sorted(p.relative_to(site_dir).as_posix() for p in site_dir.glob(pattern))
    found += [css for css in extra_css if "://" not in css and (site_dir / css).is_file()]
    return tuple("../" + path for path in dict.fromkeys(found))


def publish_admin(
    site_dir: Path,
    hub: Hub,
    cms: CmsSettings,
    *,
    extra_css: list[str] | None = None,
    bundle: Bundle | None = None,
) -> list[Path]:
    """Write /admin/ (raises :class:`hubgen.cms.bundle.BundleError` without a verified bundle)."""
    bundle = bundle or load_bundle()
    folder = site_dir / ADMIN_DIR
    page = AdminPage(hub.settings.name, preview_styles(site_dir, extra_css or []), cms)
    written = bundle.write(folder)
    texts = {
        CONFIG_FILE: config_yaml(cms_config(hub.settings, hub, cms)),
        "index.html": page.html(),
        **{name: static_script(name) for name in STATIC_SCRIPTS},
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    headers = site_dir / HEADERS_FILE
    if headers.is_file():
        # After the public pages' rule: its policy replaces theirs for /admin/.
        with headers.open("a", encoding="utf-8") as file:
            file.write(headers_rule(page.policy()))
    return written
