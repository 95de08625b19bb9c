"""Every setting of the walking check, in one frozen object passed explicitly: :class:`GaitSettings`.

Each stage has its own part (the walker's choice, the crop pass that finds the
walker again, what footage must show, conditioning, segments, crowding, contact
events, the cycle's plausible durations, steady stepping). The defaults are the
values the benchmarks were run with; each is declared once, next to the code that
uses it, and collected here. :meth:`GaitSettings.to_dict` is written whole into
``result.json`` and :meth:`GaitSettings.from_dict` reads the ``[gait.settings]``
table of a configuration file (:mod:`posture.config`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from posture.core.settings import plain, settings_from_dict
from posture.gait import conditioning as cond
from posture.gait import footstrike as fs
from posture.gait import spatiotemporal as st
from posture.gait import view as gv
from posture.gait.adequacy import FootageSettings
from posture.gait.contacts import ContactSettings
from posture.gait.crowding import CrowdingSettings
from posture.gait.events import CycleLimits
from posture.gait.locked import INFERENCE_MODES, LockedSettings
from posture.gait.recover import RecoverSettings
from posture.gait.walker import WalkerSettings


@dataclass(frozen=True)
class ConditioningSettings:
    """Cleaning of the walker's landmarks before events are timed (:mod:`posture.gait.conditioning`)."""

    #: Landmarks whose visibility score is below this are treated as not seen.
    min_visibility: float = cond.MIN_VISIBILITY
    #: Longest gap (s) bridged by interpolation.
    max_gap_s: float = cond.MAX_GAP_S
    #: Low-pass cut-off (Hz) of the zero-lag Butterworth filter (at most 0.2 x the frame rate).
    cutoff_hz: float = cond.CUTOFF_HZ
    #: Spike rejection of the leg points: running-median window (s), distance (body heights), longest (s).
    spike_window_s: float = cond.SPIKE_WINDOW_S
    spike_body_share: float = cond.SPIKE_BODY_SHARE
    spike_max_s: float = cond.SPIKE_MAX_S


@dataclass(frozen=True)
class SegmentSettings:
    """How the view is told and the clip split into straight walking (:mod:`posture.gait.view`)."""

    #: (shoulder + hip width) / 2 over torso height below which a clip is a side view.
    side_width_ratio: float = gv.SIDE_WIDTH_RATIO
    #: Least walking speed: body heights/s sideways, change of log apparent size/s towards or away.
    min_side_speed: float = cond.MIN_SIDE_SPEED
    min_frontal_speed: float = cond.MIN_FRONTAL_SPEED
    #: Slow-downs shorter than this (s) between stretches in the same direction are bridged.
    max_dip_s: float = cond.MAX_DIP_S
    #: Shorter straight stretches (s) are not walking segments.
    min_duration_s: float = 1.0


@dataclass(frozen=True)
class SteppingSettings:
    """When a segment holds steady walking worth timing."""

    #: Plausible time (s) from one foot's heel strike to the other's.
    step_s: tuple[float, float] = (0.25, 1.0)
    #: A segment this close (s) to where the walker is first or last seen is cut by the picture.
    edge_s: float = 0.25
    #: Heel strikes of alternate feet in a row needed (two for a segment cut by the picture).
    strikes_needed: int = 3


@dataclass(frozen=True)
class GaitSettings:
    """All settings of the walking check, by stage (see the module docstring)."""

    walker: WalkerSettings = field(default_factory=WalkerSettings)
    recover: RecoverSettings = field(default_factory=RecoverSettings)
    #: How the pose model is run: ``locked`` (the people on a few frames a second, then the walker alone
    #: on a crop: :mod:`posture.gait.locked`) or ``full`` (every person on every frame).
    inference: str = "full"
    locked: LockedSettings = field(default_factory=LockedSettings)
    footage: FootageSettings = field(default_factory=FootageSettings)
    conditioning: ConditioningSettings = field(default_factory=ConditioningSettings)
    segments: SegmentSettings = field(default_factory=SegmentSettings)
    crowding: CrowdingSettings = field(default_factory=CrowdingSettings)
    contacts: ContactSettings = field(default_factory=ContactSettings)
    cycle: CycleLimits = field(default_factory=CycleLimits)
    stepping: SteppingSettings = field(default_factory=SteppingSettings)
    #: Side-view event rules: ``contact`` (where the foot stops and leaves its spot) or ``velocity``.
    side_method: str = "contact"
    #: A symmetry index beyond this (%) is flagged.
    si_flag_pct: float = st.SI_FLAG_PCT
    #: Foot angle band (deg) around flat within which a contact counts as flat-footed.
    flat_band_deg: float = fs.FLAT_BAND_DEG

    def __post_init__(self) -> None:
        if self.inference not in INFERENCE_MODES:
            raise ValueError(f"inference must be one of {', '.join(INFERENCE_MODES)}, not {self.inference!r}")
        if self.side_method not in ("contact", "velocity"):
            raise ValueError(f"side_method must be 'contact' or 'velocity', not {self.side_method!r}")

    def to_dict(self) -> dict[str, Any]:
        """Every setting, nested by stage, JSON-ready (tuples as lists)."""
        return plain(dataclasses.asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GaitSettings:
        """Settings from a (partial) nested mapping; missing keys keep their defaults.

        Raises
        ------
        ValueError
            An unknown key (named with its path) or a value of the wrong kind.
        """
        return settings_from_dict(cls, data, "gait.settings")
