"""The alerts digest sent to a local SMTP server (aiosmtpd, started by the test) and read back.

The sample portfolio (120 projects) is evaluated as of 2025-06-23 and 2025-06-30; the digests of
2025-06-30 go to two chiefs of mission (each sees only their country's projects: the projects
``queries.readable_projects`` gives their scope), leadership (everything) and someone who turned
the digest off. A second run the same day sends nothing; nothing is sent without SMTP settings.
"""

from __future__ import annotations

import datetime as dt
import email
import os
import re
import socket
import subprocess
import sys
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from data_access import models as m
from data_access.db import dispose_engine, get_engine
from data_access.digest import PROJECT_PAGE, Recipient, SmtpSettings, plan, send
from data_access.queries import readable_projects
from data_access.scope import Scope
from monitoring.settings import Settings
from tests import page_portfolio as pp

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


def _two_countries(engine) -> tuple[str, str]:
    first, second, *_ = _countries(engine)
    return first, second


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


def test_each_person_gets_their_scope_once(engine, smtp):
    inbox, settings = smtp
    first, second = _two_countries(engine)
    people = [
        Recipient("com1@example.org", "Chief One", Scope.bounded_by_place("test", countries=(first,)), "daily"),
        Recipient("com2@example.org", "Chief Two", Scope.bounded_by_place("test", countries=(second,)), "daily"),
        Recipient("lead@example.org", "Leader", Scope.whole_organisation("administrator"), "weekly"),
        Recipient("quiet@example.org", "Quiet", Scope.whole_organisation("administrator"), "off"),
    ]
    digests = plan(engine, people, AS_OF, Settings(), since=SINCE, base_url="https://dash.example.org")
    assert {d.recipient.email for d in digests} >= {"lead@example.org"}
    assert "quiet@example.org" not in {d.recipient.email for d in digests}
    assert send(engine, digests, settings, NOW) == len(digests) == len(inbox.messages)
    by_email = {msg["To"]: msg for msg in inbox.messages}
    lead = _body(by_email["lead@example.org"])
    everything = set(CODE.findall(lead))
    assert everything
    for person, country in (("com1@example.org", first), ("com2@example.org", second)):
        theirs = _codes_in(engine, Scope.bounded_by_place("test", countries=(country,)))
        expected = everything & theirs
        if not expected:
            assert person not in by_email
            continue
        body = _body(by_email[person])
        assert set(CODE.findall(body)) == expected  # every alert of their country, nothing outside it
        assert by_email[person]["From"] == "dashboard@example.org"
        assert f"https://dash.example.org/{PROJECT_PAGE}?project=" in body
    assert any(set(CODE.findall(_body(by_email[p]))) for p in by_email if p.startswith("com"))

    # a second run the same day sends nothing new (daily: sent today; weekly: sent this week)
    again = plan(engine, people, AS_OF, Settings(), base_url="https://dash.example.org")
    assert again == []
    # even with the same window asked again, the alerts already sent are left out
    assert plan(engine, people, AS_OF, Settings(), since=SINCE) == []
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(m.SentDigest)) == len(digests)


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
