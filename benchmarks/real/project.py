"""Project a real walking trial into a static camera as a :class:`~posture.data.sequence.PoseSequence`.

The markers of a :class:`~benchmarks.real.kinematics.Trial` (metres; x forward, y to
the subject's left, z up) are resampled to the video frame rate (linear
interpolation) and seen by a level pinhole camera (1280x720, focal length 1000 px,
lens 1.0 m above the floor):

- ``side``: 90 degrees to the walking line, at the distance that makes the walker
  :data:`TARGET_HEIGHT_PX` tall; the camera stands on the subject's right
  (``near="right"``, walking to image right) or left (walking to image left). A long
  trial is cut into *passes*: stretches in which the whole walker is in view.
- ``front`` / ``back``: on the walking line, ahead of (behind) the walker, who comes
  from :data:`FAR_M` to :data:`NEAR_M` (goes from :data:`NEAR_M` to :data:`FAR_M`):
  about 600 px tall at the nearest, 300 px at the farthest.

Landmarks: hips, knees, ankles, heels and foot index (= the toe or 2nd metatarsal
marker) and shoulders come from the markers; the face, ears and arms, which no
source records, are placed from the trunk (head 22 cm above the shoulder midpoint,
arms swinging against the opposite leg), so that view detection and body height
behave as on a person. Visibility 0.95 (far limb 0.7 in side views), presence 0.95.

Pose noise (:class:`Noise`), in this order: a causal one-pole lag, white jitter
(per coordinate, a share of the body height), dropouts of the far foot and
near/far leg label swaps where the feet cross (side views). The jitter shares are
measured (see :data:`JITTER_SHARE`); the lag and the dropout and swap rates are
stated assumptions.

Image axes: x right, y down, pixels; times in seconds from the clip's first frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from benchmarks.real.kinematics import SIDES, Trial
from posture.data.sequence import PoseSequence, Provenance, empty_arrays
from posture.data.skeleton import Landmark as L

WIDTH, HEIGHT = 1280, 720
FOCAL_PX = 1000.0
CAMERA_HEIGHT_M = 1.0
#: Walker height in side views (px).
TARGET_HEIGHT_PX = 560.0
#: Front/back views: farthest and nearest camera distance of the pelvis (m).
FAR_M, NEAR_M = 6.0, 3.1
#: Horizontal margin kept free at the image edges in side views (px).
MARGIN_PX = 30.0

#: White jitter SD per coordinate as a share of the body height, measured on the real clip
#: ``Sports2D/Demo/demo.mp4`` (sports2d 0.8.34 wheel, 1768x994, 30 fps) with the product's
#: pose model: robust SD (1.48 x MAD / sqrt 6) of frame-to-frame second differences of a
#: 357 px tall person's landmarks while the landmark is still (smoothed speed < 0.15 body
#: heights/s; 20-30 frames each): hips 0.30-0.50%, ankles 0.26-0.62%, heels 0.44-0.51%, foot
#: index 0.59-0.71% (``benchmarks/real/jitter.py``). The upper values are used.
JITTER_SHARE = {
    "hip": 0.005,
    "knee": 0.006,
    "ankle": 0.006,
    "heel": 0.0055,
    "toe": 0.0072,
    "shoulder": 0.005,
    "face": 0.004,
    "arm": 0.008,
}


@dataclass(frozen=True)
class Noise:
    """Pose-noise model (see the module docstring); ``Noise()`` is the clean projection."""

    name: str = "clean"
    #: Jitter multiplier on :data:`JITTER_SHARE` (0 = none).
    jitter: float = 0.0
    #: Time constant (s) of the causal one-pole lag (0 = none). Assumed, not measured.
    lag_s: float = 0.0
    #: Side views: chance per foot crossing that the far foot (ankle, heel, toe) is lost.
    dropout: float = 0.0
    #: Side views: chance per foot crossing that the model swaps the legs' labels there.
    swap: float = 0.0
    seed: int = 0


CLEAN = Noise()
#: Measured jitter, a 15 ms lag, far foot lost at 40% and legs swapped at 15% of the crossings.
REALISTIC = Noise("realistic", jitter=1.0, lag_s=0.015, dropout=0.4, swap=0.15, seed=1)


@dataclass(frozen=True)
class Camera:
    """Level pinhole camera: world (x fwd, y left, z up, m) -> image (px)."""

    position: np.ndarray
    rotation: np.ndarray  # rows: camera x (right), y (down), z (optical axis) in world axes
    focal_px: float = FOCAL_PX
    size: tuple[int, int] = (WIDTH, HEIGHT)

    def to_camera(self, pts: np.ndarray) -> np.ndarray:
        """(..., 3) world points -> camera coordinates (x right, y down, z depth), metres."""
        return (pts - self.position) @ self.rotation.T

    def project(self, pts: np.ndarray) -> np.ndarray:
        """(..., 3) world points -> (..., 2) pixels."""
        c = self.to_camera(pts)
        u = self.focal_px * c[..., 0] / c[..., 2] + self.size[0] / 2.0
        v = self.focal_px * c[..., 1] / c[..., 2] + self.size[1] / 2.0
        return np.stack([u, v], axis=-1)


def side_camera(x_m: float, distance_m: float, near: str) -> Camera:
    """Side-on camera at forward position ``x_m``, ``distance_m`` from the walking line (y = 0)."""
    s = -1.0 if near == "right" else 1.0  # the camera stands on the near side
    rot = np.array([[-s, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, -s, 0.0]])
    return Camera(np.array([x_m, s * distance_m, CAMERA_HEIGHT_M]), rot)


def frontal_camera(x_m: float, towards: bool) -> Camera:
    """Camera on the walking line at forward position ``x_m``, facing the walker (``towards``) or
    looking at the walker's back."""
    if towards:
        rot = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, -1.0], [-1.0, 0.0, 0.0]])
    else:
        rot = np.array([[0.0, -1.0, 0.0], [0.0, 0.0, -1.0], [1.0, 0.0, 0.0]])
    return Camera(np.array([x_m, 0.0, CAMERA_HEIGHT_M]), rot)


