"""A pinhole camera and a painter's-algorithm mesh renderer (OpenCV, no GPU).

Camera frame: OpenCV's (x right, y down, z forward). Pixel coordinates: ``u``
right, ``v`` down, origin at the top-left *corner* of the top-left pixel, so the
centre of pixel (column i, row j) is at (i + 0.5, j + 0.5). This is the
convention of MediaPipe's normalised landmarks times the image size
(``u = x_norm * width``, ``v = y_norm * height``).

Views (the subject faces world -y, its left is +x): ``front`` looks at the
subject's face, ``back`` at its back, ``left`` sees the subject's left side,
``right`` its right side.

Roll: positive ``roll_deg`` turns the camera about its optical axis so that
world-horizontal lines appear rotated clockwise in the image (their right end
lower) by ``roll_deg``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
from numpy.typing import NDArray

from posture.synth.body import REGIONS, FloatArray

VIEWS = ("front", "back", "left", "right")
#: Camera forward direction (world) per view.
_FORWARD = {
    "front": (0.0, 1.0, 0.0),
    "back": (0.0, -1.0, 0.0),
    "left": (-1.0, 0.0, 0.0),
    "right": (1.0, 0.0, 0.0),
}
_SUBPIXEL_BITS = 4


@dataclass(frozen=True)
class Camera:
    """A pinhole camera: intrinsics, world-to-camera rotation ``R`` and translation ``t``.

    A world point ``X`` maps to camera coordinates ``R @ X + t``.
    """

    width: int
    height: int
    fx: float
    fy: float
    cx: float
    cy: float
    R: FloatArray
    t: FloatArray
    view: str = "front"
    distance_m: float = 3.0
    height_m: float = 1.0
    roll_deg: float = 0.0
    vfov_deg: float = 50.0
    target: tuple[float, float] = (0.0, 0.0)

    @property
    def centre(self) -> FloatArray:
        """Return the camera centre in world metres."""
        return -self.R.T @ self.t

    def to_camera(self, points: FloatArray) -> FloatArray:
        """Return camera-frame coordinates (N, 3) of world points (N, 3)."""
        return np.asarray(points, float) @ self.R.T + self.t

    def project(self, points: FloatArray) -> FloatArray:
        """Project world points (..., 3) to pixels (..., 2) (corner-origin convention)."""
        pts = np.asarray(points, float)
        cam = pts.reshape(-1, 3) @ self.R.T + self.t
        uv = np.stack(
            [self.fx * cam[:, 0] / cam[:, 2] + self.cx, self.fy * cam[:, 1] / cam[:, 2] + self.cy], axis=1
        )
        return uv.reshape(pts.shape[:-1] + (2,))

    def as_dict(self) -> dict:
        """Return the camera as plain JSON-ready values (truth schema ``camera``)."""
        return {
            "view": self.view,
            "fx": self.fx,
            "fy": self.fy,
            "cx": self.cx,
            "cy": self.cy,
            "R": self.R.tolist(),
            "t": self.t.tolist(),
            "distance_m": self.distance_m,
            "height_m": self.height_m,
            "roll_deg": self.roll_deg,
            "vfov_deg": self.vfov_deg,
            "centre_m": self.centre.tolist(),
            "pixel_origin": "top-left corner",
        }


def intrinsics(width: int, height: int, vfov_deg: float) -> tuple[float, float, float, float]:
    """Return ``(fx, fy, cx, cy)`` of square pixels from the image size and vertical FOV."""
    if width <= 0 or height <= 0 or not 0.0 < vfov_deg < 180.0:
        raise ValueError(f"expected positive size and 0 < vfov < 180, got {width}x{height}, vfov={vfov_deg}")
    fy = 0.5 * height / np.tan(np.radians(vfov_deg) / 2.0)
    return float(fy), float(fy), width / 2.0, height / 2.0


def look_rotation(forward: Sequence[float] | FloatArray, roll_deg: float = 0.0) -> FloatArray:
    """Return world-to-camera ``R`` for a camera looking along ``forward`` with z world up."""
    f = np.asarray(forward, float) / np.linalg.norm(forward)
    down = np.array([0.0, 0.0, -1.0])
    down = down - f * float(down @ f)
    down /= np.linalg.norm(down)
    right = np.cross(down, f)
    base = np.stack([right, down, f])
    c, s = np.cos(np.radians(roll_deg)), np.sin(np.radians(roll_deg))
    roll = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    return roll @ base


def make_camera(
    view: str,
    distance_m: float = 3.0,
    height_m: float = 1.0,
    roll_deg: float = 0.0,
    width: int = 720,
    height: int = 1280,
    vfov_deg: float = 50.0,
    target_xy: tuple[float, float] = (0.0, 0.0),
    pitch_deg: float = 0.0,
) -> Camera:
    """Place a level camera ``distance_m`` from ``target_xy`` on the side given by ``view``.

    The camera sits at height ``height_m`` and looks horizontally (tilted down by
    ``pitch_deg``, positive looking down) towards the vertical line through
    ``target_xy`` (world x, y in metres).
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, got {view!r}")
    fwd = np.array(_FORWARD[view])
    if pitch_deg:
        fwd = fwd * np.cos(np.radians(pitch_deg)) + np.array([0, 0, -np.sin(np.radians(pitch_deg))])
    centre = np.array([target_xy[0], target_xy[1], 0.0]) - np.array(_FORWARD[view]) * distance_m
    centre[2] = height_m
    rot = look_rotation(fwd, roll_deg)
    fx, fy, cx, cy = intrinsics(width, height, vfov_deg)
    return Camera(
        width,
        height,
        fx,
        fy,
        cx,
        cy,
        rot,
        -rot @ centre,
        view,
        distance_m,
        height_m,
        roll_deg,
        vfov_deg,
        (float(target_xy[0]), float(target_xy[1])),
    )


