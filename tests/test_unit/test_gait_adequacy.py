import math

import pytest

from posture.gait.adequacy import assess_footage, step_shortfall


@pytest.mark.parametrize(
    ("fps", "height", "phrases"),
    [
        (30.0, 400.0, []),
        (10.0, 400.0, ["frame rate is 10.0 fps"]),
        (30.0, 100.0, ["only 100 px tall"]),
        (10.0, 100.0, ["frame rate", "px tall"]),
        (30.0, math.nan, ["unknown"]),
        (14.9, 160.0, ["14.9 fps"]),
        (15.0, 160.0, []),
    ],
)
def test_footage_refusals(fps, height, phrases):
    reasons = assess_footage(fps, height)
    assert len(reasons) == len(phrases)
    for reason, phrase in zip(reasons, phrases, strict=True):
        assert phrase in reason


@pytest.mark.parametrize(
    ("left", "right", "keys"),
    [
        (3, 3, set()),
        (2, 2, set()),
        (1, 3, {"symmetry"}),
        (1, 1, {"symmetry", "cadence"}),
        (0, 0, {"symmetry", "cadence"}),
    ],
)
def test_step_shortfall(left, right, keys):
    assert set(step_shortfall(left, right)) == keys
