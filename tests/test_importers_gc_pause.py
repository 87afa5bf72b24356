"""The garbage-collector pause of imports is the command line's only (issue 12): in the dashboard's
server process every session shares the one collector."""

from __future__ import annotations

import gc

import pytest

from data_access.importers import gc_pause
from data_access.importers.workbook import read_file
from tests.importers_support import BASE_FILES


@pytest.fixture
def not_allowed(monkeypatch):
    monkeypatch.setattr(gc_pause, "_allowed", False)
    assert gc.isenabled()


def test_reading_a_file_in_the_server_leaves_the_collector_on(not_allowed, monkeypatch) -> None:
    seen = []
    real = gc_pause.gc_paused

    def spy():
        cm = real()

        class Probe:
            def __enter__(self):
                cm.__enter__()
                seen.append(gc.isenabled())

            def __exit__(self, *exc):
                return cm.__exit__(*exc)

        return Probe()

    monkeypatch.setattr("data_access.importers.workbook.gc_paused", spy)
    read_file(BASE_FILES["projects.csv"].encode(), "projects.csv")
    assert seen == [True]
    assert gc.isenabled()


def test_the_command_line_allows_the_pause_and_it_restores_the_collector(not_allowed, tmp_path) -> None:
    from data_access.cli import main

    assert main(["template", str(tmp_path / "t.xlsx")]) == 0
    assert gc_pause._allowed is True
    with gc_pause.gc_paused():
        assert not gc.isenabled()
        with gc_pause.gc_paused():  # nested: leaves it as it found it
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
