import numpy as np
import pytest

from posture.data.sequence import PoseSequence
from posture.data.skeleton import Landmark
from tests.conftest import make_sequence, stencil_person


def _two_people(n_t=4):
    xy = np.stack([np.stack([stencil_person(10, 20), stencil_person(300, 40, 1.5)]) for _ in range(n_t)])
    xy[1, 1] = np.nan  # second person not seen in frame 1
    return make_sequence(xy)


def test_shapes_and_seen_mask():
    seq = _two_people()
    assert (seq.n_frames, seq.n_people) == (4, 2)
    assert seq.seen.tolist() == [[True, True], [True, False], [True, True], [True, True]]


def test_person_selects_one_track():
    seq = _two_people()
    one = seq.person(1)
    assert one.n_people == 1 and one.track_id.tolist() == [1]
    assert one.xy(Landmark.LEFT_HIP)[0].tolist() == [300 + 62 * 1.5, 40 + 100 * 1.5]
    with pytest.raises(KeyError, match="no person with track id 7"):
        seq.person(7)


def test_mirrored_flips_x_and_swaps_sides_exactly():
    seq = _two_people()
    mirror = seq.mirrored()
    width = seq.image_size[0]
    left = seq.xy_px[0, 0, Landmark.LEFT_HIP]
    right_in_mirror = mirror.xy_px[0, 0, Landmark.RIGHT_HIP]
    assert right_in_mirror.tolist() == [width - left[0], left[1]]
    np.testing.assert_array_equal(mirror.mirrored().xy_px, seq.xy_px)


def test_body_height_is_nan_when_unseen():
    h = _two_people().body_height_px()
    assert h[0, 0] == pytest.approx(198 - 15)
    assert np.isnan(h[1, 1])


def test_validation_names_every_problem():
    seq = _two_people()
    with pytest.raises(ValueError) as info:
        PoseSequence(
            time_s=np.array([0.0, 0.0, 1.0, 2.0]),
            frame_index=np.arange(3),
            track_id=np.array([0, 0]),
            xy_px=seq.xy_px[:, :, :10],
            z=seq.z,
            world_m=seq.world_m,
            visibility=seq.visibility,
            presence=seq.presence,
            image_size=seq.image_size,
            fps=30.0,
            provenance=seq.provenance,
        )
    message = str(info.value)
    assert "frame_index: expected (4,)" in message
    assert "xy_px: expected (4, 2, 33, 2), got (4, 2, 10, 2)" in message
    assert "time_s must increase strictly" in message
    assert "duplicates" in message