# --------------------------------------------------------------------- appearance
BGR = tuple[int, int, int]


@dataclass(frozen=True)
class Appearance:
    """Colours (BGR, 0-255) of the skin, clothing regions, floor and background."""

    skin: BGR = (140, 170, 215)
    shirt: BGR = (160, 90, 40)
    shorts: BGR = (50, 50, 55)
    shoes: BGR = (40, 40, 40)
    hair: BGR = (30, 40, 60)
    floor: BGR = (150, 165, 175)
    background_top: BGR = (215, 210, 200)
    background_bottom: BGR = (185, 180, 170)
    #: Direction the light travels, in *camera* axes (x right, y down, z forward).
    light_dir: tuple[float, float, float] = field(default=(0.35, 0.45, 1.0))
    #: Draw a room: a back wall behind the subject with a door frame and a wall corner
    #: (straight scene lines, as in most indoor photos). Off: an open, featureless backdrop.
    room: bool = False
    wall: BGR = (200, 205, 210)
    trim: BGR = (90, 80, 70)
    #: Lighting (the defaults are the original fixed light): the share of the colour that is
    #: ambient, the strength of the key light (``light_dir``), its colour as BGR gains, and an
    #: optional second (fill) light from ``fill_dir`` with strength ``fill``.
    ambient: float = 0.38
    key: float = 0.62
    light_colour: tuple[float, float, float] = (1.0, 1.0, 1.0)
    fill_dir: tuple[float, float, float] = (-0.5, 0.2, 1.0)
    fill: float = 0.0
    #: Clothing that differs left to right (None: the same colour on both sides): the colour
    #: of the shirt and of the shorts on the subject's RIGHT half.
    shirt_right: BGR | None = None
    shorts_right: BGR | None = None
    #: A belt (None: none) 4 cm wide at the top of the shorts, turned by ``belt_angle_deg``
    #: (positive: higher on the subject's left), and a pocket on the left front of the shorts.
    belt: BGR | None = None
    belt_angle_deg: float = 0.0
    pocket: BGR | None = None
    #: Background: ``"plain"`` (the gradient), ``"noise"`` (a seeded blotchy texture with
    #: ``texture_seed``) or the path of a photograph (scaled to cover the picture and turned
    #: with the camera roll); the floor and the room are drawn over it.
    background: str = "plain"
    texture_seed: int = 0

    def region_colours(self) -> NDArray[np.float64]:
        """Return the (len(REGIONS), 3) colour table in :data:`REGIONS` order."""
        return np.array([getattr(self, r) for r in REGIONS], dtype=np.float64)

    def paint_colours(self) -> NDArray[np.float64]:
        """The colour table of :func:`paint_codes`: :data:`REGIONS` then :data:`EXTRA_PAINTS`."""
        base = {r: getattr(self, r) for r in REGIONS}
        extra = [getattr(self, name) or base[fallback] for name, fallback in EXTRA_PAINTS]
        return np.array([*base.values(), *extra], dtype=np.float64)


#: Paints beyond :data:`REGIONS`, with the region whose colour they take when unset.
EXTRA_PAINTS = (
    ("shirt_right", "shirt"),
    ("shorts_right", "shorts"),
    ("belt", "shorts"),
    ("pocket", "shorts"),
)
BELT_WIDTH_M = 0.04
#: The pocket on the left front: x (subject's left +), height below the waist (m).
POCKET_X_M = (0.05, 0.14)
POCKET_BELOW_WAIST_M = (0.06, 0.17)


