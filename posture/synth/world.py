"""A messier world around the synthetic walker: bystanders, an occluder, sensor noise and compression.

The clean walking render (:func:`posture.synth.walking.render_walk` with
``WalkingParams.world = None``) is one body in a plain room, written with
OpenCV's mp4v. A :class:`World` adds what real footage has:

- bystanders: other anny bodies (own phenotype and clothes, the scene's light)
  standing still, swaying about their ankles, or hopping in place, placed by
  camera-relative offsets (``depth_m`` further from the camera than the
  walking line, ``lateral_m`` to the image right);
- an occluder: a vertical pole or trunk (dark, with vertical grain and
  cylinder shading) ``depth_m`` in front of the walking line, drawn as a
  textured vertical rectangle in the world, so the walker passes behind it;
- sensor noise (Gaussian, ``noise_sd`` grey levels) and a slight horizontal
  motion blur (``motion_blur_px``);
- compression: the mp4v file re-encoded with the system ffmpeg (libx264,
  ``crf``), as a phone would store it; without ffmpeg the mp4v file is kept
  and the truth says so.

Bodies and the occluder are separate objects, drawn far to near (painter's
order by the camera depth of each body's pelvis, or of the occluder's axis);
within a body the faces are depth-sorted as before. The photographic
background, light and clothing colours stay on the walker's
:class:`~posture.synth.render.Appearance` (the bystanders take the scene's
light from it). Everything here is deterministic given its seeds.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from posture.synth.body import BodyPose, FloatArray, Phenotype, Subject, build_subject, pose_body, rot_z
from posture.synth.render import (
    _FORWARD,
    BGR,
    Appearance,
    Camera,
    face_base_colours,
)

MOTIONS = ("still", "sway", "jump")
FFMPEG = "/usr/bin/ffmpeg"


@dataclass(frozen=True)
class Bystander:
    """Another person in the scene who does not walk.

    ``depth_m``: how much further from the camera than the walker's line (negative:
    nearer); ``lateral_m``: along the image's horizontal, from the camera's aim point
    (positive: image right). ``facing_deg``: turn about the vertical from facing the
    camera (0) (90: showing the left side). ``motion``: ``still``, ``sway`` (the
    whole body tips about the ankles, ``amplitude`` degrees, sideways) or ``jump``
    (hops in place: lifted ``amplitude`` metres times the positive half of a sine).
    """

    phenotype: Phenotype = field(default_factory=Phenotype)
    depth_m: float = 2.0
    lateral_m: float = 0.0
    facing_deg: float = 0.0
    motion: str = "still"
    amplitude: float = 0.0
    frequency_hz: float = 0.5
    phase: float = 0.0
    skin: BGR = (120, 150, 195)
    shirt: BGR = (60, 120, 60)
    shorts: BGR = (80, 60, 40)
    shoes: BGR = (30, 30, 30)
    hair: BGR = (20, 25, 35)
    arms_deg: tuple[float, float] = (0.0, 0.0)

    def __post_init__(self) -> None:
        if self.motion not in MOTIONS:
            raise ValueError(f"motion must be one of {MOTIONS}, got {self.motion!r}")


@dataclass(frozen=True)
class Occluder:
    """A vertical pole or tree trunk between the camera and the walking line.

    ``depth_m`` from the walking line towards the camera (positive: nearer the
    camera), ``lateral_m`` along the image horizontal from the camera's aim point.
    """

    depth_m: float = 1.0
    lateral_m: float = 0.0
    width_m: float = 0.22
    height_m: float = 4.0
    colour: BGR = (45, 55, 65)
    texture_seed: int = 0


@dataclass(frozen=True)
class World:
    """Options that make a walking render look more like real footage (see the module docstring).

    ``compression``: ``"x264"`` (re-encode with ffmpeg's libx264 at ``crf``, preset
    ``preset``) or ``"mp4v"`` (OpenCV's file as written).
    """

    bystanders: tuple[Bystander, ...] = ()
    occluder: Occluder | None = None
    #: Blotches and grain on the floor (a photo background leaves the floor one flat colour).
    floor_texture: bool = False
    noise_sd: float = 0.0
    motion_blur_px: int = 0
    compression: str = "x264"
    crf: int = 30
    #: A target bitrate (kbit/s) instead of ``crf`` (phones store about 4-8 Mbit/s at 720p; a
    #: constant quality of CRF 28-32 throws most sensor noise away at a tenth of that).
    bitrate_kbps: float | None = None
    preset: str = "veryfast"
    seed: int = 0


# --------------------------------------------------------------------- placement
def _axes(camera: Camera) -> tuple[FloatArray, FloatArray]:
    """The camera's horizontal forward direction and the image-right direction in the world."""
    fwd = np.array(_FORWARD[camera.view], float)
    right = np.array([-fwd[1], fwd[0], 0.0])  # camera x axis for a level camera
    if float(camera.R[0] @ right) < 0:
        right = -right
    return fwd, right


def place(camera: Camera, depth_m: float, lateral_m: float) -> FloatArray:
    """World floor point ``depth_m`` beyond the camera's aim point and ``lateral_m`` to the image right."""
    fwd, right = _axes(camera)
    base = np.array([camera.target[0], camera.target[1], 0.0])
    return base + fwd * depth_m + right * lateral_m


@dataclass(frozen=True)
class PlacedBystander:
    """A bystander's body, posed once, with its paint and where it stands."""

    spec: Bystander
    subject: Subject
    vertices: FloatArray  # standing on the floor at ``foot`` (the motion is applied per frame)
    foot: FloatArray
    face_base: FloatArray
    look: Appearance


def place_bystander(camera: Camera, spec: Bystander, scene: Appearance) -> PlacedBystander:
    """Build, pose and place ``spec``; its clothes over the scene's light and background."""
    subject = build_subject(spec.phenotype)
    pose = BodyPose(
        left_arm=replace(BodyPose().left_arm, shoulder_abduction=7.0 + spec.arms_deg[0]),
        right_arm=replace(BodyPose().right_arm, shoulder_abduction=7.0 + spec.arms_deg[1]),
    )
    body = pose_body(subject, pose)
    verts = body.vertices - np.array([body.joints["pelvis_centre"][0], body.joints["pelvis_centre"][1], 0.0])
    verts[:, 2] -= verts[:, 2].min()
    fwd, _ = _axes(camera)
    # the reference body faces -y; face the camera (-fwd), then turn by facing_deg
    face_cam = np.degrees(np.arctan2(-fwd[0], fwd[1])) if np.hypot(fwd[0], fwd[1]) else 0.0
    turned = verts @ rot_z(face_cam + spec.facing_deg).T
    foot = place(camera, spec.depth_m, spec.lateral_m)
    look = replace(
        scene, skin=spec.skin, shirt=spec.shirt, shorts=spec.shorts, shoes=spec.shoes, hair=spec.hair
    )
    look = replace(look, shirt_right=None, shorts_right=None, belt=None, pocket=None)
    return PlacedBystander(
        spec, subject, turned + foot, foot, face_base_colours(subject.faces, subject.region, look), look
    )


def bystander_vertices(b: PlacedBystander, camera: Camera, t: float) -> FloatArray:
    """The bystander's vertices at time ``t`` (seconds) with its motion applied."""
    s = b.spec
    wave = float(np.sin(2 * np.pi * (s.frequency_hz * t + s.phase)))
    if s.motion == "jump":
        return b.vertices + np.array([0.0, 0.0, s.amplitude * max(wave, 0.0)])
    if s.motion == "sway":
        fwd, _ = _axes(camera)
        # tip about the horizontal line through the feet along the camera axis: sideways in the picture
        axis = fwd / np.linalg.norm(fwd)
        rot = cv2.Rodrigues(axis * np.radians(s.amplitude * wave))[0]
        return (b.vertices - b.foot) @ rot.T + b.foot
    return b.vertices


# --------------------------------------------------------------------- the occluder
@dataclass(frozen=True)
class PlacedOccluder:
    """The occluder's outline in the picture, its painted pixels and its camera depth."""

    spec: Occluder
    corners_px: FloatArray
    mask: NDArray[np.bool_]
    pixels: NDArray[np.uint8]
    depth: float


def place_occluder(camera: Camera, spec: Occluder) -> PlacedOccluder:
    """Project the occluder and paint it once (it does not move): dark, grained, round-shaded."""
    _, right = _axes(camera)
    foot = place(camera, -spec.depth_m, spec.lateral_m)
    half = right * spec.width_m / 2
    up = np.array([0.0, 0.0, spec.height_m])
    corners = np.array([foot - half, foot + half, foot + half + up, foot - half + up])
    uv = camera.project(corners)
    h, w = camera.height, camera.width
    mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(mask, np.round((uv - 0.5) * 16).astype(np.int32), (255,), cv2.LINE_AA, 4)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64) + 0.5
    # position across the pole, -1 (left edge) .. 1 (right edge), from the projected centre line
    c0, c1 = 0.5 * (uv[0] + uv[1]), 0.5 * (uv[2] + uv[3])
    axis = (c1 - c0) / np.linalg.norm(c1 - c0)
    normal = np.array([-axis[1], axis[0]])
    half_px = 0.5 * abs(float((uv[1] - uv[0]) @ normal))
    across = np.clip(((xs - c0[0]) * normal[0] + (ys - c0[1]) * normal[1]) / max(half_px, 1e-6), -1, 1)
    along = (xs - c0[0]) * axis[0] + (ys - c0[1]) * axis[1]
    rng = np.random.default_rng(spec.texture_seed)
    grooves = np.convolve(rng.normal(0, 1, 40), np.ones(3) / 3, mode="same")
    streak = np.interp(across, np.linspace(-1, 1, 40), grooves)
    knots = rng.normal(0, 1, 64)
    blotch = np.interp(along / max(4 * half_px, 1.0) % 64, np.arange(64), knots)
    shade = 0.45 + 0.55 * np.sqrt(1 - across**2) * (1 + 0.12 * streak + 0.08 * blotch)
    paint = np.clip(np.asarray(spec.colour, float)[None, None] * shade[..., None], 0, 255).astype(np.uint8)
    depth = float(camera.to_camera(foot[None] + up[None] / 2)[0, 2])
    return PlacedOccluder(spec, uv, mask > 127, paint, depth)


