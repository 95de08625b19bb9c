"""Gait event rules on real walking kinematics (fetched source distributions; skipped when unavailable).

The bounds are what the rules reach (``benchmarks/results/gait_kinematics.md``) with a
margin: a rule change that makes events worse on real walkers fails here. Side views are
timed by the contact rule (heel strike where the heel stops, toe off where the toe leaves).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from benchmarks import bench_gait_kinematics as bench
from benchmarks.real import kinematics as kin
from benchmarks.real import project as pj
from posture.gait.check import analyse_gait


def _load(loader, *args):  # noqa: ANN001, ANN202 - a loader and its arguments
    try:
        return loader(*args)
    except kin.Unavailable as exc:
        pytest.skip(f"real kinematics unavailable: {exc}")


@pytest.fixture(scope="module")
def treadmill() -> kin.Trial:
    return _load(kin.load_treadmill)


@pytest.fixture(scope="module")
def parkinson() -> kin.Trial:
    return _load(kin.load_gaitkit, "parkinson")


@pytest.fixture(scope="module")
def healthy() -> kin.Trial:
    return _load(kin.load_gaitkit, "healthy")


def test_treadmill_events_and_time_base(treadmill: kin.Trial) -> None:
    counts = {k: len(v) for k, v in treadmill.events.items()}
    assert sum(counts.values()) == 43
    assert treadmill.rate_hz == 100.0 and treadmill.n_samples == 1206
    speed = float(treadmill.provenance["belt"].split()[0])
    assert 1.0 < speed < 1.2
    # Over ground the flat foot stands still once the belt is added back.
    heel = treadmill.markers["left_heel"]
    flat = kin.stance_mask(heel, treadmill.markers["left_toe"])
    assert abs(np.median(np.gradient(heel[:, 0])[flat]) * 100.0) < 0.05
    # The marker reference agrees with the C3D's toe offs within 10 ms: the time base (t - 0.44 s) is right.
    d = kin.agreement(kin.reference_events(treadmill), treadmill.events)
    assert len(d["toe_off"]) >= 20 and np.max(np.abs(d["toe_off"])) < 0.010


def test_healthy_annotations_cleaned(healthy: kin.Trial) -> None:
    assert any("near-duplicate" in n for n in healthy.notes)
    for side in kin.SIDES:
        seq = sorted(
            [(t, "hs") for t in healthy.events[(side, "heel_strike")]]
            + [(t, "to") for t in healthy.events[(side, "toe_off")]]
        )
        kinds = [k for _, k in seq]
        assert all(a != b for a, b in zip(kinds, kinds[1:], strict=False)), f"{side}: {seq}"


def test_gaitmap_event_indices_are_imu_samples() -> None:
    trial = _load(kin.load_gaitmap)
    d = kin.agreement(kin.reference_events(trial), trial.events)
    assert len(d["heel_strike"]) >= 50 and len(d["toe_off"]) >= 50
    assert abs(np.median(d["heel_strike"])) < 0.02 and abs(np.median(d["toe_off"])) < 0.02


def test_projection_views_and_size(treadmill: kin.Trial) -> None:
    for view, want in (("side", "side"), ("side_left", "side"), ("front", "front"), ("back", "back")):
        clip = pj.project(treadmill, view, 30.0)
        assert clip is not None
        h = clip.seq.body_height_px()
        assert np.isfinite(clip.seq.xy_px).all()
        assert (clip.seq.xy_px[..., 0] >= 0).all() and (clip.seq.xy_px[..., 0] <= pj.WIDTH).all()
        assert (clip.seq.xy_px[..., 1] >= 0).all() and (clip.seq.xy_px[..., 1] <= pj.HEIGHT).all()
        if view.startswith("side"):
            assert 500 < np.median(h) < 700
        assert analyse_gait(clip.seq).view == want


def _row(trial: kin.Trial, view: str, fps: float, noise: pj.Noise) -> dict:
    row = bench.evaluate(trial, view, fps, noise)
    assert row is not None
    return row


def _mae_ms(values: list[float]) -> float:
    return 1000.0 * float(np.mean(np.abs(values))) if values else math.inf


def test_side_view_events_treadmill(treadmill: kin.Trial) -> None:
    clean = _row(treadmill, "side", 30.0, pj.CLEAN)
    assert _mae_ms(clean["heel_strike"]) < 35 and len(clean["heel_strike"]) >= 18
    assert _mae_ms(clean["toe_off"]) < 15 and len(clean["toe_off"]) >= 18
    assert len(clean["missed"]) <= 1 and len(clean["extra"]) <= 1
    noisy = _row(treadmill, "side", 30.0, pj.REALISTIC)
    assert _mae_ms(noisy["heel_strike"]) < 30 and _mae_ms(noisy["toe_off"]) < 20
    assert len(noisy["missed"]) <= 2 and len(noisy["extra"]) <= 2
    # Heel-to-toe pattern: every classified contact is a heel strike, as the markers say; angle within 5 deg.
    found = [c for c in clean["contacts"] if c["found_kind"]]
    assert len(found) >= 10 and all(c["found_kind"] == c["truth_kind"] == "heel" for c in found)
    assert np.mean([abs(c["found_deg"] - c["truth_deg"]) for c in found]) < 5.0


def test_side_view_events_parkinson(parkinson: kin.Trial) -> None:
    row = _row(parkinson, "side", 30.0, pj.CLEAN)
    assert _mae_ms(row["heel_strike"]) < 50 and _mae_ms(row["toe_off"]) < 45
    assert len(row["heel_strike"]) + len(row["toe_off"]) >= 11
    assert len(row["missed"]) <= 1 and len(row["extra"]) <= 1


def test_front_view_heel_strikes_treadmill(treadmill: kin.Trial) -> None:
    row = _row(treadmill, "front", 30.0, pj.CLEAN)
    assert len(row["heel_strike"]) >= 8 and _mae_ms(row["heel_strike"]) < 15


def test_side_view_events_feet_only_walk() -> None:
    walks = _load(kin.gaitmap_walks)
    assert len(walks) == 2
    row = _row(walks[0], "side", 30.0, pj.CLEAN)
    assert row["passes"] >= 5 and row["truth_n"] >= 40
    assert _mae_ms(row["heel_strike"]) < 20 and _mae_ms(row["toe_off"]) < 25
    assert len(row["missed"]) <= 2 and len(row["extra"]) <= 3
