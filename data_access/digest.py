"""The alerts digest: for each person, what turned for the worse in their scope, by email, once.

``python -m data_access digest [--dry-run] [--since DATE] [--as-of DATE]`` (docs/follow-up.md) is
meant for a daily scheduler. The recipients are every person with active access in ``people``
(:func:`people_recipients`: each with their own scope, the union of their rows, and their own
frequency, ``people.digest``). For each recipient whose digest is due (daily: not sent yet today;
weekly: none in the last 7 days; off: never) it lists the alerts of ``monitoring.alerts`` between the
last digest sent to them (or ``--since``; else one day or one week back) and today, **inside their
scope only** (the projects ``queries.readable_projects`` gives that scope, exactly what the pages
show them), leaves out every alert already sent to them in that window, and sends one plain-text
email (imported text is data: no HTML to inject into) with a link to the page that shows each item.

* **Sent once.** Each email is recorded in ``sent_digests`` and each alert in ``sent_alerts`` (its
  key, ``monitoring.alerts``) after the SMTP server accepted the message, in one transaction per
  recipient: a second run the same day sends nothing, and a failure leaves nothing recorded, so
  the next run tries again.
* **SMTP settings** come from the environment (:class:`SmtpSettings`): ``DASHBOARD_SMTP_HOST``,
  ``DASHBOARD_SMTP_PORT`` (587), ``DASHBOARD_SMTP_TLS`` (``starttls``, ``ssl`` or ``none``),
  ``DASHBOARD_SMTP_SENDER``, and ``DASHBOARD_SMTP_USER``/``DASHBOARD_SMTP_PASSWORD`` when the server
  asks for a login. With no host or no sender nothing is sent (the command says so and records
  nothing); ``--dry-run`` prints the emails instead. Links start with ``DASHBOARD_URL``.
* The portfolio is evaluated once for the whole organisation per pair of dates; each person's
  digest is that list narrowed to their projects, so a hundred recipients cost two evaluations.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Literal
from urllib.parse import urlencode

import pandas as pd
from sqlalchemy import Engine, func, insert, select

from data_access import models as m
from data_access import people
from data_access.errors import InvalidInput
from data_access.queries import load_portfolio, readable_projects
from data_access.scope import ADMINISTRATOR, PortfolioFilter, Scope
from monitoring.alerts import KIND_TITLES, KINDS, new_alerts
from monitoring.dates import date_text
from monitoring.evaluate import evaluate_portfolio
from monitoring.recommendations import register
from monitoring.settings import Settings
from reference.vocabulary import DIGEST_FREQUENCIES

Frequency = Literal["daily", "weekly", "off"]
FREQUENCIES: tuple[str, ...] = DIGEST_FREQUENCIES
WINDOW_DAYS = {"daily": 1, "weekly": 7}
# the page that shows every alert: the Project page (its results, flags and open recommendations);
# the URL path of components.navigation (a test keeps them equal)
PROJECT_PAGE = "project-detail"


@dataclass(frozen=True)
class Recipient:
    """A person with access: where the digest goes, what they may see, how often they want it."""

    email: str
    name: str
    scope: Scope
    frequency: Frequency = "weekly"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    sender: str
    port: int = 587
    tls: Literal["starttls", "ssl", "none"] = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> SmtpSettings | None:
        """The settings in the environment, or None when the host or the sender is not set."""
        env = os.environ if env is None else env
        host, sender = env.get("DASHBOARD_SMTP_HOST", "").strip(), env.get("DASHBOARD_SMTP_SENDER", "").strip()
        if not host or not sender:
            return None
        tls = env.get("DASHBOARD_SMTP_TLS", "starttls").strip().lower()
        if tls not in ("starttls", "ssl", "none"):
            raise InvalidInput(f"DASHBOARD_SMTP_TLS={tls!r}: use starttls, ssl or none")
        port = env.get("DASHBOARD_SMTP_PORT", "").strip()
        if port and not port.isdigit():
            raise InvalidInput(f"DASHBOARD_SMTP_PORT={port!r} is not a port number")
        return cls(
            host=host,
            sender=sender,
            port=int(port) if port else (465 if tls == "ssl" else 587),
            tls=tls,
            user=env.get("DASHBOARD_SMTP_USER") or None,
            password=env.get("DASHBOARD_SMTP_PASSWORD") or None,
        )


@dataclass
class Digest:
    """One email to be sent: to whom, the window, the alerts (rows of ``monitoring.alerts``)."""

    recipient: Recipient
    since: dt.date
    as_of: dt.date
    alerts: pd.DataFrame
    message: EmailMessage | None = None


def people_recipients(engine: Engine) -> list[Recipient]:
    """Every person with active access (``people``), by email: their name, their scope (the union of
    their active rows, what the pages show them) and their frequency (``people.frequency_of``)."""
    by_email: dict[str, list[people.Access]] = {}
    every = people.accesses(engine)
    for row in every:
        by_email.setdefault(row.email, []).append(row)
    names = people.place_names_of(engine, every)
    out = []
    for email, rows in by_email.items():
        scope = people.scope_of(rows, names)
        if scope is not None:
            name = next(r.name for r in rows if r.active)
            out.append(Recipient(email, name, scope, people.frequency_of(rows)))
    return out


def last_sent(engine: Engine, emails: Iterable[str]) -> dict[str, dt.date]:
    """The as-of date of the last digest sent to each email."""
    stmt = (
        select(m.SentDigest.email, func.max(m.SentDigest.as_of))
        .where(m.SentDigest.email.in_(sorted(set(emails))))
        .group_by(m.SentDigest.email)
    )
    with engine.connect() as connection:
        return dict(connection.execute(stmt).all())


def sent_keys(engine: Engine, email: str, since: dt.date) -> set[str]:
    """The alert keys already sent to ``email`` in digests of ``since`` or later."""
    stmt = (
        select(m.SentAlert.alert_key)
        .join(m.SentDigest, m.SentDigest.id == m.SentAlert.digest_id)
        .where(m.SentDigest.email == email, m.SentDigest.as_of >= since)
    )
    with engine.connect() as connection:
        return set(connection.scalars(stmt))


def window(recipient: Recipient, last: dt.date | None, as_of: dt.date, since: dt.date | None) -> dt.date | None:
    """The day the recipient's window starts, or None when no digest is due (off, or sent recently)."""
    if recipient.frequency == "off":
        return None
    days = WINDOW_DAYS[recipient.frequency]
    if since is None and last is not None and (as_of - last).days < days:
        return None
    return since or last or as_of - dt.timedelta(days=days)


