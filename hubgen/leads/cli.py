"""``hubgen leads …``: run the receiver, deliver, export, purge, erase and report.

The arguments each command takes are in cliargs.py; this module runs the commands.

Exit codes as everywhere in hubgen: 0 ok, 1 problems (failed deliveries, an unreachable
database), 2 usage (bad arguments or settings, no hub.json).
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hubgen.leads.cliargs import add_parser as add_parser
from hubgen.leads.settings import (
    DEFAULT_HUB,
    Settings,
    SettingsError,
    from_env,
    parse_rate,
)

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
INSTALL_HINT = "the lead receiver needs its extra dependencies: pip install 'hubgen[leads]'"


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
    from zoneinfo import ZoneInfo

    from hubgen.leads.registry import load_registry
    from hubgen.leads.report import summarize, write_report
    from hubgen.leads.report_partner import partner_months, write_partner_reports
    from hubgen.leads.reportfacts import month_bounds, months_back
    from hubgen.leads.store import open_store

    registry = load_registry(args.hub or settings.hub) if (args.hub or settings.hub != DEFAULT_HUB
                                                            or Path(DEFAULT_HUB).exists()) else None  # fmt: skip
    tz = ZoneInfo(registry.timezone) if registry else ZoneInfo("UTC")
    now = datetime.now(UTC).astimezone(tz)
    month = args.month or (None if args.partner is None else f"{months_back(now, 1):%Y-%m}")
    as_of, replies_until = now, None
    if month:
        try:
            start, end = month_bounds(month, tz)
        except ValueError as error:
            raise SettingsError(f"--month: {error}") from None
        as_of = min(end, now)
        replies_until = as_of  # the partners' reports as they stood when the month ended
    store = open_store(settings.db)
    try:
        facts = store.report_facts(as_of, replies_until=replies_until, pages_month=month)
    finally:
        store.close()
    names = {slug: p.name for slug, p in registry.partners.items()} if registry else {}
    site_name = registry.site_name if registry else ""
    if args.partner is None:
        summary = summarize(facts.leads, registry, replies=facts.replies,
                            arrivals=facts.arrivals, spam=facts.spam, as_of=as_of)  # fmt: skip
        title = f"Leads: {site_name}" if registry else "Leads"
        index = write_report(summary, args.out, title)
        print(f"report of {summary.total} leads written to {index}")
    if month:
        partners = list(registry.partners) if registry else []
        months = partner_months(facts, partners, month, start, end)
        if args.partner is not None:
            if args.partner not in months:
                raise SettingsError(f"--partner: no partner {args.partner} in hub.json or the data")
            months = {args.partner: months[args.partner]}
        written = write_partner_reports(months, names, site_name, args.out / month)
        print(f"{len(written)} partner report{'s' * (len(written) != 1)} for {month} "
              f"written to {args.out / month}")  # fmt: skip
    return EXIT_OK
