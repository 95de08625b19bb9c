"""Pelvic obliquity from the picture itself: mirror registration of the pelvis region.

MediaPipe's hip landmarks follow a real hip drop only weakly (on synthetic
bodies the landmark obliquity moves about 0.2-0.3° per true degree): the model
places the hips from a learned prior and a 10 mm drop is a few pixels at its
256-px input. This module reads the tilt from the full-resolution pixels
instead:

1. Pelvis frame from the landmarks (image pixels, x right, y down, *not*
   roll-corrected, sides already labelled as the subject's own): the hip
   midpoint is the centre, the horizontal hip-landmark distance ``w`` the unit.
2. Features: the vertical gradient of each CIE-Lab channel (Gaussian-smoothed),
   so clothing edges (waistband, hems), creases and the outline count and a
   smooth left-right lighting change does not.
3. For a few rectangles around the pelvis (:data:`REGIONS`, in units of ``w``)
   each channel patch is registered to its own mirror image (a rigid rotation
   plus shift, OpenCV's ECC). A pattern symmetric about a vertical line but
   turned by ``a`` degrees has a mirror turned by ``-a``; the rotation that maps
   one to the other is ``2a``. Half of it is the *image tilt* of the pelvis
   region: positive when its image-right side is higher.
4. The camera roll (if known) is removed, the tilt is signed so that positive
   means the subject's LEFT side is higher, and divided by the view's gain
   (:data:`GAIN`): only part of the region turns with the pelvis (the trunk
   above stays upright, the thighs hang from the hips), fitted on synthetic
   bodies by ``benchmarks/bench_pelvis_level.py``.

The median over regions and channels is the estimate; their spread, added in
quadrature to the held-out error (:data:`FLOOR_DEG`), the uncertainty.
Optionally the landmark obliquity is blended in with per-view weights
(:data:`COMBINED_WEIGHTS`, fitted on the same calibration set): it helps the
front view, where the pixels see less of the pelvis turn.

Honesty
-------
The gains and floors come from synthetic anny bodies: perfectly symmetric,
clothes with hard colour boundaries, a clean background. A real body is not
symmetric (a pelvis that *looks* level may be built asymmetric, a bag strap or
a hand near the hip breaks the mirror), so real errors will be larger than the
held-out numbers in ``benchmarks/results/pelvis_level.md``. The front view
turns with the pelvis much less than the back view (the buttocks and gluteal
folds move with the pelvis; from the front mostly the hems do), so the front
estimate is divided by a small gain and is noisier.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from posture.core.geometry import unroll
from posture.core.view import View
from posture.data.skeleton import Landmark as L

#: Rectangles searched, in hip-landmark widths: (half width, extent above the hip centre, extent below).
REGIONS: tuple[tuple[float, float, float], ...] = ((0.8, 0.6, 0.9), (1.0, 0.6, 0.9), (0.6, 0.3, 0.9))
#: Image tilt of the pelvis region per degree of true obliquity, per view (fitted on the
#: calibration set of ``benchmarks/bench_pelvis_level.py``).
GAIN: dict[View, float] = {View.FRONT: 0.327, View.BACK: 0.89}
#: Weights (landmark obliquity, pixel image tilt) of the combined estimate, per view (same fit).
COMBINED_WEIGHTS: dict[View, tuple[float, float]] = {View.FRONT: (0.76, 1.835), View.BACK: (0.379, 1.004)}
#: Held-out RMS error (deg) on synthetic bodies, pixels alone; the smallest uncertainty reported.
FLOOR_DEG: dict[View, float] = {View.FRONT: 2.6, View.BACK: 0.7}
#: Held-out RMS error (deg) of the combined estimate.
FLOOR_COMBINED_DEG: dict[View, float] = {View.FRONT: 1.7, View.BACK: 0.7}
#: Gaussian smoothing (px) before the gradient.
SMOOTH_PX = 1.5
#: Smallest hip-landmark width (px) that gives enough pixels to register.
MIN_HIP_WIDTH_PX = 20.0
#: Largest image tilt (deg) a registration may return before it is taken as failed.
MAX_TILT_DEG = 20.0
#: Clothing asymmetry (:func:`clothing_asymmetry`) above which the pixel estimate is widened: on
#: synthetic renders symmetric clothes scored at most 7.3 (any light mostly under 10), clothes of
#: two colours, an angled belt or a pocket mostly over 10.
ASYMMETRY_LIMIT = 10.0
#: Added in quadrature to the uncertainty (deg) when the clothes look asymmetric: the landmark and
#: pixel estimates' RMSE on the synthetic slice with asymmetric clothes was about 3-6 deg.
ASYMMETRY_EXTRA_DEG = 3.0
METHOD = "mirror registration of the pelvis region (Lab vertical gradients, ECC)"
METHOD_COMBINED = METHOD + " combined with the landmark hip line"


@dataclass(frozen=True)
class PelvisLevel:
    """Pelvic obliquity read from the pixels of one picture.

    Attributes
    ----------
    obliquity_deg
        Hip line against the true horizontal (roll removed when given), degrees;
        positive when the subject's LEFT hip is higher.
    uncertainty_deg
        One standard deviation, degrees: the spread over regions and channels
        combined with the held-out error on synthetic bodies.
    image_tilt_deg
        The uncalibrated tilt of the pelvis region (before the gain), degrees,
        positive when the subject's left side is higher.
    n_estimates
        Number of region-channel registrations that converged.
    method
        How the value was made, for the report.
    """

    obliquity_deg: float
    uncertainty_deg: float
    image_tilt_deg: float
    n_estimates: int
    method: str = METHOD


def pelvis_frame(xy: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Centre (px), hip width (px) and the image-x sign of the subject's left from the landmarks.

    Parameters
    ----------
    xy
        (33, 2) landmarks in image pixels (x right, y down), sides labelled as the
        subject's own.

    Returns
    -------
    centre, width, left_sign
        Hip midpoint (2,), horizontal hip-landmark distance, and +1 when the
        subject's left hip is towards image +x (front view), -1 otherwise.

    Raises
    ------
    ValueError
        When the array has the wrong shape or the hips are missing or too close.
    """
    xy = np.asarray(xy, float)
    if xy.shape != (33, 2):
        raise ValueError(f"expected landmarks of shape (33, 2), got {xy.shape}")
    left, right = xy[L.LEFT_HIP], xy[L.RIGHT_HIP]
    if not (np.all(np.isfinite(left)) and np.all(np.isfinite(right))):
        raise ValueError("both hip landmarks are needed, got NaN")
    width = float(abs(left[0] - right[0]))
    if width < MIN_HIP_WIDTH_PX:
        raise ValueError(f"hips {width:.0f} px apart: need at least {MIN_HIP_WIDTH_PX:.0f} px (move closer)")
    return (left + right) / 2.0, width, 1.0 if left[0] > right[0] else -1.0


