"""Every bad input, option, database and output folder: one clear line, a non-zero exit, nothing left behind.

One row per case: how its input is made, the command, the exit code, a phrase the message
must contain, and what the run may leave (by default nothing: the folder the row runs in,
``--out`` and the databases included, must be exactly as before, byte for byte). Rows on a
read-only or a full file system use small tmpfs mounts; they need root and are skipped
with the reason otherwise. Most rows fail before the pose model runs; the few that need it
(no person, a full disk after the analysis) use the shipped samples.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatch
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from posture.cli import main
from posture.history.db import HistoryDB, MeasureRow

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
PHOTO = SAMPLES / "stand_front_hipdrop.png"
WALK = SAMPLES / "walk_side.mp4"
EVIL = '=HYPERLINK("http://evil/","x")'


# --- input factories: each makes one bad (or good) input at ``path`` ---------------------------------


def _png(size: tuple[int, int], colour: tuple[int, int, int] = (90, 90, 90)) -> Callable[[Path], None]:
    return lambda p: Image.new("RGB", size, colour).save(p)


def _truncated_jpeg(path: Path) -> None:
    Image.new("RGB", (400, 300), (120, 30, 30)).save(path, quality=90)
    path.write_bytes(path.read_bytes()[:700])


def _bomb_png(path: Path) -> None:
    """A PNG whose header claims 30000 x 30000 pixels (900 MP) over a few bytes of data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
    path.write_bytes(data + chunk(b"IEND", b""))


def _video(n_frames: int, fps: float = 25.0, size: tuple[int, int] = (320, 240)) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, size)
        for i in range(n_frames):
            writer.write(np.full((size[1], size[0], 3), 40 + 5 * i % 200, np.uint8))
        writer.release()
        if n_frames == 0 and not path.exists():
            path.write_bytes(b"")

    return make


_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl"}


def _edit_mp4(data: bytes, edit: Callable[[bytes, bytes], bytes]) -> bytes:
    """Rebuild an MP4's boxes, passing each leaf box through ``edit`` (OpenCV writes moov last)."""
    out, i = b"", 0
    while i < len(data):
        size, kind = struct.unpack(">I4s", data[i : i + 8])
        body = data[i + 8 : i + size]
        body = _edit_mp4(body, edit) if kind in _CONTAINERS else edit(kind, body)
        out += struct.pack(">I4s", len(body) + 8, kind) + body
        i += size
    return out


def _walk_frames(keep: Callable[[int], bool]) -> tuple[list[np.ndarray], list[int]]:
    cap = cv2.VideoCapture(str(WALK))
    frames, kept = [], []
    index = 0
    while True:
        ok, bgr = cap.read()
        if not ok:
            break
        if keep(index):
            frames.append(cv2.resize(bgr, (640, 360)))
            kept.append(index)
        index += 1
    cap.release()
    return frames, kept


def _thinned_walk(keep: Callable[[int], bool]) -> Callable[[Path], None]:
    """The walking sample with the frames ``keep`` rejects dropped, the others keeping their times."""

    def make(path: Path) -> None:
        frames, kept = _walk_frames(keep)
        raw = path.with_name("raw-" + path.name)
        writer = cv2.VideoWriter(str(raw), cv2.VideoWriter.fourcc(*"mp4v"), 30.0, (640, 360))
        for frame in frames:
            writer.write(frame)
        writer.release()
        steps = [b - a for a, b in zip(kept, kept[1:], strict=False)] + [1]

        def retime(kind: bytes, body: bytes) -> bytes:
            if kind != b"stts":
                return body
            delta = struct.unpack(">I", body[12:16])[0]
            entries = b"".join(struct.pack(">II", 1, delta * s) for s in steps)
            return body[:4] + struct.pack(">I", len(steps)) + entries

        path.write_bytes(_edit_mp4(raw.read_bytes(), retime))
        raw.unlink()

    return make


def _zero_timescale_video(path: Path) -> None:
    """A clip whose header's time scale is 0 (a broken frame rate: 0.002 fps, one frame decodes)."""
    _video(30, 30.0)(path)

    def zero(kind: bytes, body: bytes) -> bytes:
        at = 12 if body[:1] == b"\0" else 20
        return body[:at] + struct.pack(">I", 0) + body[at + 4 :] if kind == b"mdhd" else body

    path.write_bytes(_edit_mp4(path.read_bytes(), zero))


def _audio_only(path: Path) -> None:
    """An MP4 whose only track is declared a sound track: no picture stream."""
    _video(12)(path)

    def sound(kind: bytes, body: bytes) -> bytes:
        return body[:8] + b"soun" + body[12:] if kind == b"hdlr" else body

    path.write_bytes(_edit_mp4(path.read_bytes(), sound))


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _loop(path: Path) -> None:
    path.symlink_to(path.name)


