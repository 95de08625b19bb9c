"""Option checks shared by the commands: one-line InputError messages."""

from __future__ import annotations

from datetime import datetime

import pytest

from posture.errors import InputError
from posture.pipeline.checks import check_height_cm, check_out_dir, check_range, document_header, parse_date


@pytest.mark.parametrize("value", [None, 50, 170.5, 250])
def test_check_height_cm_accepts_standing_heights_and_none(value):
    check_height_cm(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (49.9, "--height-cm 49.9 is not a standing height (expected 50-250 cm)"),
        (1.75, "--height-cm 1.75 is not a standing height (expected 50-250 cm)"),
        (1750, "--height-cm 1750 is not a standing height (expected 50-250 cm)"),
    ],
)
def test_check_height_cm_refuses_other_numbers_in_one_line(value, message):
    with pytest.raises(InputError) as info:
        check_height_cm(value)
    assert str(info.value) == message


def test_check_range_bounds_are_inclusive():
    check_range("--fps", 1, 1, 240, "a frame rate", "fps")
    check_range("--fps", 240, 1, 240, "a frame rate", "fps")
    with pytest.raises(InputError, match=r"^--fps 0 is not a frame rate \(expected 1-240 fps\)$"):
        check_range("--fps", 0, 1, 240, "a frame rate", "fps")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", datetime(2026, 3, 1)),
        ("2026-03-01T09:30", datetime(2026, 3, 1, 9, 30)),
        ("2026-03-01 09:30:15", datetime(2026, 3, 1, 9, 30, 15)),
        ("  2026-03-01  ", datetime(2026, 3, 1)),
        (None, None),
    ],
)
def test_parse_date_reads_dates_and_times(text, expected):
    assert parse_date(text) == expected


def test_parse_date_refuses_other_text_naming_the_flag():
    with pytest.raises(InputError) as info:
        parse_date("01/03/2026", flag="--taken")
    assert str(info.value) == "--taken '01/03/2026' is not a date (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM)"


def test_check_out_dir_refuses_a_file(tmp_path):
    (tmp_path / "out").write_text("x")
    with pytest.raises(InputError) as info:
        check_out_dir(tmp_path / "out")
    assert info.value.reason == "the output folder is a file; choose another --out"
    assert "\n" not in str(info.value)


def test_check_out_dir_creates_only_when_asked(tmp_path):
    check_out_dir(tmp_path / "a" / "b")
    assert not (tmp_path / "a").exists()
    check_out_dir(tmp_path / "a" / "b", create=True)
    assert (tmp_path / "a" / "b").is_dir()


def test_document_header_has_the_fields_every_result_starts_with():
    header = document_header("photo", 2, ["a.jpg"], None, (datetime(2026, 1, 5), "stated"))
    assert list(header) == ["schema_version", "kind", "taken", "created", "inputs", "client"]
    assert header["schema_version"] == 2 and header["kind"] == "photo" and header["inputs"] == ["a.jpg"]
    assert header["taken"] == {"at": "2026-01-05T00:00:00", "from": "stated"}
    assert datetime.fromisoformat(header["created"]).utcoffset().total_seconds() == 0
    assert document_header("photo", 2, ["a.jpg"], None, None)["taken"] is None


def test_a_date_with_a_utc_offset_is_read_as_local_time():
    got = parse_date("2026-03-01T09:30+02:00", flag="--baseline")
    assert got.tzinfo is None
    assert got == datetime.fromisoformat("2026-03-01T09:30+02:00").astimezone().replace(tzinfo=None)


def test_a_baseline_with_a_utc_offset_can_be_used_on_a_history(tmp_path):
    from posture.history.facade import open_history
    from tests.test_unit._fixtures import photo_document

    pictures = []
    for name in ("a.jpg", "b.jpg"):
        (tmp_path / name).write_bytes(name.encode())
        pictures.append(tmp_path / name)
    with open_history(tmp_path / "h.sqlite") as history:
        for path, value, when in zip(
            pictures, (2.5, 6.0), (datetime(2026, 1, 1), datetime(2026, 4, 1)), strict=True
        ):
            history.add(photo_document(path, value), "Ann", sources=[path], taken_at=when)
        try:
            baseline = parse_date("2026-03-01T09:30+02:00", flag="--baseline")
        except InputError:
            return
        assert history.changes("Ann", baseline=baseline) == []  # only April is after the baseline
