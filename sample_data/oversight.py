"""Risk registers, monitoring visits, evaluations and recommendations of the sample portfolio.

* Risk registers: ~8% of active projects have none (``NO_RISK_REGISTER``); the others hold 3-8
  risks, mostly medium: ~12% scored high (>= 15), ~24% in fragile contexts (31% overall, as before,
  put a high risk in 87% of fragile registers). About 10% of high risks have no mitigation (a
  register owner who scores a risk high nearly always writes one) and 15% of the registers were
  last reviewed more than 90 days ago (most are reviewed with the quarterly report). Together they
  make HIGH_RISK_UNMITIGATED fire on ~1 active project in 8, not 1 in 4.
* Monitoring visits every 3-5 months in fragile contexts (often remote or third-party), 4-9
  months elsewhere; 15% of high-risk projects had no visit for the last 7+ months.
* Evaluations: a final external (or joint) evaluation for 45% of closed projects, a mid-term
  review for 30% of long active projects past 45% of their time, real-time evaluations of
  humanitarian responses and audits of 4% of projects. Ratings (1-4 on the six OECD criteria)
  follow the project's latent performance. Recommendations carry a management response, a due
  date and a status; some are open past their due date (``RECOMMENDATIONS_OVERDUE``); implemented
  ones carry the day they were implemented, about a quarter of them after the due date.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sample_data.arrays import DAY, stream, to_timestamps
from sample_data.projects import Plan
from sample_data.themes import THEMES
from sample_data.vocabulary import (
    ACTIONS,
    EVALUATION_CRITERIA,
    EVALUATION_TITLES,
    RECOMMENDATIONS,
    RISKS,
    VISIT_FINDINGS,
)

ROLE_BY_RISK_CATEGORY = {"safety_security": "Field Security Officer", "fiduciary": "Resource Management Officer"}


def build_oversight(seed: int, plan: Plan, block: int = 0) -> dict[str, pd.DataFrame]:
    evaluations, links, ratings, recommendations = _evaluations(stream(seed, "evaluations", block), plan)
    return {
        "risks": _risks(stream(seed, "risks", block), plan),
        "monitoring_visits": _visits(stream(seed, "visits", block), plan),
        "evaluations": evaluations,
        "evaluation_projects": links,
        "evaluation_ratings": ratings,
        "recommendations": _implemented_on(stream(seed, "implemented", block), plan, recommendations),
    }


def _risks(rng: np.random.Generator, plan: Plan) -> pd.DataFrame:
    has_register = np.where(plan.status == "pipeline", rng.random(plan.n) < 0.5, rng.random(plan.n) >= 0.08)
    stale_register = rng.random(plan.n) < 0.15
    rows: dict[str, list] = {
        k: []
        for k in (
            "project_id",
            "code",
            "description",
            "category",
            "likelihood",
            "impact",
            "mitigation",
            "owner",
            "status",
            "last_reviewed",
        )
    }
    for i in np.flatnonzero(has_register):
        picks = rng.choice(len(RISKS), rng.integers(3, 9), replace=False)
        bump = 1 if plan.fragile[i] else 0
        reviewed = plan.today - (rng.integers(100, 400) if stale_register[i] else rng.integers(0, 80)) * DAY
        reviewed = max(reviewed, min(plan.start[i], plan.today) - 30 * DAY)
        for k, r in enumerate(picks):
            category, description, mitigation = RISKS[r]
            likelihood = int(
                min(5, rng.choice([1, 2, 3, 4, 5], p=[0.15, 0.35, 0.3, 0.15, 0.05]) + bump * (rng.random() < 0.4))
            )
            impact = int(
                min(5, rng.choice([1, 2, 3, 4, 5], p=[0.05, 0.25, 0.35, 0.25, 0.1]) + bump * (rng.random() < 0.3))
            )
            unmitigated = rng.random() < (0.10 if likelihood * impact >= 15 else 0.05)
            rows["project_id"].append(i + 1)
            rows["code"].append(f"R{k + 1:02d}")
            rows["description"].append(description)
            rows["category"].append(category)
            rows["likelihood"].append(likelihood)
            rows["impact"].append(impact)
            rows["mitigation"].append(None if unmitigated else mitigation)
            rows["owner"].append(ROLE_BY_RISK_CATEGORY.get(category, plan.manager[i]))
            rows["status"].append("closed" if rng.random() < 0.1 else "open")
            rows["last_reviewed"].append(reviewed - int(rng.integers(0, 5)) * DAY)
    frame = pd.DataFrame(rows)
    frame["last_reviewed"] = to_timestamps(np.array(rows["last_reviewed"], dtype="datetime64[D]"))
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame


def _visits(rng: np.random.Generator, plan: Plan) -> pd.DataFrame:
    rows: dict[str, list] = {k: [] for k in ("project_id", "visit_date", "visit_type", "findings", "follow_up_status")}
    types = np.array(["on_site", "remote", "third_party"], dtype=object)
    for i in np.flatnonzero(plan.started & (plan.status != "pipeline")):
        last = min(plan.today, plan.effective_end[i])
        if plan.fragile[i] and rng.random() < 0.15:
            last = min(last, plan.today - int(rng.integers(210, 400)) * DAY)
        interval = rng.integers(90, 150) if plan.fragile[i] else rng.integers(120, 270)
        day = plan.start[i] + int(rng.integers(30, 90)) * DAY
        p_type = [0.45, 0.35, 0.20] if plan.fragile[i] else [0.80, 0.15, 0.05]
        seen = set()
        while day <= last:
            kind = types[rng.choice(3, p=p_type)]
            if (day, kind) not in seen:
                seen.add((day, kind))
                age = int((plan.today - day).astype(int))
                follow = (
                    rng.choice(["done", "none_needed", "open"], p=[0.6, 0.3, 0.1])
                    if age > 90
                    else rng.choice(["open", "in_progress", "none_needed"], p=[0.4, 0.2, 0.4])
                )
                rows["project_id"].append(i + 1)
                rows["visit_date"].append(day)
                rows["visit_type"].append(kind)
                rows["findings"].append(VISIT_FINDINGS[rng.integers(0, len(VISIT_FINDINGS))])
                rows["follow_up_status"].append(str(follow))
            day = day + int(interval + rng.integers(-20, 21)) * DAY
    frame = pd.DataFrame(rows)
    frame["visit_date"] = to_timestamps(np.array(rows["visit_date"], dtype="datetime64[D]"))
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame


def evaluation_code(day: np.datetime64, number: int) -> str:
    """``EV-<year>-<number>``: the number is the evaluation's id, so codes are unique in the portfolio
    (the generator renumbers the evaluations of later blocks of projects with their final ids)."""
    return f"EV-{str(day)[:4]}-{number:05d}"


def _evaluations(rng: np.random.Generator, plan: Plan):
    """Evaluations (one row each), their projects, ratings and recommendations."""
    evaluations: list[tuple] = []  # (project, type, date)
    humanitarian = np.array([t.humanitarian for t in THEMES])[plan.theme]
    for i in range(plan.n):
        status = plan.status[i]
        if status == "closed" and rng.random() < 0.45:
            when = plan.effective_end[i] + int(rng.integers(30, 120)) * DAY
            if when <= plan.today:
                evaluations.append((i, "joint" if rng.random() < 0.1 else "external", when))
        if status == "active" and plan.months[i] >= 24 and plan.elapsed[i] >= 0.45 and rng.random() < 0.30:
            evaluations.append((i, "internal", plan.start[i] + int(plan.months[i] * 30.4 * 0.45) * DAY))
        if status == "active" and humanitarian[i] and plan.elapsed[i] > 0.3 and rng.random() < 0.10:
            evaluations.append((i, "real_time", plan.start[i] + int(plan.months[i] * 30.4 * 0.25) * DAY))
        if plan.started[i] and status != "pipeline" and rng.random() < 0.04:
            span = max(int((min(plan.today, plan.effective_end[i]) - plan.start[i]).astype(int)), 1)
            evaluations.append((i, "audit", plan.start[i] + int(rng.integers(0, span)) * DAY))
    evaluations.sort(key=lambda e: (e[2], e[0]))
    ids = np.arange(1, len(evaluations) + 1)
    eval_frame = pd.DataFrame(
        {
            "id": ids,
            "code": [evaluation_code(e[2], k) for k, e in zip(ids, evaluations, strict=False)],
            "title": [
                EVALUATION_TITLES[e[1]].format(code=plan.code[e[0]], theme=THEMES[plan.theme[e[0]]].name.lower())
                for e in evaluations
            ],
            "evaluation_type": [e[1] for e in evaluations],
            "evaluation_date": to_timestamps(np.array([e[2] for e in evaluations], dtype="datetime64[D]")),
        }
    )
    links, ratings, recs = [], [], []
    rec_count: dict[int, int] = {}
    for eid, (i, kind, when) in zip(ids, evaluations, strict=False):
        links.append((eid, i + 1))
        if kind in ("external", "joint") and rng.random() < 0.08:  # a cluster evaluation of two projects
            peers = np.flatnonzero((plan.country == plan.country[i]) & (plan.theme == plan.theme[i]) & plan.started)
            peers = peers[peers != i]
            if len(peers):
                links.append((eid, int(rng.choice(peers)) + 1))
        if kind != "audit":
            for criterion in EVALUATION_CRITERIA:
                score = 2.6 + 1.2 * (plan.performance[i] - 0.95) / 0.25 + rng.normal(0, 0.6)
                ratings.append((eid, criterion, int(np.clip(np.round(score), 1, 4))))
        for text in rng.choice(RECOMMENDATIONS, rng.integers(2, 7), replace=False):
            rec_count[i] = rec_count.get(i, 0) + 1
            recs.append(_recommendation(rng, plan, i, eid, kind, when, str(text), rec_count[i]))
    link_frame = pd.DataFrame(links, columns=["evaluation_id", "project_id"])
    rating_frame = pd.DataFrame(ratings, columns=["evaluation_id", "criterion", "rating"])
    rating_frame.insert(0, "id", np.arange(1, len(rating_frame) + 1))
    names = (
        "project_id",
        "evaluation_id",
        "code",
        "source",
        "text",
        "issued_on",
        "management_response",
        "action",
        "owner",
        "due_date",
        "status",
    )
    columns = {name: [r[k] for r in recs] for k, name in enumerate(names)}
    for name in ("issued_on", "due_date"):
        columns[name] = to_timestamps(np.array(columns[name], dtype="datetime64[D]"))
    rec_frame = pd.DataFrame(columns, columns=list(names))
    rec_frame["evaluation_id"] = rec_frame["evaluation_id"].astype("Int64")
    rec_frame.insert(0, "id", np.arange(1, len(rec_frame) + 1))
    return eval_frame, link_frame, rating_frame, rec_frame


def _implemented_on(rng: np.random.Generator, plan: Plan, recs: pd.DataFrame) -> pd.DataFrame:
    """The day each implemented recommendation was implemented (its own stream: the other draws
    stay as they were): about three in four on or before the due date, the others up to four
    months late; never before issue nor after today."""
    today = pd.Timestamp(plan.today)
    issued = pd.to_datetime(recs["issued_on"])
    due = pd.to_datetime(recs["due_date"]).fillna(issued + pd.Timedelta(days=365))
    late = rng.random(len(recs)) < 0.25
    days_on_time = (rng.random(len(recs)) * (due - issued).dt.days.clip(lower=1)).round()
    days_late = rng.integers(1, 121, len(recs))
    when = (due + pd.to_timedelta(days_late, unit="D")).where(late, issued + pd.to_timedelta(days_on_time, unit="D"))
    when = when.clip(lower=issued, upper=today)
    recs = recs.copy()
    recs["implemented_on"] = when.where(recs["status"] == "implemented")
    return recs


def _recommendation(rng, plan: Plan, i: int, eid: int, kind: str, when, text: str, k: int) -> tuple:
    issued = min(when + int(rng.integers(15, 46)) * DAY, plan.today)
    response = rng.choice(["accepted", "partially", "rejected"], p=[0.7, 0.2, 0.1])
    if (plan.today - issued).astype(int) < 30 and rng.random() < 0.5:
        response = None  # management response still being prepared
    audit = kind == "audit"
    due = None if audit and rng.random() < 0.3 else issued + int(rng.integers(90, 366)) * DAY
    overdue_by_rule = due is None and (plan.today - issued).astype(int) > 365
    if response == "rejected":
        status = "closed"
    elif (due is not None and due < plan.today) or overdue_by_rule:
        status = rng.choice(["implemented", "in_progress", "open", "closed"], p=[0.55, 0.2, 0.2, 0.05])
    else:
        status = rng.choice(["open", "in_progress", "implemented"], p=[0.5, 0.4, 0.1])
    return (
        i + 1,
        eid,
        f"REC-{k:02d}",
        "audit" if audit else "evaluation",
        text,
        issued,
        None if response is None else str(response),
        None if response in (None, "rejected") else str(rng.choice(ACTIONS)),
        plan.manager[i],
        due if due is not None else np.datetime64("NaT", "D"),
        str(status),
    )
