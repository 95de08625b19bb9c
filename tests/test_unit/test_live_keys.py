"""The key schedule of headless live runs."""

import pytest

from posture.errors import InputError
from posture.live.keys import parse_keys


def test_schedule_is_parsed_and_sorted():
    assert parse_keys("180:r, 40:SPACE,60:r,200:q") == {40: "space", 60: "r", 180: "r", 200: "q"}


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("40:x", ["'40:x': unknown key 'x'"]),
        ("abc", ["'abc' is not FRAME:KEY"]),
        ("-3:r", ["'-3:r' is not FRAME:KEY"]),
        ("4:r,4:space", ["frame 4 has two keys"]),
        ("x:r,9:z", ["'x:r' is not FRAME:KEY", "'9:z': unknown key 'z'"]),  # every problem at once
        ("", ["''"]),
    ],
)
def test_bad_schedules_are_refused_with_every_problem_named(text, problems):
    with pytest.raises(InputError) as err:
        parse_keys(text)
    message = str(err.value)
    assert message.startswith(f"--keys {text!r}: ")
    assert all(p in message for p in problems), message
    assert "40:space,60:r,180:r" in message and "space, r, q" in message
