"""The TOML configuration file and the walking check's settings object."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import pytest

from posture.batch.plan import Job
from posture.cli import _subparsers, _with_config, build_parser, main
from posture.config import SECTIONS, example, load_config
from posture.errors import InputError
from posture.gait import analyse_gait
from posture.gait.settings import ConditioningSettings, GaitSettings, SteppingSettings
from tests.conftest import planted_walk


def _parsers():
    subs = _subparsers(build_parser())
    return {name: subs[name] for name in SECTIONS}


def test_the_example_is_valid_toml_and_reads_back_as_the_defaults(tmp_path):
    text = example(_parsers())
    data = tomllib.loads(text)
    assert set(data) == set(SECTIONS)
    assert data["gait"]["settings"]["conditioning"]["max_gap_s"] == ConditioningSettings().max_gap_s
    path = tmp_path / "study.toml"
    path.write_text(text)
    config = load_config(path, _parsers())
    assert config.gait_settings == GaitSettings()
    assert config.options["gait"]["view"] == "auto" and config.options["batch"]["time_limit"] == 600.0


def test_settings_round_trip_through_their_document_form():
    changed = replace(GaitSettings(), stepping=SteppingSettings(step_s=(0.3, 0.9), strikes_needed=4))
    assert GaitSettings.from_dict(changed.to_dict()) == changed
    assert GaitSettings.from_dict({}) == GaitSettings()


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"conditioning": {"max_gap": 0.2}}, "gait.settings.conditioning: unknown setting 'max_gap'"),
        ({"conditioning": {"max_gap_s": "long"}}, "gait.settings.conditioning.max_gap_s: expected float"),
        ({"stepping": {"step_s": [0.3]}}, "expected a list of 2 numbers"),
        ({"side_method": "guess"}, "side_method must be"),
        ({"walker": 3}, "gait.settings.walker: expected a table"),
    ],
)
def test_bad_settings_are_refused_with_their_path(settings, message):
    with pytest.raises(ValueError, match=message):
        GaitSettings.from_dict(settings)


def _config(tmp_path, text: str):
    path = tmp_path / "study.toml"
    path.write_text(text)
    return path


def test_the_file_sets_options_and_the_command_line_wins(tmp_path):
    path = _config(
        tmp_path,
        '[gait]\nview = "side"\nheight_cm = 172\n[gait.settings.conditioning]\nmax_gap_s = 0.2\n'
        "[photo]\nheight_cm = 160.5\nblur_faces = true\n",
    )
    parser = build_parser()
    argv = ["gait", "walk.mp4", "--config", str(path), "--view", "front"]
    args = _with_config(parser, parser.parse_args(argv), argv)
    assert args.view == "front" and args.height_cm == 172.0  # given on the command line / from the file
    assert args.gait_settings.conditioning.max_gap_s == 0.2
    argv = ["photo", "a.png", "--config", str(path)]
    args = _with_config(build_parser(), build_parser().parse_args(argv), argv)
    assert args.height_cm == 160.5 and args.blur_faces is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[gait\n", "not a valid TOML file"),
        ("[walk]\nview = 'side'\n", r"unknown table \[walk\]"),
        ("[gait]\nspeed = 3\n", r"\[gait\] unknown option 'speed'"),
        ("[gait]\nview = 'sideways'\n", r"\[gait\] view = 'sideways': expected one of auto, side"),
        ("[batch]\nworkers = 0\n", r"\[batch\] workers = 0: expected 1 or more"),
        ("[photo]\nblur_faces = 'yes'\n", "expected true or false"),
    ],
)
def test_a_bad_file_is_refused_naming_the_file(tmp_path, text, message):
    path = _config(tmp_path, text)
    with pytest.raises(InputError, match=message) as exc:
        load_config(path, _parsers())
    assert str(path) in str(exc.value)


def test_a_bad_file_stops_the_command_with_one_line(tmp_path, capsys):
    path = _config(tmp_path, "[gait]\nspeed = 3\n")
    assert main(["gait", "walk.mp4", "--config", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(path) in err[0] and "unknown option 'speed'" in err[0]
    assert main(["gait", "walk.mp4", "--config", str(tmp_path / "missing.toml")]) == 2
    assert "cannot read the configuration file" in capsys.readouterr().err


def test_settings_reach_the_analysis():
    seq, _ = planted_walk()
    default = analyse_gait(seq)
    assert default.events and default.settings["stepping"]["strikes_needed"] == 3
    # steps of about half a second are not steady stepping when a step must take 0.9-1.0 s
    strict = analyse_gait(seq, settings=GaitSettings(stepping=SteppingSettings(step_s=(0.9, 1.0))))
    assert not strict.events and strict.settings["stepping"]["step_s"] == [0.9, 1.0]
    assert any("no steady stepping" in n for n in strict.notes)


def test_batch_jobs_with_other_settings_are_other_jobs():
    job = Job("a.mp4", "Ann", "gait", None, None, "aa" * 32)
    changed = replace(job, gait_settings=GaitSettings(si_flag_pct=15.0).to_dict())
    assert job.key != changed.key
    assert GaitSettings.from_dict(changed.to_dict()["gait_settings"]).si_flag_pct == 15.0


def test_standing_settings_from_the_file_and_into_the_document(tmp_path):
    from posture.standing.check import StandingSettings
    from posture.standing.quality import GateSettings

    path = _config(
        tmp_path, "[photo.settings]\nmax_hem_depth = 0.5\n[photo.settings.gates]\nmax_elbow_bend_deg = 30\n"
    )
    config = load_config(path, _parsers())
    assert config.photo_settings == StandingSettings(
        max_hem_depth=0.5, gates=GateSettings(max_elbow_bend_deg=30.0)
    )
    assert config.photo_settings.to_dict()["gates"]["max_elbow_bend_deg"] == 30.0
    assert "view" not in config.photo_settings.to_dict()
    with pytest.raises(InputError, match="'height_mm' is an option of \\[photo\\], not a setting"):
        load_config(_config(tmp_path, "[photo.settings]\nheight_mm = 1700\n"), _parsers())


def test_stricter_gates_refuse_a_picture_the_defaults_accept():
    """The arm gate as settings: an elbow bent 30 deg passes the default 40 deg and fails a 20 deg limit."""
    from posture.standing.quality import GateSettings, arms_problem

    angles = {"left": (30.0, 5.0), "right": (5.0, 5.0)}
    assert arms_problem(angles) is None
    assert "bent" in arms_problem(angles, GateSettings(max_elbow_bend_deg=20.0))


def test_batch_options_and_both_checks_settings_from_one_file(tmp_path):
    path = _config(
        tmp_path,
        "[batch]\nworkers = 1\ntime_limit = 900\n[gait.settings.stepping]\nstrikes_needed = 4\n"
        "[photo.settings.gates]\nmax_arm_raise_deg = 30\n",
    )
    parser = build_parser()
    argv = ["batch", "clips/", "--config", str(path)]
    args = _with_config(parser, parser.parse_args(argv), argv)
    assert (args.workers, args.time_limit) == (1, 900.0)
    assert args.gait_settings.stepping.strikes_needed == 4
    assert args.photo_settings.gates.max_arm_raise_deg == 30.0
