"""Clothing that hides the hips: how far down the thighs the top, coat or dress reaches.

The hip landmarks and the pixel pelvis-level estimate both need the hips to be
seen: under a long coat, a dress or a tunic the model guesses the hip joints
through the cloth, and the outline and the waistband the pixel estimate reads
belong to the garment. The cue here is the gap between the thighs (front or
back pictures): with trousers, shorts or leggings the segmentation mask opens
between the legs a little below the hip landmarks; under a closed coat, a dress
or a long top the mask stays solid there, in the colour of the torso's
clothing, down to the hem.

``hem_depth`` walks down the midline between the thighs, from the hip
midpoint to the knee midpoint, and returns the share of that distance over
which the midline is covered by the top: the hip midpoint in the colour of the
middle of the torso, and every patch below it inside the person's mask and
close in colour to the hip midpoint (a waistband or a hem ends it). A top
that ends at the hips gives about 0.1-0.2; a coat to mid-thigh about 0.5; a
knee-length dress 1.

Limits: an open coat (the front shows the trousers between its flanks) is not
seen as covering; legs pressed together in trousers of the torso's colour are.
Side-on pictures are not judged (the legs overlap there).
"""

from __future__ import annotations

import cv2
import numpy as np

from posture.data.skeleton import Landmark as L

#: Covered more than this share of the way from the hips to the knees: the hips are hidden.
MAX_HEM_DEPTH = 0.35
#: Colour distance below which a patch is the torso's clothing: CIE-Lab (OpenCV's 0-255 scaling)
#: chroma, and the lightness as a log ratio (:data:`LIGHTNESS_SCALE` per unit of ln L), so that
#: a brighter or darker picture gives the same answer and folds and shading count less than a
#: change of cloth (in a greyscale picture the lightness is all there is).
SAME_CLOTH_DE = 22.0
LIGHTNESS_SCALE = 40.0
#: Below the hips, a patch further than this from the colour at the hips is another garment (a
#: waistband, shorts of a similar colour, the trousers under a coat's hem).
SAME_GARMENT_DE = 12.0
#: A patch is inside the person when at least this share of it is in the mask.
MIN_MASK_SHARE = 0.8
_STEPS = 24


def _patch(img: np.ndarray, centre: np.ndarray, half: int) -> np.ndarray:
    """The square of side 2 * half + 1 around the pixel holding ``centre`` (x, y; corners at integers)."""
    h, w = img.shape[:2]
    x, y = int(np.floor(centre[0])), int(np.floor(centre[1]))
    return img[max(0, y - half) : min(h, y + half + 1), max(0, x - half) : min(w, x + half + 1)]


def _distance(lab: np.ndarray, ref: np.ndarray) -> float:
    """Colour distance of two Lab colours: chroma difference and the log ratio of their lightness."""
    lightness = LIGHTNESS_SCALE * np.log((lab[0] + 10.0) / (ref[0] + 10.0))
    return float(np.sqrt(lightness**2 + (lab[1] - ref[1]) ** 2 + (lab[2] - ref[2]) ** 2))


def hem_depth(rgb: np.ndarray, mask: np.ndarray, xy: np.ndarray) -> float | None:
    """Share of the hip-to-knee distance over which the torso's clothing covers the gap between the thighs.

    ``rgb`` (H, W, 3) uint8, ``mask`` (H, W) float segmentation of the subject
    (the model's, at the picture's size), ``xy`` (33, 2) landmarks in pixels.
    None when the hips, knees or shoulders leave the picture or the torso
    shows no clothing colour to compare with. Symmetric in left and right.
    """
    h, w = mask.shape
    pts = xy[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE, L.RIGHT_KNEE]]
    if not np.isfinite(pts).all() or (pts < 0).any() or (pts[:, 0] >= w).any() or (pts[:, 1] >= h).any():
        return None
    shoulders = (xy[L.LEFT_SHOULDER] + xy[L.RIGHT_SHOULDER]) / 2
    hips = (xy[L.LEFT_HIP] + xy[L.RIGHT_HIP]) / 2
    knees = (xy[L.LEFT_KNEE] + xy[L.RIGHT_KNEE]) / 2
    hip_width = float(np.linalg.norm(xy[L.LEFT_HIP] - xy[L.RIGHT_HIP]))
    if hip_width < 4 or knees[1] - hips[1] < 8:
        return None
    sigma = max(1.0, hip_width / 20)
    lab = cv2.cvtColor(cv2.GaussianBlur(rgb, (0, 0), sigma), cv2.COLOR_RGB2LAB).astype(np.float32)
    person = mask > 0.5
    half = max(1, int(round(0.12 * hip_width)))
    torso = []
    for t in np.linspace(0.5, 0.85, 8):
        centre = shoulders + t * (hips - shoulders)
        inside = _patch(person, centre, half).ravel()
        torso.extend(_patch(lab, centre, half).reshape(-1, 3)[inside])
    if len(torso) < 10:
        return None
    cloth = np.median(np.array(torso), axis=0)
    covered, at_hips = 0.0, None
    for s in np.linspace(0.0, 1.0, _STEPS + 1):
        centre = hips + s * (knees - hips)
        inside = _patch(person, centre, half)
        if inside.size == 0 or inside.mean() < MIN_MASK_SHARE:
            break
        colour = np.median(_patch(lab, centre, half).reshape(-1, 3), axis=0)
        if at_hips is None:
            if _distance(colour, cloth) > SAME_CLOTH_DE:
                break  # the hips show something other than the top: trousers, a belt, skin
            at_hips = colour
        elif _distance(colour, at_hips) > SAME_GARMENT_DE:
            break  # a hem, a waistband: the cloth at the hips ends here
        covered = float(s)
    return covered