def gradient_channels(rgb: np.ndarray, smooth_px: float = SMOOTH_PX) -> list[np.ndarray]:
    """Vertical gradients (per pixel, float32) of the L, a and b channels of an RGB uint8 image."""
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"expected an RGB uint8 image (H, W, 3), got {rgb.dtype} {rgb.shape}")
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    return [cv2.Sobel(cv2.GaussianBlur(lab[..., c], (0, 0), smooth_px), cv2.CV_32F, 0, 1) for c in range(3)]


def region_box(
    centre: np.ndarray, width: float, region: tuple[float, float, float], shape: tuple[int, ...]
) -> tuple[int, int, int, int] | None:
    """Pixel box (x0, y0, x1, y1) of ``region`` symmetric about the centre, or None if it leaves the image."""
    half, above, below = (width * r for r in region)
    x0, x1 = round(centre[0] - half), round(centre[0] + half)
    y0, y1 = round(centre[1] - above), round(centre[1] + below)
    if x0 < 0 or y0 < 0 or x1 > shape[1] or y1 > shape[0]:
        return None
    return x0, y0, x1, y1


def mirror_tilt_deg(patch: np.ndarray) -> float | None:
    """Tilt (deg) of a patch's content about its vertical centre line; None if registration fails.

    The patch is registered to its left-right mirror image with a rigid
    (Euclidean) ECC warp; half the rotation is returned, positive when the
    content's image-right side is higher (counter-clockwise on screen).
    """
    patch = np.ascontiguousarray(patch, dtype=np.float32)
    if float(patch.std()) < 1e-3:
        return None
    mirror = np.ascontiguousarray(patch[:, ::-1])
    warp = np.eye(2, 3, dtype=np.float32)
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 100, 1e-5)
    try:
        _, warp = cv2.findTransformECC(  # type: ignore[call-overload]
            patch, mirror, warp, cv2.MOTION_EUCLIDEAN, criteria, None, 5
        )
    except cv2.error:
        return None
    # The warp takes patch coordinates to mirror coordinates: on a y-down image its angle
    # is the patch's counter-clockwise (on screen) turn relative to the mirror, i.e. 2 x tilt.
    tilt = float(np.degrees(np.arctan2(warp[1, 0], warp[0, 0]))) / 2.0
    return tilt if abs(tilt) <= MAX_TILT_DEG else None


def region_tilts_deg(rgb: np.ndarray, xy: np.ndarray) -> list[float]:
    """Image tilts (deg, image-right side higher positive) over :data:`REGIONS` and Lab channels."""
    centre, width, _ = pelvis_frame(xy)
    channels = gradient_channels(rgb)
    tilts = []
    for region in REGIONS:
        box = region_box(centre, width, region, rgb.shape)
        if box is None:
            continue
        x0, y0, x1, y1 = box
        tilts += [t for c in channels if (t := mirror_tilt_deg(c[y0:y1, x0:x1])) is not None]
    return tilts