def walker_hidden(occluder: PlacedOccluder, points_px: FloatArray) -> float:
    """Share of ``points_px`` (N, 2) that fall behind the occluder."""
    h, w = occluder.mask.shape
    ij = np.floor(points_px).astype(int)
    inside = (ij[:, 0] >= 0) & (ij[:, 0] < w) & (ij[:, 1] >= 0) & (ij[:, 1] < h)
    hits = np.zeros(len(ij), bool)
    hits[inside] = occluder.mask[ij[inside, 1], ij[inside, 0]]
    return float(hits.mean()) if len(ij) else 0.0


# --------------------------------------------------------------------- the sensor and the file
def sensor(image: NDArray[np.uint8], world: World, frame: int) -> NDArray[np.uint8]:
    """``image`` with the world's motion blur and Gaussian sensor noise (seeded per frame)."""
    out: NDArray = image
    if world.motion_blur_px > 1:
        k = int(world.motion_blur_px)
        out = np.asarray(cv2.filter2D(out, -1, np.full((1, k), 1.0 / k, np.float32)))
    if world.noise_sd > 0:
        rng = np.random.default_rng([world.seed, frame])
        noisy = out.astype(np.float32) + rng.normal(0.0, world.noise_sd, out.shape).astype(np.float32)
        out = np.clip(np.round(noisy), 0, 255).astype(np.uint8)
    return np.asarray(out, np.uint8)


