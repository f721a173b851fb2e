"""The arguments of ``hubgen leads …`` (cli.py runs the commands).

Secrets are never flags (hubgen/leads/settings.py): they stay out of process listings.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from hubgen.leads.settings import DEFAULT_DB, DEFAULT_HUB


def add_parser(commands: Any) -> None:
    """Add ``leads`` and its subcommands to hubgen's top-level subparsers."""
    leads = commands.add_parser(
        "leads",
        help="Receive, deliver, export and report the hub's leads.",
        description="Receive, deliver, export and report the hub's leads.",
    )
    sub = leads.add_subparsers(dest="leads_command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(
            name, help=help_text, description=help_text
        )
        parser.add_argument(
            "--db",
            metavar="URL",
            help=f"sqlite:///FILE or postgresql://… (default: $HUBGEN_LEADS_DB or {DEFAULT_DB})",
        )
        return parser

    def hub(parser: argparse.ArgumentParser, required: bool = True) -> None:
        default = f"$HUBGEN_LEADS_HUB or {DEFAULT_HUB}" if required else "none: slugs only"
        parser.add_argument(
            "--hub",
            metavar="PATH_OR_URL",
            help=f"the hub's hub.json, site folder or URL (default: {default})",
        )

    def delivery(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--delivery", metavar="FILE", type=Path,
            help="TOML file of partners' webhooks and e-mail overrides (default: $HUBGEN_LEADS_DELIVERY)",
        )  # fmt: skip

    serve = add(
        "serve", "Run the lead receiver (Starlette on uvicorn), delivering in the background."
    )
    serve.add_argument("--host", default=None, help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default: 8400)")
    hub(serve)
    delivery(serve)
    serve.add_argument(
        "--rate-limit",
        metavar="N/SECONDS",
        help="posts per address (default: $HUBGEN_LEADS_RATE_LIMIT or 10/60; 0: off)",
    )
    serve.add_argument(
        "--arrival-rate-limit",
        metavar="N/SECONDS",
        help="counted arrivals per address (default: $HUBGEN_LEADS_ARRIVAL_RATE_LIMIT or 30/60)",
    )
    serve.add_argument(
        "--trusted-proxy", action="append", metavar="IP_OR_NETWORK",
        help="believe X-Forwarded-For from this proxy (repeatable; default: never)",
    )  # fmt: skip
    serve.add_argument(
        "--allow-origin", action="append", metavar="ORIGIN",
        help="another origin allowed to post, e.g. a preview at http://127.0.0.1:8000 (repeatable)",
    )  # fmt: skip
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="do not deliver from this process (cron runs `leads deliver --once`)",
    )

    deliver = add("deliver", "Deliver queued leads to partners by e-mail and webhook.")
    deliver.add_argument(
        "--once", action="store_true", help="deliver what is due, then exit (for cron)"
    )
    hub(deliver)
    delivery(deliver)

    export = add("export", "Write leads as CSV or JSON to standard output (or --out).")
    export.add_argument("--partner", metavar="SLUG", help="only the leads this partner received")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument(
        "--out", metavar="FILE", type=Path, help="write to FILE instead of standard output"
    )
    export.add_argument(
        "--include-spam", action="store_true", help="include posts caught by the honeypot"
    )

    purge = add("purge", "Delete leads and arrival counts older than a number of days (retention).")
    purge.add_argument("--older-than", metavar="DAYS", type=int, required=True)

    erase = add("erase", "Delete every lead from one e-mail address (a visitor's erasure request).")
    erase.add_argument("--email", metavar="ADDRESS", required=True)

    outcome = add(
        "outcome", "Record what a partner did with a lead (accepted, contacted, won, not a fit)."
    )
    outcome.add_argument("lead_id", metavar="LEAD_ID", help="the lead's id, as in its delivery")
    outcome.add_argument(
        "--partner", metavar="SLUG", required=True, help="the partner who received the lead"
    )
    outcome.add_argument(
        "--status", required=True, type=_outcome_status, metavar="STATUS",
        help="accepted, contacted, won or not_a_fit",
    )  # fmt: skip
    outcome.add_argument(
        "--value", metavar="AMOUNT", help="what the client is worth, e.g. 1200 (won only)"
    )
    hub(outcome)
    delivery(outcome)

    arrivals = add(
        "arrivals", "Write the arrival counts (visits through partners' links) as CSV or JSON."
    )
    arrivals.add_argument(
        "--days", metavar="N", type=int, help="only the last N days (default: every day kept)"
    )
    arrivals.add_argument("--format", choices=("csv", "json"), default="csv")

    report = add(
        "report",
        "Write the organiser's HTML report (and with --month, one report per partner).",
    )
    report.add_argument("--out", metavar="DIR", type=Path, default=Path("leads-report"))
    report.add_argument(
        "--month", metavar="YYYY-MM",
        help="count up to the end of this month and write each partner's report for it to DIR/YYYY-MM/",
    )  # fmt: skip
    report.add_argument(
        "--partner", metavar="SLUG",
        help="only this partner's monthly report (month: --month, or the last whole month)",
    )  # fmt: skip
    hub(report, required=False)


def _outcome_status(text: str) -> str:
    from hubgen.leads.outcomes import OutcomeError, parse_status

    try:
        return parse_status(text).value
    except OutcomeError as error:
        raise argparse.ArgumentTypeError(error.message) from None
