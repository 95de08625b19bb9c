"""The standing check: pictures in, measures with uncertainty and quality notes out.

Steps: detect the subject with mirror-paired test-time augmentation in every
picture and in its mirror image; decide the view (or take the user's); make
left/right labels agree with the view; estimate camera roll from the scene and
undo it; find the scale (marker or stated height); compute the measures on the
pictures and, separately, on their mirror images, and combine the two halves
so that every left/right measure is exactly mirror-equivariant
(:mod:`posture.standing.mirror`).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import cv2
import numpy as np

from posture.core.geometry import unroll
from posture.core.measure import Measure
from posture.core.result import CheckResult
from posture.core.settings import plain, settings_from_dict
from posture.core.view import View
from posture.pose.augment import Detector, MemoDetector, Variant, detect_augmented
from posture.standing.clothing import MAX_HEM_DEPTH, hem_depth
from posture.standing.combine import Scale, frontal_measures, sagittal_measures
from posture.standing.landmarks import hip_width_px, pelvic_obliquity_deg
from posture.standing.mirror import combine_measures
from posture.standing.pelvic_tilt import estimate_anterior_pelvic_tilt
from posture.standing.pelvis_level import (
    ASYMMETRY_EXTRA_DEG,
    ASYMMETRY_LIMIT,
    clothing_asymmetry,
    estimate_pelvis_level,
)
from posture.standing.quality import (
    NEEDS_ANKLES,
    NEEDS_HANGING_ARMS,
    GateSettings,
    ankles_seen,
    arm_angles,
    arms_problem,
    fatal_problem,
    movement_problem,
    quality_warnings,
)
from posture.standing.scale import scale_from_height, scale_from_marker
from posture.standing.scene import RollEstimate, estimate_roll, find_marker
from posture.standing.view import (
    ViewGuess,
    fix_sides,
    mirror_view,
    symmetric_view,
    view_evidence,
)


@dataclass(frozen=True)
class StandingSettings:
    """What the user told us about the pictures, and how strictly the check judges them.

    ``view``, ``height_mm`` and ``marker_mm`` come from the command's options; the
    rest (``[photo.settings]`` of a configuration file, :meth:`from_dict`) is written
    into ``result.json`` (:meth:`to_dict`).
    """

    view: View | None = None
    height_mm: float | None = None
    marker_mm: float | None = None
    #: The picture's gates (:mod:`posture.standing.quality`).
    gates: GateSettings = field(default_factory=GateSettings)
    #: Clothing covering more than this share of the way from the hips to the knees leaves the hips out.
    max_hem_depth: float = MAX_HEM_DEPTH
    #: Assumed spread (deg) of the camera roll when the scene shows no straight lines (a hand-held phone).
    unknown_roll_sd_deg: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """How strictly the check judged (everything but the user's facts), JSON-ready."""
        return {k: v for k, v in plain(dataclasses.asdict(self)).items() if k not in _FACTS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StandingSettings:
        """The judging settings from a (partial) nested mapping; the facts are options, not settings.

        Raises
        ------
        ValueError
            An unknown key (named with its path), a fact, or a value of the wrong kind.
        """
        given = sorted(set(data) & set(_FACTS))
        if given:
            raise ValueError(f"photo.settings: {given[0]!r} is an option of [photo], not a setting")
        return settings_from_dict(cls, data, "photo.settings")


#: The user's facts in :class:`StandingSettings` (command options, not settings).
_FACTS = ("view", "height_mm", "marker_mm")


@dataclass
class Picture:
    """One analysed picture: its pixels, the subject's variants and their corrected poses."""

    name: str
    rgb: np.ndarray
    variants: list[Variant]
    n_people: int
    poses: list[np.ndarray] = field(default_factory=list)
    mirror: Picture | None = None  # the same picture mirrored left-right, analysed on its own


@dataclass(frozen=True)
class StandingResult:
    """Everything the standing check found."""

    view: View
    view_reason: str
    measures: dict[str, Measure]
    roll: RollEstimate
    scale: Scale | None
    pictures: list[Picture]
    warnings: list[str]
    quality: dict[str, Any]
    #: Gates the picture failed that leave the measures standing but make findings unsafe (the arms
    #: do not hang, clothing covers the hips): short plain reasons; findings are withheld.
    protocol: list[str] = field(default_factory=list)

    def check_result(self) -> CheckResult:
        """The kind, view and measures, as both checks hand them on."""
        return CheckResult("photo", self.view, self.view_reason, dict(self.measures))


def _person_mask(variant: Variant, shape: tuple[int, ...]) -> np.ndarray | None:
    if variant.mask is None:
        return None
    mask = (variant.mask > 0.3).astype(np.uint8)
    k = max(5, shape[0] // 60)
    return cv2.dilate(mask, np.ones((k, k), np.uint8)).astype(bool)


def mirror_image(rgb: np.ndarray) -> np.ndarray:
    """The picture mirrored left-right (an exact copy of the pixels, reversed along x)."""
    return np.ascontiguousarray(rgb[:, ::-1])


def _view_guess(pic: Picture) -> ViewGuess:
    """The view of a picture from its own and its mirror image's landmarks (mirror-equivariant)."""
    direct = view_evidence(pic.variants[0].xy, pic.variants[0].z)
    if pic.mirror is None:
        return symmetric_view(direct, direct.mirrored())
    return symmetric_view(direct, view_evidence(pic.mirror.variants[0].xy, pic.mirror.variants[0].z))


def _decide_view(pictures: list[Picture], requested: View | None) -> tuple[View, str]:
    guesses = [_view_guess(p) for p in pictures]
    counts = Counter(g.view for g in guesses)
    detected, _ = counts.most_common(1)[0]
    reason = next(g.reason for g in guesses if g.view is detected)
    if requested is None:
        return detected, f"detected: {reason}"
    return requested, f"given with --view (the landmarks suggest {detected.value}: {reason})"


def _scale(pictures: list[Picture], settings: StandingSettings, warnings: list[str]) -> Scale | None:
    """Millimetres per pixel from a marker (picture or mirror) or the stated height (mean of both halves)."""
    first = pictures[0]
    if settings.marker_mm:
        marker = find_marker(first.rgb) or (find_marker(first.mirror.rgb) if first.mirror else None)
        if marker is not None:
            return scale_from_marker(marker, settings.marker_mm)
        warnings.append("--marker-mm was given but no ArUco marker was found in the first picture")
    if settings.height_mm:
        halves = [first] + ([first.mirror] if first.mirror is not None else [])
        scales = []
        for pic in halves:
            try:
                scales.append(scale_from_height(pic.poses[0], pic.variants[0].mask, settings.height_mm))
            except ValueError as exc:
                problem = str(exc)
        if not scales:
            warnings.append(problem)
            return None
        mm = float(np.mean([sc.mm_per_px for sc in scales]))
        return Scale(mm, scales[0].method, max(sc.uncertainty_rel for sc in scales))
    return None


class NotMeasurable(ValueError):
    """No picture can be measured; ``nobody`` tells whether that is because no person was found."""

    def __init__(self, message: str, nobody: bool) -> None:
        super().__init__(message)
        self.nobody = nobody


def _gate_picture(
    name: str, rgb: np.ndarray, variants: list[Variant], gates: GateSettings
) -> Picture | str | None:
    """The picture with its variants, the reason it cannot be measured, or None when nobody is in it."""
    if not variants:
        return None
    problem = fatal_problem(variants[0].xy, variants[0].visibility, (rgb.shape[1], rgb.shape[0]), gates)
    if problem:
        return problem
    return Picture(name, rgb, variants, variants[0].people)


def _collect_pictures(
    images: list[tuple[str, np.ndarray]], detector: Detector, warnings: list[str], gates: GateSettings
) -> list[Picture]:
    """Detect the subject in every picture and its mirror; skip (with a warning) what cannot be measured.

    A picture is kept only when both it and its mirror image can be measured, so
    that a picture and its mirror are always treated alike.
    """
    detected = [
        (name, rgb, detect_augmented(rgb, detector), detect_augmented(mirror_image(rgb), detector))
        for name, rgb in images
    ]
    moving = movement_problem([d[2][0].xy for d in detected if d[2]], gates)
    if moving:
        raise NotMeasurable(moving, nobody=False)
    pictures, found_someone = [], False
    for name, rgb, variants, mirror_variants in detected:
        direct = _gate_picture(name, rgb, variants, gates)
        mirror = _gate_picture(name + " (mirrored)", mirror_image(rgb), mirror_variants, gates)
        if direct is None or mirror is None:
            warnings.append(f"{name}: no person found; picture skipped")
            continue
        found_someone = True
        problem = direct if isinstance(direct, str) else mirror if isinstance(mirror, str) else None
        if problem is not None:
            warnings.append(f"{name}: {problem}; picture skipped")
            continue
        assert isinstance(direct, Picture) and isinstance(mirror, Picture)
        direct.mirror = mirror
        direct.n_people = max(direct.n_people, mirror.n_people)
        pictures.append(direct)
    if not pictures:
        raise NotMeasurable("no picture could be measured: " + "; ".join(warnings), nobody=not found_someone)
    return pictures


def _check_view(picture: Picture, requested: View | None) -> None:
    """Refuse a requested side view for a frontal picture, or the other way round."""
    guess = _view_guess(picture)
    if requested is not None and requested.is_side != guess.view.is_side:
        raise NotMeasurable(
            f"--view {requested.value} was given, but the picture is a {guess.view.value} view "
            f"({guess.reason}); pass --view {guess.view.value} or --view auto",
            nobody=False,
        )


def _label_and_level(pictures: list[Picture], view: View, roll: RollEstimate) -> int:
    """Fill each picture's poses: sides fixed for the view, camera roll undone. Returns relabellings."""
    relabelled = 0
    for pic in pictures:
        centre = (pic.rgb.shape[1] / 2, pic.rgb.shape[0] / 2)
        for v in pic.variants:
            xy, swapped = fix_sides(v.xy, view)
            relabelled += int(swapped)
            pic.poses.append(unroll(xy, roll.roll_deg, centre))
    return relabelled


def _measures(
    pictures: list[Picture],
    view: View,
    roll: RollEstimate,
    scale: Scale | None,
    warnings: list[str],
    settings: StandingSettings,
) -> tuple[dict[str, Measure], dict[str, Any]]:
    poses = [p.poses for p in pictures]
    if view.is_side:
        measures = sagittal_measures(poses, view)
        measures["anterior_pelvic_tilt_deg"] = _pelvic_tilt(pictures, view, roll.roll_deg)
        return measures, {}
    measures = frontal_measures(poses, view, scale)
    level = _refine_pelvis_level(
        pictures, view, roll, scale, measures, warnings, settings.unknown_roll_sd_deg
    )
    quality = {"pelvis_level": level}
    first = pictures[0]
    size = (first.rgb.shape[1], first.rgb.shape[0])
    if not ankles_seen(first.variants[0].xy, first.variants[0].visibility, size, settings.gates):
        _leave_out(measures, NEEDS_ANKLES, "the ankles are not in the picture")
    return measures, quality


def _mirrors(pictures: list[Picture]) -> list[Picture]:
    return [p.mirror for p in pictures if p.mirror is not None]


def _mirrored_roll(roll: RollEstimate) -> RollEstimate:
    return RollEstimate(-roll.roll_deg, roll.uncertainty_deg, roll.method, roll.n_lines)


def analyse_standing(
    images: list[tuple[str, np.ndarray]], estimator: Detector, settings: StandingSettings
) -> StandingResult:
    """Run the standing check on pictures of one person in one pose.

    Every measure is taken on the pictures and on their mirror images, and the
    two are combined (:func:`posture.standing.mirror.combine_measures`): the
    mirrored pictures give exactly the sign-flipped (side-swapped) answer.

    Raises
    ------
    NotMeasurable
        With a user-facing reason when no picture can be measured.
    """
    warnings: list[str] = []
    pictures = _collect_pictures(images, MemoDetector(estimator), warnings, settings.gates)
    mirrors = _mirrors(pictures)
    view, view_reason = _decide_view(pictures, settings.view)
    _check_view(pictures[0], settings.view)
    roll = _roll(pictures)
    if not roll.known:
        warnings.append(
            "camera roll could not be estimated (no straight lines in the scene, or lines that disagree, "
            "as with a camera tilted down): assumed level; keep the phone level"
        )
    relabelled = _label_and_level(pictures, view, roll)
    _label_and_level(mirrors, mirror_view(view), _mirrored_roll(roll))
    first = pictures[0]
    size = (first.rgb.shape[1], first.rgb.shape[0])
    warnings += quality_warnings(
        first.poses[0], first.variants[0].visibility, size, view, settings.view, settings.gates
    )
    crowded = max(p.n_people for p in pictures)
    if crowded > 1:
        warnings.append(f"{crowded} people in view: the tallest person was analysed")
    scale = _scale(pictures, settings, warnings)
    direct, quality = _measures(pictures, view, roll, scale, warnings, settings)
    mirrored, mirror_quality = _measures(
        mirrors, mirror_view(view), _mirrored_roll(roll), scale, [], settings
    )
    measures = combine_measures(direct, mirrored)
    arms = _arms_gate(pictures, view, measures, warnings, settings.gates)
    clothing = _clothing_gate(pictures, view, measures, warnings, settings.max_hem_depth)
    quality.update(
        {
            "pictures_used": len(pictures),
            "variants_per_picture": [len(p.variants) for p in pictures],
            "sides_relabelled": relabelled,
            "people_in_view": crowded,
            "arms": arms,
            "clothing": clothing,
            "mirror": _mirror_quality(direct, mirrored, measures, mirror_quality),
        }
    )
    protocol = ["the arms do not hang at the sides"] if arms.get("left_out") else []
    protocol += ["clothing covers the hips"] if clothing.get("hips_covered") else []
    return StandingResult(view, view_reason, measures, roll, scale, pictures, warnings, quality, protocol)


def _arms_gate(
    pictures: list[Picture],
    view: View,
    measures: dict[str, Measure],
    warnings: list[str],
    gates: GateSettings,
) -> dict[str, Any]:
    """Leave out the measures that need hanging arms when the arms are bent or raised; returns the angles.

    The angles are the larger of the picture's and its mirror image's (sides
    swapped back), so the picture and its mirror decide alike.
    """
    first = pictures[0]
    size = (first.rgb.shape[1], first.rgb.shape[0])
    direct = arm_angles(first.poses[0], size)
    mirror = arm_angles(first.mirror.poses[0], size) if first.mirror is not None else direct
    if direct is None or mirror is None:
        return {"seen": False}
    swap = {"left": "right", "right": "left"}
    angles = {s: (max(direct[s][0], mirror[swap[s]][0]), max(direct[s][1], mirror[swap[s]][1])) for s in swap}
    problem = arms_problem(angles, gates)
    left_out: dict[str, str] = NEEDS_HANGING_ARMS["side" if view.is_side else "front"] if problem else {}
    _leave_out(measures, left_out, "left out: the arms do not hang at the sides")
    if problem:
        warnings.append(f"{problem}; the {' and '.join(left_out.values())} is left out")
    return {
        "seen": True,
        "elbow_bend_deg": {s: round(a[0], 1) for s, a in angles.items()},
        "upper_arm_from_vertical_deg": {s: round(a[1], 1) for s, a in angles.items()},
        "left_out": list(left_out),
    }


#: Measures that need the hips themselves seen (front or back pictures).
NEEDS_HIPS_SEEN = (
    "pelvic_obliquity_deg", "hip_height_diff_px", "hip_height_diff_mm", "hip_height_diff_pct_hip_width",
    "lateral_pelvic_shift_px", "lateral_pelvic_shift_mm", "lateral_pelvic_shift_pct_hip_width",
    "leg_length_ratio",
)  # fmt: skip


def _clothing_gate(
    pictures: list[Picture], view: View, measures: dict[str, Measure], warnings: list[str], max_depth: float
) -> dict[str, Any]:
    """Leave out the hip measures when a coat, dress or long top covers the hips (front and back views).

    The hem depth (:func:`posture.standing.clothing.hem_depth`) is the smaller of
    the picture's and its mirror image's: both must show the hips covered (a
    mislocated leg in one of them alone does not refuse the hips), and the two
    decide alike.
    """
    first = pictures[0]
    if view.is_side or first.mirror is None:
        return {"judged": False, "reason": "side view" if view.is_side else "no mirror image"}
    depths = []
    for pic in (first, first.mirror):
        v = pic.variants[0]
        depths.append(None if v.mask is None else hem_depth(pic.rgb, v.mask, v.xy))
    if any(d is None for d in depths):
        return {"judged": False, "reason": "hips, knees or the torso's clothing not seen"}
    depth = min(d for d in depths if d is not None)
    covered = depth > max_depth
    if covered:
        _leave_out(measures, NEEDS_HIPS_SEEN, "left out: clothing covers the hips")
        warnings.append(
            f"the clothes cover the hips (a coat, dress or long top reaches {100 * depth:.0f}% of the way "
            "down to the knees): the hip joints are guessed through the cloth, so the hip level, the "
            "pelvic shift and the leg lengths are left out; for the check, wear fitted clothing that "
            "shows the waist and hips (shorts or leggings, the top tucked in)"
        )
    return {"judged": True, "hem_depth": round(depth, 3), "hips_covered": covered}


def _mirror_quality(
    direct: dict[str, Measure], mirrored: dict[str, Measure], combined: dict[str, Measure], quality: dict
) -> dict[str, Any]:
    """The two halves' values of the headline measures, for the provenance."""
    out: dict[str, Any] = {"method": "measured on the picture and its mirror image, combined equivariantly"}
    for name in ("pelvic_obliquity_deg", "shoulder_tilt_deg", "anterior_pelvic_tilt_deg"):
        if name in combined:
            out[name] = {
                "picture": direct[name].value,
                "mirror_image": mirrored[name].value if name in mirrored else None,
                "combined": combined[name].value,
            }
    if "pelvis_level" in quality:
        out["pelvis_level_mirror_image"] = quality["pelvis_level"]
    return out


def _refine_pelvis_level(
    pictures: list[Picture],
    view: View,
    roll: RollEstimate,
    scale: Scale | None,
    measures: dict[str, Measure],
    warnings: list[str],
    unknown_roll_sd_deg: float,
) -> dict[str, Any]:
    """Replace the landmark hip-line measures by the landmark + pixel estimate where it works.

    The landmark hips follow only part of a real pelvic drop; the pixel estimate
    (:mod:`posture.standing.pelvis_level`) reads the tilt of the pelvis region
    itself. Returns what was done, for the provenance.
    """
    landmark = measures["pelvic_obliquity_deg"]
    found = []
    asymmetry = []
    for pic in pictures:
        xy = _mean_pose(pic, view)
        rgb, xy = level_picture(pic.rgb, xy, roll.roll_deg)
        try:
            est = estimate_pelvis_level(rgb, xy, view, 0.0, landmark.value)
            asymmetry.append(clothing_asymmetry(rgb, xy))
        except ValueError as exc:
            warnings.append(f"{pic.name}: pixel pelvis level unavailable ({exc}); landmark hips used")
            continue
        if est is not None:
            found.append(est)
    if not found or landmark.value is None:
        return {
            "method": "landmarks only",
            "landmark_obliquity_deg": landmark.value,
            "landmark_uncertainty_deg": landmark.uncertainty,
        }
    values = np.array([e.obliquity_deg for e in found])
    spread = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    unc = max(spread, float(np.mean([e.uncertainty_deg for e in found])))
    if not roll.known:
        gain = _roll_sensitivity(pictures[0], view, landmark.value)
        unc = float(np.hypot(unc, gain * unknown_roll_sd_deg))
    scores = [a for a in asymmetry if a is not None]
    asymmetric = bool(scores) and max(scores) > ASYMMETRY_LIMIT
    if asymmetric:
        unc = float(np.hypot(unc, ASYMMETRY_EXTRA_DEG))
        warnings.append(
            f"the clothes around the hips look different on the left and the right (colour asymmetry "
            f"{max(scores):.0f}): the hip measures are less certain (uncertainty widened); for the check, "
            "wear plain clothing that is the same on both sides, no belt, nothing in the pockets"
        )
    obliquity = float(values.mean())
    note = f"{found[0].method}; {len(found)} picture(s); landmark hips alone: {landmark.value:+.2f} deg"
    _set_obliquity(measures, obliquity, unc, note, pictures, scale)
    return {
        "method": found[0].method,
        "landmark_obliquity_deg": landmark.value,
        "landmark_uncertainty_deg": landmark.uncertainty,
        "pixel_obliquity_deg": obliquity,
        "pixel_uncertainty_deg": unc,
        "clothing_asymmetry": max(scores) if scores else None,
        "pictures": len(found),
    }


def _roll_sensitivity(pic: Picture, view: View, landmark_deg: float) -> float:
    """How many degrees of obliquity one degree of unnoticed camera roll adds (numerically)."""
    xy = _mean_pose(pic, view)
    results = []
    for roll in (-1.0, 1.0):
        rgb, turned = level_picture(pic.rgb, xy, roll)
        shift = pelvic_obliquity_deg(turned) - pelvic_obliquity_deg(xy)
        est = estimate_pelvis_level(rgb, turned, view, 0.0, landmark_deg + shift)
        results.append(np.nan if est is None else est.obliquity_deg)
    gain = abs(results[1] - results[0]) / 2.0
    return float(gain) if np.isfinite(gain) else 1.0


def _mean_pose(pic: Picture, view: View) -> np.ndarray:
    """The subject's landmarks averaged over the picture's variants (sides fixed, not roll-corrected)."""
    return np.nanmean([fix_sides(v.xy, view)[0] for v in pic.variants], axis=0)


def level_picture(rgb: np.ndarray, xy: np.ndarray, roll_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Rotate a picture and its landmarks so that the scene's horizontals are level.

    The pixel pelvis estimate was calibrated on level pictures; measuring on the
    levelled picture is more faithful than removing the roll from its result.
    """
    if abs(roll_deg) < 0.05:
        return rgb, xy
    h, w = rgb.shape[:2]
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), -roll_deg, 1.0)
    level = cv2.warpAffine(rgb, turn, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    # (also used for segmentation masks, float (H, W))
    return level, unroll(xy, roll_deg, (w / 2, h / 2))


def _set_obliquity(
    measures: dict[str, Measure],
    obliquity: float,
    unc: float,
    note: str,
    pictures: list[Picture],
    scale: Scale | None,
) -> None:
    """Write the obliquity and the hip height differences that follow from it over the hip width."""
    width = float(np.mean([hip_width_px(p.poses[0]) for p in pictures]))
    tan, dtan = np.tan(np.radians(obliquity)), np.radians(unc) / np.cos(np.radians(obliquity)) ** 2
    derived = {"pelvic_obliquity_deg": (obliquity, unc), "hip_height_diff_px": (width * tan, width * dtan)}
    derived["hip_height_diff_pct_hip_width"] = (100 * tan, 100 * dtan)
    if scale is not None:
        mm, dmm = width * tan * scale.mm_per_px, width * dtan * scale.mm_per_px
        derived["hip_height_diff_mm"] = (mm, float(np.hypot(dmm, abs(mm) * scale.uncertainty_rel)))
    for name, (value, sd) in derived.items():
        old = measures[name]
        measures[name] = replace(old, value=float(value), uncertainty=float(sd), note=note)


def _leave_out(measures: dict[str, Measure], names: Iterable[str], note: str) -> None:
    """Blank the measures ``names`` (in place), saying why in their note."""
    for name in names:
        old = measures[name]
        measures[name] = replace(old, value=None, uncertainty=None, note=note)


def _pelvic_tilt(pictures: list[Picture], view: View, roll_deg: float) -> Measure:
    """Outline-based tilt proxy from each picture's original variant, averaged over pictures.

    Only the unmirrored detection is used: a broken mirror detection can spoil the
    mean, and the proxy's own error (its reported uncertainty) dominates anyway.
    The segmentation mask and the landmarks are levelled together first.
    """
    estimates = []
    for p in pictures:
        mask = p.variants[0].mask
        if mask is None:
            estimates.append(estimate_anterior_pelvic_tilt(p.variants[0].xy, None, view))
            continue
        level_mask, xy = level_picture(mask.astype(np.float32), p.variants[0].xy, roll_deg)
        estimates.append(estimate_anterior_pelvic_tilt(xy, level_mask, view))
    known = [m for m in estimates if m.value is not None]
    if len(known) <= 1:
        return known[0] if known else estimates[0]
    values = [m.value for m in known if m.value is not None]
    first = known[0]
    note = f"mean over {len(known)} pictures; {first.note}"
    mean = float(np.mean(values))
    return replace(first, value=mean, note=note)


def _roll_of(pic: Picture) -> RollEstimate:
    return estimate_roll(pic.rgb, _person_mask(pic.variants[0], pic.rgb.shape))


def _picture_roll(pic: Picture) -> RollEstimate:
    """The roll of one picture from it and its mirror image: exactly opposite for the mirrored picture.

    A marker (readable in one of the two only) wins; else the lines of both are averaged.
    """
    direct = _roll_of(pic)
    if pic.mirror is None:
        return direct
    mirror = _mirrored_roll(_roll_of(pic.mirror))
    for est in (direct, mirror):
        if est.method == "marker":
            return est
    known = [e for e in (direct, mirror) if e.known]
    if len(known) < 2:
        return known[0] if known else direct
    unc = max(direct.uncertainty_deg or 0.0, mirror.uncertainty_deg or 0.0)
    n_lines = max(direct.n_lines, mirror.n_lines)
    return RollEstimate((direct.roll_deg + mirror.roll_deg) / 2, unc, direct.method, n_lines)


def _roll(pictures: list[Picture]) -> RollEstimate:
    estimates = [_picture_roll(p) for p in pictures]
    known = [e for e in estimates if e.known]
    if not known:
        return estimates[0]
    rolls = np.array([e.roll_deg for e in known])
    spread = float(np.std(rolls)) if len(rolls) > 1 else (known[0].uncertainty_deg or 0.0)
    return RollEstimate(float(np.median(rolls)), spread, known[0].method, sum(e.n_lines for e in known))
