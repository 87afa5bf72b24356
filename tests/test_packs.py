"""Review packs (``packs``, ``python -m data_access pack``): generated for leadership and for a chief
of mission on the sample portfolio, read back (python-pptx opens the PowerPoint, pypdf extracts the
PDF's text), the key figures equal what ``report`` prints, counted here by hand from its rows, and
no project code outside the chief of mission's scope appears. Number formatting is checked on a
table of hand-written values."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import Connection, text

from data_access.changes import review_inputs
from data_access.commands.report import build_report
from data_access.importers.forms import submit_rows
from data_access.queries import actual_comments, load_portfolio
from data_access.scope import PortfolioFilter, Scope
from data_access.seed import seed_database
from data_access.snapshots import create_snapshot, current_figures
from monitoring.comments import latest_comments
from monitoring.evaluate import evaluate_portfolio
from monitoring.settings import Settings
from packs import write_pack
from packs.content import (
    WIDTH,
    Chart,
    Pack,
    Section,
    build_pack,
    count,
    coverage_section,
    cut,
    money_section,
    share,
    usd,
    words,
)
from packs.pptx import LABEL_CHARACTERS

TODAY = dt.date(2026, 11, 22)
AS_OF = dt.date(2026, 10, 31)
CODE = re.compile(r"\b[A-Z]{2}\.\d{4}\b")


@pytest.mark.parametrize(
    ("function", "value", "text"),
    [
        (usd, 106_400_000, "USD 106.4M"),
        (usd, 987_654.3, "USD 987.7k"),
        (usd, 2_500_000_000, "USD 2.5bn"),
        (usd, 950, "USD 950"),
        (usd, None, "USD –"),
        (share, 0.4736, "47%"),
        (share, 1.0, "100%"),
        (share, None, "–"),
        (share, float("nan"), "–"),
        (count, 1234567, "1,234,567"),
        (count, 3.0, "3"),
        (words, "off_track", "Off track"),
        (words, None, "–"),
    ],
)
def test_numbers_are_written_for_people(function, value, text) -> None:
    assert function(value) == text


def test_long_text_is_cut_with_an_ellipsis() -> None:
    assert cut("Safe   migration\nroutes", 40) == "Safe migration routes"
    assert cut("a" * 50, 10) == "a" * 9 + "…"
    assert cut(None, 5) == ""


def test_a_partner_country_shows_the_projects_sharing_its_money_not_zero() -> None:
    """A chief of mission's pack listed partner countries of multi-country projects with 0 projects
    beside their money: projects count under the managing country, money is shared (DOMAIN.md 1)."""
    groups = pd.DataFrame(
        {
            "group_kind": ["country"] * 3,
            "group": ["LBN", "TUN", "SYR"],
            "n_projects": [5, 0, 1],
            "n_shared": [3, 2, 0],
            "budget_usd": [18.6e6, 214_200.0, 1.4e6],
            "spent_usd": [10.4e6, 165_300.0, 1.1e6],
            "delivery": [0.56, 0.77, 0.77],
        }
    )
    no_projects = pd.DataFrame({"burn_status": []})
    figures = dataclasses.make_dataclass("F", ["kpis", "projects", "groups"])({}, no_projects, groups)
    rows = {r[0]: r[1] for r in money_section(figures).table.rows}
    assert rows == {"LBN": "5 + 3 shared", "TUN": "2 shared", "SYR": "1"}
    frozen_before = dataclasses.replace(figures, groups=groups.drop(columns="n_shared"))  # an older snapshot
    assert {r[0]: r[1] for r in money_section(frozen_before).table.rows} == {"LBN": "5", "TUN": "0", "SYR": "1"}


def test_the_gender_marker_codes_say_what_they_mean() -> None:
    markers = pd.DataFrame(
        {
            "marker": ["IOM_GM"] * 4,
            "code": ["0", "2a", "NA", "not set"],
            "n_projects": [1, 2, 1, 1],
            "share_projects": [0.2, 0.4, 0.2, 0.2],
            "share_budget": [0.1, 0.5, 0.2, 0.2],
        }
    )
    figures = dataclasses.make_dataclass("F", ["markers"])(markers)
    assert [r[0] for r in coverage_section(figures).table.rows] == [
        "0 – gender not reflected",
        "2a – gender mainstreamed: significant contribution",
        "NA – not applicable",
        "No code (not set)",
    ]


def _pack_files(connection: Connection, scope: Scope) -> tuple[str, str, object]:
    inputs = review_inputs(connection, scope, Settings(), as_of=AS_OF)
    figures, changes = inputs.pop("figures"), inputs.pop("changes")
    pack = build_pack(figures, changes, **inputs)
    pptx, pdf = io.BytesIO(), io.BytesIO()
    write_pack(pack, "pptx", pptx)
    write_pack(pack, "pdf", pdf)
    pptx.seek(0)
    pdf.seek(0)
    slides = Presentation(pptx).slides
    pptx_text = []
    for slide in slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                pptx_text.append(shape.text_frame.text)
            if shape.has_table:
                pptx_text += [cell.text for row in shape.table.rows for cell in row.cells]
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return "\n".join(pptx_text), pdf_text, pack


def _report_kpis(connection: Connection, scope: Scope) -> dict[str, str]:
    """The key figures counted by hand from ``report``'s rows (projects, indicators, flags)."""
    frames = load_portfolio(connection, scope, PortfolioFilter(as_of=AS_OF))
    evaluation = evaluate_portfolio(frames, AS_OF, Settings())
    projects = build_report("projects", frames, evaluation)
    indicators = build_report("indicators", frames, evaluation)
    flags = build_report("flags", frames, evaluation)
    started = pd.to_datetime(projects["start_date"]) <= pd.Timestamp(AS_OF)
    managed = projects["managing_country"].isin(scope.countries) if scope.countries_only else True
    active = int(((projects["status"] == "active") & started & managed).sum())
    good = int(indicators["status"].isin(["on_track", "achieved"]).sum())
    assessable = int(indicators["status"].isin(["on_track", "achieved", "at_risk", "off_track"]).sum())
    return {
        "active": f"{active:,}",
        "in scope": f"of {len(projects):,} in scope",
        "on track": f"{round(100 * good / assessable)}%",
        "assessable": f"{good:,} on track or achieved of {assessable:,} assessable",
        "high flag": f"{int((projects['n_flags_high'] > 0).sum()):,}",
        "flags": f"{len(flags):,}",
    }


