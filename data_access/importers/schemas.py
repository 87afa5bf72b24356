"""Pydantic v2 models, one per canonical table: what a single row must look like.

Cells arrive raw (CSV strings, openpyxl values: ``int``, ``float``, ``datetime``, ``bool``) or
already typed by the IATI reader; the ``Before`` validators below turn each into the stored type
or raise a ``PydanticCustomError`` whose message is the reason shown to the user ("not a date:
write it as YYYY-MM-DD"). Field names are the column names of ``tables.TABLES`` (a test checks
the two agree), and the column kinds of the spec map to the annotated types here.

Rules that hold everywhere:

* Strings are stripped; an empty cell is ``None``.
* Dates are ISO (``2024-03-31``) or a real Excel date cell; nothing locale-dependent
  (``03/04/2024`` is refused: day-month or month-day cannot be told apart).
* Numbers are plain decimals (``1234.5``); ``1,234`` is refused rather than guessed, and so is text
  such as ``N/A`` (it belongs in the ``*_text`` columns). Booleans are not numbers.
* Codes are matched case-insensitively and stored in the spelling of ``data_access.models``.
* Numbers are plausible: no amount, target, actual or baseline beyond ±10^13 (:data:`MAX_ABS`,
  ten trillion in any currency or unit; the largest real budgets are below 10^11). A larger
  number is a typo or a hostile file, and sums of such numbers overflow to infinity on the pages.
* Text fits its stored column: the length of every ``String(n)`` column of ``data_access.models``
  is checked here (:func:`Str`), with the row and column named, rather than by the database (SQLite
  stores anything; PostgreSQL fails the whole import with a bare ``DataError``).
* Unknown keys are ignored here: the readers report unknown columns as notes.

Cross-row rules (does the project exist, duplicates, parent results...) live in ``validate``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from data_access import models as m
from data_access.importers.tables import TABLES_BY_NAME, TableSpec
from data_access.models import MARKER_SCHEMES, TAG_SCHEMES

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_ALPHA3 = re.compile(r"^[A-Z]{3}$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


# a file's reader is told where a value in words goes only where the table has such a column
# (``validate`` adds "the actual_text column"); a page form offers none, so says nothing of it
NOT_A_NUMBER = "not a number; use digits with '.' for decimals"


def _fail(kind: str, message: str, column: str | None = None) -> PydanticCustomError:
    """An error whose message is the reason shown to the user; ``column`` names the cell a
    whole-row rule blames (e.g. ``end_date`` for "end before start")."""
    return PydanticCustomError(
        kind, message.replace("{", "(").replace("}", ")"), {"column": column} if column else None
    )


def clean_text(value: Any) -> str | None:
    """A stripped string or ``None``; whole numbers from Excel lose their ``.0`` (codes such as 1)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        value = int(value) if value.is_integer() else value
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if type(value) is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)  # the common case, fast
        except ValueError:
            pass
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean_text(value)
    if text is None:
        return None
    if isinstance(value, int | float):
        raise _fail("date_type", "a number where a date is expected; write the date as YYYY-MM-DD")
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise _fail("date_invalid", "no such day in the calendar; check the day and month") from None
    if len(text) > 10 and _ISO_DATE.match(text[:10]) and text[10] in "T ":
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            pass
    raise _fail("date_format", "not a date; write it as YYYY-MM-DD, e.g. 2024-03-31")


