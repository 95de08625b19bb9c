"""The live loop: frames in, readings out; keys take bursts and record walks.

Keys come from a window (pressed while a frame is shown, they act from the next
frame on) and from a schedule of ``{frame index: key}`` (acting at that frame):

- ``space`` at frame F takes frames F, F+1, ... F+K-1 as a burst;
- ``r`` at frame F starts recording with frame F; ``r`` again at frame G stops
  before G (frames F..G-1 are in the recording);
- ``q`` at frame F ends the session before frame F.

A burst or recording still open when the session ends is finished with what it
has and handed on like any other.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from posture.core.view import View
from posture.live.capture import BURST_FRAMES, RECORD_SUFFIX, Burst, Recording, next_name
from posture.live.draw import Status, draw_live, draw_status
from posture.live.state import LiveState, Reading, choose_subject, mirror_mean
from posture.pose.landmarker import PoseEstimator
from posture.sources.video import Frame, Source
from posture.standing.scene import RollEstimate, estimate_roll

#: How often the camera roll is estimated again from the scene, seconds.
ROLL_EVERY_S = 1.0


class Display(Protocol):
    """Where frames are shown; returns the key pressed (``"space"``, ``"r"``, ``"q"``) or ``None``."""

    def show(self, bgr: np.ndarray) -> str | None: ...  # noqa: D102

    def close(self) -> None: ...  # noqa: D102


@dataclass(frozen=True)
class Handlers:
    """What to do with a finished burst or walk, and how to tell the user things."""

    burst: Callable[[str, list[Path]], None]
    walk: Callable[[str, Recording], None]
    note: Callable[[str], None]


@dataclass(frozen=True)
class SessionSettings:
    """Settings of one live session."""

    out: Path
    schedule: dict[int, str] = field(default_factory=dict)
    burst_frames: int = BURST_FRAMES
    wanted: View | None = None


def _person_box(xy: np.ndarray | None, shape: tuple[int, ...]) -> np.ndarray | None:
    """A bool mask of the person's box, grown by a fifth (its edges are not scene lines)."""
    if xy is None:
        return None
    mask = np.zeros(shape[:2], bool)
    lo, hi = np.nanmin(xy, axis=0), np.nanmax(xy, axis=0)
    pad = (hi - lo) * 0.2
    (x0, y0), (x1, y1) = np.clip(lo - pad, 0, None).astype(int), (hi + pad).astype(int)
    mask[y0 : y1 + 1, x0 : x1 + 1] = True
    return mask


