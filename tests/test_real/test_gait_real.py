"""Walking analysis on real footage that registry packages ship (fetched once and cached; skipped
with the reason when the registry cannot be reached).

- the Sports2D demo: a woman walks side-on past a man jumping on a box; her heel
  strikes and toe offs were labelled by eye (benchmarks/real/labels/);
- label-free checks on the same clip: mirrored left-right, half the resolution,
  half the frame rate, cut to start mid-walk: the same events;
- clips that must be refused: a 10 fps surveillance clip of small walkers, and
  a lab clip of a man balancing on one leg (nobody walks).

Bounds are what the analysis reaches (benchmarks/results/gait_real.md) with a small margin.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from benchmarks.real import evaluate as ev
from benchmarks.real.fetch import Unavailable, fetch
from posture.gait.check import analyse_gait
from posture.gait.recover import track_walker
from posture.gait.result import GaitResult
from posture.pose.bundle import resolve_model
from posture.pose.landmarker import PoseOptions

pytestmark = pytest.mark.slow
#: The label-free checks below hold the analysis to what it reaches on the demo clip (the issue's target,
#: 95% of events within a frame, is not met: benchmarks/results/gait_real.md). Measured shares of the
#: original clip's events found again within a frame (and of the variant's found in the original):
#: mirrored 0.75 / 0.75, half resolution 0.67 / 0.73, 15 fps 0.50 / 0.86, cut mid-walk 1.00 / 0.86.
#: The bounds sit a little below, so that a change that loses events fails here.


def _fetch(name: str) -> Path:
    try:
        return fetch(name)
    except Unavailable as exc:
        pytest.skip(f"real footage {name} unavailable here: {exc}")


def _analyse(path: Path) -> tuple[GaitResult, float]:
    """``posture gait PATH`` without options: the result and the clip's frame rate."""
    seq = track_walker(path, resolve_model(None), PoseOptions(max_people=3))
    return analyse_gait(seq), float(seq.fps or 30.0)


def _variant(
    src: Path,
    out: Path,
    *,
    flip: bool = False,
    scale: float = 1.0,
    step: int = 1,
    start: int = 0,
    stop: int | None = None,
) -> Path:
    """Write a re-encoded copy of ``src`` (MJPEG, quality 95): mirrored, rescaled, every ``step``-th
    frame from frame ``start``."""
    cap = cv2.VideoCapture(str(src))
    fps = cap.get(cv2.CAP_PROP_FPS)
    writer = None
    index = 0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        if stop is not None and index >= stop:
            break
        keep = index >= start and (index - start) % step == 0
        index += 1
        if not keep:
            continue
        if flip:
            frame = cv2.flip(frame, 1)
        if scale != 1.0:
            frame = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        if writer is None:
            h, w = frame.shape[:2]
            writer = cv2.VideoWriter(str(out), cv2.VideoWriter.fourcc(*"MJPG"), fps / step, (w, h))
            writer.set(cv2.VIDEOWRITER_PROP_QUALITY, 95)
        writer.write(frame)
    cap.release()
    assert writer is not None
    writer.release()
    return out


def _frames(result: GaitResult, fps: float, frame_step: float = 1.0, offset: float = 0.0) -> list[ev.Event]:
    """Events in frames of the original clip."""
    return [ev.Event(e.time_s * fps * frame_step + offset, str(e.side), e.kind) for e in result.events]


@pytest.fixture(scope="module")
def demo() -> Path:
    return _fetch("sports2d_demo")


@pytest.fixture(scope="module")
def demo_result(demo: Path) -> tuple[GaitResult, float]:
    return _analyse(demo)


@pytest.fixture(scope="module")
def labels() -> dict:
    return ev.load_labels("sports2d_demo")


def test_the_walking_woman_is_chosen_not_the_man_on_the_box(demo_result, labels):
    result, _ = demo_result
    assert result.subject["walks"]
    people = result.subject["people"]
    assert people[0]["track_id"] == result.subject["track_id"] and len(people) >= 2
    # her labelled box at frame 120 holds the chosen walker's hips
    x0, y0, x1, y1 = labels["walker"]["boxes_xyxy"]["120"]
    left, right = result.feet.heel["left"][120], result.feet.heel["right"][120]
    for heel in (left, right):
        assert x0 - 20 <= heel[0] <= x1 + 20 and y0 <= heel[1] <= y1 + 20
    assert result.view == "side"


