import os
import zipfile

import pytest

from posture.errors import ModelError
from posture.pose.bundle import BUNDLE_NAME, bundle_is_valid, ensure_model, resolve_model


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    return ensure_model(folder)


def test_bundle_holds_both_models_and_its_hash(built):
    assert built.path.name == BUNDLE_NAME
    with zipfile.ZipFile(built.path) as archive:
        assert set(archive.namelist()) == {"pose_detector.tflite", "pose_landmarks_detector.tflite"}
    assert built.path.with_name(BUNDLE_NAME + ".sha256").read_text().strip() == built.sha256
    assert bundle_is_valid(built.path)


def test_building_is_deterministic(built, tmp_path):
    assert ensure_model(tmp_path).sha256 == built.sha256


def test_deleted_bundle_is_rebuilt(tmp_path):
    first = ensure_model(tmp_path)
    first.path.unlink()
    again = ensure_model(tmp_path)
    assert again.path.is_file() and again.sha256 == first.sha256


def test_corrupt_bundle_is_rebuilt(tmp_path):
    first = ensure_model(tmp_path)
    first.path.write_bytes(first.path.read_bytes()[:1000])
    assert not bundle_is_valid(first.path)
    assert ensure_model(tmp_path).sha256 == first.sha256


def test_resolve_model_refuses_missing_and_non_bundles(tmp_path):
    with pytest.raises(ModelError, match="model file not found"):
        resolve_model(tmp_path / "nope.task")
    junk = tmp_path / "junk.task"
    junk.write_text("no zip")
    with pytest.raises(ModelError, match="not a MediaPipe .task bundle"):
        resolve_model(junk)


def test_resolve_model_accepts_a_task_file_by_path(built):
    info = resolve_model(built.path)
    assert info.sha256 == built.sha256


@pytest.mark.parametrize(("env", "expected"), [("3", 3), ("0", None), ("many", None), ("", None)])
def test_inference_threads_come_from_the_environment_when_set(monkeypatch, env, expected):
    from posture.pose.landmarker import THREADS_ENV, default_threads

    monkeypatch.setenv(THREADS_ENV, env)
    fallback = max(1, min(os.cpu_count() or 1, 4))
    assert default_threads() == (expected if expected is not None else fallback)