def _dangling(path: Path) -> None:
    path.symlink_to(path.with_name("gone.png"))


def _copy(src: Path) -> Callable[[Path], None]:
    return lambda p: shutil.copyfile(src, p)


def _store(db: HistoryDB, client: str, n: int = 1, report: str | None = None, sha: str | None = None) -> None:
    for i in range(n):
        db.store(
            client=client, kind="photo", document={"kind": "photo", "view": "front", "pad": "x" * 3000},
            measures=[MeasureRow("pelvic_obliquity_deg", None, -1.5 + i, "deg", 0.3)], source=f"/p/{i}.png",
            source_sha256=sha or hashlib.sha256(f"{client}{i}".encode()).hexdigest(),
            taken_at=datetime(2026, 1, 1 + i % 28), taken_from="stated", report_path=report,
        )  # fmt: skip


def _good_db(path: Path) -> None:
    with HistoryDB(path) as db:
        _store(db, "A", 2)
        _store(db, EVIL, 1)


def _damaged_db(path: Path) -> None:
    """Header intact, later pages overwritten: SQLite says "database disk image is malformed"."""
    with HistoryDB(path) as db:
        _store(db, "A", 40)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    data = bytearray(path.read_bytes())
    rng = np.random.default_rng(13)
    for page in range(2, len(data) // 4096):
        data[page * 4096 : page * 4096 + 4096] = rng.integers(0, 256, 4096, dtype=np.uint8).tobytes()
    path.write_bytes(bytes(data))


def _random_db(path: Path) -> None:
    path.write_bytes(np.random.default_rng(1).integers(0, 256, 8192, dtype=np.uint8).tobytes())


def _newer_db(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.execute("PRAGMA user_version=99")
    con.commit()
    con.close()


def _db_linking(report: str) -> Callable[[Path], None]:
    """A database where client A's session links to ``report`` (relative to the row's folder)."""

    def make(path: Path) -> None:
        with HistoryDB(path) as db:
            _store(db, "A", 1, report=str((path.parent / report).resolve()))

    return make


def _manifest(text: str | bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        shutil.copyfile(PHOTO, path.parent / "p.png")
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)

    return make


def _folder_with_long_client(path: Path) -> None:
    client = path / ("k" * 130)
    client.mkdir(parents=True)
    (client / "clip.png").write_bytes(b"refused before it is read")


def _dir(path: Path) -> None:
    path.mkdir()


def _file(path: Path) -> None:
    path.write_text("x")


# --- the table ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One case: ``make`` builds each named input in the row's folder; ``argv`` may say ``{t}``
    (that folder), ``{ro}`` (a read-only file system), ``{full}`` (a full one) and ``{samples}``."""

    id: str
    argv: tuple[str, ...]
    code: int
    phrase: str
    make: tuple[tuple[str, Callable[[Path], None]], ...] = ()
    stream: str = "err"  # where the phrase must be: err or out
    allowed: tuple[str, ...] = ()  # globs (relative to a watched folder) of what the run may leave
    isolated: bool = False  # run as a child process: a native crash must fail the row, not the test run
    mounts: bool = False
    no_dask: bool = False
    model: bool = False  # runs the pose model (kept few)


Make = tuple[str, Callable[[Path], None]]


def R(id_: str, argv: str | tuple[str, ...], code: int, phrase: str, *make: Make, **kw) -> Row:  # noqa: N802
    return Row(id_, tuple(argv.split()) if isinstance(argv, str) else argv, code, phrase, make, **kw)


DB_ROWS = [
    # case 1: a damaged database is refused, named, and never written to
    *(
        R(f"damaged-db-{cmd.split()[0]}", f"{cmd} --db {{t}}/d.db", 2, "is damaged", ("d.db", _damaged_db))
        for cmd in ("history A", "export A", "clients", "forget A")
    ),
    R(
        "damaged-db-integrity-hint",
        "history A --db {t}/d.db",
        2,
        "PRAGMA integrity_check",
        ("d.db", _damaged_db),
    ),
    R(
        "damaged-db-photo",
        "photo {t}/p.png --client A --db {t}/d.db --out {t}/o",
        2,
        "is damaged",
        ("d.db", _damaged_db),
        ("p.png", _copy(PHOTO)),
    ),
    R(
        "random-db-history",
        "history A --db {t}/r.db",
        2,
        "not a posture history database",
        ("r.db", _random_db),
    ),
    R(
        "damaged-db-batch",
        "batch {t}/m.csv --db {t}/d.db --out {t}/o",
        2,
        "is damaged",
        ("d.db", _damaged_db),
        ("m.csv", _manifest("path\np.png\n")),
    ),
    R("newer-db-history", "history A --db {t}/n.db", 2, "newer than this posture", ("n.db", _newer_db)),
    # case 14: --client with a bad database fails before the analysis and writes nothing
    R(
        "random-db-photo",
        "photo {t}/p.png --client A --db {t}/r.db --out {t}/o",
        2,
        "not a posture history database",
        ("r.db", _random_db),
        ("p.png", _copy(PHOTO)),
    ),
    R(
        "newer-db-photo",
        "photo {t}/p.png --client A --db {t}/n.db --out {t}/o",
        2,
        "newer than this posture",
        ("n.db", _newer_db),
        ("p.png", _copy(PHOTO)),
    ),
    R(
        "random-db-gait",
        "gait {t}/w.mp4 --client A --db {t}/r.db --out {t}/o",
        2,
        "not a posture history database",
        ("r.db", _random_db),
        ("w.mp4", _copy(WALK)),
    ),
    R("db-is-folder", "clients --db {t}/dbdir", 2, "is a folder", ("dbdir", _dir)),
    R(
        "db-is-folder-photo",
        "photo {t}/p.png --client A --db {t}/dbdir --out {t}/o",
        2,
        "is a folder",
        ("dbdir", _dir),
        ("p.png", _copy(PHOTO)),
    ),
    # case 16: reading commands never create a database
    *(
        R(f"new-db-{cmd.split()[0]}", f"{cmd} --db {{t}}/new.db", 2, "no history database here yet")
        for cmd in ("history A", "export A", "forget A")
    ),
    R("new-db-clients", "clients --db {t}/new.db", 0, "no history database yet", stream="out"),
    R("no-such-client", "history Nobody --db {t}/g.db", 2, "no client named 'Nobody'", ("g.db", _good_db)),
    R(
        "bad-baseline",
        "history A --db {t}/g.db --baseline 2026-13-01",
        2,
        "is not a date",
        ("g.db", _good_db),
    ),
    # case 13: formula injection is neutralised in the export
    R(
        "export-formula-client",
        'export =HYPERLINK("http://evil/","x") --db {t}/g.db',
        0,
        "'=HYPERLINK",
        ("g.db", _good_db),
        stream="out",
    ),
    R("export-format", "export A --format xml --db {t}/g.db", 2, "invalid choice", ("g.db", _good_db)),
    R(
        "export-out-folder",
        "export A --db {t}/g.db --out {t}/dir",
        2,
        "is a folder",
        ("g.db", _good_db),
        ("dir", _dir),
    ),
    # case 12: a report another session links to is not overwritten
    R(
        "out-linked-by-another-session",
        "photo {t}/p.png --client B --db {t}/l.db --out {t}/o",
        2,
        "holds the report of another stored session",
        ("l.db", _db_linking("o/report.html")),
        ("p.png", _copy(PHOTO)),
    ),
]

INPUT_ROWS = [
    R("missing", "landmarks {t}/missing.jpg --out {t}/o", 2, "no such file"),
    R(
        "empty",
        "landmarks {t}/e.jpg --out {t}/o",
        2,
        "empty (0 bytes)",
        ("e.jpg", lambda p: p.write_bytes(b"")),
    ),
    R(
        "text-as-jpeg",
        "landmarks {t}/t.jpg --out {t}/o",
        2,
        "not a readable image",
        ("t.jpg", lambda p: p.write_text("not an image")),
    ),
    R(
        "truncated-jpeg",
        "landmarks {t}/c.jpg --out {t}/o",
        2,
        "damaged or truncated",
        ("c.jpg", _truncated_jpeg),
    ),
    R("tiny-image", "landmarks {t}/s.png --out {t}/o", 2, "1x1", ("s.png", _png((1, 1)))),
    R("decompression-bomb", "photo {t}/b.png --out {t}/o", 2, "limit", ("b.png", _bomb_png)),
    R("directory", "photo {t}/d --out {t}/o", 2, "not a file", ("d", _dir)),
    R("fifo", "landmarks {t}/f.png --out {t}/o", 2, "not a file", ("f.png", _fifo)),
    R("dev-zero", "landmarks /dev/zero --out {t}/o", 2, "not a file"),
    R(
        "unknown-suffix",
        "landmarks {t}/x.dat --out {t}/o",
        2,
        "neither a readable image nor a readable video",
        ("x.dat", lambda p: p.write_bytes(b"\x00" * 512)),
    ),
    # case 17: a symbolic link loop is not "no such file"
    R("symlink-loop", "photo {t}/loop.png --out {t}/o", 2, "symbolic link loop", ("loop.png", _loop)),
    R("dangling-symlink", "landmarks {t}/l.png --out {t}/o", 2, "broken symbolic link", ("l.png", _dangling)),
    # case 6: sizes and shapes the model cannot take are refused before it runs (it would abort)
    R(
        "elongated-photo",
        "photo {t}/wide.png --out {t}/o",
        2,
        "more elongated",
        ("wide.png", _png((100000, 64))),
        isolated=True,
    ),
    R(
        "elongated-landmarks",
        "landmarks {t}/tall.png --out {t}/o",
        2,
        "more elongated",
        ("tall.png", _png((64, 5000))),
        isolated=True,
    ),
    R(
        "longest-side",
        "photo {t}/long.png --out {t}/o",
        2,
        "longest side",
        ("long.png", _png((20000, 2500))),
        isolated=True,
    ),
    R("zero-frame-video", "landmarks {t}/z.mp4 --out {t}/o", 2, "z.mp4", ("z.mp4", _video(0))),
    R(
        "video-as-photo-suffix",
        "photo {t}/v.png --out {t}/o",
        2,
        "not a readable image",
        ("v.png", _copy(WALK)),
    ),
    R("still-image-for-gait", "gait {t}/p.png --out {t}/o", 2, "needs a video", ("p.png", _copy(PHOTO))),
    R(
        "text-as-video",
        "gait {t}/t.mp4 --out {t}/o",
        2,
        "not a readable video",
        ("t.mp4", lambda p: p.write_text("x")),
    ),
    R("audio-only", "gait {t}/a.mp4 --out {t}/o", 2, "not a readable video", ("a.mp4", _audio_only)),
    R("one-frame-gait", "gait {t}/one.mp4 --out {t}/o", 2, "a single frame", ("one.mp4", _video(1))),
    # case 7: a walking clip is not a standing photo
    R(
        "walking-clip-to-photo",
        "photo {t}/walk.mp4 --out {t}/o",
        2,
        "use `posture gait`",
        ("walk.mp4", lambda p: p.write_bytes(WALK.read_bytes())),
        model=True,
    ),
    # cases 8 and 9: frame timing that cannot time a walk
    R(
        "bogus-frame-rate",
        "gait {t}/fast.mp4 --out {t}/o",
        2,
        "implausible frame rate",
        ("fast.mp4", _video(133, 805.0)),
    ),
    R(
        "zero-frame-rate",
        "gait {t}/zt.mp4 --out {t}/o",
        2,
        "implausible frame rate",
        ("zt.mp4", _zero_timescale_video),
    ),
    R(
        "missing-frames",
        "gait {t}/vfr.mp4 --out {t}/o",
        2,
        "frames are missing",
        ("vfr.mp4", _thinned_walk(lambda i: i % 10 < 6)),
    ),
    R(
        "frames-dropped-here-and-there",
        "gait {t}/vfr.mp4 --out {t}/o",
        2,
        "frames are missing here and there",
        ("vfr.mp4", _thinned_walk(lambda i: i % 10 not in (3, 5, 7, 9))),
    ),
    R(
        "every-third-frame-dropped",
        "gait {t}/vfr.mp4 --out {t}/o",
        2,
        "frames are missing here and there",
        ("vfr.mp4", _thinned_walk(lambda i: i % 3 != 2)),
    ),
    R(
        "nobody-image",
        "landmarks {t}/n.png --out {t}/o",
        3,
        "no person detected",
        ("n.png", _png((200, 300))),
        model=True,
    ),
    R(
        "nobody-video",
        "landmarks {t}/n.mp4 --out {t}/o --no-progress",
        3,
        "no person detected in 12 frame",
        ("n.mp4", _video(12)),
        model=True,
    ),
    R(
        "nobody-photo-client",
        "photo {t}/n.png --client A --db {t}/g.db --out {t}/o",
        3,
        "no person",
        ("n.png", _png((200, 300))),
        ("g.db", _good_db),
        model=True,
    ),
]

OPTION_ROWS = [
    R("max-people-0", "landmarks {t}/p.png --max-people 0", 2, "expected 1 or more"),
    R("frames-text", "landmarks {t}/p.png --frames many", 2, "expected a whole number"),
    R(
        "out-is-file",
        "landmarks {t}/p.png --out {t}/f",
        2,
        "output folder is a file",
        ("p.png", _copy(PHOTO)),
        ("f", _file),
    ),
    R(
        "photo-out-is-file",
        "photo {t}/p.png --out {t}/f",
        2,
        "output folder is a file",
        ("p.png", _copy(PHOTO)),
        ("f", _file),
    ),
    R(
        "height-small",
        "photo {t}/p.png --height-cm 5 --out {t}/o",
        2,
        "not a standing height",
        ("p.png", _copy(PHOTO)),
    ),
    R(
        "height-nan",
        "photo {t}/p.png --height-cm nan --out {t}/o",
        2,
        "not a standing height",
        ("p.png", _copy(PHOTO)),
    ),
    R("height-text", "photo {t}/p.png --height-cm tall", 2, "invalid float value"),
    R(
        "marker-small",
        "photo {t}/p.png --marker-mm 1 --out {t}/o",
        2,
        "not a marker size",
        ("p.png", _copy(PHOTO)),
    ),
    R("photo-view", "photo {t}/p.png --view sideways", 2, "invalid choice"),
    R("gait-view", "gait {t}/w.mp4 --view diagonal", 2, "invalid choice"),
    R(
        "gait-height",
        "gait {t}/w.mp4 --height-cm 999 --out {t}/o",
        2,
        "not a standing height",
        ("w.mp4", _copy(WALK)),
    ),
    R(
        "client-control-char",
        "photo {t}/p.png --client a\x01b --out {t}/o",
        2,
        "control characters",
        ("p.png", _copy(PHOTO)),
    ),
    R(
        "client-too-long",
        f"photo {{t}}/p.png --client {'n' * 130} --out {{t}}/o",
        2,
        "at most 120",
        ("p.png", _copy(PHOTO)),
    ),
    R(
        "client-blank-history",
        ("history", "  ", "--db", "{t}/g.db"),
        2,
        "cannot be empty",
        ("g.db", _good_db),
    ),
    R(
        "date-words",
        "photo {t}/p.png --client A --date yesterday --out {t}/o",
        2,
        "is not a date",
        ("p.png", _copy(PHOTO)),
    ),
    R("unknown-command", "posturise x", 2, "invalid choice"),
    # case 2: the time limit is a finite positive number
    *(
        R(
            f"time-limit-{value}",
            f"batch {{t}}/m.csv --time-limit {value} --out {{t}}/o",
            2,
            "finite positive",
        )
        for value in ("nan", "inf", "-1", "0")
    ),
    R("time-limit-text", "batch {t}/m.csv --time-limit soon", 2, "expected a number of seconds"),
    R("workers-0", "batch {t}/m.csv --workers 0", 2, "expected 1 or more"),
    # case 3: --scheduler without the cluster extra says which extra to install
    R(
        "scheduler-without-dask",
        "batch {t}/m.csv --scheduler tcp://127.0.0.1:1 --out {t}/o",
        2,
        "posture[cluster]",
        ("m.csv", _manifest("path\np.png\n")),
        no_dask=True,
    ),
    R(
        "scheduler-not-an-address",
        "batch {t}/m.csv --scheduler somewhere --out {t}/o",
        2,
        "not a scheduler address",
        ("m.csv", _manifest("path\np.png\n")),
    ),
]

BATCH_ROWS = [
    R("batch-missing", "batch {t}/nothing --out {t}/o", 2, "no such folder or manifest"),
    R("batch-wrong-type", "batch {t}/list.txt --out {t}/o", 2, "or a CSV manifest", ("list.txt", _file)),
    R(
        "batch-out-is-file",
        "batch {t}/m.csv --out {t}/f",
        2,
        "output folder is a file",
        ("m.csv", _manifest("path\np.png\n")),
        ("f", _file),
    ),
    R("manifest-empty", "batch {t}/m.csv --out {t}/o", 2, "'path' column", ("m.csv", _manifest(""))),
    R(
        "manifest-no-path",
        "batch {t}/m.csv --out {t}/o",
        2,
        "'path' column",
        ("m.csv", _manifest("file\np.png\n")),
    ),
    R(
        "manifest-kind",
        "batch {t}/m.csv --out {t}/o",
        2,
        "kind must be photo or gait",
        ("m.csv", _manifest("path,kind\np.png,run\n")),
    ),
    R(
        "manifest-view",
        "batch {t}/m.csv --out {t}/o",
        2,
        "is not one of",
        ("m.csv", _manifest("path,view\np.png,up\n")),
    ),
    R(
        "manifest-height-text",
        "batch {t}/m.csv --out {t}/o",
        2,
        "is not a number",
        ("m.csv", _manifest("path,height_cm\np.png,tall\n")),
    ),
    R(
        "manifest-height-range",
        "batch {t}/m.csv --out {t}/o",
        2,
        "not a standing height",
        ("m.csv", _manifest("path,height_cm\np.png,9000\n")),
    ),
    R(
        "manifest-empty-path",
        "batch {t}/m.csv --out {t}/o",
        2,
        "the path is empty",
        ("m.csv", _manifest("path,client\n,A\n")),
    ),
    R(
        "manifest-client-control",
        "batch {t}/m.csv --out {t}/o",
        2,
        "control characters",
        ("m.csv", _manifest("path,client\np.png,a\x07b\n")),
    ),
    R(
        "manifest-not-text",
        "batch {t}/m.csv --out {t}/o",
        2,
        "cannot read the manifest",
        ("m.csv", _manifest(b"path\n\xff\xfe\xfa\n")),
    ),
    R(
        "manifest-every-bad-line",
        "batch {t}/m.csv --out {t}/o",
        2,
        "line 3",
        ("m.csv", _manifest("path,kind\np.png,run\np.png,walk\n")),
    ),
    # case 15: one bad client folder fails its clip, named, and the batch finishes
    R(
        "client-folder-too-long",
        "batch {t}/in --out {t}/o --no-progress",
        1,
        "kkkkkkkkkk",
        ("in", _folder_with_long_client),
        stream="out",
        allowed=("o", "o/index.html", "o/summary.csv", "default.sqlite*"),
    ),
]

MOUNT_ROWS = [
    # case 4: a read-only --out is refused before any work
    R("ro-photo", "photo {t}/p.png --out {ro}/o", 2, "read-only", ("p.png", _copy(PHOTO)), mounts=True),
    R(
        "ro-photo-existing",
        "photo {t}/p.png --out {ro}/existing",
        2,
        "read-only",
        ("p.png", _copy(PHOTO)),
        mounts=True,
    ),
    R("ro-gait", "gait {t}/w.mp4 --out {ro}/o", 2, "read-only", ("w.mp4", _copy(WALK)), mounts=True),
    R(
        "ro-landmarks",
        "landmarks {t}/p.png --out {ro}/o",
        2,
        "read-only",
        ("p.png", _copy(PHOTO)),
        mounts=True,
    ),
    R("ro-history", "history A --db {t}/g.db --out {ro}/h", 2, "read-only", ("g.db", _good_db), mounts=True),
    R(
        "ro-export",
        "export A --db {t}/g.db --out {ro}/a.csv",
        2,
        "read-only",
        ("g.db", _good_db),
        mounts=True,
    ),
    R(
        "ro-batch",
        "batch {t}/m.csv --out {ro}/b",
        2,
        "read-only",
        ("m.csv", _manifest("path\np.png\n")),
        mounts=True,
    ),
    # case 5: a full disk: the run says so and leaves nothing, the video included
    R(
        "full-photo",
        "photo {t}/p.png --out {full}/o",
        2,
        "disk full while writing",
        ("p.png", _copy(PHOTO)),
        mounts=True,
        model=True,
    ),
    R(
        "full-gait",
        "gait {t}/w.mp4 --out {full}/o --no-progress",
        2,
        "disk full while writing",
        ("w.mp4", _copy(WALK)),
        mounts=True,
        model=True,
    ),
    R(
        "full-landmarks",
        "landmarks {t}/p.png --out {full}/o --no-progress",
        2,
        "disk full while writing",
        ("p.png", _copy(PHOTO)),
        mounts=True,
        model=True,
    ),
    # case 14 on a full disk: a session cannot be stored (or a new database made); it says so,
    # the outputs go again and the database is as it was (SQLite's own journal may keep the rolled-back pages)
    R(
        "full-db-existing-photo",
        "photo {t}/p.png --client A --db {full}/history.db --out {t}/o",
        2,
        "the disk holding the history database is full",
        ("p.png", _copy(PHOTO)),
        mounts=True,
        model=True,
        allowed=("history.db-wal", "history.db-shm"),
    ),
    R(
        "full-db-photo",
        "photo {t}/p.png --client A --db {full}/h.db --out {t}/o",
        2,
        "the disk holding the history database is full",
        ("p.png", _copy(PHOTO)),
        mounts=True,
        model=True,
    ),
    R(
        "full-export",
        "export A --db {t}/g.db --out {full}/a.csv",
        2,
        "disk full while writing a.csv",
        ("g.db", _good_db),
        mounts=True,
    ),
    R(
        "full-history",
        "history A --db {t}/g.db --out {full}/h",
        2,
        "disk full while writing",
        ("g.db", _good_db),
        mounts=True,
    ),
    R(
        "full-history-existing",
        "history A --db {t}/g.db --out {full}/existing",
        2,
        "disk full while writing",
        ("g.db", _good_db),
        mounts=True,
    ),
]

ROWS = DB_ROWS + INPUT_ROWS + OPTION_ROWS + BATCH_ROWS + MOUNT_ROWS


def test_the_table_has_a_row_for_every_case():
    assert len(ROWS) >= 60 and len({r.id for r in ROWS}) == len(ROWS)
    assert sum(r.model for r in ROWS) <= 9, "keep the suite fast: most rows must fail before the model"


# --- running a row --------------------------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, str]:
    """Every path under ``folder`` with what it is (a file's SHA-256), symbolic links not followed."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = str(path.relative_to(folder))
            if path.is_symlink():
                found[rel] = "link"
            elif path.is_dir():
                found[rel] = "dir"
            elif path.is_file():
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[rel] = "special"
    return found


def _changes(before: dict[str, str], after: dict[str, str], allowed: tuple[str, ...] = ()) -> list[str]:
    changed = [k for k in after if before.get(k) != after[k]] + [
        f"gone: {k}" for k in before if k not in after
    ]
    return [k for k in changed if not any(fnmatch(k, pattern) for pattern in allowed)]


@pytest.fixture(scope="session")
def mounts(tmp_path_factory):
    """A read-only and a full tmpfs (root only); yields their folders and unmounts them at the end."""
    if os.geteuid() != 0:
        pytest.skip("read-only and full output folders need a tmpfs mount, which needs root")
    base = tmp_path_factory.mktemp("mounts")
    ro, full = base / "ro", base / "full"
    ro.mkdir()
    full.mkdir()
    mounted = []
    try:
        for target, size in ((ro, "256k"), (full, "192k")):
            result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)],
                                    capture_output=True, text=True, check=False)  # fmt: skip
            if result.returncode != 0:
                pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
            mounted.append(target)
            (target / "existing").mkdir()
        subprocess.run(["mount", "-o", "remount,ro", str(ro)], check=True)
        _good_db(full / "history.db")  # a history that was there before the disk filled up
        with open(full / "filler", "wb", buffering=0) as handle, pytest.raises(OSError):
            while True:
                handle.write(b"\0" * 4096)
        yield {"ro": ro, "full": full}
    finally:
        for target in mounted:
            subprocess.run(["umount", "-l", str(target)], check=False)


