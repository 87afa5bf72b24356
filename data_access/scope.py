"""Who is asking (``Scope``) and what they chose to look at (``PortfolioFilter``).

Both are frozen, hashable dataclasses: they are part of every cache key, and every query in
``data_access.queries`` starts from ``readable_projects(scope)`` so that no page, URL edit or
cached result can show rows outside the asker's scope.

A scope is *who may see what*: the **union** of everything one person's access grants
(``data_access.people`` builds it from their rows in ``people``; a chief of mission who also manages
a project in another country sees both). It carries the person's stable id (``person``: the verified
email, :data:`ADMINISTRATOR` for the command line without ``--as``, ``demo:...`` for the demo's
stand-in people), so one person is one scope value and one cache key, and whatever they import is
recorded under that id. A filter only ever narrows inside the scope.

What each part reads:

* ``organisation``: every project (leadership, the administrator).
* ``countries`` / ``regions``: projects managed by, **or** implemented in, any of those countries
  (or the countries of those regional offices): a chief of mission answers for everything delivered
  in the country.
* ``projects``: exactly those project codes; ``managers``: the projects whose ``manager`` is one of
  these names or emails (compared without case and surrounding spaces), so a programme manager sees
  a project the day it is imported with their name, without an access change.

``label`` is how pages name the view ("Chief of mission, Kenya"); it is not part of the value
(two labels of the same access are the same cache key).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

ADMINISTRATOR = "administrator"
"""The person id of the command line run without ``--as``: the server's administrator, who sees and
writes the whole organisation (how the first people are loaded)."""

ORGANISATION_LABEL = "Leadership (whole organisation)"
# the role that answers for each kind of place, as a view bounded by places is named
PLACE_ROLES = {"regions": "Regional director", "countries": "Chief of mission"}


def place_label(part: str, names) -> str:
    """How the app and the command line name a view of places (``part``: ``"regions"`` or
    ``"countries"``): "Chief of mission, Kenya", one wording for the sidebar, a snapshot and a pack."""
    return f"{PLACE_ROLES[part]}, {', '.join(names)}"


ScopeKind = Literal["organisation", "region", "country", "projects"]
"""How a stored snapshot names the scope it froze (``snapshots.scope_kind``): the organisation, regions,
countries, or a list of projects (any other scope is frozen as the projects it read then)."""


def _codes(values) -> tuple[str, ...]:
    return tuple(sorted({str(v).strip() for v in values if str(v).strip()}))


@dataclass(frozen=True)
class Scope:
    """One person's reach: the union of the organisation, places and projects their access covers."""

    person: str
    organisation: bool = False
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    managers: tuple[str, ...] = ()
    label: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.person or not str(self.person).strip():
            raise ValueError("a scope needs the id of the person it belongs to")
        # normalise so that equal scopes hash equally whatever order the codes came in
        for name in ("regions", "countries", "projects"):
            object.__setattr__(self, name, _codes(getattr(self, name)))
        object.__setattr__(self, "managers", _codes(m.lower() for m in self.managers))
        if not self.label:
            object.__setattr__(self, "label", self.describe())

    # ---- constructors ------------------------------------------------------------------------
    @classmethod
    def whole_organisation(cls, person: str, label: str = ORGANISATION_LABEL) -> Scope:
        return cls(person, organisation=True, label=label)

    @classmethod
    def bounded_by_place(
        cls, person: str, *, regions: tuple[str, ...] = (), countries: tuple[str, ...] = (), label: str = ""
    ) -> Scope:
        return cls(person, regions=tuple(regions), countries=tuple(countries), label=label)

    @classmethod
    def by_project(
        cls, person: str, *, codes: tuple[str, ...] = (), managers: tuple[str, ...] = (), label: str = ""
    ) -> Scope:
        return cls(person, projects=tuple(codes), managers=tuple(managers), label=label)

    @classmethod
    def nothing(cls, person: str, label: str) -> Scope:
        """A scope that reads no project (e.g. a demo role nobody holds yet): never a wider one."""
        return cls(person, label=label)

    def union(self, other: Scope, label: str = "") -> Scope:
        """Everything either scope reads (one person's several access rows)."""
        if other.person != self.person:
            raise ValueError(f"cannot join the scopes of {self.person} and {other.person}")
        return Scope(
            self.person,
            organisation=self.organisation or other.organisation,
            regions=self.regions + other.regions,
            countries=self.countries + other.countries,
            projects=self.projects + other.projects,
            managers=self.managers + other.managers,
            label=label,
        )

    # ---- questions pages and the writer ask ------------------------------------------------
    @property
    def is_empty(self) -> bool:
        return not (self.organisation or self.regions or self.countries or self.projects or self.managers)

    @property
    def place_bound(self) -> bool:
        """True when the scope is only places (countries, regions): its money is counted by country
        share (a project's share in the scope's countries), not whole projects."""
        return not (self.organisation or self.projects or self.managers) and bool(self.regions or self.countries)

    @property
    def countries_only(self) -> bool:
        """True for a chief of mission's view (countries, nothing else): a region row only repeats it."""
        return self.place_bound and not self.regions

    def describe(self) -> str:
        """A label built from the parts (when no better one was given)."""
        if self.organisation:
            return ORGANISATION_LABEL
        parts = []
        if self.regions:
            parts.append(f"{PLACE_ROLES['regions']} ({', '.join(self.regions)})")
        if self.countries:
            parts.append(f"{PLACE_ROLES['countries']} ({', '.join(self.countries)})")
        if self.projects or self.managers:
            parts.append(f"Programme manager ({', '.join(self.managers + self.projects)})")
        return " + ".join(parts) or "No access"


@dataclass(frozen=True)
class PortfolioFilter:
    """What the user narrowed the view to, inside their scope. Empty tuples mean "all"."""

    as_of: dt.date = field(default_factory=dt.date.today)
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    donors: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    project_codes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("regions", "countries", "donors", "themes", "statuses", "project_codes"):
            object.__setattr__(self, name, tuple(sorted(set(getattr(self, name)))))

    @property
    def narrows(self) -> bool:
        """Whether any filter is set (the as-of date aside): without one the view is the scope's projects."""
        return bool(self.regions or self.countries or self.donors or self.themes or self.statuses or self.project_codes)
