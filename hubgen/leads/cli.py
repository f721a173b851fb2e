"""``hubgen leads …``: run the receiver, deliver, export, purge, erase and report.

Exit codes as everywhere in hubgen: 0 ok, 1 problems (failed deliveries, an unreachable
database), 2 usage (bad arguments or settings, no hub.json).
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hubgen.leads.settings import (
    DEFAULT_DB,
    DEFAULT_HUB,
    Settings,
    SettingsError,
    from_env,
    parse_rate,
)

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
INSTALL_HINT = "the lead receiver needs its extra dependencies: pip install 'hubgen[leads]'"


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

    report = add("report", "Write a static HTML report with SVG charts.")
    report.add_argument("--out", metavar="DIR", type=Path, default=Path("leads-report"))
    hub(report, required=False)


def run(args: argparse.Namespace) -> int:
    from hubgen.leads.registry import RegistryError
    from hubgen.leads.store import StoreError, StoreUrlError

    _setup_logging()
    try:
        settings = _settings(args)
        command = args.leads_command
        if command == "serve":
            return _serve(settings)
        if command == "deliver":
            return _deliver(settings, once=args.once)
        if command == "export":
            return _export(settings, args)
        if command == "purge":
            return _purge(settings, args.older_than)
        if command == "erase":
            return _erase(settings, args.email)
        if command == "outcome":
            return _outcome(settings, args)
        if command == "arrivals":
            return _arrivals(settings, args)
        return _report(settings, args)
    except (SettingsError, RegistryError, StoreUrlError) as error:
        print(f"hubgen: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as error:
        print(f"hubgen: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except ImportError as error:
        print(f"hubgen: error: {INSTALL_HINT} ({error})", file=sys.stderr)
        return EXIT_USAGE


def _setup_logging() -> None:
    logger = logging.getLogger("hubgen.leads")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def _settings(args: argparse.Namespace) -> Settings:
    settings = from_env()
    overrides: dict[str, object] = {"db": args.db, "hub": getattr(args, "hub", None)}
    if getattr(args, "delivery", None) is not None:
        overrides["delivery_file"] = args.delivery
    if args.leads_command == "serve":
        overrides.update(host=args.host, port=args.port)
        if args.rate_limit is not None:
            overrides["rate_limit"], overrides["rate_period"] = parse_rate(args.rate_limit)
        if args.arrival_rate_limit is not None:
            rate = parse_rate(args.arrival_rate_limit)
            overrides["arrival_rate_limit"], overrides["arrival_rate_period"] = rate
        if args.trusted_proxy:
            overrides["trusted_proxies"] = tuple(args.trusted_proxy)
        if args.allow_origin:
            overrides["allowed_origins"] = tuple(o.rstrip("/") for o in args.allow_origin)
        if args.no_worker:
            overrides["worker"] = False
    return settings.with_overrides(**overrides).validate()


def _serve(settings: Settings) -> int:
    import uvicorn

    from hubgen.leads.app import create_app
    from hubgen.leads.headerguard import header_guard

    app = create_app(settings)
    registry = app.state.receiver.registry
    print(
        f"hubgen leads: receiving for {registry.site_url} on http://{settings.host}:{settings.port}/leads",
        file=sys.stderr,
    )
    if settings.outcome_secret:
        links = f"outcome links point at {settings.public_url.rstrip('/')}/leads/outcome"
    else:
        links = (
            "outcome links are off (set HUBGEN_LEADS_OUTCOME_SECRET and HUBGEN_LEADS_PUBLIC_URL)"
        )
    print(f"hubgen leads: {links}", file=sys.stderr)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        # X-Forwarded-For is handled by the app, and only for --trusted-proxy addresses; uvicorn's
        # own handling would trust 127.0.0.1 by default.
        proxy_headers=False,
        server_header=False,
        access_log=False,  # client addresses are personal data; leads are logged by id instead
        log_level="warning",
        timeout_graceful_shutdown=10,
        # Request heads get the body's time limit: uvicorn alone waits for them for ever.
        http=header_guard(settings.body_timeout),
    )
    return EXIT_OK


def _deliver(settings: Settings, *, once: bool) -> int:
    import time

    from hubgen.leads.deliveryconfig import Destinations, load_delivery_config
    from hubgen.leads.registry import load_registry
    from hubgen.leads.worker import worker_for

    registry = load_registry(settings.hub)
    config = load_delivery_config(settings.delivery_file, registry)
    destinations = Destinations(config, registry, email_enabled=settings.smtp is not None)
    worker = worker_for(settings, registry, destinations)
    failed = 0
    try:
        while True:
            report = worker.run_once()
            failed += report.failed
            if report.delivered or report.failed:
                print(f"delivered {report.delivered}, failed {report.failed} (will be retried)")
            for error in report.errors:
                print(f"  {error}", file=sys.stderr)
            if once:
                break
            time.sleep(settings.poll_seconds)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        pass
    finally:
        worker.store.close()
    if once and not failed:
        print("nothing left to deliver" if not report.delivered else "done")
    return EXIT_PROBLEMS if failed else EXIT_OK


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from hubgen.leads.export import to_csv, to_json
    from hubgen.leads.store import open_store

    store = open_store(settings.db)
    try:
        leads = store.leads(partner=args.partner, include_spam=args.include_spam)
    finally:
        store.close()
    text = to_csv(leads) if args.format == "csv" else to_json(leads)
    if args.out:
        args.out.write_text(text, encoding="utf-8", newline="")
        print(f"exported {len(leads)} leads to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _arrivals(settings: Settings, args: argparse.Namespace) -> int:
    from hubgen.leads.arrivals import arrivals_csv, arrivals_json
    from hubgen.leads.store import open_store

    if args.days is not None and args.days < 1:
        raise SettingsError(f"--days must be 1 or more, got {args.days}")
    since = datetime.now(UTC).date() - timedelta(days=args.days - 1) if args.days else None
    store = open_store(settings.db)
    try:
        counts = store.arrivals(since=since)
    finally:
        store.close()
    sys.stdout.write(arrivals_csv(counts) if args.format == "csv" else arrivals_json(counts))
    return EXIT_OK


def _purge(settings: Settings, days: int) -> int:
    from hubgen.leads.store import open_store

    if days < 0:
        raise SettingsError(f"--older-than must be 0 or more days, got {days}")
    store = open_store(settings.db)
    before = datetime.now(UTC) - timedelta(days=days)
    try:
        count = store.purge(before)
        # Arrival counters age out with the leads: a day's rows go once the whole day is older.
        days_counted = store.purge_arrivals(before.date())
    finally:
        store.close()
    print(f"purged {count} lead{'s' * (count != 1)} older than {days} days")
    print(f"purged {days_counted} arrival count{'s' * (days_counted != 1)} older than {days} days")
    return EXIT_OK


def _erase(settings: Settings, email: str) -> int:
    from hubgen.leads.store import open_store

    if "@" not in email:
        raise SettingsError(f"Expected an e-mail address but received: {email}")
    store = open_store(settings.db)
    try:
        count = store.erase(email)
    finally:
        store.close()
    print(f"erased {count} lead{'s' * (count != 1)} from {email.strip().lower()}")
    return EXIT_OK


def _outcome_status(text: str) -> str:
    from hubgen.leads.outcomes import OutcomeError, parse_status

    try:
        return parse_status(text).value
    except OutcomeError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def _outcome(settings: Settings, args: argparse.Namespace) -> int:
    from hubgen.leads.deliveryconfig import Destinations, load_delivery_config
    from hubgen.leads.models import OutcomeSource
    from hubgen.leads.outcomes import OutcomeError, new_outcome, thanks_deliveries
    from hubgen.leads.registry import load_registry
    from hubgen.leads.store import open_store

    # hub.json and the delivery file say where a thanks to the referrer goes (and whether).
    registry = load_registry(settings.hub)
    config = load_delivery_config(settings.delivery_file, registry)
    destinations = Destinations(config, registry, email_enabled=settings.smtp is not None)
    store = open_store(settings.db)
    try:
        lead = store.get(args.lead_id)
        if lead is None:
            raise SettingsError(f"no lead {args.lead_id} in the database (check the id)")
        try:
            outcome = new_outcome(
                lead, args.partner, args.status, args.value, OutcomeSource.CLI, datetime.now(UTC)
            )
        except OutcomeError as error:
            raise SettingsError(f"--partner/--status/--value: {error.message}") from None
        recorded = store.record_outcome(outcome, thanks_deliveries(lead, destinations))
    finally:
        store.close()
    value = f" ({outcome.value:f})" if outcome.value is not None else ""
    what = outcome.status.value + value
    if not recorded.recorded:
        print(f"lead {lead.id}: {what} by {args.partner} was already recorded; nothing changed")
        return EXIT_OK
    print(f"lead {lead.id}: recorded {what} by {args.partner}")
    if recorded.thanked:
        print(f"queued a thanks to {lead.credited_partner}, who referred the client "
              "(sent by `hubgen leads deliver` or the running receiver)")  # fmt: skip
    return EXIT_OK


def _report(settings: Settings, args: argparse.Namespace) -> int:
    from hubgen.leads.registry import load_registry
    from hubgen.leads.report import summarize, write_report
    from hubgen.leads.store import open_store

    registry = load_registry(args.hub or settings.hub) if (args.hub or settings.hub != DEFAULT_HUB
                                                            or Path(DEFAULT_HUB).exists()) else None  # fmt: skip
    store = open_store(settings.db)
    try:
        leads = store.leads()
    finally:
        store.close()
    summary = summarize(leads, registry)
    title = f"Leads: {registry.site_name}" if registry else "Leads"
    index = write_report(summary, args.out, title)
    print(f"report of {summary.total} leads written to {index}")
    return EXIT_OK
