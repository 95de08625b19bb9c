"""SequenceBuilder packs each person's landmarks as they arrive, in the dtype asked for."""

from __future__ import annotations

import numpy as np

from posture.data.sequence import ROW_SIZE, VIDEO_DTYPE, Provenance, pack_row, unpack_rows
from posture.pose.landmarker import Detections
from posture.pose.run import SequenceBuilder, TrackedFrame
from posture.sources.video import Frame

RNG = np.random.default_rng(7)


def _detections(n: int) -> Detections:
    return Detections(
        xy_px=RNG.uniform(0, 1900, (n, 33, 2)),
        z=RNG.normal(0, 0.3, (n, 33)),
        world_m=RNG.normal(0, 0.5, (n, 33, 3)),
        visibility=RNG.uniform(0, 1, (n, 33)),
        presence=RNG.uniform(0, 1, (n, 33)),
    )


def test_pack_and_unpack_round_trip_every_array():
    det = _detections(1)
    row = np.empty(ROW_SIZE)
    pack_row(det.xy_px[0], det.z[0], det.world_m[0], det.visibility[0], det.presence[0], row)
    back = unpack_rows(row[None])
    for name in ("xy_px", "z", "world_m", "visibility", "presence"):
        np.testing.assert_array_equal(back[name][0], getattr(det, name)[0])


def test_builder_places_every_persons_rows_in_their_frames_and_column():
    # 150 frames (past the buffer's first doubling); track 5 in every frame, track 2 in every third,
    # and the two swap places in the model's output on odd frames
    builder = SequenceBuilder(VIDEO_DTYPE)
    kept = {}
    empty = np.zeros((4, 4, 3), np.uint8)
    for t in range(150):
        with_two = t % 3 == 0
        det = _detections(2 if with_two else 1)
        ids = [5, 2] if with_two else [5]
        if with_two and t % 2:
            ids = ids[::-1]
        for k, track_id in enumerate(ids):
            kept[(t, track_id)] = (det.xy_px[k], det.world_m[k], det.presence[k])
        builder.add(TrackedFrame(Frame(t, t / 30.0, empty), det, ids))
    seq = builder.build((1920, 1080), 30.0, Provenance("clip.mp4", "m", "0"))
    assert seq.track_id.tolist() == [2, 5]
    assert seq.xy_px.dtype == np.float32 and seq.time_s.dtype == np.float64
    assert seq.seen[:, 1].all() and seq.seen[:, 0].tolist() == [t % 3 == 0 for t in range(150)]
    for (t, track_id), (xy, world, presence) in kept.items():
        col = seq.column(track_id)
        np.testing.assert_allclose(seq.xy_px[t, col], xy, rtol=1e-6)
        np.testing.assert_allclose(seq.world_m[t, col], world, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(seq.presence[t, col], presence, rtol=1e-6)


def test_builder_keeps_float64_when_asked():
    builder = SequenceBuilder()
    det = _detections(1)
    builder.add(TrackedFrame(Frame(0, 0.0, np.zeros((4, 4, 3), np.uint8)), det, [0]))
    seq = builder.build((1920, 1080), None, Provenance("photo.jpg", "m", "0"))
    assert seq.xy_px.dtype == np.float64
    np.testing.assert_array_equal(seq.xy_px[0, 0], det.xy_px[0])