# --------------------------------------------------------------------------- body
def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def body_points(markers: dict[str, np.ndarray]) -> np.ndarray:
    """(T, 33, 3) world positions of MediaPipe's 33 landmarks from the markers (see the module docstring)."""
    hip = {s: markers[f"{s}_hip"] for s in SIDES}
    if "left_shoulder" in markers:
        sh = {s: markers[f"{s}_shoulder"] for s in SIDES}
    else:  # not recorded: 50 cm above the hips, 4 cm further out
        out = _unit(hip["left"] - hip["right"])
        sh = {s: hip[s] + [0.0, 0.0, 0.50] + (0.04 if s == "left" else -0.04) * out for s in SIDES}
    mid_sh = 0.5 * (sh["left"] + sh["right"])
    mid_hip = 0.5 * (hip["left"] + hip["right"])
    up = _unit(mid_sh - mid_hip)
    lat = sh["left"] - sh["right"]
    lat = _unit(lat - np.sum(lat * up, axis=1, keepdims=True) * up)
    fwd = np.cross(lat, up)
    head = mid_sh + 0.22 * up + 0.02 * fwd
    n = len(mid_hip)
    p = np.full((n, 33, 3), np.nan)

    def at(f: float, u: float, side_m: float) -> np.ndarray:
        return head + f * fwd + u * up + side_m * lat

    p[:, L.NOSE] = at(0.10, -0.01, 0.0)
    for s, sign in (("left", 1.0), ("right", -1.0)):
        k = s.upper()
        p[:, L[f"{k}_EYE_INNER"]] = at(0.085, 0.02, sign * 0.015)
        p[:, L[f"{k}_EYE"]] = at(0.085, 0.02, sign * 0.032)
        p[:, L[f"{k}_EYE_OUTER"]] = at(0.08, 0.02, sign * 0.045)
        p[:, L[f"{k}_EAR"]] = at(-0.005, 0.0, sign * 0.075)
        p[:, L[f"MOUTH_{k}"]] = at(0.085, -0.045, sign * 0.022)
        for part, lm in (("hip", "HIP"), ("knee", "KNEE"), ("ankle", "ANKLE"), ("heel", "HEEL")):
            p[:, L[f"{k}_{lm}"]] = markers[f"{s}_{part}"]
        p[:, L[f"{k}_FOOT_INDEX"]] = markers[f"{s}_toe"]
        p[:, L[f"{k}_SHOULDER"]] = sh[s]
        # Arm swing against the opposite leg: 0.6 rad per metre of its ankle ahead of the pelvis.
        other = "right" if s == "left" else "left"
        ahead = np.sum((markers[f"{other}_ankle"] - mid_hip) * fwd, axis=1, keepdims=True)
        theta = np.clip(0.6 * ahead, -0.5, 0.5)
        upper = -np.cos(theta) * up + np.sin(theta) * fwd
        fore = -np.cos(theta + 0.25) * up + np.sin(theta + 0.25) * fwd
        elbow = sh[s] + 0.29 * upper + sign * 0.02 * lat
        wrist = elbow + 0.26 * fore
        p[:, L[f"{k}_ELBOW"]] = elbow
        p[:, L[f"{k}_WRIST"]] = wrist
        p[:, L[f"{k}_PINKY"]] = wrist + 0.07 * fore - sign * 0.01 * lat
        p[:, L[f"{k}_INDEX"]] = wrist + 0.08 * fore + 0.02 * fwd
        p[:, L[f"{k}_THUMB"]] = wrist + 0.05 * fore + 0.03 * fwd + sign * 0.01 * lat
    return p


