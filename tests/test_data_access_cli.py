"""The command line: exit codes and one clear stderr line, run as a user would (subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from data_access import cli
from data_access.db import head_revision
from data_access.errors import NotFound

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "data_access", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, *fragments: str) -> None:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_init_then_check_on_fresh_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    first = run_cli("init", database_url=url)
    assert first.returncode == 0, first.stderr
    assert f"Created the schema (revision {head_revision()})" in first.stdout
    again = run_cli("--database-url", url, "init")
    assert again.returncode == 0 and "already up to date" in again.stdout
    check = run_cli("check", database_url=url)
    assert check.returncode == 0, check.stderr
    assert [line.split() for line in check.stdout.splitlines() if line.split()[0] == "projects"] == [["projects", "0"]]
    assert "Projects without indicators: 0" in check.stdout


def test_check_lists_projects_without_indicators(tmp_path: Path) -> None:
    from data_access import db
    from tests import factories as f

    url = f"sqlite:///{tmp_path / 'check.db'}"
    engine = db.get_engine(url)
    db.upgrade(engine)
    with db.session_scope(engine) as session:
        f.make_project(session, code="QC.EMPTY")
        f.make_indicator(session, f.make_project(session, code="QC.FULL"))
    db.dispose_engine(engine)
    result = run_cli("check", "--as-of", "2025-01-31", database_url=url)
    assert result.returncode == 0, result.stderr
    assert "Projects without indicators: 1 (QC.EMPTY)" in result.stdout
    counts = {line.split()[0]: line.split()[1] for line in result.stdout.splitlines() if line.startswith("  ")}
    assert (counts["projects"], counts["indicators"], counts["regions"]) == ("2", "1", "2")


def test_check_without_schema_tells_to_run_init(tmp_path: Path) -> None:
    result = run_cli("check", database_url=f"sqlite:///{tmp_path / 'empty.db'}")
    assert_one_line_error(result, 1, "error:", "python -m data_access init")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("not a url", "not a valid SQLAlchemy URL"),
        ("postgresql://postgres@127.0.0.1:1/nothing", "cannot be reached or used"),
    ],
)
def test_bad_database_url_is_one_line(url: str, fragment: str) -> None:
    assert_one_line_error(run_cli("init", database_url=url), 1, fragment)


def test_unreadable_database_file_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    assert_one_line_error(run_cli("init", database_url=f"sqlite:///{folder}"), 1, "error:")


def test_sqlite_file_in_a_new_folder_is_created(tmp_path: Path) -> None:
    result = run_cli("init", database_url=f"sqlite:///{tmp_path / 'new' / 'folder' / 'x.db'}")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "new" / "folder" / "x.db").exists()


@pytest.mark.parametrize("args", [(), ("init", "--no-such-option")])
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr


def _fake_command(monkeypatch: pytest.MonkeyPatch, name: str, run) -> None:
    module = types.ModuleType(f"data_access.commands.{name}")
    module.HELP = "a fake command for tests"
    module.add_arguments = lambda parser: parser.add_argument("--x")
    module.run = run
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, name))


def test_missing_command_module_says_so_in_one_line(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, "not_written_yet"))
    assert cli.main(["not_written_yet", "--whatever", "x"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["python -m data_access: the 'not_written_yet' command is not available in this version yet."]


def _raise(error: BaseException):
    def run(_args):
        raise error

    return run


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            NotFound("Project 'PX.1' is not in the portfolio you can see;\n check the code."),
            "error: Project 'PX.1' is not in the portfolio you can see; check the code.",
        ),
        (FileNotFoundError(2, "No such file or directory", "missing.xlsx"), "error: no such file: missing.xlsx"),
        (PermissionError(13, "Permission denied", "/root/x.csv"), "error: permission denied: /root/x.csv"),
    ],
)
def test_user_errors_become_one_stderr_line(
    monkeypatch: pytest.MonkeyPatch, capsys, error: BaseException, expected: str
) -> None:
    _fake_command(monkeypatch, "fake", _raise(error))
    assert cli.main(["fake"]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [expected]


def test_exit_code_of_command_is_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_command(monkeypatch, "fake", lambda args: 3 if args.x == "three" else 0)
    assert cli.main(["fake", "--x", "three"]) == 3
    assert cli.main(["fake"]) == 0


def test_bugs_are_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_command(monkeypatch, "fake", _raise(ZeroDivisionError("bug")))
    with pytest.raises(ZeroDivisionError):
        cli.main(["fake"])


def test_database_url_option_sets_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    seen: list[str | None] = []
    _fake_command(monkeypatch, "fake", lambda args: seen.append(os.environ.get("DATABASE_URL")) or 0)
    cli.main(["--database-url", "sqlite:///x.db", "fake"])
    assert seen == ["sqlite:///x.db"]


def test_help_lists_every_known_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0, result.stderr
    listed = [
        line.split()[0] for line in result.stdout.split("commands:\n", 1)[1].splitlines() if line.startswith("  ")
    ]
    assert listed == list(cli.COMMANDS)
