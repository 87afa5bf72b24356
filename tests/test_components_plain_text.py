"""Imported text is shown as text (issue 10 item 7): the Markdown and Plotly escapes, and the Project
page with a hostile title, manager, donor and indicator name."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from components.plain_text import literal, literal_figure, plain_html
from data_access import models as m
from data_access.db import dispose_engine, get_engine
from tests import page_portfolio as pp
from tests.pages_apptest import app, texts

LINK = "[click](http://evil.example)"
IMAGE = "![x](http://evil.example/p.png)"
HTML = '<img src="http://evil.example/p.png">'
WJ = "\u2060"  # the invisible word joiner literal() puts where the renderer links after escapes


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("PX.0001 · Safe migration: phase 2, 50-60%", "PX.0001 · Safe migration: phase 2, 50-60%"),
        (LINK, f"\\[click\\](http:{WJ}//evil.example)"),
        ("see www.evil.example or http://evil.example", f"see www{WJ}.evil.example or http:{WJ}//evil.example"),
        ("write to a@evil.example", f"write to a@{WJ}evil.example"),
        (IMAGE, f"\\!\\[x\\](http:{WJ}//evil.example/p.png)"),
        ("**bold** _it_ `code` ~~no~~", r"\*\*bold\*\* \_it\_ \`code\` \~\~no\~\~"),
        (":red[alarm] :material/home: $x^2$", f":{WJ}red\\[alarm\\] :{WJ}material/home: \\$x^2\\$"),
        ("# Heading\n- item", r"\# Heading - item"),  # one line: no block can start
        ("- item", r"\- item"),
        ("12. item", r"12\. item"),
        (HTML, f'\\<img src="http:{WJ}//evil.example/p.png"\\>'),
        ("a \\ b &lt; c | d & e", r"a \\ b \&lt; c \| d & e"),
    ],
)
def test_literal_escapes_everything_markdown_acts_on(text: str, shown: str) -> None:
    assert literal(text) == shown


def test_plain_html_escapes_tags_but_keeps_the_builders_line_breaks() -> None:
    assert plain_html('<a href="x">y</a> & z<br>next') == '&lt;a href="x"&gt;y&lt;/a&gt; &amp; z<br>next'


def test_literal_figure_escapes_every_displayed_string_and_leaves_numbers() -> None:
    fig = go.Figure(
        go.Bar(
            x=[1.5, 2.0],
            y=np.array([HTML, "Plain"], dtype=object),
            text=[LINK, None],
            customdata=np.array([[HTML, 3.0], ["b", 4.0]], dtype=object),
            name="<b>name</b>",
        )
    )
    fig.update_layout(title={"text": f"{HTML}<br>second line"}, yaxis_title="<i>unit</i>")
    literal_figure(fig)
    bar = fig.data[0]
    assert list(bar.x) == [1.5, 2.0]
    assert list(bar.y) == ['&lt;img src="http://evil.example/p.png"&gt;', "Plain"]
    assert bar.customdata[0][0].startswith("&lt;img") and bar.customdata[0][1] == 3.0
    assert bar.name == "&lt;b&gt;name&lt;/b&gt;"
    assert fig.layout.title.text == '&lt;img src="http://evil.example/p.png"&gt;<br>second line'
    assert fig.layout.yaxis.title.text == "&lt;i&gt;unit&lt;/i&gt;"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> str:
    url = pp.create(tmp_path_factory.mktemp("literal") / "hostile.db")
    engine = get_engine(url)
    with Session(engine) as session:
        session.execute(
            update(m.Project).where(m.Project.code == "PX.B1").values(title=f"{LINK} {IMAGE}", manager=HTML)
        )
        project_id = session.scalar(
            m.Project.__table__.select().with_only_columns(m.Project.id).where(m.Project.code == "PX.B1")
        )
        session.execute(
            update(m.Indicator).where(m.Indicator.project_id == project_id).values(name=f"{HTML} <a href='x'>y</a>")
        )
        session.commit()
    dispose_engine(engine)
    return url


def test_the_project_page_shows_imported_markup_as_literal_text(hostile_db, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", hostile_db)
    at = app("pages/project.py", project="PX.B1", as_of=pp.AS_OF.isoformat()).run()
    assert not at.exception
    heading = at.subheader[0].value
    assert heading == literal(f"PX.B1 · {LINK} {IMAGE}")
    shown = texts(at)
    assert "](http" not in shown.replace("\\](http", "")  # no link or image syntax left active
    assert "http://" not in shown  # no bare URL left for the renderer's autolinks
    assert "**Manager** " + literal(HTML) in shown
    assert "<img" not in shown.replace("\\<img", "")
    # the charts are in their own tab (only the open tab runs): the same texts in the chart's spec
    at = app("pages/project.py", project="PX.B1", as_of=pp.AS_OF.isoformat(), tab="Indicator charts").run()
    assert not at.exception
    charts = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    assert charts, "the indicator chart is shown"
    spec = json.dumps(charts)
    assert "<img" not in spec and "<a href" not in spec
    assert "&lt;img" in spec