def _run(row: Row, argv: list[str], cwd: Path, capsys, monkeypatch) -> tuple[int, str, str]:
    if row.isolated:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.run([sys.executable, "-m", "posture.cli", *argv], cwd=cwd, capture_output=True,
                              text=True, env=env, check=False, timeout=120)  # fmt: skip
        return proc.returncode, proc.stdout, proc.stderr
    if row.no_dask:
        monkeypatch.setitem(sys.modules, "distributed", None)
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_bad_input(row, tmp_path, capsys, monkeypatch, request):
    places = {"t": str(tmp_path / "run"), "samples": str(SAMPLES)}
    if row.mounts:
        places.update({k: str(v) for k, v in request.getfixturevalue("mounts").items()})
    run = tmp_path / "run"
    run.mkdir()
    for name, make in row.make:
        make(run / name)
    monkeypatch.chdir(run)  # default output folders land here too, and are checked
    monkeypatch.setenv("POSTURE_DB", str(run / "default.sqlite"))
    watched = [run] + [Path(places[k]) for k in ("ro", "full") if k in places]
    before = [_snapshot(folder) for folder in watched]
    argv = [part.format(**places) for part in row.argv]

    code, out, err = _run(row, argv, run, capsys, monkeypatch)

    assert code == row.code, (code, out, err)
    assert "Traceback" not in err and "Traceback" not in out
    if row.code != 0 and row.stream == "err":
        lines = err.strip().splitlines()
        assert lines, "an error must be said"
        said = lines[-1] if lines[0].startswith("usage:") else "\n".join(lines)
        assert len(said.splitlines()) == 1, f"one line, not {len(lines)}: {err}"
    text = out if row.stream == "out" else err
    assert row.phrase in text, text
    for folder, was in zip(watched, before, strict=True):
        left = _changes(was, _snapshot(folder), row.allowed)
        assert not left, f"left behind or changed in {folder}: {left}"


