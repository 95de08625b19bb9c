"""Planning a batch: folders, manifests, job keys and output folders (no model needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from posture.batch.plan import Job, plan
from posture.batch.run import _unique, job_folder
from posture.errors import InputError


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


def test_folder_gives_kinds_and_clients_from_sub_folders(tmp_path):
    root = _tree(
        tmp_path / "week",
        {"Ann/a.JPG": b"1", "Ann/walk.mp4": b"2", "Bob/deep/b.png": b"3", "c.png": b"4", "notes.txt": b"5",
         ".hidden/d.png": b"6", "Ann/.DS_Store": b"7"},
    )  # fmt: skip
    jobs, skipped = plan(root)
    found = {(Path(j.path).name, j.client, j.kind) for j in jobs}
    assert found == {("a.JPG", "Ann", "photo"), ("walk.mp4", "Ann", "gait"), ("b.png", "Bob", "photo"),
                     ("c.png", None, "photo")}  # fmt: skip
    assert [Path(s.path).name for s in skipped] == ["notes.txt"]


def test_manifest_rows_become_jobs_with_their_settings(tmp_path):
    _tree(tmp_path, {"clips/a.png": b"1", "clips/w.mp4": b"2"})
    manifest = tmp_path / "list.csv"
    manifest.write_text(
        "path,client,kind,view,height_cm\nclips/a.png,Ann,,front,170\nclips/w.mp4,Bob,gait,side,\n"
        "clips/missing.png,Ann,,,\n"
    )
    jobs, skipped = plan(manifest)
    assert [(j.client, j.kind, j.view, j.height_cm) for j in jobs] == [
        ("Ann", "photo", "front", 170.0), ("Bob", "gait", "side", None)
    ]  # fmt: skip
    assert skipped[0].reason == "no such file"


def test_manifest_problems_are_all_reported_with_line_numbers(tmp_path):
    manifest = tmp_path / "list.csv"
    manifest.write_text("path,kind,view,height_cm\na.png,walk,,\nb.png,photo,sideways,\nc.png,photo,,tall\n")
    with pytest.raises(InputError) as err:
        plan(manifest)
    message = str(err.value)
    assert "line 2: kind must be photo or gait" in message
    assert "line 3: view 'sideways'" in message
    assert "line 4: height_cm 'tall' is not a number" in message
    assert str(manifest) in message


@pytest.mark.parametrize(
    ("setup", "text"),
    [("missing", "no such folder or manifest"), ("text", "expected a folder"), ("noheader", "'path' column")],
)
def test_unusable_batch_inputs_are_refused(tmp_path, setup, text):
    target = tmp_path / "x"
    if setup == "text":
        target = tmp_path / "x.txt"
        target.write_text("hi")
    elif setup == "noheader":
        target = tmp_path / "x.csv"
        target.write_text("file,who\na.png,Ann\n")
    with pytest.raises(InputError, match=text):
        plan(target)


def test_job_key_changes_with_content_and_settings():
    job = Job("a.png", "Ann", "photo", None, None, "aa" * 32)
    assert job.key == Job("elsewhere/b.png", "Ann", "photo", None, None, "aa" * 32).key
    assert job.key != Job("a.png", "Ann", "photo", "front", None, "aa" * 32).key
    assert job.key != Job("a.png", "Ann", "photo", None, None, "bb" * 32).key
    assert job.key != Job("a.png", "Bob", "photo", None, None, "aa" * 32).key


def test_the_same_file_twice_is_analysed_once(tmp_path):
    a = Job("x/a.png", "Ann", "photo", None, None, "aa" * 32)
    copy = Job("x/copy of a.png", "Ann", "photo", None, None, "aa" * 32)
    jobs, skipped = _unique([a, copy])
    assert jobs == [a] and "same content" in skipped[0].reason


@pytest.mark.parametrize("client", ["../../etc", "/abs/path", "..", "a/b\\c", None])
def test_job_folders_stay_inside_the_output_folder(tmp_path, client):
    out = tmp_path / "out"
    folder = job_folder(out, Job("../../x/../y.png", client, "photo", None, None, "ab" * 32))
    assert folder.resolve().is_relative_to(out.resolve())
    assert len(folder.relative_to(out).parts) == 2


def test_a_manifest_path_in_an_unknown_users_home_is_one_line(tmp_path):
    """Found by the fuzzer: '~0' (no such user) raised a RuntimeError out of Path.expanduser."""
    from posture.batch.plan import plan_manifest

    manifest = tmp_path / "m.csv"
    manifest.write_text("path\n~no_such_user_here/p.png\n")
    unknown = "line 2: the path '~no_such_user_here/p.png' starts with an unknown user's home folder"
    with pytest.raises(InputError, match=unknown):
        plan_manifest(manifest)
