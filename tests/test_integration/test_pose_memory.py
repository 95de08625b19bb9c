"""The landmarks of a clip are not kept alive after the sequence is built (real model, fresh process)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import SAMPLES

SCRIPT = """
import gc, sys
from posture.pose.landmarker import Detections
from posture.pose.run import SequenceBuilder, load_pose
seq = load_pose(sys.argv[1], max_frames=12)
gc.collect()
alive = [o for o in gc.get_objects() if isinstance(o, (Detections, SequenceBuilder))]
print(seq.n_frames, len(alive))
"""


def test_a_clips_detections_are_freed_once_its_sequence_is_built():
    # MediaPipe keeps the error of its optional audio import with a traceback through the frames that
    # first imported it; before posture dropped it, every frame's detections of the first clip stayed alive
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(SAMPLES / "walk_side.mp4")],
        capture_output=True,
        text=True,
        check=True,
    )
    frames, alive = map(int, done.stdout.split()[-2:])
    assert frames == 12
    assert alive == 0, done.stdout
