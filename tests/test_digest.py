"""The alerts digest sent to a local SMTP server (aiosmtpd, started by the test) and read back.

The recipients are the sample people (``people``, 120 projects as of 2025-06-30), on SQLite and
PostgreSQL: a chief of mission who chose daily receives exactly their country's alerts (the projects
``queries.readable_projects`` gives their scope), one who chose off nothing, leadership (daily)
everything, a regional director (weekly, the default) a week's window; the scheduled command run
twice the same day sends once; the next day and a week later send only what is new. ``--to``
recipients (the override) and the SMTP settings have their own tests.
"""

from __future__ import annotations

import datetime as dt
import email
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pandas as pd
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from data_access import models as m
from data_access import people
from data_access.db import dispose_engine, get_engine, session_scope
from data_access.digest import (
    PROJECT_PAGE,
    AlertSource,
    Digest,
    Recipient,
    SmtpSettings,
    compose,
    people_recipients,
    plan,
    send,
)
from data_access.importers.forms import submit_rows
from data_access.queries import readable_projects
from data_access.scope import Scope
from monitoring.settings import Settings
from sample_data.people import INACTIVE_EMAIL, LEADERSHIP_EMAIL
from tests import page_portfolio as pp
from tests.conftest import DATABASES, sample_database

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 6, 30)
SINCE = dt.date(2025, 6, 23)
NOW = dt.datetime(2025, 6, 30, 6, 0)
CODE = re.compile(r"^- (?:\[\w+\] )?([A-Z]{2}\.\d{4})", re.M)


class Inbox:
    def __init__(self):
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, SmtpSettings(host="127.0.0.1", port=port, tls="none", sender="dashboard@example.org")
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    url = pp.create_sample(tmp_path_factory.mktemp("digest") / "sample.db", projects=120, seed=11, today=AS_OF)
    engine = get_engine(url)
    yield engine
    dispose_engine(engine)


def _codes_in(engine, scope: Scope) -> set[str]:
    with engine.connect() as connection:
        ids = select(m.Project.code).where(m.Project.id.in_(readable_projects(scope)))
        return set(connection.scalars(ids))


def _countries(engine) -> list[str]:
    """Managing countries, most projects first."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(m.Country.iso3, func.count(m.Project.id))
            .join(m.CountryOffice, m.CountryOffice.country_id == m.Country.id)
            .join(m.Project, m.Project.managing_office_id == m.CountryOffice.id)
            .group_by(m.Country.iso3)
            .order_by(func.count(m.Project.id).desc(), m.Country.iso3)
        ).all()
    return [iso for iso, _ in rows]


def _body(message: Message) -> str:
    return message.get_payload(decode=True).decode("utf-8")


@pytest.fixture(params=DATABASES)
def people_db(request, tmp_path) -> Iterator[str]:
    """A fresh sample portfolio (120 projects, with its sample people, all weekly) on SQLite or
    PostgreSQL, committed (the digest records what it sent), dropped after the test."""
    with sample_database(request.param, tmp_path, projects=120, seed=11, today=AS_OF) as url:
        yield url


def _window(message: Message) -> tuple[str, str]:
    found = re.search(r"between (\d{1,2} \w{3} \d{4}) and (\d{1,2} \w{3} \d{4}):", _body(message))
    return found.groups()


def _set_own_frequency(engine, email: str, frequency: str) -> None:
    """The person changes their own choice, as the sidebar's Email alerts does (their write scope)."""
    scope = people.resolve(engine, email)
    with session_scope(engine) as session:
        rows = people.digest_rows(session.connection(), email, frequency)
        assert submit_rows(session, "people", rows, scope=scope, person=email, as_of=AS_OF).ok


def _run(engine, inbox: Inbox, smtp: SmtpSettings, day: dt.date) -> dict[str, Message]:
    """One scheduled run on ``day`` (every person with access, no --to): the messages it sent, by address."""
    before = len(inbox.messages)
    digests = plan(engine, people_recipients(engine), day, Settings(), base_url="https://dash.example.org")
    assert send(engine, digests, smtp, dt.datetime.combine(day, dt.time(6))) == len(digests)
    return {message["To"]: message for message in inbox.messages[before:]}