def remove_roll_deg(tilt_deg: float, roll_deg: float, centre: np.ndarray) -> float:
    """Image tilt (image-right higher positive) after undoing the camera roll as :func:`unroll` does."""
    if roll_deg == 0:
        return tilt_deg
    a = np.radians(tilt_deg)
    half = 100.0 * np.array([np.cos(a), -np.sin(a)])
    ends = np.stack([centre - half, centre + half])
    (xl, yl), (xr, yr) = unroll(ends, roll_deg, (float(centre[0]), float(centre[1])))
    return float(np.degrees(np.arctan2(yl - yr, xr - xl)))


def calibrated_obliquity_deg(
    tilt_deg: float, view: View, landmark_obliquity_deg: float | None = None
) -> tuple[float, float, float]:
    """Obliquity (deg, left higher +) from the signed image tilt, alone or with the landmark value.

    Returns the obliquity, the weight the tilt carries in it (to scale its spread)
    and the held-out error floor of the method used.
    """
    if landmark_obliquity_deg is None or not np.isfinite(landmark_obliquity_deg):
        return tilt_deg / GAIN[view], 1.0 / GAIN[view], FLOOR_DEG[view]
    w_landmark, w_tilt = COMBINED_WEIGHTS[view]
    return w_landmark * landmark_obliquity_deg + w_tilt * tilt_deg, w_tilt, FLOOR_COMBINED_DEG[view]


def estimate_pelvis_level(
    rgb: np.ndarray,
    xy: np.ndarray,
    view: View,
    roll_deg: float = 0.0,
    landmark_obliquity_deg: float | None = None,
) -> PelvisLevel | None:
    """Estimate the pelvic obliquity of a front or back standing photo from its pixels.

    Parameters
    ----------
    rgb
        (H, W, 3) uint8 RGB picture, as taken (not rotated).
    xy
        (33, 2) landmarks of the subject in that picture's pixels (x right, y down),
        sides labelled as the subject's own (after
        :func:`posture.standing.view.fix_sides`) but *not* roll-corrected.
    view
        ``View.FRONT`` or ``View.BACK`` (the gain differs).
    roll_deg
        Camera roll as estimated by :func:`posture.standing.scene.estimate_roll`
        (the value passed to :func:`~posture.core.geometry.unroll`); 0 if unknown.
    landmark_obliquity_deg
        The landmark hip-line obliquity (deg, left higher +, roll-corrected, averaged
        over the mirror-paired variants) to combine with; None for pixels alone.

    Returns
    -------
    PelvisLevel or None
        None when no region could be registered (pelvis out of the picture, a
        featureless region).

    Raises
    ------
    ValueError
        For a side view, a malformed image or landmarks, or hips too close together.
    """
    if view.is_side:
        raise ValueError(f"pelvic obliquity needs a front or back view, got {view.value}")
    tilts = region_tilts_deg(rgb, xy)
    if not tilts:
        return None
    centre, _, left_sign = pelvis_frame(xy)
    tilt = left_sign * remove_roll_deg(float(np.median(tilts)), roll_deg, centre)
    value, weight, floor = calibrated_obliquity_deg(tilt, view, landmark_obliquity_deg)
    spread = weight * float(np.std(tilts, ddof=1)) if len(tilts) > 1 else 0.0
    uncertainty = float(np.hypot(floor, spread / np.sqrt(len(REGIONS))))
    method = METHOD if landmark_obliquity_deg is None else METHOD_COMBINED
    return PelvisLevel(value, uncertainty, tilt, len(tilts), method)


def clothing_asymmetry(rgb: np.ndarray, xy: np.ndarray) -> float | None:
    """How differently coloured the two sides of the pelvis region are (mean |Δa|, |Δb| in Lab units).

    The region (:data:`REGIONS` ``[1]``) around the hip midpoint is compared with its
    own mirror image in the colour (a, b) channels only, after smoothing, so that
    shading from a side light counts little and colour differences (two-coloured
    clothes, a belt at an angle, a pocket, a logo) count. The same for a picture
    and its mirror image. None when the region leaves the picture.
    """
    centre, width, _ = pelvis_frame(xy)
    box = region_box(centre, width, REGIONS[1], rgb.shape)
    if box is None:
        return None
    x0, y0, x1, y1 = box
    lab = cv2.cvtColor(cv2.GaussianBlur(rgb[y0:y1, x0:x1], (0, 0), 3), cv2.COLOR_RGB2LAB).astype(np.float32)
    chroma = lab[..., 1:]
    return float(np.abs(chroma - chroma[:, ::-1]).mean())