# --- the cases a row cannot show alone ------------------------------------------------------------------


@pytest.fixture
def small_disk(mounts, tmp_path):
    """A fresh, empty 256 kB tmpfs (root only, like ``mounts``)."""
    target = tmp_path / "small"
    target.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(target)], check=True)
    yield target
    subprocess.run(["umount", "-l", str(target)], check=False)


@pytest.mark.parametrize("codec", ["mp4v", "h264"])
def test_a_video_cut_short_by_a_full_disk_is_refused_and_removed(small_disk, codec):
    """OpenCV's encoder does not report failed writes: the writer reads its frame count back; FFmpeg's
    (H.264) raises in the encoding thread, which keeps taking frames and reports it at close."""
    from posture.annotate.video import VideoWriter
    from posture.io.atomic import OutputError

    writer = VideoWriter(small_disk / "overlay.mp4", 30.0, (320, 240), codec)
    rng = np.random.default_rng(5)
    for _ in range(30):  # noise does not compress: far more than the free space
        writer.write(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8))
    with pytest.raises(OutputError, match="disk full while writing overlay.mp4"):
        writer.close()
    assert list(small_disk.iterdir()) == []


def test_a_video_writer_that_cannot_start_on_a_full_disk_says_so(mounts):
    from posture.annotate.video import VideoWriter
    from posture.io.atomic import OutputError

    before = _snapshot(mounts["full"])
    with pytest.raises(OutputError, match="disk full while writing overlay.mp4"):
        VideoWriter(mounts["full"] / "existing" / "overlay.mp4", 30.0, (320, 240))
    assert _changes(before, _snapshot(mounts["full"])) == []