def _group(lm: L) -> str:
    name = lm.name
    for key, part in (("HIP", "hip"), ("KNEE", "knee"), ("ANKLE", "ankle"), ("HEEL", "heel")):
        if name.endswith(key):
            return part
    if name.endswith("FOOT_INDEX"):
        return "toe"
    if name.endswith("SHOULDER"):
        return "shoulder"
    if any(name.endswith(k) for k in ("ELBOW", "WRIST", "PINKY", "INDEX", "THUMB")):
        return "arm"
    return "face"


GROUP = [_group(lm) for lm in L]
LEG = {s: [L[f"{s.upper()}_{k}"] for k in ("KNEE", "ANKLE", "HEEL", "FOOT_INDEX")] for s in SIDES}


# --------------------------------------------------------------------------- clips
@dataclass(frozen=True)
class Clip:
    """One projected clip and its truth."""

    name: str
    view: str
    fps: float
    noise: str
    seq: PoseSequence
    #: Truth events in clip time: (side, kind) -> times (s).
    events: dict[tuple[str, str], np.ndarray]
    #: Trial time (s) of the clip's first frame.
    t0_s: float
    duration_s: float
    #: The walker's world points (T, 33, 3) at the clip's frames (for the heel-to-toe truth).
    world: np.ndarray = field(repr=False)
    notes: list[str] = field(default_factory=list)


def resample(markers: dict[str, np.ndarray], rate_hz: float, times_s: np.ndarray) -> dict[str, np.ndarray]:
    """Markers at ``times_s`` (s, trial time), linearly interpolated."""
    t = np.arange(len(next(iter(markers.values())))) / rate_hz
    return {
        k: np.column_stack([np.interp(times_s, t, v[:, i]) for i in range(3)]) for k, v in markers.items()
    }


def stature_m(world: np.ndarray) -> float:
    """Median head-top (nose height + 10 cm) above the floor (m)."""
    return float(np.median(world[:, L.NOSE, 2]) + 0.10)


def _passes_side(trial: Trial, fps: float, near: str) -> list[tuple[float, float, Camera]]:
    """(t0, t1, camera) of each stretch in which the whole walker is in a side camera's view."""
    t = np.arange(0.0, (trial.n_samples - 1) / trial.rate_hz, 1.0 / fps)
    world = body_points(resample(trial.markers, trial.rate_hz, t))
    dist = FOCAL_PX * stature_m(world) / TARGET_HEIGHT_PX
    field_m = (WIDTH - 2 * MARGIN_PX) * dist / FOCAL_PX
    x = world[..., 0]
    lo, hi = np.nanmin(x, axis=1), np.nanmax(x, axis=1)
    span = float(np.max(hi - lo))
    length = field_m - span  # pelvis travel per pass
    start = float(np.nanmin(lo))
    out = []
    while start + field_m <= float(np.nanmax(hi)) + 0.5 * length:
        centre = start + field_m / 2.0
        cam = side_camera(centre, dist, near)
        inside = (lo >= start) & (hi <= start + field_m)
        idx = np.flatnonzero(inside)
        if idx.size > fps:  # at least a second
            runs = np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)
            best = max(runs, key=len)
            out.append((float(t[best[0]]), float(t[best[-1]]), cam))
        start += length
    return out


def _passes_frontal(trial: Trial, towards: bool) -> list[tuple[float, float, Camera]]:
    """(t0, t1, camera) of each approach (``towards``) or departure of :data:`FAR_M` - :data:`NEAR_M`.

    A trial that travels less than that gives one pass over its whole length, with the pelvis
    :data:`NEAR_M` from the camera at the nearest.
    """
    t = trial.time_s
    pelvis = 0.5 * (trial.markers["left_hip"][:, 0] + trial.markers["right_hip"][:, 0])
    travel = min(FAR_M - NEAR_M, float(pelvis[-1] - pelvis[0]))
    out = []
    x0 = float(pelvis[0])
    while x0 + travel <= float(pelvis[-1]) + 1e-9:
        inside = np.flatnonzero((pelvis >= x0) & (pelvis <= x0 + travel))
        cam = frontal_camera(x0 + travel + NEAR_M, True) if towards else frontal_camera(x0 - NEAR_M, False)
        if inside.size > 1:
            out.append((float(t[inside[0]]), float(t[inside[-1]]), cam))
        x0 += travel
    return out


def passes(trial: Trial, view: str, fps: float) -> list[tuple[float, float, Camera]]:
    """(t0, t1, camera) of each clip of the trial in ``view`` (side, side_left, front, back)."""
    if view in ("side", "side_left"):
        return _passes_side(trial, fps, "right" if view == "side" else "left")
    return _passes_frontal(trial, view == "front")


