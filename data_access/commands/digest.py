"""``digest [--dry-run] [--since DATE] [--as-of DATE] [--to EMAIL=SCOPE[=FREQUENCY] ...]``: the alerts digest.

Sends each recipient whose digest is due the alerts of their scope (``data_access.digest``;
docs/follow-up.md has the rules, the SMTP settings and cron / systemd timer examples). The
recipients are every person with active access in ``people``, each with their own scope and
frequency. ``--to EMAIL=SCOPE[=FREQUENCY]`` replaces that list for one run (daily by default): kept
for trying the SMTP settings on a test mailbox, or sending a digest to an address that has no
access row (an auditor's inbox), without touching ``people``; what it sends is recorded under that
email like any digest, so a person named with ``--to`` is not sent the same alerts again by the
scheduled run. Without SMTP settings nothing is sent and nothing recorded (the command says so);
``--dry-run`` prints the emails instead of sending them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

from data_access import db
from data_access.commands.report import scope_argument, settings
from data_access.digest import FREQUENCIES, Recipient, SmtpSettings, people_recipients, plan, send
from data_access.errors import InvalidInput

HELP = "email each recipient the alerts of their scope that are new since their last digest (once each)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="print the emails; send and record nothing")
    parser.add_argument("--since", type=dt.date.fromisoformat, help="start of the window for everyone (YYYY-MM-DD)")
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, default=dt.date.today(), help="the day of the digest (default today)"
    )
    parser.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="EMAIL=SCOPE[=FREQUENCY]",
        help="send to these recipients instead of the people with access, e.g. "
        "chief@example.org=country:KEN=daily (repeatable; for tests and ad hoc digests)",
    )


def recipient(text: str, engine) -> Recipient:
    email, _, rest = text.partition("=")
    scope_text, _, frequency = rest.partition("=")
    frequency = frequency or "daily"
    if "@" not in email or not scope_text:
        raise InvalidInput(f"--to {text!r}: write EMAIL=SCOPE[=FREQUENCY], e.g. chief@example.org=country:KEN=daily")
    if frequency not in FREQUENCIES:
        raise InvalidInput(f"--to {text!r}: frequency {frequency!r} is not one of {', '.join(FREQUENCIES)}")
    scope = scope_argument(scope_text, engine)
    return Recipient(email.strip(), email.split("@")[0], scope, frequency)


def run(args: argparse.Namespace) -> int:
    engine = db.get_engine()
    recipients = [recipient(text, engine) for text in args.to] or people_recipients(engine)
    if not recipients:
        print("No recipient: nobody has active access (import the people table first: who may see what).")
        return 0
    smtp = SmtpSettings.from_env()
    if smtp is None and not args.dry_run:
        print("SMTP not configured (DASHBOARD_SMTP_HOST and DASHBOARD_SMTP_SENDER): nothing sent.")
        return 0
    digests = plan(
        engine, recipients, args.as_of, settings(), since=args.since, base_url=os.environ.get("DASHBOARD_URL", "")
    )
    if args.dry_run:
        for digest in digests:
            message = digest.message
            sys.stdout.write(f"To: {message['To']}\nSubject: {message['Subject']}\n\n{message.get_content()}\n")
        print(f"Dry run: {len(digests)} digest(s) would be sent; nothing sent or recorded.")
        return 0
    sent = send(engine, digests, smtp, dt.datetime.now(dt.UTC).replace(tzinfo=None))
    print(f"Sent {sent} digest(s) as of {args.as_of}.")
    return 0