def test_a_whole_video_passes_the_writers_check(tmp_path):
    from posture.annotate.video import VideoWriter

    writer = VideoWriter(tmp_path / "v.mp4", 30.0, (64, 64))
    for i in range(12):
        writer.write(np.full((64, 64, 3), 10 * i, np.uint8))
    assert writer.close() == tmp_path / "v.mp4"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.mp4"]


CLIENT_PHOTOS = {
    "a b": "stand_front_hipdrop",
    "a_b": "stand_front_level",
    '=HYPERLINK("e","x")': "stand_front_followup",
    "k" * 130: "stand_back_level",
}


def _batch_folder(root: Path) -> Path:
    """Case 11 (``a b`` and ``a_b``), 13 (a formula as a client name) and 15 (a 130-character folder)."""
    folder = root / "in"
    for client, sample in CLIENT_PHOTOS.items():
        (folder / client).mkdir(parents=True)
        shutil.copyfile(SAMPLES / f"{sample}.png", folder / client / f"{sample}.png")
    return folder


@pytest.mark.slow
def test_batch_client_folders_get_their_own_reports_and_a_bad_one_fails_alone(tmp_path, capsys):
    import csv
    import html
    import re

    out = tmp_path / "out"
    argv = ["batch", str(_batch_folder(tmp_path)), "--out", str(out), "--workers", "1", "--no-progress"]
    code = main([*argv, "--db", str(tmp_path / "h.db")])
    printed = capsys.readouterr().out
    assert code == 1, printed
    assert "failed:" in printed and "k" * 130 in printed and "3 done" in printed
    with open(out / "summary.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["client"]: r["status"] for r in rows if r["client"]}['\'=HYPERLINK("e","x")'] == "done"
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r.values() if cell)
    index = (out / "index.html").read_text()
    folders = {
        html.unescape(n): f for f, n in re.findall(r'<a href="([^"]+)/history.html">([^<]+)</a>', index)
    }
    assert set(folders) == set(CLIENT_PHOTOS) - {"k" * 130}
    assert len(set(folders.values())) == 3, folders
    for client, folder in folders.items():
        page = (out / folder / "history.html").read_text()
        assert all((sample in page) == (c == client) for c, sample in CLIENT_PHOTOS.items()), client