def compress(raw: Path, out: Path, world: World, fps: float) -> dict:
    """Re-encode ``raw`` (mp4v) to ``out`` as the world asks; return what was done (for the truth)."""
    if world.compression == "x264":
        ffmpeg = FFMPEG if Path(FFMPEG).exists() else shutil.which("ffmpeg")
        if ffmpeg is None:
            shutil.move(str(raw), str(out))
            return {"codec": "mp4v", "requested": "x264", "reason": "ffmpeg not found"}
        cmd = [ffmpeg, "-y", "-loglevel", "error", "-i", str(raw), "-c:v", "libx264", "-preset", world.preset]
        if world.bitrate_kbps is None:
            rate = ["-crf", str(world.crf)]
        else:
            k = f"{world.bitrate_kbps:.0f}k"
            rate = ["-b:v", k, "-maxrate", k, "-bufsize", f"{2 * world.bitrate_kbps:.0f}k"]
        cmd += [*rate, "-pix_fmt", "yuv420p", "-fps_mode", "passthrough", "-an", str(out)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0 or not out.exists():
            shutil.move(str(raw), str(out))
            return {
                "codec": "mp4v",
                "requested": "x264",
                "reason": f"ffmpeg failed: {done.stderr.strip()[:200]}",
            }
        raw.unlink()
        cap = cv2.VideoCapture(str(out))
        n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
        cap.release()
        kbps = 8 * out.stat().st_size / 1000 / max(n / fps, 1e-6)
        return {
            "codec": "libx264",
            **({"crf": world.crf} if world.bitrate_kbps is None else {"target_kbps": world.bitrate_kbps}),
            "preset": world.preset,
            "ffmpeg": ffmpeg,
            "bitrate_kbps": kbps,
        }
    shutil.move(str(raw), str(out))
    return {"codec": "mp4v", "requested": world.compression}


def floor_grain(img: NDArray[np.uint8], seed: int) -> NDArray[np.uint8]:
    """``img`` with grey (colourless) blotches and fine grain, like worn pavement."""
    rng = np.random.default_rng(seed)
    h, w = img.shape[:2]
    coarse = rng.normal(0.0, 1.0, (max(2, h // 60), max(2, w // 60))).astype(np.float32)
    fine = rng.normal(0.0, 1.0, (max(2, h // 8), max(2, w // 8))).astype(np.float32)
    blotch = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
    speck = cv2.resize(fine, (w, h), interpolation=cv2.INTER_LINEAR)
    grain = rng.normal(0.0, 3.0, (h, w)).astype(np.float32)
    gain = 1.0 + 0.12 * blotch + 0.05 * speck
    out = img.astype(np.float32) * gain[..., None] + grain[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


# --------------------------------------------------------------------- the scene
class WorldScene:
    """Everything of a :class:`World` that is fixed over a clip, and the per-frame drawing.

    Built once per clip: the background (photo or plain, floor, room), the
    bystanders' posed bodies and paints, the occluder's pixels. :meth:`render`
    draws one frame; :meth:`record` is what the truth keeps of it.
    """

    def __init__(self, world: World, camera: Camera, look: Appearance, walker: Subject) -> None:
        from posture.synth.render import draw_background, floor_polygon

        self.world, self.camera, self.look = world, camera, look
        self.background = draw_background(camera, look)
        if world.floor_texture:
            floor = np.zeros(self.background.shape[:2], np.uint8)
            outline = floor_polygon(camera)
            if len(outline) >= 3:
                cv2.fillPoly(floor, [np.round(outline - 0.5).astype(np.int32)], (255,))
            grained = floor_grain(self.background, world.seed)
            self.background[floor > 0] = grained[floor > 0]
        self.walker_faces = walker.faces
        self.walker_base = face_base_colours(walker.faces, walker.region, look, walker.ref_vertices)
        self.bystanders = [place_bystander(camera, b, look) for b in world.bystanders]
        self.occluder = place_occluder(camera, world.occluder) if world.occluder is not None else None
        self.frames: dict[str, list] = {
            "bystander_box_px": [],
            "bystander_pelvis_px": [],
            "walker_hidden": [],
        }

    def render(self, frame: int, t: float, walker_verts: FloatArray, walker_points_px: FloatArray) -> NDArray:
        """Draw frame ``frame`` (time ``t``) with the walker's vertices; remember what the truth needs."""
        from posture.synth.render import draw_contact_shadow, render_mesh

        cam = self.camera
        img = self.background.copy()
        meshes: list[tuple[FloatArray, NDArray[np.int64], FloatArray, Appearance]] = [
            (walker_verts, self.walker_faces, self.walker_base, self.look)
        ]
        boxes, pelvis = [], []
        for b in self.bystanders:
            verts = bystander_vertices(b, cam, t)
            meshes.append((verts, b.subject.faces, b.face_base, b.look))
            uv = cam.project(verts)
            boxes.append([*uv.min(axis=0), *uv.max(axis=0)])
            pelvis.append(cam.project(verts.mean(axis=0)))
        for verts, *_ in meshes:
            draw_contact_shadow(img, cam, verts)
        layers: list[tuple[float, tuple | PlacedOccluder]] = [
            (float(cam.to_camera(m[0].mean(axis=0)[None])[0, 2]), m) for m in meshes
        ]
        if self.occluder is not None:
            layers.append((self.occluder.depth, self.occluder))
        for _, item in sorted(layers, key=lambda d: -d[0]):  # far to near
            if isinstance(item, PlacedOccluder):
                img[item.mask] = item.pixels[item.mask]
            else:
                render_mesh(img, cam, *item)
        self.frames["bystander_box_px"].append(boxes)
        self.frames["bystander_pelvis_px"].append(pelvis)
        hidden = walker_hidden(self.occluder, walker_points_px) if self.occluder is not None else 0.0
        self.frames["walker_hidden"].append(hidden)
        return sensor(img, self.world, frame)

    def truth(self, compression: dict) -> dict:
        """The world part of the truth: options, where everyone is, what the file went through."""
        hidden = np.asarray(self.frames["walker_hidden"])
        out: dict = {
            "bystanders": [
                {
                    "foot_m": b.foot.tolist(),
                    "motion": b.spec.motion,
                    "height_m": float(b.vertices[:, 2].max() - b.vertices[:, 2].min()),
                    "depth_from_camera_m": float(self.camera.to_camera(b.foot[None])[0, 2]),
                }
                for b in self.bystanders
            ],
            "frames": self.frames,
            "background": self.look.background,
            "compression": compression,
            "noise_sd": self.world.noise_sd,
            "motion_blur_px": self.world.motion_blur_px,
        }
        if self.occluder is not None:
            out["occluder"] = {
                "corners_px": self.occluder.corners_px.tolist(),
                "depth_from_camera_m": self.occluder.depth,
                "walker_frames_half_hidden": [int(i) for i in np.flatnonzero(hidden >= 0.5)],
                "walker_frames_partly_hidden": int((hidden > 0).sum()),
            }
        return out
