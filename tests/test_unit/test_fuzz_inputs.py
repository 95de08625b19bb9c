"""Property-based fuzzing of what users type: the option parser, client names and the batch manifest.

Whatever arrives, the answer is a parsed value, argparse's own usage error, or an
:class:`InputError` with a one-line message: never another exception.
"""

from __future__ import annotations

import math
import re
import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="the dev extra installs hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from posture.batch.plan import GAIT_VIEWS, PHOTO_VIEWS, plan_manifest  # noqa: E402
from posture.cli import build_parser, main  # noqa: E402
from posture.errors import InputError  # noqa: E402
from posture.history.db import check_client_name  # noqa: E402
from posture.history.store import client_slug, unique_slugs  # noqa: E402
from posture.io.csvcells import FORMULA_START, safe_cell  # noqa: E402

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = st.sampled_from([
    "landmarks", "photo", "gait", "history", "clients", "export", "forget", "batch", "live",
    "--out", "--view", "--height-cm", "--marker-mm", "--client", "--db", "--date", "--time-limit",
    "--workers", "--scheduler", "--max-people", "--frames", "--subject", "--format", "--baseline",
    "--keys", "--camera", "--no-progress", "--blur-faces", "-h", "front", "side", "auto", "csv", "json",
    "nan", "inf", "-inf", "-1", "0", "1e309", "x.png", "", " ", "--", "=", "\x00", "tcp://h:1",
])  # fmt: skip
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@FAST
@given(st.lists(st.one_of(WORDS, TEXT), max_size=8))
def test_the_option_parser_parses_or_says_usage(argv):
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        assert exc.code in (0, 2)
        return
    if getattr(args, "time_limit", None) is not None:
        assert math.isfinite(args.time_limit) and args.time_limit > 0
    for name in ("workers", "max_people", "frames"):
        value = getattr(args, name, None)
        assert value is None or value >= 1


@FAST
@given(st.one_of(WORDS, TEXT, st.floats().map(str)))
def test_any_time_limit_is_a_finite_positive_number_or_refused(text):
    try:
        args = build_parser().parse_args(["batch", "in", "--time-limit", text])
    except SystemExit as exc:
        assert exc.code == 2
        return
    assert math.isfinite(args.time_limit) and args.time_limit > 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_reading_commands_take_any_client_name_without_a_traceback(name):
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "h.db"
        for command in (["history", name, "--out", f"{tmp}/o"], ["export", name], ["forget", name]):
            try:
                code = main([*command, "--db", str(db)])
            except SystemExit as exc:  # a name argparse reads as an option (or as -h)
                assert exc.code in (0, 2)
                continue
            assert code == 2
        assert not db.exists(), "reading commands never create the database"


@FAST
@given(TEXT)
def test_client_names_are_refused_or_give_a_safe_folder_name(name):
    try:
        clean = check_client_name(name)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    slug = client_slug(clean)
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,60}", slug) and not slug.startswith(".")


@FAST
@given(st.lists(st.text(alphabet="ab _/.-", min_size=1, max_size=6), max_size=8))
def test_different_clients_never_share_a_folder(names):
    valid = []
    for name in names:
        try:
            valid.append(check_client_name(name))
        except InputError:
            continue
    slugs = unique_slugs(valid)
    assert len(set(slugs.values())) == len(slugs)


@FAST
@given(st.one_of(TEXT, st.floats(allow_nan=False), st.none()))
def test_no_csv_cell_starts_a_formula(value):
    cell = safe_cell(value)
    assert not (isinstance(cell, str) and cell.startswith(FORMULA_START))


MANIFEST_CELLS = st.one_of(
    st.sampled_from(["p.png", "missing.png", "w.mp4", "photo", "gait", "walk", "front", "side", "left", "up",
                     "170", "9000", "nan", "tall", "", '"', '"a,b"', "=cmd", "\x07", "a\nb", "Ann"]),
    TEXT,
)  # fmt: skip
HEADERS = st.lists(st.sampled_from(["path", "client", "kind", "view", "height_cm", "other", ""]), min_size=1,
                   max_size=6)  # fmt: skip


@FAST
@given(HEADERS, st.lists(st.lists(MANIFEST_CELLS, max_size=6), max_size=5), st.booleans())
def test_the_manifest_reader_gives_jobs_or_one_error(header, rows, as_bytes):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "p.png").write_bytes(b"a picture")
        text = "\n".join(",".join(cells) for cells in [header, *rows]) + "\n"
        manifest = folder / "m.csv"
        manifest.write_bytes(text.encode() + (b"\xff\xfe,\x80\n" if as_bytes else b""))
        try:
            jobs, skipped = plan_manifest(manifest)
        except InputError as exc:
            assert str(exc).startswith(str(manifest))
            return
    for job in jobs:
        assert job.kind in ("photo", "gait") and Path(job.path).name == "p.png"
        assert job.view is None or job.view in (PHOTO_VIEWS if job.kind == "photo" else GAIT_VIEWS)
        assert job.height_cm is None or 50 <= job.height_cm <= 250
        assert job.client is None or check_client_name(job.client) == job.client
    assert all(s.reason for s in skipped)
