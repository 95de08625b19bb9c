"""Photographic backgrounds for the randomised standing renders: real pictures from Debian's opencv-doc.

The package's example data holds photographs of buildings, streets, a circuit
board, a graffiti wall and an aerial view (no people). They are fetched once
with the system's package client into a cache folder and reused; when the
package cannot be had, an empty list is returned with the reason, and the
benchmark falls back to textured (noise) backgrounds and says so.
Licence: see ``/usr/share/doc/opencv-doc/copyright`` inside the package.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

PACKAGE = "opencv-doc"
DATA = "usr/share/doc/opencv-doc/examples/data"
PICTURES = ("building.jpg", "home.jpg", "leuvenA.jpg", "aero1.jpg", "board.jpg", "graf1.png", "left.jpg")


def background_photos(cache: Path) -> tuple[list[Path], str]:
    """The background pictures in ``cache`` (fetched when missing) and how they were had."""
    wanted = [cache / name for name in PICTURES]
    if all(p.exists() for p in wanted):
        return wanted, f"{PACKAGE} (cached in {cache})"
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        return [], "no Debian package tools on this machine"
    with tempfile.TemporaryDirectory() as tmp:
        got = subprocess.run(["apt-get", "download", PACKAGE], cwd=tmp, capture_output=True, text=True)
        debs = list(Path(tmp).glob(f"{PACKAGE}_*.deb"))
        if got.returncode != 0 or not debs:
            return [], f"{PACKAGE} could not be downloaded: {got.stderr.strip()[:200]}"
        subprocess.run(["dpkg-deb", "-x", str(debs[0]), str(Path(tmp) / "x")], check=True)
        cache.mkdir(parents=True, exist_ok=True)
        for p in wanted:
            shutil.copy(Path(tmp) / "x" / DATA / p.name, p)
    return wanted, f"{PACKAGE} (downloaded into {cache})"