def paint_codes(ref_vertices: FloatArray, region: NDArray[np.int64], look: Appearance) -> NDArray[np.int64]:
    """Per-vertex paint index into :meth:`Appearance.paint_colours` (the region unless a patch covers it).

    Patches are placed on the body in its reference pose (x: subject's left +, y: back +,
    z: up), so they move with the body. Without any patch set this is ``region`` itself.
    """
    codes = region.copy()
    x, y, z = ref_vertices[:, 0], ref_vertices[:, 1], ref_vertices[:, 2]
    shirt, shorts = region == REGIONS.index("shirt"), region == REGIONS.index("shorts")
    n = len(REGIONS)
    if look.shirt_right is not None:
        codes[shirt & (x < 0)] = n
    if look.shorts_right is not None:
        codes[shorts & (x < 0)] = n + 1
    if shorts.any():
        waist = float(z[shorts].max())
        front = y < float(np.median(y[shorts]))
        if look.belt is not None:
            top = waist + np.tan(np.radians(look.belt_angle_deg)) * x
            codes[(shorts | shirt) & (z <= top) & (z > top - BELT_WIDTH_M)] = n + 2
        if look.pocket is not None:
            inside = (x > POCKET_X_M[0]) & (x < POCKET_X_M[1]) & front
            below = waist - z
            codes[shorts & inside & (below > POCKET_BELOW_WAIST_M[0]) & (below < POCKET_BELOW_WAIST_M[1])] = (
                n + 3
            )
    return codes


def draw_background(camera: Camera, look: Appearance) -> NDArray[np.uint8]:
    """Return a top-to-bottom gradient background with the floor plane z = 0 drawn on it.

    The gradient runs along the scene's vertical, so a rolled camera sees it rolled too.
    """
    h, w = camera.height, camera.width
    r = np.radians(camera.roll_deg)  # positive roll turns the scene clockwise on screen
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    a = np.clip(((xs - w / 2) * -np.sin(r) + (ys - h / 2) * np.cos(r)) / h + 0.5, 0.0, 1.0)[..., None]
    top, bottom = np.array(look.background_top), np.array(look.background_bottom)
    img = ((1 - a) * top + a * bottom).astype(np.uint8)
    if look.background not in ("plain", "noise"):
        img = photo_background(look.background, camera)
    floor = floor_polygon(camera)
    if len(floor) >= 3:
        pts = np.round((floor - 0.5) * (1 << _SUBPIXEL_BITS)).astype(np.int32)
        cv2.fillPoly(img, [pts], look.floor, lineType=cv2.LINE_AA, shift=_SUBPIXEL_BITS)
    if look.room:
        draw_room(img, camera, look)
    if look.background == "noise":
        img = texture(img, look.texture_seed)
    return img