@pytest.mark.slow
def test_two_clients_runs_keep_their_own_default_reports(tmp_path, monkeypatch, capsys):
    """Case 12: the same picture checked for two clients with the default --out."""
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(PHOTO, tmp_path / "p.png")
    db = str(tmp_path / "h.db")
    for client in ("Ann", "Bob"):
        assert main(["photo", "p.png", "--client", client, "--db", db]) == 0
    capsys.readouterr()
    with HistoryDB(db) as history:
        reports = [history.sessions(c)[0].report_path for c in ("Ann", "Bob")]
    assert reports[0] != reports[1] and all(Path(r).is_file() for r in reports)
    assert [json_client(Path(r).with_name("result.json")) for r in reports] == ["Ann", "Bob"]


def json_client(path: Path) -> str:
    import json

    return str(json.loads(path.read_text())["client"])


def test_a_walk_too_short_for_a_cadence_says_so():
    """Case 17: no "cadence None steps/min"."""
    from posture.commands.gait import gait_summary
    from posture.pipeline.gait import GaitOptions

    why = "too few steps for a cadence (2 of at least 3)"
    doc = {
        "kind": "gait",
        "view": "side",
        "view_reason": "given",
        "measures": {"cadence_spm": {"value": None, "unit": "steps/min", "uncertainty": None, "note": why}},
        "subject": {"track_id": 0, "reason": "given with --subject"},
        "events": [],
        "findings": [],
        "spatiotemporal": {"cadence_spm": {"mean": None}, "left": {}, "right": {}},
    }
    lines = gait_summary(doc, GaitOptions(input="short.mp4"))
    assert not [line for line in lines if "None" in line]
    assert "cadence not measured" in lines[0] and lines[2] == f"  walking: not measured ({why})"


def test_colliding_client_slugs_get_a_hash_and_others_stay_as_they_are():
    from posture.history.store import unique_slugs

    slugs = unique_slugs(["a b", "a_b", "Ann", "a/b"])
    assert slugs["Ann"] == "Ann"
    assert len({slugs["a b"], slugs["a_b"], slugs["a/b"]}) == 3
    assert all(slugs[n].startswith("a_b-") and len(slugs[n]) == 10 for n in ("a b", "a_b", "a/b"))
    assert unique_slugs(["a b", "a_b"]) == {k: v for k, v in slugs.items() if k in ("a b", "a_b")}


@pytest.mark.parametrize(
    ("cell", "safe"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
     ("\rx", "'\rx"), ("Ann", "Ann"), (-1.5, -1.5), (None, None), ("a=b", "a=b")],
)  # fmt: skip
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(cell, safe):
    from posture.io.csvcells import safe_cell

    assert safe_cell(cell) == safe
