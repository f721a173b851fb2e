"""The organiser's choices for the browser editor, as the plugin options give them."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_LOCAL_BACKEND = "http://localhost:8081/api/v1"
"""Where ``npx decap-server`` listens: Decap uses it only when /admin/ is opened on localhost."""


@dataclass(frozen=True)
class CmsSettings:
    repo: str = ""
    """The hub's GitHub repository, ``owner/name``; empty: no editor is published."""
    branch: str = "main"
    """The branch pull requests are opened against."""
    auth_url: str = ""
    """The OAuth server that logs editors in to GitHub (Decap's ``base_url``); empty: Netlify's."""
    auth_endpoint: str = ""
    """Its path (Decap's ``auth_endpoint``); empty: ``auth``."""
    open_authoring: bool = True
    """Editors without write access save to a fork and open a pull request from it."""
    local_backend: str = DEFAULT_LOCAL_BACKEND
    """The local proxy's URL (``decap-server``); empty: no local editing."""

    @property
    def enabled(self) -> bool:
        return bool(self.repo)