@pytest.fixture
def seeded(connection: Connection) -> Connection:
    seed_database(connection, projects=30, seed=5, today=TODAY)
    return connection


def test_leadership_pack_has_the_key_figures_of_report_in_both_files(seeded: Connection) -> None:
    create_snapshot(
        seeded,
        name="Q2",
        scope=Scope.whole_organisation("administrator"),
        as_of=dt.date(2026, 6, 30),
        created_by="lead",
        settings=Settings(),
    )
    pptx_text, pdf_text, pack = _pack_files(seeded, Scope.whole_organisation("administrator"))
    expected = _report_kpis(seeded, Scope.whole_organisation("administrator"))
    cards = {k.label: (k.value, k.detail) for k in pack.kpis}
    assert cards["Active projects"] == (expected["active"], expected["in scope"])
    assert cards["Indicators on track"] == (expected["on track"], expected["assessable"])
    assert cards["Projects with a high flag"][0] == expected["high flag"]
    assert cards["Flags"][0] == expected["flags"]
    for content in (pptx_text, pdf_text):
        for value in expected.values():
            assert value in content, value
        assert "What changed and why" in content, content[:3000]
        assert "Since snapshot" in content, [
            line for line in content.splitlines() if "Since" in line or "snapshot" in line
        ]
        assert "Problems ranked by money at stake" in content
    assert not re.search(r"\b0\.\d{3,}", pack.text())  # never a raw fraction