class AlertSource:
    """Organisation-wide alerts per window, computed once and shared by every recipient."""

    def __init__(self, engine: Engine, settings: Settings):
        self.engine, self.settings = engine, settings
        self._evaluations: dict[dt.date, tuple] = {}
        self._alerts: dict[tuple[dt.date, dt.date], pd.DataFrame] = {}

    def _evaluated(self, day: dt.date):
        if day not in self._evaluations:
            frames = load_portfolio(self.engine, Scope.whole_organisation(ADMINISTRATOR), PortfolioFilter(as_of=day))
            evaluation = evaluate_portfolio(frames, day, self.settings)
            self._evaluations[day] = (evaluation, register(frames.recommendations, frames.projects, day, self.settings))
        return self._evaluations[day]

    def alerts(self, since: dt.date, as_of: dt.date) -> pd.DataFrame:
        if (since, as_of) not in self._alerts:
            (before, reg_before), (now, reg_now) = self._evaluated(since), self._evaluated(as_of)
            self._alerts[(since, as_of)] = new_alerts(
                before.indicators, now.indicators, before.flags, now.flags, reg_before, reg_now, now.projects, as_of
            )
        return self._alerts[(since, as_of)]

    def project_ids(self, scope: Scope) -> set[int]:
        with self.engine.connect() as connection:
            return set(connection.scalars(readable_projects(scope)))