def texture(img: NDArray[np.uint8], seed: int) -> NDArray[np.uint8]:
    """``img`` with seeded blotches (low-frequency colour changes) and fine grain on it."""
    rng = np.random.default_rng(seed)
    h, w = img.shape[:2]
    coarse = rng.normal(0.0, 1.0, (max(2, h // 80), max(2, w // 80), 3)).astype(np.float32)
    blotch = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
    grain = rng.normal(0.0, 6.0, (h, w, 3)).astype(np.float32)
    out = img.astype(np.float32) * (1.0 + 0.18 * blotch) + grain
    return np.clip(out, 0, 255).astype(np.uint8)


def photo_background(path: str, camera: Camera) -> NDArray[np.uint8]:
    """A photograph scaled to cover the picture and turned with the camera roll (BGR uint8)."""
    photo = cv2.imread(path, cv2.IMREAD_COLOR)
    if photo is None:
        raise ValueError(f"background picture {path!r} could not be read")
    h, w = camera.height, camera.width
    k = 1.15 * max(w / photo.shape[1], h / photo.shape[0])  # a margin, so turning leaves no corners
    big = cv2.resize(
        photo, (round(photo.shape[1] * k), round(photo.shape[0] * k)), interpolation=cv2.INTER_AREA
    )
    turn = np.asarray(cv2.getRotationMatrix2D((big.shape[1] / 2, big.shape[0] / 2), -camera.roll_deg, 1.0))
    turn = turn + np.array([[0.0, 0.0, (w - big.shape[1]) / 2], [0.0, 0.0, (h - big.shape[0]) / 2]])
    out = cv2.warpAffine(big, turn, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    return np.asarray(out, np.uint8)


def _poly(img: NDArray[np.uint8], camera: Camera, corners: FloatArray, colour: BGR) -> None:
    cam = camera.to_camera(corners)
    if (cam[:, 2] <= 0.05).any():
        return
    pts = np.round((camera.project(corners) - 0.5) * (1 << _SUBPIXEL_BITS)).astype(np.int32)
    cv2.fillPoly(img, [pts], colour, lineType=cv2.LINE_AA, shift=_SUBPIXEL_BITS)


def draw_room(img: NDArray[np.uint8], camera: Camera, look: Appearance, behind_m: float = 1.6) -> None:
    """Draw a back wall ``behind_m`` behind the subject, with a door frame and a wall corner.

    Everything is drawn in world coordinates and projected, so a rolled or
    pitched camera sees the lines as a real one would.
    """
    fwd = np.array(_FORWARD[camera.view], float)
    side = np.array([-fwd[1], fwd[0], 0.0])  # horizontal, along the wall
    base = np.array([camera.target[0], camera.target[1], 0.0]) + fwd * behind_m

    def quad(u0: float, u1: float, z0: float, z1: float, depth: float = 0.0) -> FloatArray:
        p = base - fwd * depth
        return np.array([p + side * u0 + [0, 0, z0], p + side * u1 + [0, 0, z0],
                         p + side * u1 + [0, 0, z1], p + side * u0 + [0, 0, z1]])  # fmt: skip

    _poly(img, camera, quad(-20.0, 20.0, 0.0, 4.0), look.wall)
    _poly(img, camera, quad(-20.0, 20.0, 0.0, 0.1, 0.01), look.trim)  # skirting board
    for u in (0.95, 1.85):  # door jambs
        _poly(img, camera, quad(u, u + 0.07, 0.0, 2.05, 0.01), look.trim)
    _poly(img, camera, quad(0.95, 1.92, 1.98, 2.05, 0.01), look.trim)  # lintel
    shade = look.wall
    corner: BGR = (int(shade[0] * 0.8), int(shade[1] * 0.8), int(shade[2] * 0.8))
    _poly(img, camera, quad(-1.75, -1.72, 0.0, 4.0, 0.005), corner)  # a wall corner


def floor_polygon(camera: Camera, half_size_m: float = 30.0) -> FloatArray:
    """Return the projected outline (N, 2) of a large floor square, clipped at the near plane."""
    c = camera.centre
    corners = np.array(
        [
            [c[0] - half_size_m, c[1] - half_size_m, 0.0],
            [c[0] + half_size_m, c[1] - half_size_m, 0.0],
            [c[0] + half_size_m, c[1] + half_size_m, 0.0],
            [c[0] - half_size_m, c[1] + half_size_m, 0.0],
        ]
    )
    cam = camera.to_camera(corners)
    near = 0.05
    clipped = []
    for i in range(4):
        p, q = cam[i], cam[(i + 1) % 4]
        if p[2] >= near:
            clipped.append(p)
        if (p[2] >= near) != (q[2] >= near):
            s = (near - p[2]) / (q[2] - p[2])
            clipped.append(p + s * (q - p))
    if not clipped:
        return np.zeros((0, 2))
    cam_pts = np.array(clipped)
    return np.stack(
        [
            camera.fx * cam_pts[:, 0] / cam_pts[:, 2] + camera.cx,
            camera.fy * cam_pts[:, 1] / cam_pts[:, 2] + camera.cy,
        ],
        axis=1,
    )


def face_colours(
    cam_verts: FloatArray,
    faces: NDArray[np.int64],
    base: FloatArray,
    light_cam: FloatArray,
    look: Appearance | None = None,
    fill_cam: FloatArray | None = None,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Return Lambert-shaded face colours (F, 3) and a front-facing mask (F,).

    Normals follow the faces' winding; faces pointing away from the camera are culled.
    ``look`` sets the ambient share, key strength, light colour and fill light
    (default: the original fixed light); ``fill_cam`` is the fill light's direction.
    """
    look = look or Appearance()
    a, b, c = (cam_verts[faces[:, k]] for k in range(3))
    normal = np.cross(b - a, c - a)
    normal /= np.linalg.norm(normal, axis=1, keepdims=True) + 1e-12
    centre = (a + b + c) / 3.0
    facing = np.einsum("ij,ij->i", normal, centre) < 0.0
    lambert = np.clip(-(normal @ light_cam), 0.0, 1.0)
    shade = look.ambient + look.key * lambert
    if look.fill > 0 and fill_cam is not None:
        shade = shade + look.fill * np.clip(-(normal @ fill_cam), 0.0, 1.0)
    colours = base * shade[:, None]
    if look.light_colour != (1.0, 1.0, 1.0):
        colours = colours * np.asarray(look.light_colour, float)
    return np.clip(colours, 0, 255), facing


def _camera_light(direction: Sequence[float], roll_deg: float) -> FloatArray:
    """A light direction given for a level camera, as the rolled camera sees it (unit vector)."""
    light = np.asarray(direction, float)
    light /= np.linalg.norm(light)
    r = np.radians(roll_deg)
    return np.array([[np.cos(r), -np.sin(r), 0.0], [np.sin(r), np.cos(r), 0.0], [0.0, 0.0, 1.0]]) @ light


def render_mesh(
    image: NDArray[np.uint8],
    camera: Camera,
    vertices: FloatArray,
    faces: NDArray[np.int64],
    face_base: FloatArray,
    look: Appearance,
) -> NDArray[np.uint8]:
    """Paint ``faces`` (far to near) onto ``image`` in place and return it."""
    cam = camera.to_camera(vertices)
    # light_dir is given for a level camera; a rolled camera sees the scene's light rolled too.
    light = _camera_light(look.light_dir, camera.roll_deg)
    fill_light = _camera_light(look.fill_dir, camera.roll_deg) if look.fill > 0 else None
    colours, facing = face_colours(cam, faces, face_base, light, look, fill_light)
    uv = np.stack(
        [camera.fx * cam[:, 0] / cam[:, 2] + camera.cx, camera.fy * cam[:, 1] / cam[:, 2] + camera.cy], axis=1
    )
    pts = np.round((uv - 0.5) * (1 << _SUBPIXEL_BITS)).astype(np.int32)
    keep = np.flatnonzero(facing & (cam[faces][:, :, 2].min(axis=1) > 0.05))
    depth = cam[faces[keep], 2].mean(axis=1)
    order = keep[np.argsort(-depth, kind="stable")]
    tri = pts[faces[order]]
    col = colours[order].round().astype(np.int32).tolist()
    fill = cv2.fillConvexPoly
    for poly, colour in zip(tri, col, strict=True):
        fill(image, poly, colour, cv2.LINE_8, _SUBPIXEL_BITS)
    return image


def face_base_colours(
    faces: NDArray[np.int64],
    region: NDArray[np.int64],
    look: Appearance,
    ref_vertices: FloatArray | None = None,
) -> FloatArray:
    """Return each face's unshaded colour (F, 3) from its vertices' majority region.

    With ``ref_vertices`` (the reference-pose mesh) the clothing patches of ``look``
    (left/right colours, belt, pocket) are painted too.
    """
    codes = region if ref_vertices is None else paint_codes(ref_vertices, region, look)
    r = codes[faces]
    major = np.where(r[:, 1] == r[:, 2], r[:, 1], r[:, 0])
    table = look.region_colours() if ref_vertices is None else look.paint_colours()
    return table[major]


def render_body(
    camera: Camera,
    vertices: FloatArray,
    faces: NDArray[np.int64],
    region: NDArray[np.int64],
    look: Appearance,
    ref_vertices: FloatArray | None = None,
) -> NDArray[np.uint8]:
    """Render a body over the background and floor; return a BGR uint8 image.

    ``ref_vertices`` (the body in its reference pose) places the clothing patches of ``look``.
    """
    img = draw_background(camera, look)
    draw_contact_shadow(img, camera, vertices)
    base = face_base_colours(faces, region, look, ref_vertices)
    return render_mesh(img, camera, vertices, faces, base, look)


def draw_contact_shadow(image: NDArray[np.uint8], camera: Camera, vertices: FloatArray) -> None:
    """Darken the floor softly under the body's low vertices (in place)."""
    low = vertices[vertices[:, 2] < 0.03]
    if len(low) == 0:
        return
    ground = low.copy()
    ground[:, 2] = 0.0
    uv = camera.project(ground)
    mask = np.zeros(image.shape[:2], np.uint8)
    inside = (uv[:, 0] > -50) & (uv[:, 0] < camera.width + 50) & (uv[:, 1] > 0)
    if not inside.any():
        return
    hull = cv2.convexHull(np.round(uv[inside]).astype(np.int32))
    cv2.fillConvexPoly(mask, hull, (255,))
    blurred = cv2.GaussianBlur(mask, (0, 0), 6)
    dark = 1.0 - 0.35 * np.asarray(blurred, np.float32)[:, :, None] / 255.0
    image[:] = np.clip(image * dark, 0, 255).astype(np.uint8)