def test_the_people_with_access_get_their_scope_at_their_frequency_once(people_db, smtp):
    """Recipients come from ``people``: a chief of mission (daily) receives exactly their country's
    alerts, one who chose off nothing, leadership (daily) everything, a regional director (weekly)
    a week's window; a second run the same day sends nothing; the next day's digest repeats nothing;
    the weekly reader is due again a week later, from their last digest."""
    inbox, settings = smtp
    engine = get_engine(people_db)
    url = engine.url.render_as_string(hide_password=False)
    recipients = {r.email: r for r in people_recipients(engine)}
    assert INACTIVE_EMAIL not in recipients and {r.frequency for r in recipients.values()} == {"weekly"}
    day_alerts = AlertSource(engine, Settings()).alerts(AS_OF - dt.timedelta(days=1), AS_OF)
    chiefs = [  # chiefs of mission of one country with something new on AS_OF, most alerts first
        (int(day_alerts["project_id"].isin(_ids(engine, r.scope)).sum()), email, r.scope.countries[0])
        for email, r in recipients.items()
        if email.startswith("com.") and len(r.scope.countries) == 1 and not r.scope.projects
    ]
    (_, chief, country), (_, quiet, _) = sorted(c for c in chiefs if c[0])[-2:]
    director = next(
        e for e, r in recipients.items() if e.startswith("rd.") and r.scope.regions == (_region(engine, country),)
    )
    _set_own_frequency(engine, chief, "daily")
    _set_own_frequency(engine, LEADERSHIP_EMAIL, "daily")
    _set_own_frequency(engine, quiet, "off")

    # the scheduled command, without --to
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASHBOARD_SMTP")} | {
        "DASHBOARD_SMTP_HOST": settings.host,
        "DASHBOARD_SMTP_PORT": str(settings.port),
        "DASHBOARD_SMTP_TLS": "none",
        "DASHBOARD_SMTP_SENDER": settings.sender,
        "DASHBOARD_URL": "https://dash.example.org",
    }
    args = [sys.executable, "-m", "data_access", "--database-url", url, "digest", "--as-of", AS_OF.isoformat()]
    first = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env, check=True)
    by_email = {message["To"]: message for message in inbox.messages}
    assert f"Sent {len(by_email)} digest(s)" in first.stdout, first.stdout + first.stderr
    assert len(by_email) == len(inbox.messages)  # one email per person
    assert quiet not in by_email and INACTIVE_EMAIL not in by_email
    assert set(by_email) <= set(recipients)
    everything = set(CODE.findall(_body(by_email[LEADERSHIP_EMAIL])))
    assert everything == set(day_alerts["project_code"])
    theirs = set(CODE.findall(_body(by_email[chief])))
    assert theirs and theirs == everything & _codes_in(engine, Scope.bounded_by_place("t", countries=(country,)))
    assert f"https://dash.example.org/{PROJECT_PAGE}?project=" in _body(by_email[chief])
    assert _window(by_email[chief]) == ("29 Jun 2025", "30 Jun 2025")  # daily: yesterday to today
    assert _window(by_email[director]) == ("23 Jun 2025", "30 Jun 2025")  # weekly: a week back
    assert set(CODE.findall(_body(by_email[director]))) <= _codes_in(engine, recipients[director].scope)

    again = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env, check=True)
    assert "Sent 0 digest(s)" in again.stdout and len(inbox.messages) == len(by_email)

    next_day = _run(engine, inbox, settings, AS_OF + dt.timedelta(days=1))
    assert LEADERSHIP_EMAIL in next_day and _window(next_day[LEADERSHIP_EMAIL]) == ("30 Jun 2025", "1 Jul 2025")
    assert director not in next_day and quiet not in next_day  # weekly: sent yesterday; off: never
    chosen = {r.email: r.frequency for r in people_recipients(engine)}
    # the weekly readers of the next day are those who had nothing to read on AS_OF (at most one a week)
    assert all(chosen[e] == "daily" or e not in by_email for e in next_day)
    week_later = _run(engine, inbox, settings, AS_OF + dt.timedelta(days=7))
    assert _window(week_later[director]) == ("30 Jun 2025", "7 Jul 2025")  # from their last digest
    assert quiet not in week_later
    with engine.connect() as connection:  # no alert went twice to anyone
        twice = connection.execute(
            select(m.SentDigest.email, m.SentAlert.alert_key)
            .join(m.SentAlert, m.SentAlert.digest_id == m.SentDigest.id)
            .group_by(m.SentDigest.email, m.SentAlert.alert_key)
            .having(func.count() > 1)
        ).all()
    assert twice == []
    dispose_engine(engine)


