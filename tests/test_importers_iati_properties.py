"""Whatever an IATI file holds, the importer hands the writer rows that pass validation.

An import is all or nothing, so one row the validation refuses would reject a whole real file for
one odd value. Hypothesis builds activities from the oddities seen in real files (values that are
not numbers, negative and huge numbers, dimension names used as categories, empty and very long
names, periods that end before they start, budgets of every type and currency, transactions of
every type) and checks that the rows produced validate without a single error and fit the
columns of the data model.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_access.importers.iati import parse_iati
from data_access.importers.validate import validate_imports
from tests.importers_support import IMPORT_DAY

VALUES = st.sampled_from(
    [
        "12",
        "0",
        "-5",
        "1037.00",
        "N/A",
        "TBD",
        "<15",
        "80%",
        "1,234",
        "23,14",
        "2020:2160",
        "",
        "  7 ",
        "1e3",
        "nan",
        "99999999999",
        "x" * 600,
    ]
)
NAMES = st.sampled_from(
    [
        "sex",
        "Gender - genre",
        "age",
        "Age (-18/18+)",
        "Boys",
        "Women",
        "Female under 18",
        "Direct/ Indirect",
        "",
        "d" * 300,
    ]
)
DIM_VALUES = st.sampled_from(
    ["female", "Male - masculin", "Unknown - inconnu", "under 18", "Age 18 >", "22", "", "adult", "v" * 300]
)
DATES = st.sampled_from(["2020-01-01", "2020-06-30", "2020-12-31", "2021-12-31", "not a date", ""])
CURRENCIES = st.sampled_from(["", "EUR", "USD", "eur", "XX"])


def attr(name: str, value: str) -> str:
    return f" {name}={quoteattr(value)}"


@st.composite
def value_element(draw: st.DrawFn, tag: str) -> str:
    dims = draw(st.lists(st.tuples(NAMES, DIM_VALUES), max_size=3))
    location = draw(st.sampled_from(["", '<location ref="AF"/>', '<location ref="PH"/>']))
    inner = "".join(f"<dimension{attr('name', n)}{attr('value', v)}/>" for n, v in dims)
    return f"<{tag}{attr('value', draw(VALUES))}>{location}{inner}</{tag}>"


@st.composite
def period(draw: st.DrawFn) -> str:
    targets = "".join(draw(st.lists(value_element("target"), max_size=2)))
    actuals = "".join(draw(st.lists(value_element("actual"), max_size=3)))
    return (
        f'<period><period-start iso-date="{draw(DATES)}"/><period-end iso-date="{draw(DATES)}"/>'
        f"{targets}{actuals}</period>"
    )


@st.composite
def result(draw: st.DrawFn) -> str:
    indicators = ""
    for _ in range(draw(st.integers(0, 2))):
        measure = draw(st.sampled_from(["1", "2", "3", "5", "9", ""]))
        baselines = "".join(draw(st.lists(value_element("baseline"), max_size=2)))
        periods = "".join(draw(st.lists(period(), max_size=3)))
        title = escape(draw(st.sampled_from(["Indicator", "", "t" * 2000])))
        indicators += (
            f'<indicator measure="{measure}" ascending="{draw(st.sampled_from(["0", "1", ""]))}">'
            f"<title><narrative>{title}</narrative></title>{baselines}{periods}</indicator>"
        )
    kind = draw(st.sampled_from(["1", "2", "3", "9", ""]))
    return f'<result type="{kind}"><title><narrative>Result</narrative></title>{indicators}</result>'


@st.composite
def money(draw: st.DrawFn) -> str:
    out = ""
    for _ in range(draw(st.integers(0, 3))):
        currency = draw(CURRENCIES)
        cur = attr("currency", currency) if currency else ""
        out += (
            f'<budget type="{draw(st.sampled_from(["1", "2", "3", ""]))}"><period-start iso-date="{draw(DATES)}"/>'
            f'<period-end iso-date="{draw(DATES)}"/><value{cur}>{escape(draw(VALUES))}</value></budget>'
        )
    for _ in range(draw(st.integers(0, 4))):
        currency = draw(CURRENCIES)
        cur = attr("currency", currency) if currency else ""
        provider = escape(draw(st.sampled_from(["Donor", "", "p" * 400])))
        out += (
            f'<transaction><transaction-type code="{draw(st.sampled_from(["1", "2", "3", "4", "7", "11", ""]))}"/>'
            f'<transaction-date iso-date="{draw(DATES)}"/><value{cur}>{escape(draw(VALUES))}</value>'
            f"<provider-org><narrative>{provider}</narrative></provider-org></transaction>"
        )
    return out


@st.composite
def activity(draw: st.DrawFn) -> str:
    countries = "".join(
        f'<recipient-country code="{c}" percentage="{p}"/>'
        for c, p in draw(
            st.lists(
                st.tuples(st.sampled_from(["KE", "UG", "XK", "ZZ", "AQ"]), st.sampled_from(["100", "40", "-1", "abc"])),
                max_size=2,
            )
        )
    )
    markers = "".join(
        f'<policy-marker vocabulary="{v}" code="{c}" significance="{s}"/>'
        for v, c, s in draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["1", "99", ""]),
                    st.sampled_from(["1", "2", "2A", "11", "x"]),
                    st.sampled_from(["0", "2", "4", ""]),
                ),
                max_size=3,
            )
        )
    )
    dates = (
        f'<activity-date type="{draw(st.sampled_from(["1", "2"]))}" iso-date="{draw(DATES)}"/>'
        f'<activity-date type="{draw(st.sampled_from(["3", "4"]))}" iso-date="{draw(DATES)}"/>'
    )
    reporting = draw(st.sampled_from(["XM-DAC-47066", "XX-ORG"]))
    default = draw(CURRENCIES)
    results = "".join(draw(st.lists(result(), max_size=2)))
    return (
        f"<iati-activity{attr('default-currency', default) if default else ''}>"
        f"<iati-identifier>{escape(draw(st.sampled_from(['XX-1', 'XX-2', 'i' * 150])))}</iati-identifier>"
        f'<reporting-org ref="{reporting}"><narrative>Org</narrative></reporting-org>'
        f"<title><narrative>{escape(draw(st.sampled_from(['Title', '', 'T' * 1500])))}</narrative></title>"
        f'<activity-status code="{draw(st.sampled_from(["1", "2", "4", "6", "8", ""]))}"/>'
        f"{dates}{countries}{markers}{draw(money())}{results}</iati-activity>"
    )


LIMITS = {  # column -> the length of the model column it is stored in
    ("projects", "project_code"): 100,
    ("projects", "title"): 1000,
    ("projects", "thematic_area"): 200,
    ("indicators", "baseline_text"): 500,
    ("indicators", "end_target_text"): 500,
    ("periods", "target_text"): 500,
    ("periods", "actual_text"): 500,
    ("breakdowns", "dimension"): 200,
    ("breakdowns", "category"): 200,
    ("breakdowns", "value_text"): 500,
    ("budget", "line_code"): 100,
    ("incoming_funds", "donor"): 300,
    ("incoming_funds", "reference"): 200,
}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(activity(), min_size=1, max_size=3))
def test_whatever_the_file_holds_every_row_validates(activities: list[str]) -> None:
    xml = '<iati-activities version="2.03">' + "".join(activities) + "</iati-activities>"
    parsed = parse_iati(xml.encode(), "random.xml")
    report = validate_imports([parsed], as_of=IMPORT_DAY).report
    assert [p.describe() for p in report.errors] == []
    for (table, column), limit in LIMITS.items():
        for row in parsed.rows(table):
            value = row.values.get(column)
            assert value is None or len(str(value)) <= limit, (table, column, len(str(value)))
    for row in parsed.rows("projects"):
        assert all(len(d) <= 300 for d in row.values["donors"])
