"""``scriptalign run``: its step options are checked before any movie is touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from scriptalign._cli import main


@pytest.mark.parametrize(("args", "words"), [
    (["--cast-scope", "world"], "--cast-scope"),
    (["--min-aligned", "2"], "--min-aligned"),
    (["--detector", "owl"], "detector"),
    (["--every", "-1"], "--every"),
])
def test_bad_step_options_are_usage_errors(args: list[str], words: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["run", str(tmp_path), *args])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert not (tmp_path / "scriptalign").exists()


def test_help_lists_the_options_of_every_step(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = capsys.readouterr().out
    for option in ("--no-mouth", "--min-aligned", "--cast-scope", "centerface"):
        assert option in text
    assert "<bool>" not in text
