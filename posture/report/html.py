"""One self-contained HTML report per check: inline CSS, images as data URIs, no scripts, no fonts.

The page is rendered from the Jinja2 templates in ``templates/`` (see
:mod:`posture.report.render`): a client page (what the check found in plain words, the key
numbers beside their typical range, the pictures, the exercises) and a technical appendix
(the video, every measure with its uncertainty, the quality notes, the provenance). The
printed form (``printed=True``, what ``report.pdf`` is made from) is the client page alone.
Every piece of text that reaches the page is HTML-escaped by the templates.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from posture.core.measure import Measure
from posture.findings.types import Finding, General, Recommendation
from posture.io.atomic import atomic_open
from posture.report.client import KeyRow
from posture.report.render import render_page

__all__ = ["Picture", "flatten", "image_data_uri", "render_report", "taken_of", "write_report"]


@dataclass(frozen=True)
class Picture:
    """An image on a page: its caption and its ``data:`` URI."""

    caption: str
    uri: str


def image_data_uri(image: np.ndarray, fmt: str = "jpeg", quality: int = 90) -> str:
    """A ``data:`` URI of a BGR (or grey) uint8 image, encoded as JPEG or PNG.

    Raises
    ------
    ValueError
        The array is not an (H, W), (H, W, 3) or (H, W, 4) uint8 image, or ``fmt`` is unknown.
    """
    channels = image.shape[2] if image.ndim == 3 else 1
    if image.dtype != np.uint8 or image.ndim not in (2, 3) or channels not in (1, 3, 4):
        raise ValueError(
            f"expected a uint8 image of shape (H, W), (H, W, 3) or (H, W, 4); got {image.dtype} {image.shape}"
        )
    if fmt not in ("jpeg", "png"):
        raise ValueError(f"expected fmt 'jpeg' or 'png', got {fmt!r}")
    if fmt == "jpeg" and image.ndim == 3 and image.shape[2] == 4:
        image = image[:, :, :3]
    params = [cv2.IMWRITE_JPEG_QUALITY, quality] if fmt == "jpeg" else []
    ok, buffer = cv2.imencode(".jpg" if fmt == "jpeg" else ".png", np.ascontiguousarray(image), params)
    if not ok:
        raise ValueError(f"could not encode an image of shape {image.shape} as {fmt}")
    return f"data:image/{fmt};base64,{base64.b64encode(buffer.tobytes()).decode('ascii')}"


def taken_of(document: Mapping[str, Any]) -> tuple[datetime, str] | None:
    """A result document's ``taken`` date and its origin, or ``None``."""
    taken = document.get("taken")
    if not isinstance(taken, Mapping) or not taken.get("at"):
        return None
    return datetime.fromisoformat(str(taken["at"])), str(taken.get("from", ""))


def flatten(data: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Nested provenance as dotted ``(key, text)`` rows (lists joined, ``None`` as an en dash)."""
    rows: list[tuple[str, str]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            rows.extend(flatten(value, f"{name}."))
        elif isinstance(value, list | tuple):
            rows.append((name, ", ".join(str(v) for v in value)))
        else:
            rows.append((name, "–" if value is None else str(value)))
    return rows


def _pictures(images: Sequence[tuple[str, np.ndarray]]) -> list[Picture]:
    return [Picture(caption, image_data_uri(img)) for caption, img in images]


def render_report(
    *,
    title: str,
    subtitle: str,
    images: Sequence[tuple[str, np.ndarray]],
    measures: Sequence[Measure],
    findings: Sequence[Finding],
    recommendations: Sequence[Recommendation],
    general: General,
    provenance: Mapping[str, Any],
    client: str | None,
    warnings: Sequence[str],
    created: datetime | None = None,
    withheld: str | None = None,
    taken: tuple[datetime, str] | None = None,
    video: tuple[str, str] | None = None,
    key_rows: Sequence[KeyRow] = (),
    key_notes: Sequence[str] = (),
    key_heading: str = "Key numbers",
    paired: bool = False,
    technical_images: Sequence[tuple[str, np.ndarray]] = (),
    printed: bool = False,
    paper: str = "a4",
    beside: bool = False,
    pictures_heading: str = "Pictures",
) -> str:
    """The whole report as one HTML page (UTF-8 text).

    ``images`` (on the client page) and ``technical_images`` (in the appendix) are ``(caption,
    BGR uint8 array)`` pairs, embedded as JPEG data URIs. ``created`` defaults to now (local
    time); ``taken`` is when the pictures or clip were taken and how that is known ("stated",
    "metadata", "file time"); ``video`` is a (file name, caption) of a video in the report's
    folder, shown with controls in the appendix. ``withheld`` says why no findings are given (the
    pictures do not follow the protocol), in place of the findings. ``key_rows`` are the client
    page's key numbers (``paired``: left and right columns). ``printed`` leaves the appendix out
    (the PDF); ``paper`` is ``a4`` or ``letter``; ``beside`` sets the key numbers beside the
    pictures (portrait pictures of a standing check) instead of above them.
    """
    return render_page(
        "check.html",
        title=title,
        subtitle=subtitle,
        client=client,
        created=created or datetime.now(),
        taken=taken,
        findings=list(findings),
        withheld=withheld,
        key_heading=key_heading,
        key_rows=list(key_rows),
        key_notes=list(key_notes),
        paired=paired,
        beside=beside and bool(images),
        pictures_heading=pictures_heading,
        pictures=_pictures(images),
        recommendations=list(recommendations),
        general=general,
        printed=printed,
        video=video,
        technical_pictures=[] if printed else _pictures(technical_images),
        measures=list(measures),
        warnings=list(warnings),
        provenance=flatten(provenance),
        paper=paper,
    )


def write_report(path: str | Path, page: str) -> Path:
    """Write the page atomically (a half-written report never replaces a good one)."""
    target = Path(path)
    with atomic_open(target, "w", encoding="utf-8") as handle:
        handle.write(page)
    return target