def plan(
    engine: Engine,
    recipients: Iterable[Recipient],
    as_of: dt.date,
    settings: Settings,
    *,
    since: dt.date | None = None,
    base_url: str = "",
) -> list[Digest]:
    """The digests due on ``as_of`` that have something new to say (nothing is sent or recorded)."""
    recipients = list(recipients)
    source = AlertSource(engine, settings)
    last = last_sent(engine, (r.email for r in recipients))
    out = []
    for recipient in recipients:
        start = window(recipient, last.get(recipient.email), as_of, since)
        if start is None or start >= as_of:
            continue
        alerts = source.alerts(start, as_of)
        mine = alerts.loc[alerts["project_id"].isin(source.project_ids(recipient.scope))]
        mine = mine.loc[~mine["key"].isin(sent_keys(engine, recipient.email, start))]
        if mine.empty:
            continue
        digest = Digest(recipient, start, as_of, mine.reset_index(drop=True))
        digest.message = compose(digest, base_url)
        out.append(digest)
    return out


def link(base_url: str, project_code: str) -> str:
    """The Project page of ``project_code`` (indicators, flags and open recommendations are there)."""
    return f"{base_url.rstrip('/')}/{PROJECT_PAGE}?{urlencode({'project': project_code})}"


def compose(digest: Digest, base_url: str) -> EmailMessage:
    """The plain-text email of a digest: one section per kind, each alert with its link."""
    r = digest.recipient
    n = len(digest.alerts)
    message = EmailMessage()
    message["To"] = r.email
    message["Subject"] = f"Monitoring digest: {n} new alert{'s' if n != 1 else ''} as of {date_text(digest.as_of)}"
    lines = [
        f"Dear {r.name},",
        "",
        f"What changed in your view ({r.scope.label}) between {date_text(digest.since)} and {date_text(digest.as_of)}:",
    ]
    for kind in KINDS:
        rows = digest.alerts.loc[digest.alerts["kind"] == kind]
        if rows.empty:
            continue
        lines += ["", f"{KIND_TITLES[kind]} ({len(rows)})", ""]
        for row in rows.itertuples():
            severity = f"[{row.severity}] " if isinstance(row.severity, str) else ""
            money = f" · {row.money}" if isinstance(row.money, str) and kind == "flag" else ""
            lines.append(f"- {severity}{row.project_code}{money}: {row.text}")
            lines.append(f"  {link(base_url, row.project_code)}")
    lines += [
        "",
        "You receive this digest because you have access to the monitoring dashboard; each alert is sent once.",
        "To change how often (daily, weekly or off), use Email alerts in the dashboard's sidebar.",
    ]
    message.set_content("\n".join(lines))
    return message


def send(engine: Engine, digests: list[Digest], smtp: SmtpSettings, now: dt.datetime) -> int:
    """Send each digest and record it (after the server accepted it); return the number sent."""
    sent = 0
    for digest in digests:
        message = digest.message
        del message["From"]
        message["From"] = smtp.sender
        _deliver(smtp, message)
        with engine.begin() as connection:
            digest_id = connection.execute(
                insert(m.SentDigest).returning(m.SentDigest.id),
                [
                    {
                        "email": digest.recipient.email,
                        "sent_at": now,
                        "as_of": digest.as_of,
                        "since": digest.since,
                        "n_alerts": len(digest.alerts),
                    }
                ],
            ).scalar_one()
            connection.execute(
                insert(m.SentAlert),
                [
                    {"digest_id": digest_id, "alert_key": key[:500], "project_id": int(pid)}
                    for key, pid in zip(digest.alerts["key"], digest.alerts["project_id"], strict=True)
                ],
            )
        sent += 1
    return sent


def _deliver(smtp: SmtpSettings, message: EmailMessage) -> None:
    if smtp.tls == "ssl":
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, context=ssl.create_default_context(), timeout=30)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=30)
    with client:
        if smtp.tls == "starttls":
            client.starttls(context=ssl.create_default_context())
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        client.send_message(message)