def test_events_against_the_labels(demo_result, labels):
    result, fps = demo_result
    lab = ev.labelled_events(labels)
    span = ev.label_span(labels, lab)
    found = _frames(result, fps)
    hs = ev.score(found, lab, "heel_strike", 2.0, span)
    to = ev.score(found, lab, "toe_off", 3.0, span)
    # 8 labelled of each; the first heel strike lands as she steps out from behind a tree trunk, two
    # frames after the model (on a crop around her) first sees her: its arrival is not seen
    assert hs.hits >= 7 and not hs.extra, (hs.missed, hs.extra)
    # the far foot's toe offs, hidden in the grass or behind the near leg, are the ones missed
    assert to.hits >= 5 and not to.extra, (to.missed, to.extra)
    assert hs.mae <= 1.0 and to.mae <= 1.2


def _paired(a: list[ev.Event], b: list[ev.Event], swap_sides: bool, tol: float) -> float:
    """Share of the events of ``a`` with a same-kind event of ``b`` within ``tol`` frames (sides swapped)."""
    if not a:
        return 0.0
    other = {"left": "right", "right": "left"}
    hits = 0
    for e in a:
        side = other[e.side] if swap_sides else e.side
        hits += any(f.kind == e.kind and f.side == side and abs(f.frame - e.frame) <= tol for f in b)
    return hits / len(a)


def test_a_mirrored_clip_gives_the_same_events_with_sides_swapped(demo, demo_result, tmp_path):
    result, fps = demo_result
    mirrored, _ = _analyse(_variant(demo, tmp_path / "mirror.avi", flip=True))
    a, b = _frames(result, fps), _frames(mirrored, fps)
    assert len(a) >= 10
    assert _paired(a, b, swap_sides=True, tol=1.0) >= 0.7
    assert _paired(b, a, swap_sides=True, tol=1.0) >= 0.7


def test_half_the_resolution_gives_the_same_events(demo, demo_result, tmp_path):
    result, fps = demo_result
    small, _ = _analyse(_variant(demo, tmp_path / "half.avi", scale=0.5))
    a, b = _frames(result, fps), _frames(small, fps)
    assert _paired(a, b, swap_sides=False, tol=1.0) >= 0.6
    assert _paired(b, a, swap_sides=False, tol=1.0) >= 0.7


def test_half_the_frame_rate_gives_the_same_events_within_a_frame_of_it(demo, demo_result, tmp_path):
    result, fps = demo_result
    slow, slow_fps = _analyse(_variant(demo, tmp_path / "15fps.avi", step=2))
    assert slow_fps == pytest.approx(fps / 2)
    assert not slow.refused
    a, b = _frames(result, fps), _frames(slow, slow_fps, frame_step=2.0)
    assert len(b) >= 6 and _paired(b, a, swap_sides=False, tol=2.0) >= 0.8  # one frame of the 15 fps clip
    assert _paired(a, b, swap_sides=False, tol=2.0) >= 0.45


def test_a_clip_cut_mid_walk_gives_the_same_events_on_the_shared_part(demo, demo_result, tmp_path):
    result, fps = demo_result
    start = 110
    cut, _ = _analyse(_variant(demo, tmp_path / "cut.avi", start=start))
    a = [e for e in _frames(result, fps) if e.frame >= start + 10]
    b = _frames(cut, fps, offset=start)
    assert len(a) >= 5 and _paired(a, b, swap_sides=False, tol=1.0) >= 0.95
    assert _paired(b, a, swap_sides=False, tol=1.0) >= 0.8


def test_small_walkers_at_ten_frames_a_second_are_refused(tmp_path):
    # 24 s of the 80 s clip, from frame 160: the model finds nobody before frame 166
    clip = _variant(_fetch("opencv_vtest"), tmp_path / "vtest.avi", start=160, stop=400)
    result, _ = _analyse(clip)
    assert result.refused and not result.events
    assert any("fps" in reason for reason in result.refused)
    assert all(m.value is None for m in result.measures().values())


def test_a_man_balancing_on_one_leg_is_not_walking():
    result, _ = _analyse(_fetch("pose2sim_single_cam01"))
    assert not result.subject["walks"] and not result.events
    assert any(note.startswith("nobody walks") for note in result.notes)