def _crossings(xy: np.ndarray, height_px: np.ndarray) -> list[np.ndarray]:
    """Frame runs where the two ankles are within 6% of the body height of each other along image x."""
    gap = np.abs(xy[:, L.LEFT_ANKLE, 0] - xy[:, L.RIGHT_ANKLE, 0]) / height_px
    close = np.flatnonzero(gap < 0.06)
    return [r for r in np.split(close, np.flatnonzero(np.diff(close) > 1) + 1) if r.size]


def apply_noise(
    xy: np.ndarray, z: np.ndarray, vis: np.ndarray, fps: float, noise: Noise, far: str | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Noisy copies of (T, 33, 2) ``xy``, (T, 33) ``z`` and ``visibility`` (see :class:`Noise`).

    ``far``: the far side in a side view (``None`` in front/back views: no dropouts or swaps).
    """
    rng = np.random.default_rng(noise.seed)
    xy, z, vis = xy.copy(), z.copy(), vis.copy()
    notes: list[str] = []
    height = np.nanmax(xy[..., 1], axis=1) - np.nanmin(xy[..., 1], axis=1)
    if noise.lag_s > 0:
        a = 1.0 - np.exp(-1.0 / (fps * noise.lag_s))
        for i in range(1, len(xy)):
            xy[i] = xy[i - 1] + a * (xy[i] - xy[i - 1])
    if noise.jitter > 0:
        share = np.array([JITTER_SHARE[g] for g in GROUP])
        sd = noise.jitter * share[None, :, None] * height[:, None, None]
        xy = xy + rng.normal(size=xy.shape) * sd
    if far is not None and (noise.dropout > 0 or noise.swap > 0):
        near = "left" if far == "right" else "right"
        lost = swapped = 0
        for run in _crossings(xy, height):
            if rng.random() < noise.dropout:
                lo = max(run[0] - 1, 0)
                cols = [L[f"{far.upper()}_{k}"] for k in ("ANKLE", "HEEL", "FOOT_INDEX")]
                vis[lo : run[-1] + 2, cols] = 0.01
                lost += 1
            if rng.random() < noise.swap:
                rows = slice(run[0], run[-1] + 2)
                a_cols, b_cols = LEG[near], LEG[far]
                for arr in (xy, z, vis):
                    tmp = arr[rows, a_cols].copy()
                    arr[rows, a_cols] = arr[rows, b_cols]
                    arr[rows, b_cols] = tmp
                swapped += 1
        notes.append(f"far foot lost at {lost}, legs swapped at {swapped} crossing(s)")
    return xy, z, vis, notes


def project(trial: Trial, view: str, fps: float, noise: Noise = CLEAN, index: int = 0) -> Clip | None:
    """The ``index``-th clip of ``trial`` in ``view`` at ``fps`` with ``noise`` (``None``: no such pass)."""
    found = passes(trial, view, fps)
    if index >= len(found):
        return None
    t0, t1, cam = found[index]
    times = np.arange(t0, t1 + 1e-9, 1.0 / fps)
    world = body_points(resample(trial.markers, trial.rate_hz, times))
    xy = cam.project(world)
    c = cam.to_camera(world)
    hip_c = 0.5 * (c[:, L.LEFT_HIP] + c[:, L.RIGHT_HIP])
    z = (c[..., 2] - hip_c[:, None, 2]) * FOCAL_PX / hip_c[:, None, 2] / WIDTH
    vis = np.full((len(times), 33), 0.95)
    far = None
    if view.startswith("side"):
        far = "left" if view == "side" else "right"
        vis[:, [i for i, lm in enumerate(L) if lm.side is not None and str(lm.side) == far]] = 0.7
    noise = Noise(**{**noise.__dict__, "seed": noise.seed + 1000 * index + int(fps)})
    xy, z, vis, notes = apply_noise(xy, z, vis, fps, noise, far)
    arrays = empty_arrays(len(times), 1)
    arrays["xy_px"][:, 0] = xy
    arrays["z"][:, 0] = z
    arrays["visibility"][:, 0] = vis
    arrays["presence"][:, 0] = 0.95
    arrays["world_m"][:, 0] = c - hip_c[:, None, :]
    name = f"{trial.name}/{view}/p{index}/{int(fps)}fps/{noise.name}"
    seq = PoseSequence(
        time_s=times - t0,
        frame_index=np.arange(len(times)),
        track_id=np.array([0]),
        image_size=(WIDTH, HEIGHT),
        fps=float(fps),
        provenance=Provenance(name, "projected markers", "", {"noise": noise.__dict__}),
        **arrays,
    )
    events = {k: v[(v >= t0) & (v <= t1)] - t0 for k, v in trial.events.items()}
    return Clip(name, view, fps, noise.name, seq, events, t0, t1 - t0, world, notes)
