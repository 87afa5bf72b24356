"""Who is asking (``Scope``) and what they chose to look at (``PortfolioFilter``).

Both are frozen, hashable dataclasses: they are part of every cache key, and every query in
``data_access.queries`` starts from ``readable_projects(scope)`` so that no page, URL edit or
cached result can show rows outside the asker's scope.

A scope is *who may see what*; a filter only ever narrows inside it. A country scope sees the
projects its office manages **and** multi-country projects implemented in that country (a chief of
mission answers for everything delivered in the country); a region scope sees projects managed by,
or implemented in, any of its countries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

ScopeKind = Literal["organisation", "region", "country", "projects"]


@dataclass(frozen=True)
class Scope:
    """The asker's reach. ``codes`` are region codes, ISO3 codes or project codes by ``kind``."""

    kind: ScopeKind = "organisation"
    codes: tuple[str, ...] = ()
    label: str = "Leadership (whole organisation)"

    def __post_init__(self) -> None:
        if self.kind not in ("organisation", "region", "country", "projects"):
            raise ValueError(f"unknown scope kind {self.kind!r}")
        if self.kind != "organisation" and not self.codes:
            raise ValueError(f"a {self.kind} scope needs at least one code")
        # normalise so that equal scopes hash equally whatever order the codes came in
        object.__setattr__(self, "codes", tuple(sorted(set(self.codes))))

    @classmethod
    def organisation(cls) -> Scope:
        return cls()

    @classmethod
    def region(cls, *codes: str) -> Scope:
        return cls("region", codes, f"Regional director ({', '.join(codes)})")

    @classmethod
    def country(cls, *codes: str) -> Scope:
        return cls("country", codes, f"Chief of mission ({', '.join(codes)})")

    @classmethod
    def projects(cls, *codes: str) -> Scope:
        return cls("projects", codes, f"Programme manager ({len(codes)} projects)")


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