def _month(value: Any) -> dt.date | None:
    if type(value) is str and len(value) == 7 and value[4] == "-" and value[:4].isdigit() and value[5:].isdigit():
        month = int(value[5:])
        if 1 <= month <= 12:
            return dt.date(int(value[:4]), month, 1)  # the common case, fast
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = clean_text(value)
    if text is None:
        return None
    match = _MONTH.match(text) or (_MONTH.match(text[:7]) if _ISO_DATE.match(text) else None)
    if match and 1 <= int(match.group(2)) <= 12:
        return dt.date(int(match.group(1)), int(match.group(2)), 1)
    raise _fail("month_format", "not a month; write it as YYYY-MM, e.g. 2024-03")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        raise _fail("number_type", "yes/no where a number is expected")
    if isinstance(value, int | float):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            if math.isnan(value):
                return None
            raise _fail("number_infinite", "an infinite number; enter a finite value")
        return float(value)
    if isinstance(value, dt.date):
        raise _fail("number_type", "a date where a number is expected")
    text = clean_text(value)
    if text is None:
        return None
    if _NUMBER.match(text):
        return float(text)
    if re.match(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$", text):
        raise _fail("number_format", "thousands separators are not accepted; write 1234.5, not 1,234.5")
    raise _fail("number_format", NOT_A_NUMBER)


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = clean_text(value)
    if text is None:
        return None
    lowered = text.lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    raise _fail("yes_no", "write yes or no")


def _alpha3(what: str):
    def check(value: Any) -> str | None:
        if type(value) is str and len(value) == 3 and value.isalpha() and value.isupper():
            return value
        text = clean_text(value)
        if text is None:
            return None
        upper = text.upper()
        if not _ALPHA3.match(upper):
            raise _fail(
                "alpha3", f"not a {what}: three letters expected, e.g. {'KEN' if what == 'country code' else 'USD'}"
            )
        return upper

    return check


def code_list(value: Any) -> tuple[str, ...] | None:
    """A cell of codes separated by ';' (or a list of them): the stripped, non-empty codes."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        items = [clean_text(v) for v in value]
    else:
        text = clean_text(value)
        if text is None:
            return ()
        items = [clean_text(part) for part in text.split(";")]
    return tuple(i for i in items if i)


def _pairs(value: Any) -> tuple[tuple[str, str], ...] | None:
    if isinstance(value, dict):
        value = [f"{k}:{v}" for k, v in value.items()]
    items = code_list(value)
    if items is None:
        return None
    pairs = []
    for item in items:
        key, sep, val = item.partition(":")
        if not sep or not key.strip() or not val.strip():
            raise _fail("pairs", f"{item!r} is not KEY:VALUE; separate pairs with ';', e.g. SDG:10.7;GCM:1")
        pairs.append((key.strip(), val.strip()))
    return tuple(pairs)


def coded(codes: tuple[str, ...]) -> BeforeValidator:
    """A validator accepting ``codes`` case-insensitively and returning their canonical spelling."""
    lookup = {c.lower(): c for c in codes}
    exact = frozenset(codes)

    def check(value: Any) -> str | None:
        if value in exact:
            return value
        text = clean_text(value)
        if text is None:
            return None
        try:
            return lookup[text.lower()]
        except KeyError:
            raise _fail("code", f"not one of: {', '.join(codes)}") from None

    return BeforeValidator(check)


# Hot types are pydantic's own (validated in Rust): the 10,000-project portfolio has millions of
# cells. Their error types are turned into the same plain reasons by ``validate._reason``.
Text = str | None
ReqText = Annotated[str, StringConstraints(min_length=1)]
MAX_ABS = 1e13  # the plausible bound of every number (see the module docstring)
ReqNumber = Annotated[float, Field(ge=-MAX_ABS, le=MAX_ABS)]
Number = ReqNumber | None
Score = Annotated[int, Field(ge=1, le=5)]
ReqNonNegative = Annotated[float, Field(ge=0, le=MAX_ABS)]
NonNegative = ReqNonNegative | None
Date = Annotated[dt.date | None, BeforeValidator(_date)]
ReqDate = Annotated[dt.date, BeforeValidator(_date)]
Month = Annotated[dt.date, BeforeValidator(_month)]
YesNo = Annotated[bool | None, BeforeValidator(_yes_no)]
Iso3 = Annotated[str, BeforeValidator(_alpha3("country code"))]
Currency = Annotated[str, BeforeValidator(_alpha3("currency code"))]
CodeList = Annotated[tuple[str, ...] | None, BeforeValidator(code_list)]
Pairs = Annotated[tuple[tuple[str, str], ...] | None, BeforeValidator(_pairs)]


def _length(column: Any) -> int:
    return column.type.length


def Str(column: Any) -> Any:
    """Optional text no longer than the model's ``column`` (``String(n)``) keeps."""
    return Annotated[str, StringConstraints(max_length=_length(column))] | None


def ReqStr(column: Any) -> Any:
    """Required text no longer than the model's ``column`` keeps."""
    return Annotated[str, StringConstraints(min_length=1, max_length=_length(column))]


def _fits(values: Any, column: Any, name: str) -> None:
    """Each item of a list column (donors, tag codes) fits the model's ``column``."""
    limit = _length(column)
    for value in values:
        if len(value) > limit:
            raise _fail(
                "string_too_long", f"{value[:20]!r}... is {len(value)} characters; at most {limit} are kept", name
            )


def Code(codes: tuple[str, ...]) -> Any:
    return Annotated[str | None, coded(codes)]


def ReqCode(codes: tuple[str, ...]) -> Any:
    return Annotated[str, coded(codes)]


class Row(BaseModel):
    """Common configuration: unknown keys ignored (reported elsewhere); strings stripped; numbers in
    a text column read as text (a code typed as 12 in Excel is "12"); no NaN or infinity."""

    model_config = ConfigDict(
        extra="ignore", frozen=True, str_strip_whitespace=True, coerce_numbers_to_str=True, allow_inf_nan=False
    )


def _spec(name: str) -> TableSpec:
    return TABLES_BY_NAME[name]


def _codes(table: str, column: str) -> tuple[str, ...]:
    return _spec(table).column(column).codes


def _check_marker(scheme: str, code: str, column: str) -> None:
    allowed = MARKER_SCHEMES.get(scheme)
    if allowed is None:
        raise _fail("marker_scheme", f"unknown marker scheme {scheme!r}; known: {', '.join(MARKER_SCHEMES)}", column)
    if code.lower() not in {c.lower() for c in allowed}:
        raise _fail("marker_code", f"{code!r} is not a code of {scheme} ({', '.join(allowed)})", column)


def canonical_marker_code(scheme: str, code: str) -> str:
    """The stored spelling of a marker code (``2A`` → ``2a`` for IOM_GM)."""
    return {c.lower(): c for c in MARKER_SCHEMES[scheme]}[code.lower()]


class ProjectRow(Row):
    project_code: ReqStr(m.Project.code)
    title: ReqStr(m.Project.title)
    managing_country: Iso3
    countries: CodeList = None
    region: Str(m.Region.code) = None
    donors: CodeList = None
    thematic_area: Str(m.Project.thematic_area) = None
    start_date: ReqDate
    end_date: ReqDate
    revised_end_date: Date = None
    status: ReqCode(_codes("projects", "status"))
    currency: Currency
    manager: Str(m.Project.manager) = None
    high_risk_context: YesNo = None
    gender_marker_scheme: Code(_codes("projects", "gender_marker_scheme")) = None
    gender_marker_code: Text = None
    aap_leadership: Code(_codes("projects", "aap_leadership")) = None
    aap_information: Code(_codes("projects", "aap_information")) = None
    aap_feedback: Code(_codes("projects", "aap_feedback")) = None
    aap_participation: Code(_codes("projects", "aap_participation")) = None
    aap_design_monitoring: Code(_codes("projects", "aap_design_monitoring")) = None
    tags: Pairs = None
    description: Text = None
    country_percentages: Pairs = None
    markers: Pairs = None
    reporting_org: Text = None

    @model_validator(mode="after")
    def _consistent(self) -> ProjectRow:
        if self.end_date <= self.start_date:
            raise _fail("end_before_start", "end_date must be after start_date", "end_date")
        if self.revised_end_date is not None and self.revised_end_date <= self.start_date:
            raise _fail("revised_before_start", "revised_end_date must be after start_date", "revised_end_date")
        for code in self.countries or ():
            if not _ALPHA3.match(code.upper()):
                raise _fail("alpha3", f"{code!r} is not an ISO3 country code (e.g. KEN)", "countries")
        if (self.gender_marker_scheme is None) != (self.gender_marker_code is None):
            raise _fail(
                "marker_pair", "give both gender_marker_scheme and gender_marker_code, or neither", "gender_marker_code"
            )
        if self.gender_marker_scheme is not None:
            _check_marker(self.gender_marker_scheme, self.gender_marker_code or "", "gender_marker_code")
        for scheme, code in self.markers or ():
            _check_marker(scheme, code, "markers")
        _fits(self.donors or (), m.Donor.name, "donors")
        _fits([code for _scheme, code in self.tags or ()], m.ProjectTag.code, "tags")
        for scheme, _code in self.tags or ():
            if scheme.upper() not in TAG_SCHEMES:
                raise _fail("tag_scheme", f"unknown tag scheme {scheme!r}; known: {', '.join(TAG_SCHEMES)}", "tags")
        for country, pct in self.country_percentages or ():
            number = _number(pct)
            if not _ALPHA3.match(country.upper()) or number is None or not 0 <= number <= 100:
                raise _fail(
                    "percentage", f"{country}:{pct} must be ISO3:percentage between 0 and 100", "country_percentages"
                )
        return self


class ResultRow(Row):
    project_code: ReqStr(m.Project.code)
    result_code: ReqStr(m.Result.code)
    level: ReqCode(_codes("results", "level"))
    parent_code: Str(m.Result.code) = None
    statement: ReqText

    @model_validator(mode="after")
    def _not_own_parent(self) -> ResultRow:
        if self.parent_code is not None and self.parent_code == self.result_code:
            raise _fail("own_parent", "a result cannot be its own parent", "parent_code")
        return self


class IndicatorRow(Row):
    project_code: ReqStr(m.Project.code)
    indicator_code: ReqStr(m.Indicator.code)
    result_code: Str(m.Result.code) = None
    name: ReqText
    unit: Str(m.Indicator.unit) = None
    measure: Code(_codes("indicators", "measure")) = None
    direction: Code(_codes("indicators", "direction")) = None
    accumulation: Code(_codes("indicators", "accumulation")) = None
    baseline: Number = None
    baseline_date: Date = None
    end_target: Number = None
    disaggregation: Code(_codes("indicators", "disaggregation")) = None
    data_source: Text = None
    frequency: Str(m.Indicator.frequency) = None
    responsible: Str(m.Indicator.responsible) = None
    collection_method: Text = None
    baseline_text: Str(m.Indicator.baseline_text) = None
    end_target_text: Str(m.Indicator.end_target_text) = None
    import_note: Text = None


class PeriodRow(Row):
    project_code: ReqStr(m.Project.code)
    indicator_code: ReqStr(m.Indicator.code)
    period_start: ReqDate
    period_end: ReqDate
    target: Number = None
    actual: Number = None
    actual_female: NonNegative = None
    actual_male: NonNegative = None
    actual_other: NonNegative = None
    comment: Text = None
    reported_on: Date = None
    source: Code(_codes("periods", "source")) = None
    target_text: Str(m.Target.target_text) = None
    actual_text: Str(m.Actual.value_text) = None

    @model_validator(mode="after")
    def _order(self) -> PeriodRow:
        if self.period_end < self.period_start:
            raise _fail("period_order", "period_end must be on or after period_start", "period_end")
        return self


class BreakdownRow(Row):
    project_code: ReqStr(m.Project.code)
    indicator_code: ReqStr(m.Indicator.code)
    period_start: ReqDate
    period_end: ReqDate
    dimension: ReqStr(m.ActualBreakdown.dimension)
    category: ReqStr(m.ActualBreakdown.category)
    value: Number = None
    value_text: Str(m.ActualBreakdown.value_text) = None


class BudgetRow(Row):
    project_code: ReqStr(m.Project.code)
    line_code: ReqStr(m.BudgetLine.line_code)
    category: ReqCode(_codes("budget", "category"))
    description: Text = None
    amount: ReqNonNegative
    currency: Currency
    revision_date: Date = None
    kind: Code(_codes("budget", "kind")) = None
    note: Text = None

    @model_validator(mode="after")
    def _kind_matches_date(self) -> BudgetRow:
        if self.revision_date is None and self.kind not in (None, "original"):
            raise _fail("kind_date", f"a {self.kind} needs a revision_date", "revision_date")
        if self.revision_date is not None and self.kind == "original":
            raise _fail("kind_date", "the original budget has no revision_date; leave it empty", "kind")
        return self


class ExpenditureRow(Row):
    project_code: ReqStr(m.Project.code)
    line_code: ReqStr(m.BudgetLine.line_code)
    month: Month
    amount: ReqNumber
    currency: Currency


class RiskRow(Row):
    project_code: ReqStr(m.Project.code)
    risk_code: ReqStr(m.Risk.code)
    description: ReqText
    category: ReqCode(_codes("risks", "category"))
    likelihood: Score
    impact: Score
    mitigation: Text = None
    owner: Str(m.Risk.owner) = None
    status: Code(_codes("risks", "status")) = None
    last_reviewed: Date = None


class VisitRow(Row):
    project_code: ReqStr(m.Project.code)
    visit_date: ReqDate
    type: ReqCode(_codes("visits", "type"))
    findings: Text = None
    follow_up_status: Code(_codes("visits", "follow_up_status")) = None


class FxRateRow(Row):
    date: ReqDate
    currency: Currency
    usd_rate: Annotated[float, Field(gt=0)]


class IncomingFundRow(Row):
    project_code: ReqStr(m.Project.code)
    kind: ReqCode(_codes("incoming_funds", "kind"))
    date: ReqDate
    amount: ReqNumber
    currency: Currency
    donor: Str(m.Donor.name) = None
    reference: Str(m.IncomingFund.reference) = None


class SpendingPlanRow(Row):
    project_code: ReqStr(m.Project.code)
    month: Month
    amount: ReqNonNegative


class FundingAgreementRow(Row):
    project_code: ReqStr(m.Project.code)
    donor: ReqStr(m.Donor.name)
    reference: ReqStr(m.FundingAgreement.reference)
    amount: ReqNonNegative
    currency: Currency
    earmarking: Code(_codes("funding_agreements", "earmarking")) = None
    signed_on: Date = None


class EvaluationRow(Row):
    evaluation_code: ReqStr(m.Evaluation.code)
    title: ReqStr(m.Evaluation.title)
    type: ReqCode(_codes("evaluations", "type"))
    date: ReqDate
    project_codes: CodeList = None
    ratings: Pairs = None

    @model_validator(mode="after")
    def _ratings(self) -> EvaluationRow:
        _fits([criterion for criterion, _rating in self.ratings or ()], m.EvaluationRating.criterion, "ratings")
        for criterion, rating in self.ratings or ():
            number = _number(rating)
            if number is None or not number.is_integer() or not 1 <= number <= 4:
                raise _fail("rating", f"{criterion}:{rating} must be a whole number from 1 to 4", "ratings")
        return self


class RecommendationRow(Row):
    project_code: ReqStr(m.Project.code)
    recommendation_code: ReqStr(m.Recommendation.code)
    evaluation_code: Str(m.Evaluation.code) = None
    source: Code(_codes("recommendations", "source")) = None
    text: ReqText
    issued_on: ReqDate
    management_response: Code(_codes("recommendations", "management_response")) = None
    action: Text = None
    owner: Str(m.Recommendation.owner) = None
    due_date: Date = None
    status: Code(_codes("recommendations", "status")) = None
    implemented_on: Date = None

    @model_validator(mode="after")
    def _implemented_after_issue(self) -> RecommendationRow:
        if self.implemented_on is not None and self.issued_on is not None and self.implemented_on < self.issued_on:
            raise _fail(
                "implemented_before_issue",
                f"implemented_on {self.implemented_on} is before issued_on {self.issued_on}",
                "implemented_on",
            )
        return self


_EMAIL = re.compile(r"[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+")


def _email(value: Any) -> str:
    text = clean_text(value)
    if text is None:
        raise _fail("missing", "an email address is required", "email")
    if not _EMAIL.fullmatch(text):
        raise _fail("email", "not an email address, e.g. name@example.org")
    return text.lower()


class PersonRow(Row):
    email: Annotated[str, BeforeValidator(_email)]
    name: ReqText
    role: ReqCode(_codes("people", "role"))
    scope: CodeList = None
    active: YesNo = None
    digest: Code(_codes("people", "digest")) = None

    @model_validator(mode="after")
    def _scope_fits_role(self) -> PersonRow:
        codes = self.scope or ()
        if self.role == "chief_of_mission":
            for code in codes:
                if not _ALPHA3.match(code.upper()):
                    raise _fail("scope", f"{code!r} is not an ISO3 country code (three letters, e.g. KEN)", "scope")
            object.__setattr__(self, "scope", tuple(c.upper() for c in codes))
        return self


ROW_MODELS: dict[str, type[Row]] = {
    "projects": ProjectRow,
    "results": ResultRow,
    "indicators": IndicatorRow,
    "periods": PeriodRow,
    "breakdowns": BreakdownRow,
    "budget": BudgetRow,
    "expenditure": ExpenditureRow,
    "risks": RiskRow,
    "visits": VisitRow,
    "fx_rates": FxRateRow,
    "incoming_funds": IncomingFundRow,
    "spending_plan": SpendingPlanRow,
    "funding_agreements": FundingAgreementRow,
    "evaluations": EvaluationRow,
    "recommendations": RecommendationRow,
    "people": PersonRow,
}
