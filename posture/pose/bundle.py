"""The pose model bundle: built offline from the files inside the mediapipe wheel.

``mediapipe==0.10.21`` ships the BlazePose GHUM *full* detector and landmark
models as bare ``.tflite`` files. The Tasks API wants a ``.task`` bundle whose
landmark model carries image-input metadata (normalisation 0..255 -> 0..1).
:func:`ensure_model` builds that bundle on first use, stores it in ``models/``
(or in the user cache directory when ``models/`` is not writable), records its
SHA-256 beside it, and rebuilds it when it is missing or corrupt. Nothing is
downloaded.

Official ``pose_landmarker_{lite,full,heavy}.task`` files placed in ``models/``
are accepted as they are (see :func:`resolve_model`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from posture.errors import ModelError

BUNDLE_NAME = "pose_landmarker_full.task"
_DETECTOR_IN_WHEEL = ("modules", "pose_detection", "pose_detection.tflite")
_LANDMARKER_IN_WHEEL = ("modules", "pose_landmark", "pose_landmark_full.tflite")
_BUNDLE_MEMBERS = ("pose_detector.tflite", "pose_landmarks_detector.tflite")
_ALIGNMENT = 16  # as mediapipe's model_asset_bundle_utils
_FIXED_DATE = (2025, 1, 1, 0, 0, 0)
_LANDMARK_OUTPUTS = ("Identity", "Identity_1", "Identity_2", "Identity_3", "Identity_4")

#: ``models/`` at the top of a source checkout (absent in an installed wheel).
REPO_MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


@dataclass(frozen=True)
class ModelInfo:
    """Which pose model a result was made with."""

    path: Path
    name: str
    sha256: str


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def user_cache_dir() -> Path:
    """Return the per-user cache folder used when ``models/`` is read-only."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "posture" / "models"


def _wheel_file(parts: tuple[str, ...]) -> bytes:
    try:
        import mediapipe
    except ImportError as exc:  # pragma: no cover - mediapipe is a core dependency
        raise ModelError(f"mediapipe is not installed ({exc}); run `make install`") from exc
    path = Path(mediapipe.__file__).parent.joinpath(*parts)
    if not path.is_file():
        raise ModelError(
            "the installed mediapipe has no built-in pose model; "
            "install mediapipe==0.10.21 or pass --model with an official .task file",
            path,
        )
    return path.read_bytes()


def _landmarker_with_metadata(landmark_tflite: bytes) -> bytes:
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    writer = metadata_writer.MetadataWriter.create(bytearray(landmark_tflite))
    writer.add_general_info(
        model_name="pose_landmark_full",
        model_description="BlazePose GHUM full landmark model (from the mediapipe wheel)",
    )
    writer.add_image_input(norm_mean=[0.0], norm_std=[255.0])
    for name in _LANDMARK_OUTPUTS:
        writer.add_feature_output(name=name)
    model_with_metadata, _ = writer.populate()
    return bytes(model_with_metadata)


def build_bundle(out_path: Path) -> Path:
    """Build the ``.task`` bundle from the wheel's models and write it atomically."""
    from mediapipe.tasks.python.metadata.metadata_writers import model_asset_bundle_utils

    detector = _wheel_file(_DETECTOR_IN_WHEEL)
    landmarker = _landmarker_with_metadata(_wheel_file(_LANDMARKER_IN_WHEEL))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out_path.parent, suffix=".task.tmp")
    os.close(fd)
    try:
        # MediaPipe's own bundler, with fixed member dates so equal inputs give equal bytes.
        with model_asset_bundle_utils.AlignZipFile(tmp_name, mode="w", alignment=_ALIGNMENT) as bundle:
            for name, data in zip(_BUNDLE_MEMBERS, (detector, landmarker), strict=True):
                bundle.writestr(zipfile.ZipInfo(name, date_time=_FIXED_DATE), data)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, out_path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    out_path.with_name(out_path.name + ".sha256").write_text(sha256_of(out_path) + "\n")
    return out_path


def bundle_is_valid(path: Path) -> bool:
    """Tell whether ``path`` is a readable bundle matching its recorded SHA-256."""
    digest_file = path.with_name(path.name + ".sha256")
    if not path.is_file() or not digest_file.is_file():
        return False
    if digest_file.read_text().strip() != sha256_of(path):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return set(_BUNDLE_MEMBERS) <= set(archive.namelist())
    except zipfile.BadZipFile:
        return False


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def ensure_model(models_dir: Path | None = None) -> ModelInfo:
    """Return the built-in full model bundle, building it when missing or corrupt.

    Parameters
    ----------
    models_dir
        Where to keep the bundle. Defaults to the checkout's ``models/`` when it
        is writable, else the user cache directory.
    """
    if models_dir is None:
        models_dir = REPO_MODELS_DIR if _writable(REPO_MODELS_DIR) else user_cache_dir()
    path = Path(models_dir) / BUNDLE_NAME
    if not bundle_is_valid(path):
        try:
            build_bundle(path)
        except OSError as exc:
            raise ModelError(f"cannot write the pose model bundle: {exc.strerror}", path) from exc
    return ModelInfo(path=path, name=path.stem, sha256=sha256_of(path))


def resolve_model(model: str | Path | None = None) -> ModelInfo:
    """Resolve ``--model``: ``None`` (built-in full), a name in ``models/``, or a path.

    A name such as ``pose_landmarker_heavy`` is looked up as
    ``models/pose_landmarker_heavy.task``.
    """
    if model is None:
        return ensure_model()
    candidate = Path(model)
    if not candidate.suffix and not candidate.exists():
        candidate = REPO_MODELS_DIR / f"{candidate.name}.task"
    if candidate.resolve() == (REPO_MODELS_DIR / BUNDLE_NAME).resolve():
        return ensure_model()
    if not candidate.is_file():
        raise ModelError("model file not found; place official .task files in models/", candidate)
    if not zipfile.is_zipfile(candidate):
        raise ModelError("not a MediaPipe .task bundle (expected a zip archive)", candidate)
    return ModelInfo(path=candidate, name=candidate.stem, sha256=sha256_of(candidate))