def test_a_chief_of_mission_pack_shows_nothing_outside_the_country(seeded: Connection) -> None:
    country = (
        seeded.execute(
            text(
                "SELECT c.iso3 FROM projects p JOIN country_offices o ON o.id = p.managing_office_id "
                "JOIN countries c ON c.id = o.country_id GROUP BY c.iso3 ORDER BY count(*) DESC, c.iso3"
            )
        )
        .scalars()
        .first()
    )
    scope = Scope.bounded_by_place("test", countries=(country,))
    create_snapshot(
        seeded, name="KEN Q2", scope=scope, as_of=dt.date(2026, 6, 30), created_by="com", settings=Settings()
    )
    pptx_text, pdf_text, pack = _pack_files(seeded, scope)
    every = set(seeded.execute(text("SELECT code FROM projects")).scalars())
    frames = load_portfolio(seeded, scope, PortfolioFilter(as_of=AS_OF))
    mine = set(frames.projects["project_code"])
    assert mine and every - mine
    for content in (pptx_text, pdf_text, pack.text()):
        shown = set(CODE.findall(content))
        assert shown, "the pack names projects"
        assert shown <= mine, shown - mine
    expected = _report_kpis(seeded, scope)
    assert {k.label: k.value for k in pack.kpis}["Flags"] == expected["flags"]
    for value in expected.values():
        assert value in pdf_text and value in pptx_text, value


