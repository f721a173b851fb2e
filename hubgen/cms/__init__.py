"""The browser editor: a Decap CMS configuration generated from hubgen's own field table.

Partners edit their profile and articles in a form at ``/admin/``; a save opens a pull request
(editorial workflow) that ``hubgen check`` and the ownership gate judge like any other. Sveltia
CMS reads the same configuration. Engine-free: the MkDocs adapter and the CLI call in here.
"""

ADMIN_DIR = "admin"
"""The editor's folder in the built site (``/admin/``): never a page of the site, so it is in no
nav, sitemap, feed or search index; an indexer that walks the built files should skip it."""
