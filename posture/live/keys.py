"""The keys of the live check, and a schedule of key presses for running without a window.

A schedule such as ``40:space,60:r,180:r`` presses space at frame 40 (a burst of
frames 40, 41, ...), starts recording at frame 60 and stops before frame 180
(frames 60..179 are recorded). Frames count from 0 in the source.
"""

from __future__ import annotations

from posture.errors import InputError

#: What each key does.
KEYS = {
    "space": "take a burst and run the standing check on it",
    "r": "start or stop recording a walk; the gait analysis runs when it stops",
    "q": "quit",
}
EXAMPLE = "40:space,60:r,180:r"


def _parse_pair(pair: str) -> tuple[int, str]:
    frame, sep, key = pair.strip().partition(":")
    frame, key = frame.strip(), key.strip().lower()
    if not sep or not frame.isdigit():
        raise ValueError(f"{pair.strip()!r} is not FRAME:KEY")
    if key not in KEYS:
        raise ValueError(f"{pair.strip()!r}: unknown key {key!r}")
    return int(frame), key


def parse_keys(text: str) -> dict[int, str]:
    """Parse a schedule ``FRAME:KEY[,FRAME:KEY ...]`` into {frame index: key}.

    Raises
    ------
    posture.errors.InputError
        Naming every malformed pair, unknown key and repeated frame at once.
    """
    schedule: dict[int, str] = {}
    problems = []
    for pair in text.split(","):
        try:
            frame, key = _parse_pair(pair)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if frame in schedule:
            problems.append(f"frame {frame} has two keys")
        schedule[frame] = key
    if problems or not schedule:
        found = "; ".join(problems) or "no keys"
        raise InputError(
            f"--keys {text!r}: {found}; expected FRAME:KEY pairs such as {EXAMPLE} (keys: {', '.join(KEYS)})"
        )
    return dict(sorted(schedule.items()))