def _ids(engine, scope: Scope) -> set[int]:
    with engine.connect() as connection:
        return set(connection.scalars(readable_projects(scope)))


def _region(engine, iso3: str) -> str:
    with engine.connect() as connection:
        return connection.scalar(
            select(m.Region.code).join(m.Country, m.Country.region_id == m.Region.id).where(m.Country.iso3 == iso3)
        )


def test_the_window_says_its_dates_as_the_app_does():
    """ "2 Jan 2026" (``monitoring.dates.date_text``), as every page and pack says a date, not "02 Jan 2026"."""
    who = Recipient("a@example.org", "A", Scope.whole_organisation("a@example.org"))
    digest = Digest(who, dt.date(2026, 1, 2), dt.date(2026, 1, 9), pd.DataFrame({"kind": []}))
    message = compose(digest, "https://dash.example.org")
    assert message["Subject"].endswith("as of 9 Jan 2026")
    assert "between 2 Jan 2026 and 9 Jan 2026:" in _body(message)


def test_nothing_is_sent_without_smtp_settings():
    assert SmtpSettings.from_env({}) is None
    assert SmtpSettings.from_env({"DASHBOARD_SMTP_HOST": "mail.example.org"}) is None  # no sender
    tls = SmtpSettings.from_env(
        {
            "DASHBOARD_SMTP_HOST": "mail.example.org",
            "DASHBOARD_SMTP_SENDER": "d@example.org",
            "DASHBOARD_SMTP_TLS": "ssl",
        }
    )
    assert (tls.port, tls.tls) == (465, "ssl")


def test_the_link_goes_to_a_page_of_the_app():
    from components.navigation import PAGES

    assert PROJECT_PAGE in {p.url_path for p in PAGES}


def test_the_command_sends_once_and_says_when_it_cannot(engine, smtp):
    inbox, settings = smtp
    url = engine.url.render_as_string(hide_password=False)
    country = next(  # a country with something to say in the window (plan() sends and records nothing)
        iso
        for iso in _countries(engine)
        if plan(
            engine,
            [
                Recipient(
                    "probe@example.org", "Probe", Scope.bounded_by_place("probe@example.org", countries=(iso,)), "daily"
                )
            ],
            AS_OF,
            Settings(),
            since=SINCE,
        )
    )
    base = [sys.executable, "-m", "data_access", "--database-url", url, "digest", "--as-of", AS_OF.isoformat()]
    args = [*base, "--since", SINCE.isoformat(), "--to", f"cli@example.org=country:{country}=daily"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASHBOARD_SMTP")}
    unset = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env, check=True)
    assert "nothing sent" in unset.stdout and not inbox.messages
    env |= {
        "DASHBOARD_SMTP_HOST": settings.host,
        "DASHBOARD_SMTP_PORT": str(settings.port),
        "DASHBOARD_SMTP_TLS": "none",
        "DASHBOARD_SMTP_SENDER": settings.sender,
    }
    first = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env, check=True)
    assert "Sent 1 digest(s)" in first.stdout, first.stdout + first.stderr
    assert [m["To"] for m in inbox.messages] == ["cli@example.org"]
    assert set(CODE.findall(_body(inbox.messages[0]))) <= _codes_in(
        engine, Scope.bounded_by_place("probe@example.org", countries=(country,))
    )
    again = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env, check=True)
    assert "Sent 0 digest(s)" in again.stdout and len(inbox.messages) == 1
