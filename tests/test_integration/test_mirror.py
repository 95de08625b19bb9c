"""Mirror equivariance of the standing check on every shipped standing sample (real model, real pixels).

A picture mirrored left-right shows a person whose left is the original's right:
every left/right measure must flip sign (or swap sides, or invert), and every
other measure must stay, to within 0.1 (they are exact by construction).
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from posture.pose.landmarker import PoseEstimator, PoseOptions
from posture.standing.check import StandingSettings, analyse_standing, mirror_image
from posture.standing.mirror import mirrored_value, twin_name
from posture.standing.view import mirror_view
from tests.conftest import SAMPLES

PICTURES = sorted(p.name for p in SAMPLES.glob("stand_*.png"))


@pytest.fixture(scope="module")
def estimator(model_info):
    with PoseEstimator(model_info, PoseOptions(max_people=3, segmentation=True), video=False) as est:
        yield est


def mirror_gaps(rgb: np.ndarray, estimator: PoseEstimator, settings: StandingSettings) -> dict[str, float]:
    """|f(p) - mirror(f(m(p)))| for every known measure, and whether the views mirror."""
    direct = analyse_standing([("p", rgb)], estimator, settings)
    mirrored = analyse_standing([("m", mirror_image(rgb))], estimator, settings)
    assert mirrored.view is mirror_view(direct.view)
    gaps = {}
    for name, m in direct.measures.items():
        twin = mirrored.measures[twin_name(name)]
        assert m.known == twin.known, name
        if m.known and twin.value is not None and m.value is not None:
            gaps[name] = abs(mirrored_value(name, twin.value) - m.value)
            assert twin.uncertainty == pytest.approx(m.uncertainty, abs=1e-3)
    return gaps


@pytest.mark.parametrize("sample", PICTURES)
def test_mirrored_sample_gives_the_mirrored_answer(estimator, sample):
    rgb = cv2.cvtColor(cv2.imread(str(SAMPLES / sample)), cv2.COLOR_BGR2RGB)
    gaps = mirror_gaps(rgb, estimator, StandingSettings(height_mm=1700.0))
    assert gaps and max(gaps.values()) <= 0.1, gaps