class LiveSession:
    """One run of the live check over a camera or a video file."""

    def __init__(
        self,
        source: Source,
        estimator: PoseEstimator,
        settings: SessionSettings,
        handlers: Handlers,
        display: Display | None = None,
        mirror: PoseEstimator | None = None,
    ) -> None:
        self.source = source
        self.estimator = estimator
        self.mirror = mirror
        self.settings = settings
        self.handlers = handlers
        self.display = display
        self.state = LiveState(settings.wanted)
        self.readings: list[Reading] = []
        self.roll: RollEstimate | None = None
        self._roll_time_s = -math.inf
        self.burst: tuple[str, Burst] | None = None
        self.recording: tuple[str, Recording] | None = None
        self._pending: str | None = None
        self._last_bgr: np.ndarray | None = None
        self.last_index = -1

    def run(self) -> list[Reading]:
        """Go through the frames until the source ends or ``q``; return every frame's reading."""
        quit_at: int | None = None
        try:
            for frame in self.source:
                if not self._press_keys(frame):
                    quit_at = frame.index
                    break
                self._step(frame)
        except BaseException:
            if self.recording is not None:
                self.recording[1].abort()
            raise
        self._finish("the session ended" if quit_at is not None else "the source ended")
        self._report_unreached(quit_at)
        return self.readings

    def _press_keys(self, frame: Frame) -> bool:
        """Act on this frame's keys; ``False`` means quit."""
        keys = [k for k in (self.settings.schedule.get(frame.index), self._pending) if k]
        self._pending = None
        for key in keys:
            if key == "q":
                return False
            if key == "space":
                self._start_burst()
            elif key == "r":
                self._toggle_recording(frame)
        return True

    def _step(self, frame: Frame) -> None:
        found = self.estimator.detect(frame.rgb, frame.time_s)
        subject = choose_subject(found.xy_px)
        people = found.xy_px.copy()
        if subject is not None:
            people[subject] = self._mirror_mean(frame, people[subject])
        self._update_roll(frame, None if subject is None else people[subject])
        pose = None if subject is None else (people[subject], found.z[subject])
        size = (frame.rgb.shape[1], frame.rgb.shape[0])
        roll = self.roll.roll_deg if self.roll is not None else None
        reading = self.state.update(frame.index, frame.time_s, pose, size, roll, found.count)
        self.readings.append(reading)
        self.last_index = frame.index
        self._capture(frame)
        if self.display is not None:
            self._show(frame, people, subject, reading)

    def _mirror_mean(self, frame: Frame, xy: np.ndarray) -> np.ndarray:
        """The subject averaged with its twin in the mirror image (when a mirror estimator runs)."""
        if self.mirror is None:
            return xy
        flipped = self.mirror.detect(np.ascontiguousarray(frame.rgb[:, ::-1]), frame.time_s)
        return mirror_mean(xy, flipped.xy_px, frame.rgb.shape[1])

    def _update_roll(self, frame: Frame, xy: np.ndarray | None) -> None:
        """Estimate the roll every ``ROLL_EVERY_S``; keep the last known one when the scene gives none."""
        if frame.time_s - self._roll_time_s < ROLL_EVERY_S:
            return
        self._roll_time_s = frame.time_s
        estimate = estimate_roll(frame.rgb, _person_box(xy, frame.rgb.shape))
        if estimate.known or self.roll is None:
            self.roll = estimate if estimate.known else None

    def _start_burst(self) -> None:
        if self.burst is not None:
            self.handlers.note(f"{self.burst[0]}: still taking this burst; space ignored")
            return
        name = next_name(self.settings.out, "burst")
        self.burst = (name, Burst(self.settings.out / name, self.settings.burst_frames))

    def _toggle_recording(self, frame: Frame) -> None:
        if self.recording is not None:
            self._stop_recording()
            return
        name = next_name(self.settings.out, "walk")
        path = self.settings.out / name / f"{name}{RECORD_SUFFIX}"
        fps = self.source.info.fps or 30.0
        size = (frame.rgb.shape[1], frame.rgb.shape[0])
        self.recording = (name, Recording(path, fps, size, live_camera=self.source.info.kind == "camera"))

    def _capture(self, frame: Frame) -> None:
        if self.burst is not None:
            self.burst[1].add(frame)
            if self.burst[1].complete:
                self._end_burst()
        if self.recording is not None:
            self.recording[1].add(frame)

    def _end_burst(self) -> None:
        assert self.burst is not None
        name, burst = self.burst
        self.burst = None
        paths = burst.save()
        self._busy(f"{name}: standing check ...")
        self.handlers.burst(name, paths)

    def _stop_recording(self) -> None:
        assert self.recording is not None
        name, recording = self.recording
        self.recording = None
        if not recording.indices:
            recording.abort()
            self.handlers.note(f"{name}: no frames recorded")
            return
        recording.finish()
        self._busy(f"{name}: gait analysis ...")
        self.handlers.walk(name, recording)

    def _finish(self, why: str) -> None:
        """Hand on a burst or recording still open at the end."""
        if self.burst is not None:
            name, burst = self.burst
            self.handlers.note(
                f"{name}: {why} after {len(burst.frames)} of {burst.size} frames; checking those"
            )
            if burst.frames:
                self._end_burst()
            else:
                self.burst = None
        if self.recording is not None:
            self.handlers.note(f"{self.recording[0]}: {why} while recording; analysing what was recorded")
            self._stop_recording()

    def _report_unreached(self, quit_at: int | None) -> None:
        last = quit_at if quit_at is not None else self.last_index
        late = [f"{frame}:{key}" for frame, key in self.settings.schedule.items() if frame > last]
        if late:
            where = (
                f"quit at frame {quit_at}" if quit_at is not None else f"the last frame was {self.last_index}"
            )
            self.handlers.note(f"--keys {','.join(late)} not reached ({where})")

    def _status(self, frame: Frame) -> Status:
        rec = self.recording[1] if self.recording else None
        burst = self.burst[1] if self.burst else None
        return Status(
            recording_s=None if rec is None or not rec.times_s else frame.time_s - rec.times_s[0],
            burst=None if burst is None else (len(burst.frames), burst.size),
        )

    def _show(self, frame: Frame, people: np.ndarray, subject: int | None, reading: Reading) -> None:
        assert self.display is not None
        bgr = cv2.cvtColor(frame.rgb, cv2.COLOR_RGB2BGR)
        draw_live(bgr, people, subject, reading, self.roll, self._status(frame))
        self._last_bgr = bgr
        self._pending = self.display.show(bgr) or self._pending

    def _busy(self, message: str) -> None:
        """Tell the window what is running while the analysis blocks the loop."""
        if self.display is None or self._last_bgr is None:
            return
        bgr = self._last_bgr.copy()
        draw_status(bgr, Status(message=message))
        self.display.show(bgr)
