"""Anterior pelvic tilt from one side-view photo: a silhouette proxy, calibrated on synthetic bodies.

Clinically, pelvic tilt is the angle of the line from the posterior to the
anterior superior iliac spine (PSIS -> ASIS) against the horizontal; about 13°
anterior is typical for standing adults (cadaver range 0-23°, Preece 2008).
A photo shows neither spine, so this module measures the *outline* of the
lower trunk instead and maps it to a tilt with a small linear (ridge) model:

1. Body frame from the landmarks (pixels, x right, y down, roll-corrected):
   hip, shoulder and knee midpoints (left/right averaged, so a side swap does
   not matter), the trunk length (hip -> shoulder) as the unit of size, and the
   direction the subject faces (``facing_sign`` of the view).
2. The subject's silhouette: the segmentation mask above 0.5, the connected
   part that holds the hip.
3. At fixed heights around the hip (``levels``, in trunk lengths, + = down),
   the front edge (abdomen, groin, front of thigh) and the back edge (lumbar
   curve, buttocks, back of thigh) of the silhouette, measured forward of the
   hip landmark, in trunk lengths. Tipping the pelvis forward raises the
   buttock bulge towards the hip's level and deepens the lumbar curve; the
   fitted model mostly reads those two (and the back of the thigh).
4. ``value = intercept + coef . (features - mean) / scale`` (coefficients in
   ``pelvic_tilt_model.json``, fitted by ``benchmarks/bench_pelvic_tilt.py``).

Only the lower trunk is used, not the trunk or thigh lines against the vertical:
on the synthetic bodies those change with tilt only because of how the
generator balances the body, which real people need not share.

Scale and honesty
-----------------
The value is calibrated on synthetic anny bodies whose ground truth is the
pelvis rotation *from the body model's neutral pelvis* (anterior positive).
It is therefore a change from that neutral, not an absolute ASIS-PSIS angle:
if the model's neutral matches a typical adult pelvis, add about 13° to
compare with clinical figures. Held-out error on synthetic subjects (other
phenotypes, clothes and camera placements than the calibration set), one
image each: RMSE 2.5°, MAE 1.9°, max 6.6°, r = 0.97, against RMSE 9.5° for
always answering the calibration mean (:data:`HELD_OUT_RMSE_DEG`; see
``benchmarks/results/pelvic_tilt.md``). With the trunk also leaning ±8° the
RMSE grows to about 3.3° with a +1.8° bias. About 1 image in 10 is refused
(implausible landmarks, as MediaPipe sometimes gives in side views).
Real bodies vary more (fat, muscle, clothing, lordosis without tilt), so the
real error is likely larger: treat the value as a screening proxy only.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from posture.core.geometry import lean_from_vertical_deg
from posture.core.measure import Measure
from posture.core.view import View
from posture.data.skeleton import Landmark as L
from posture.standing.landmarks import facing_sign

NAME = "anterior_pelvic_tilt_deg"
UNIT = "deg"
MEANING = (
    "Proxy for the pelvic (ASIS-PSIS) tilt from the side-view body outline, calibrated on synthetic "
    "bodies; relative to a typical standing pelvis (the body model's neutral; clinically about 13° "
    "ASIS-PSIS): positive = anterior (top of the pelvis forward)."
)
#: Held-out RMSE (deg) of the shipped model on synthetic subjects; the reported uncertainty.
HELD_OUT_RMSE_DEG = 2.5
MODEL_PATH = Path(__file__).with_name("pelvic_tilt_model.json")
#: Largest trunk or thigh lean from vertical (deg) accepted as a standing side view.
MAX_SEGMENT_LEAN_DEG = 30.0
MASK_THRESHOLD = 0.5
#: Accepted hip-knee length, in trunk lengths (the 1st-99th percentile on synthetic bodies is 0.68-0.88).
THIGH_RANGE = (0.6, 1.0)
#: Largest distance between the left and right hip (and knee) landmarks, in trunk lengths: in a
#: side view each pair nearly coincides (medians 0.03 and 0.05 on synthetic bodies).
MAX_PAIR_GAP = {"hip": 0.10, "knee": 0.15}
#: Default outline heights, in trunk lengths below the hip (+ = down): waist to upper thigh.
LEVELS = (-0.4, -0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3, 0.4)
#: Largest silhouette depth (front to back) at the hip, in trunk lengths (99th percentile 0.6).
MAX_HIP_DEPTH = 0.75


class UnusableInput(ValueError):
    """The landmarks or the mask cannot give a pelvic tilt; the message says why."""


@dataclass(frozen=True)
class TiltModel:
    """A ridge model from outline features to pelvic tilt (deg, anterior positive).

    Attributes
    ----------
    levels
        Heights at which the outline is read, in trunk lengths below the hip (+ = down).
    mean, scale
        Per-feature standardisation (features: front edges at each level, then back edges).
    coef, intercept
        ``tilt = intercept + coef @ ((features - mean) / scale)``.
    alpha
        Ridge penalty used in the fit (per sample, on standardised features).
    n_calibration
        Number of synthetic images the model was fitted on.
    """

    levels: tuple[float, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    alpha: float
    n_calibration: int

    def predict(self, features: np.ndarray) -> np.ndarray:
        """Tilt (deg) of (..., F) feature rows."""
        return self.intercept + ((np.asarray(features, float) - self.mean) / self.scale) @ self.coef

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "levels": list(self.levels),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "alpha": self.alpha,
            "n_calibration": self.n_calibration,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TiltModel:
        """Build from :meth:`to_dict` output, checking the array lengths agree."""
        levels = tuple(float(u) for u in data["levels"])
        arrays = {k: np.asarray(data[k], float) for k in ("mean", "scale", "coef")}
        wrong = {k: v.shape for k, v in arrays.items() if v.shape != (2 * len(levels),)}
        if wrong:
            raise ValueError(f"expected arrays of length {2 * len(levels)} (2 per level), got {wrong}")
        return cls(
            levels,
            arrays["mean"],
            arrays["scale"],
            arrays["coef"],
            float(data["intercept"]),
            float(data["alpha"]),
            int(data["n_calibration"]),
        )


def fit_tilt_model(
    features: np.ndarray, tilt_deg: np.ndarray, levels: tuple[float, ...], alpha: float = 0.01
) -> TiltModel:
    """Fit a ridge model on (N, F) ``features`` and (N,) true tilts (deg).

    Features are standardised first; ``alpha`` is the penalty per sample.
    """
    x, y = np.asarray(features, float), np.asarray(tilt_deg, float)
    if x.ndim != 2 or x.shape != (len(y), 2 * len(levels)):
        raise ValueError(f"expected features of shape ({len(y)}, {2 * len(levels)}), got {x.shape}")
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / scale
    coef = np.linalg.solve(z.T @ z + alpha * len(y) * np.eye(z.shape[1]), z.T @ (y - y.mean()))
    return TiltModel(tuple(levels), mean, scale, coef, float(y.mean()), alpha, len(y))


@functools.lru_cache(maxsize=1)
def load_tilt_model(path: Path = MODEL_PATH) -> TiltModel:
    """Read the shipped (or another) :class:`TiltModel` JSON file."""
    return TiltModel.from_dict(json.loads(Path(path).read_text()))


# --------------------------------------------------------------------- body frame
@dataclass(frozen=True)
class BodyFrame:
    """Where the subject stands in a side view (pixels, x right, y down)."""

    hip: np.ndarray
    shoulder: np.ndarray
    knee: np.ndarray
    trunk_px: float
    forward: float  # +1 when the subject faces image +x


def _pair_mean(xy: np.ndarray, a: L, b: L) -> np.ndarray:
    pts = xy[[a, b]]
    seen = np.isfinite(pts).all(axis=1)
    return pts[seen].mean(axis=0) if seen.any() else np.full(2, np.nan)


def _check_facing(xy: np.ndarray, forward: float, view: View) -> None:
    nose, ears = xy[L.NOSE], _pair_mean(xy, L.LEFT_EAR, L.RIGHT_EAR)
    if np.isfinite(nose).all() and np.isfinite(ears).all() and forward * (nose[0] - ears[0]) <= 0:
        raise UnusableInput(f"the nose is not ahead of the ears for a {view.value} view: is the view right?")


def _check_pairs(xy: np.ndarray, trunk_px: float) -> None:
    pairs = {"hip": (L.LEFT_HIP, L.RIGHT_HIP), "knee": (L.LEFT_KNEE, L.RIGHT_KNEE)}
    for joint, (a, b) in pairs.items():
        gap = float(np.linalg.norm(xy[a] - xy[b])) / trunk_px
        if gap > MAX_PAIR_GAP[joint]:
            raise UnusableInput(
                f"implausible side view: the left and right {joint}s are {gap:.2f} trunk lengths apart "
                f"(expected at most {MAX_PAIR_GAP[joint]})"
            )


def body_frame(xy: np.ndarray, view: View) -> BodyFrame:
    """Hip, shoulder and knee midpoints of a standing side view.

    Raises :class:`UnusableInput` when the view is not a side view or the landmarks
    do not look like someone standing upright (see the module constants for limits).
    """
    if not view.is_side:
        raise UnusableInput(f"pelvic tilt needs a left or right side view, got {view.value}")
    hip = _pair_mean(xy, L.LEFT_HIP, L.RIGHT_HIP)
    shoulder = _pair_mean(xy, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    knee = _pair_mean(xy, L.LEFT_KNEE, L.RIGHT_KNEE)
    missing = [
        n for n, p in (("hip", hip), ("shoulder", shoulder), ("knee", knee)) if not np.isfinite(p).all()
    ]
    if missing:
        raise UnusableInput(f"landmarks not seen: {', '.join(missing)}")
    forward = facing_sign(view)
    trunk = float(lean_from_vertical_deg(hip, shoulder, forward))
    thigh = float(lean_from_vertical_deg(knee, hip, forward))
    if shoulder[1] >= hip[1] or hip[1] >= knee[1] or max(abs(trunk), abs(thigh)) > MAX_SEGMENT_LEAN_DEG:
        raise UnusableInput(
            f"not a standing pose: trunk lean {trunk:.0f}°, thigh lean {thigh:.0f}° "
            f"(expected within ±{MAX_SEGMENT_LEAN_DEG:.0f}° of vertical, shoulder above hip above knee)"
        )
    thigh_ratio = float(np.linalg.norm(knee - hip) / np.linalg.norm(shoulder - hip))
    if not THIGH_RANGE[0] <= thigh_ratio <= THIGH_RANGE[1]:
        raise UnusableInput(
            f"implausible landmarks: hip-knee length is {thigh_ratio:.2f} trunk lengths "
            f"(expected {THIGH_RANGE[0]}-{THIGH_RANGE[1]})"
        )
    _check_pairs(xy, float(np.linalg.norm(shoulder - hip)))
    _check_facing(xy, forward, view)
    return BodyFrame(hip, shoulder, knee, float(np.linalg.norm(shoulder - hip)), forward)


# --------------------------------------------------------------------- silhouette
def subject_silhouette(mask: np.ndarray, hip: np.ndarray) -> np.ndarray:
    """The connected part of ``mask > 0.5`` that holds the hip point, as a boolean (H, W) array."""
    binary = (np.asarray(mask) > MASK_THRESHOLD).astype(np.uint8)
    col, row = int(np.floor(hip[0])), int(np.floor(hip[1]))
    if not (0 <= row < binary.shape[0] and 0 <= col < binary.shape[1]):
        raise UnusableInput(f"the hip ({hip[0]:.0f}, {hip[1]:.0f}) px lies outside the {binary.shape} mask")
    _, labels = cv2.connectedComponents(binary)
    if labels[row, col] == 0:
        raise UnusableInput("the hip landmark lies outside the segmentation mask")
    return np.asarray(labels == labels[row, col])


def outline_edges(silhouette: np.ndarray, frame: BodyFrame, levels: tuple[float, ...]) -> np.ndarray:
    """Front then back edge of the silhouette at each level, forward of the hip, in trunk lengths.

    Each edge is the mean over a band of rows (about 1% of the trunk length
    either side of the level). Pixel centres are at ``column + 0.5``.
    """
    half = max(1, int(round(0.01 * frame.trunk_px)))
    front, back = [], []
    for u in levels:
        centre = int(np.floor(frame.hip[1] + u * frame.trunk_px))
        rows = silhouette[max(centre - half, 0) : centre + half + 1]
        spans = [np.flatnonzero(r) for r in rows]
        spans = [s for s in spans if s.size]
        if centre - half < 0 or centre + half >= silhouette.shape[0] or len(spans) < half:
            raise UnusableInput(f"the outline is cut off or missing {u:+.2f} trunk lengths from the hip")
        ahead = [frame.forward * (s[[0, -1]] + 0.5 - frame.hip[0]) for s in spans]
        front.append(np.mean([a.max() for a in ahead]))
        back.append(np.mean([a.min() for a in ahead]))
    return np.concatenate([front, back]) / frame.trunk_px


def pelvic_tilt_features(
    xy: np.ndarray, mask: np.ndarray | None, view: View, levels: tuple[float, ...]
) -> np.ndarray:
    """Outline features (2 * len(levels),) of one side view; raise :class:`UnusableInput` if unusable."""
    xy = np.asarray(xy, float)
    if xy.shape != (33, 2):
        raise ValueError(f"expected landmarks of shape (33, 2), got {xy.shape}")
    if mask is None:
        raise UnusableInput("no segmentation mask: run the pose model with segmentation on")
    if np.ndim(mask) != 2:
        raise ValueError(f"expected a (H, W) mask, got shape {np.shape(mask)}")
    frame = body_frame(xy, view)
    silhouette = subject_silhouette(mask, frame.hip)
    front, back = outline_edges(silhouette, frame, (0.0,))
    if front - back > MAX_HIP_DEPTH:
        raise UnusableInput(
            f"the silhouette is {front - back:.2f} trunk lengths deep at the hip (expected at most "
            f"{MAX_HIP_DEPTH}): the mask or the landmarks do not fit a standing side view"
        )
    return outline_edges(silhouette, frame, levels)


def estimate_anterior_pelvic_tilt(
    xy: np.ndarray, mask: np.ndarray | None, view: View, model: TiltModel | None = None
) -> Measure:
    """Anterior pelvic tilt proxy (deg) from one side view's landmarks and segmentation mask.

    Parameters
    ----------
    xy
        (33, 2) landmarks in pixels (x right, y down), roll-corrected, NaN where unseen.
    mask
        (H, W) segmentation of the subject (MediaPipe's float mask, 0..1), same image as ``xy``.
    view
        ``View.LEFT`` (subject faces image-left) or ``View.RIGHT``.
    model
        The calibrated :class:`TiltModel`; the shipped one by default.

    Returns
    -------
    Measure
        ``anterior_pelvic_tilt_deg``: positive = anterior tilt, 0 = the body model's
        neutral pelvis; ``estimate=True``; uncertainty = the held-out synthetic RMSE
        (:data:`HELD_OUT_RMSE_DEG`). Value ``None`` with a note when the view, the
        pose or the mask cannot be used.
    """
    model = model or load_tilt_model()
    try:
        features = pelvic_tilt_features(xy, mask, view, model.levels)
    except UnusableInput as exc:
        return Measure(NAME, None, UNIT, None, MEANING, estimate=True, note=str(exc))
    value = float(model.predict(features))
    note = (
        f"silhouette proxy (ridge model, {model.n_calibration} synthetic calibration images); "
        "not an ASIS-PSIS measurement"
    )
    return Measure(NAME, value, UNIT, HELD_OUT_RMSE_DEG, MEANING, estimate=True, note=note)
