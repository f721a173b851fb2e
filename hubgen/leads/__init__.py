"""The lead receiver: accepts the hub's form posts, stores them durably, routes and delivers them.

Modules have one job each: ``registry`` (hub.json, the only thing trusted), ``submission`` (parse
and validate a post), ``routing`` (who receives and who is credited), ``store`` (SQLite or
PostgreSQL), ``committer`` (group commit), ``delivery`` (e-mail and webhooks), ``app`` (Starlette),
``export`` and ``report``. Nothing here imports MkDocs.
"""
