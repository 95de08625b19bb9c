"""Before and after: the annotated pictures of a client's first and latest standing check of a view.

The database stores each session's report path (``report.html``); the standing check writes its
annotated picture beside it (:data:`posture.pipeline.photo_files.ANNOTATED`), so the picture is
found from the report path and needs no column of its own. A session stored without an output
folder (the Python API without ``out=``) has no picture; a picture file moved or deleted since is
said to be gone, not an error. No HTML here: the page (or a template) lays the pairs out.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from posture.core.names import best_variant
from posture.history.compare import Change, Series, judge
from posture.history.db import Session
from posture.history.words import day_text
from posture.pipeline.photo_files import ANNOTATED

#: The hip measures said in words beside the pictures (the height difference in its best unit).
HIP_MEASURES = ("pelvic_obliquity_deg", "hip_height_diff_mm")
_PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Picture:
    """A session's annotated picture: ``path`` is where it should be (None: never stored)."""

    session: Session
    path: Path | None

    def data_uri(self) -> str | None:
        """The picture as a ``data:image/png;base64,...`` URI; None when it is not there (or not a PNG)."""
        if self.path is None:
            return None
        try:
            data = self.path.read_bytes()
        except OSError:
            return None
        if not data.startswith(_PNG):
            return None
        return "data:image/png;base64," + base64.b64encode(data).decode("ascii")

    def missing_note(self) -> str:
        """One line saying why the picture cannot be shown."""
        when = day_text(self.session.taken_at)
        if self.path is None:
            return f"No picture was kept for the session of {when} (it was stored without an output folder)."
        return f"The picture of {when} is no longer at {self.path}."


@dataclass(frozen=True)
class PicturePair:
    """The first (or first from the baseline) and the latest standing check of one view."""

    view: str
    then: Picture
    now: Picture


def annotated_path(session: Session) -> Path | None:
    """Where a photo session's annotated picture was written, from its stored report path."""
    if session.kind != "photo" or not session.report_path:
        return None
    return Path(session.report_path).parent / ANNOTATED


def picture_pairs(sessions: Sequence[Session], baseline: datetime | None = None) -> list[PicturePair]:
    """For each view with two or more standing checks (from ``baseline`` on): first against latest.

    A view is left out when neither session kept a picture (both stored without an output
    folder); views come in the order they were first taken.
    """
    by_view: dict[str, list[Session]] = {}
    for s in sorted(sessions, key=lambda s: (s.taken_at, s.id)):
        if s.kind == "photo" and s.view and (baseline is None or s.taken_at >= baseline):
            by_view.setdefault(s.view, []).append(s)
    pairs = []
    for view, mine in by_view.items():
        then, now = (Picture(s, annotated_path(s)) for s in (mine[0], mine[-1]))
        if len(mine) >= 2 and (then.path is not None or now.path is not None):
            pairs.append(PicturePair(view, then, now))
    return pairs


def pair_changes(pair: PicturePair, series: Sequence[Series]) -> list[Change]:
    """The hip changes between the pair's two sessions (:data:`HIP_MEASURES`, best units), judged."""
    ids = (pair.then.session.id, pair.now.session.id)
    photo = [s for s in series if s.kind == "photo" and s.side is None]
    names = {s.name for s in photo}
    changes = []
    for wanted in HIP_MEASURES:
        name = best_variant(wanted, names)
        for s in (s for s in photo if s.name == name):
            points = {p.session_id: p for p in s.points}
            if all(i in points for i in ids):
                then, now = points[ids[0]], points[ids[1]]
                changes.append(Change(s, then, now, *judge(then, now)))
    return changes
