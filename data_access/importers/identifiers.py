"""Codes in imported rows: what they may contain, and one spelling per code.

What a code may contain is defined once, in :mod:`reference.text_rules` (ASCII letters, digits,
single inner spaces and ``. - _ / : ( ) + # &``): a code with a right-to-left override, a
zero-width space, a control character or a letter of another alphabet is an error naming the row,
the column and the character, and the row is not imported.

Codes are one code whatever their letter case: ``px.0001`` in a file is the stored ``PX.0001``
(never a second project that looks the same), and a code written twice in the files in two cases
is read in the first spelling, so the duplicate check sees one key. Codes of rows inside a project
(results, indicators, budget lines, risks, recommendations) are matched within their project.
A note says how many codes were read in another spelling.

The work is done on the distinct values of each column, not per row: the 10,000-project portfolio
is millions of rows but a few hundred thousand codes, and nothing is rewritten when every code
already has its canonical spelling (the common case).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from data_access.importers.tables import TABLE_NAMES, Note, Source
from reference.text_rules import code_identity, code_problem

if TYPE_CHECKING:
    from data_access.importers.validate import KnownKeys, Validated, ValidRow

# identifier column -> its namespace; codes of the namespaces in PER_PROJECT are unique per project
ID_COLUMNS = {
    "project_code": "project",
    "project_codes": "project",
    "result_code": "result",
    "parent_code": "result",
    "indicator_code": "indicator",
    "line_code": "line",
    "risk_code": "risk",
    "evaluation_code": "evaluation",
    "recommendation_code": "recommendation",
}
PER_PROJECT = frozenset({"result", "indicator", "line", "risk", "recommendation"})
LIST_COLUMNS = frozenset({"project_codes"})
PROJECT_COLUMNS = ("project_code", "project_codes")


def check_codes(v: Validated, known: KnownKeys) -> None:
    """Refuse rows whose codes hold characters codes may not, then give every code one spelling."""
    for name in TABLE_NAMES:
        rows = v.tables.get(name)
        if rows:
            v.tables[name] = _refuse_bad_codes(name, rows, v)
    _one_spelling(v, known)


def _codes(rows: list[ValidRow], column: str) -> Iterable[str]:
    if column in LIST_COLUMNS:
        return {c for r in rows for c in getattr(r.model, column) or ()}
    return {getattr(r.model, column) for r in rows} - {None}


def _columns(rows: list[ValidRow]) -> list[str]:
    return [c for c in rows[0].model._fields if c in ID_COLUMNS]


def _refuse_bad_codes(name: str, rows: list[ValidRow], v: Validated) -> list[ValidRow]:
    bad: dict[str, dict[str, str]] = {}
    for column in _columns(rows):
        problems = {c: p for c in _codes(rows, column) if (p := code_problem(c)) is not None}
        if problems:
            bad[column] = problems
    if not bad:
        return rows
    kept = []
    for r in rows:
        refused = False
        for column, problems in bad.items():
            value = getattr(r.model, column)
            for code in value if column in LIST_COLUMNS else (value,):
                if code in problems:
                    v.report.error(r.source, column, code, problems[code])
                    refused = True
        if refused:
            key = _referenced_key(name, r)
            if key is not None:
                v.invalid_keys.setdefault(name, set()).add(key)
        else:
            kept.append(r)
    return kept


def _referenced_key(name: str, r: ValidRow) -> tuple | None:
    from data_access.importers.validate import REFERENCED_KEYS

    columns = REFERENCED_KEYS.get(name)
    return None if columns is None else tuple(getattr(r.model, c) for c in columns)


def _stored(known: KnownKeys) -> dict[tuple, str]:
    """(namespace, project identity or None, code identity) -> the stored spelling."""
    canon: dict[tuple, str] = {}
    for code in known.projects:
        canon[("project", None, code_identity(code))] = code
    for code in known.evaluations:
        canon[("evaluation", None, code_identity(code))] = code
    per_project = {
        "result": known.results,
        "indicator": known.indicators,
        "line": known.budget_lines,
        "risk": known.risks,
        "recommendation": known.recommendations,
    }
    for space, keys in per_project.items():
        for project, code in keys:
            canon[(space, code_identity(project), code_identity(code))] = code
    return canon


def _one_spelling(v: Validated, known: KnownKeys) -> None:
    canon = _stored(known)
    # project codes first (they scope the other codes), then the others; tables in their order
    for projects in (True, False):
        for name in TABLE_NAMES:
            rows = v.tables.get(name)
            if not rows:
                continue
            respelled = {}
            for column in _columns(rows):
                if (column in PROJECT_COLUMNS) == projects and (mapping := _mapping(rows, column, canon)):
                    respelled[column] = mapping
            if respelled:
                v.tables[name] = _rewrite(name, rows, respelled, v)


def _mapping(rows: list[ValidRow], column: str, canon: dict[tuple, str]) -> dict:
    """The values of ``column`` that are read in another spelling: value -> canonical spelling (for
    per-project codes the value is (project code, code))."""
    space = ID_COLUMNS[column]
    mapping = {}
    if space in PER_PROJECT:
        pairs = dict.fromkeys((r.model.project_code, getattr(r.model, column)) for r in rows)
        for project, code in pairs:
            if code is None:
                continue
            spelling = canon.setdefault((space, code_identity(project), code_identity(code)), code)
            if spelling != code:
                mapping[(project, code)] = spelling
        return mapping
    if column in LIST_COLUMNS:
        values = dict.fromkeys(c for r in rows for c in getattr(r.model, column) or ())
    else:
        values = dict.fromkeys(getattr(r.model, column) for r in rows)
    for code in values:
        if code is None:
            continue
        spelling = canon.setdefault((space, None, code_identity(code)), code)
        if spelling != code:
            mapping[code] = spelling
    return mapping


def _rewrite(name: str, rows: list[ValidRow], respelled: dict[str, dict], v: Validated) -> list[ValidRow]:
    from data_access.importers.validate import ValidRow

    out = []
    examples: dict[str, str] = {}
    count = 0
    for r in rows:
        changes = {}
        for column, mapping in respelled.items():
            value = getattr(r.model, column)
            if column in LIST_COLUMNS:
                if value and any(c in mapping for c in value):
                    changes[column] = tuple(mapping.get(c, c) for c in value)
            elif ID_COLUMNS[column] in PER_PROJECT:
                spelling = mapping.get((r.model.project_code, value))
                if spelling is not None:
                    changes[column] = spelling
            elif value in mapping:
                changes[column] = mapping[value]
        if changes:
            count += 1
            for column, new in changes.items():
                old = getattr(r.model, column)
                examples.setdefault(
                    column,
                    f"{'; '.join(old) if isinstance(old, tuple) else old} -> "
                    f"{'; '.join(new) if isinstance(new, tuple) else new}",
                )
            r = ValidRow(r.model._replace(**changes), r.source, r.present)
        out.append(r)
    if count:
        shown = ", ".join(f"{column} {example}" for column, example in examples.items())
        v.report.notes.append(
            Note(
                "convention",
                f"{count} row(s) of {name} name a code in another letter case than the stored or first "
                f"spelling; read as the same code ({shown})",
                Source(rows[0].source.file, rows[0].source.sheet),
            )
        )
    return out