def test_the_commands_write_both_packs_and_list_changes(tmp_path, capsys, monkeypatch) -> None:
    from data_access import cli
    from data_access.db import dispose_engine, get_engine, upgrade

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = get_engine(url)
    upgrade(engine)
    seed_database(engine, projects=6, seed=3, today=TODAY)
    monkeypatch.setenv("DATABASE_URL", url)
    assert cli.main(["snapshot", "create", "--name", "Q3", "--as-of", "2026-09-30"]) == 0
    snapshot = capsys.readouterr().out.strip().splitlines()[-1]
    assert cli.main(["changes", "--since", snapshot, "--as-of", "2026-10-31"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header == "kind,project_code,indicator_code,flag_code,item,before,after,cause"
    for fmt in ("pdf", "pptx"):
        out = tmp_path / f"pack.{fmt}"
        assert cli.main(["pack", "--format", fmt, "--output", str(out), "--snapshot", snapshot]) == 0
        assert out.stat().st_size > 10_000
    assert "Snapshot" not in PdfReader(tmp_path / "pack.pdf").pages[0].extract_text().split("·")[0]
    assert f"snapshot {snapshot} “Q3”" in PdfReader(tmp_path / "pack.pdf").pages[0].extract_text()
    titles = [
        s.shapes.title.text if s.shapes.title else s.shapes[0].text_frame.text
        for s in Presentation(tmp_path / "pack.pptx").slides
    ]
    # a section too tall for its slide goes on over "(continued)" slides (the off-track table here)
    assert [t for t in titles[1:] if not t.endswith("(continued)")] == [
        "Key figures",
        "What changed and why",
        "Problems ranked by money at stake",
        "Off-track indicators and why",
        "Money: burn against plan",
        "Money: forecast at close",
        "Risks",
        "Overdue recommendations",
        "Data quality",
        "Coverage of gender and AAP",
    ]
    assert (
        cli.main(
            [
                "pack",
                "--format",
                "pdf",
                "--output",
                str(tmp_path / "x.pdf"),
                "--snapshot",
                snapshot,
                "--as-of",
                "2026-10-01",
            ]
        )
        == 1
    )
    assert "not both" in capsys.readouterr().err
    dispose_engine(engine)


def test_a_pack_for_a_place_names_it_as_the_app_does(tmp_path, capsys, monkeypatch) -> None:
    """``--scope country:KEN`` titles the pack "Chief of mission, Kenya", as the app names that view,
    not "Chief of mission (KEN)", and a country without projects by its name too."""
    from sqlalchemy.orm import Session

    from data_access import cli
    from data_access.commands.report import scope_argument
    from data_access.db import dispose_engine, get_engine, upgrade
    from tests import factories as f

    url = f"sqlite:///{tmp_path / 'places.db'}"
    engine = get_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        east = f.make_region(session, code="RO-NAI", name="East and Horn of Africa")
        kenya = f.make_country(session, east, iso3="KEN", name="Kenya")
        f.make_country(session, east, iso3="UGA", name="Uganda")
        f.make_project(session, f.make_country_office(session, kenya))
        session.commit()
    assert scope_argument("country:KEN", engine).label == "Chief of mission, Kenya"
    assert scope_argument("region:RO-NAI", engine).label == "Regional director, East and Horn of Africa"
    assert scope_argument("country:UGA,KEN", engine).label == "Chief of mission, Kenya, Uganda"
    monkeypatch.setenv("DATABASE_URL", url)
    out = tmp_path / "pack.pdf"
    assert cli.main(["pack", "--format", "pdf", "--output", str(out), "--scope", "country:KEN"]) == 0
    assert "review pack of Chief of mission, Kenya to" in capsys.readouterr().out
    assert "Portfolio review: Chief of mission, Kenya" in PdfReader(out).pages[0].extract_text()
    dispose_engine(engine)


def _flat(text_: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces (table cells wrap)."""
    return " ".join(text_.split())


def test_off_track_indicators_show_the_latest_comment_beside_the_reason(seeded: Connection) -> None:
    """Issue 16 part 4 in the pack: the comment reported with the indicator's latest period is in
    the cell after the reason, in both files; one without a comment shows "–"."""
    scope = Scope.whole_organisation("administrator")
    flt = PortfolioFilter(as_of=AS_OF)
    said = latest_comments(actual_comments(seeded, scope, flt), AS_OF)
    evaluation = evaluate_portfolio(load_portfolio(seeded, scope, flt), AS_OF, Settings())
    off = evaluation.indicators[evaluation.indicators["status"] == "off_track"]
    comment_of = dict(zip(said["indicator_id"], said["comment"], strict=True))
    expected = {
        (r.project_code, r.indicator_code): (r.reason, comment_of.get(r.indicator_id, "–"))
        for r in off.itertuples(index=False)
    }
    inputs = review_inputs(seeded, scope, Settings(), as_of=AS_OF)
    pack = build_pack(inputs.pop("figures"), inputs.pop("changes"), **inputs)
    section = next(s for s in pack.sections if s.title == "Off-track indicators and why")
    assert section.table.columns[-2:] == ("Reason", "Latest comment")
    rows = {(r[0], r[1]): (r[-2], r[-1]) for r in section.table.rows}
    assert rows and any(comment != "–" for _reason, comment in rows.values())
    assert any(comment == "–" for _reason, comment in rows.values())
    for key, (reason, comment) in rows.items():
        assert (reason, comment) == (cut(expected[key][0], WIDTH["reason"]), cut(expected[key][1], WIDTH["comment"])), (
            key
        )
    pptx, pdf = io.BytesIO(), io.BytesIO()
    write_pack(pack, "pptx", pptx)
    write_pack(pack, "pdf", pdf)
    tables = [
        [[cell.text for cell in row.cells] for row in shape.table.rows]
        for slide in Presentation(io.BytesIO(pptx.getvalue())).slides
        for shape in slide.shapes
        if shape.has_table
    ]
    read_back = {(r[0], r[1]): (r[-2], r[-1]) for t in tables if t[0][-1] == "Latest comment" for r in t[1:]}
    assert read_back == rows
    pdf_text = _flat("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.getvalue())).pages))
    for reason, comment in rows.values():
        assert f"{_flat(reason)} {_flat(comment)}" in pdf_text, (reason, comment)


def test_a_section_with_nothing_to_list_says_so_in_a_sentence(seeded: Connection) -> None:
    """An empty table is never printed: the section says in words that there is nothing (here no
    overdue recommendation and no open risk), in both files."""
    inputs = review_inputs(seeded, Scope.whole_organisation("administrator"), Settings(), as_of=AS_OF)
    figures = inputs.pop("figures")
    quiet = dataclasses.replace(
        figures,
        flags=figures.flags[figures.flags["code"] != "RECOMMENDATIONS_OVERDUE"],
        risks=figures.risks.iloc[0:0],
    )
    pack = build_pack(quiet, inputs.pop("changes"), **inputs)
    for section in pack.sections:
        assert section.table is None or section.table.rows, section.title
    sections = {s.title: s for s in pack.sections}
    sentences = ("No evaluation or audit recommendation is open past its due date.", "No open risk in the register.")
    assert sections["Overdue recommendations"].lines == sentences[:1]
    assert sections["Risks"].lines == sentences[1:]
    pptx, pdf = io.BytesIO(), io.BytesIO()
    write_pack(pack, "pptx", pptx)
    write_pack(pack, "pdf", pdf)
    pdf_text = _flat("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.getvalue())).pages))
    slides = [
        shape.text_frame.text
        for slide in Presentation(io.BytesIO(pptx.getvalue())).slides
        for shape in slide.shapes
        if shape.has_text_frame
    ]
    for sentence in sentences:
        assert sentence in pdf_text and sentence in slides


JUNE = dt.date(2026, 6, 30)
DATE = re.compile(r"^[1-9]\d? [A-Z][a-z]{2} \d{4}$")  # monitoring.dates.date_text: "7 Apr 2026"


def test_a_pack_says_dates_as_the_app_does_and_no_review_after_its_date(seeded: Connection) -> None:
    """Findings of the pack review: the risk table said "14 September 2026" where every page says
    "14 Sep 2026", and a pack as of 30 Jun listed reviews of November (today's register). Its dates
    are ``date_text``'s, and a review after the pack's date is never shown, in today's figures for
    an earlier date, a snapshot and a snapshot frozen before the fix alike ("–": none known then)."""
    admin = Scope.whole_organisation("administrator")
    inputs = review_inputs(seeded, admin, Settings(), as_of=JUNE)
    figures = inputs.pop("figures")
    pack = build_pack(figures, inputs.pop("changes"), **inputs)
    assert pack.subtitle.startswith("As of 30 Jun 2026 · ")
    snapshot = create_snapshot(seeded, name="Q2", scope=admin, as_of=JUNE, created_by="lead", settings=Settings())
    inputs = review_inputs(seeded, admin, Settings(), snapshot_id=snapshot)
    frozen = build_pack(inputs.pop("figures"), inputs.pop("changes"), **inputs)
    register = figures.risks.assign(last_reviewed=pd.Timestamp(TODAY))  # as frozen before the fix
    old = build_pack(dataclasses.replace(figures, risks=register), None, scope_label="x", snapshot=None, since=None)
    for built in (pack, frozen, old):
        risks = next(s for s in built.sections if s.title == "Risks")
        reviewed = [row[5] for row in risks.table.rows]
        assert reviewed and all(r == "–" or DATE.match(r) for r in reviewed), reviewed
        assert all(pd.Timestamp(r) <= pd.Timestamp(JUNE) for r in reviewed if r != "–"), reviewed
        assert "Last reviewed: the last review on or before 30 Jun 2026" in risks.lines[-1]
    assert {row[5] for row in next(s for s in old.sections if s.title == "Risks").table.rows} == {"–"}


def test_a_review_replaced_since_the_date_is_read_back_from_the_history(seeded: Connection, session) -> None:
    """A seeded risk reviewed again in May and in November: as of 30 Jun, its last review is May's
    (the value the November update replaced, ``row_history``), as of today November's, and before
    the seeded review none is known."""
    admin = Scope.whole_organisation("administrator")
    row = dict(
        seeded.execute(
            text(
                "SELECT p.code AS project_code, r.code AS risk_code, r.description, r.category, r.likelihood, "
                "r.impact, r.mitigation, r.owner, r.status, r.last_reviewed "
                "FROM risks r JOIN projects p ON p.id = r.project_id "
                "WHERE r.last_reviewed < '2026-05-15' ORDER BY p.code, r.code"
            )
        )
        .mappings()
        .first()
    )
    seeded_review = pd.Timestamp(row.pop("last_reviewed"))
    for reviewed in ("2026-05-15", "2026-11-02"):
        result = submit_rows(
            session, "risks", [{**row, "last_reviewed": reviewed}], scope=admin, person="m", as_of=TODAY
        )
        assert result.ok, result.report.errors
    key = (row["project_code"], row["risk_code"])

    def last_reviewed(as_of: dt.date) -> pd.Timestamp:
        risks = current_figures(session.connection(), admin, as_of, Settings()).risks
        return risks.set_index(["project_code", "risk_code"]).loc[key, "last_reviewed"]

    assert last_reviewed(JUNE) == pd.Timestamp(2026, 5, 15)
    assert last_reviewed(dt.date(2026, 5, 14)) == seeded_review
    assert last_reviewed((seeded_review - pd.Timedelta(days=1)).date()) is pd.NaT
    assert last_reviewed(TODAY) == pd.Timestamp(2026, 11, 2)


def test_long_chart_labels_are_whole_in_both_files() -> None:
    """The PDF's AAP chart said "Transparency and information shar…": a label wraps onto more lines
    instead (PDF: measured in the font; PowerPoint: line breaks in the category, whole words)."""
    long = "Transparency and information sharing"
    chart = Chart(
        "AAP commitments", ("Participation", long), (("Met", (0.4, 0.3)), ("Not met", (0.6, 0.7))), True, True
    )
    pack = Pack("Pack", f"As of {JUNE}", (), (Section("Coverage", ("lines",), None, chart),))
    pptx, pdf = io.BytesIO(), io.BytesIO()
    write_pack(pack, "pptx", pptx)
    write_pack(pack, "pdf", pdf)
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.getvalue())).pages)
    assert long in _flat(pdf_text) and "…" not in pdf_text
    charts = [
        s.chart for slide in Presentation(io.BytesIO(pptx.getvalue())).slides for s in slide.shapes if s.has_chart
    ]
    categories = list(charts[0].plots[0].categories)
    assert [_flat(c) for c in categories] == ["Participation", long]
    assert categories[1].count("\n") == 1 and all(len(line) <= LABEL_CHARACTERS for line in categories[1].split("\n"))


def test_a_snapshot_name_with_a_bracket_is_named_whole_in_the_pack(seeded: Connection) -> None:
    """The pack named its snapshot by cutting the description at the first " (": a snapshot called
    "Q3 review (after fix)" showed as 'snapshot 3 “Q3 review', without the rest or the closing quote."""
    admin = Scope.whole_organisation("administrator")
    name = "Q2 review (after the fix)"
    snapshot = create_snapshot(seeded, name=name, scope=admin, as_of=JUNE, created_by="lead", settings=Settings())
    inputs = review_inputs(seeded, admin, Settings(), snapshot_id=snapshot)
    assert inputs["snapshot"] == f"snapshot {snapshot} “{name}”"
    pack = build_pack(inputs.pop("figures"), inputs.pop("changes"), **inputs)
    assert f"“{name}”" in pack.subtitle


def test_an_empty_portfolio_pack_has_no_blank_where_a_count_belongs(connection: Connection) -> None:
    """A browser review printed an empty database's pack: "Burn against plan:  projects." and
    "Forecast:  projects;" (the counts joined from nothing). Each now says there is none."""
    inputs = review_inputs(connection, Scope.whole_organisation("administrator"), Settings(), as_of=AS_OF)
    pack = build_pack(inputs.pop("figures"), inputs.pop("changes"), **inputs)
    lines = [line for section in pack.sections for line in section.lines]
    assert "Burn against plan: no project." in lines
    assert "Forecast: no project." in lines
    assert not [line for line in lines if re.search(r":\s*projects[;.]|:\s{2,}", line)]
    _, pdf_text, _ = _pack_files(connection, Scope.whole_organisation("administrator"))
    assert "Burn against plan: no project." in _flat(pdf_text)
    assert all(section.chart is None for section in pack.sections)  # no bar to draw
