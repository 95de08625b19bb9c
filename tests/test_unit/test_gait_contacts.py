"""The contact rule on feet with known stance: events where the heel stops and the toe leaves."""

import numpy as np
import pytest

from posture.data.skeleton import Side
from posture.gait.contacts import ContactEventDetection, ContactSettings

FPS = 30.0
BODY = 400.0


def _foot(n: int, strikes: list[float], offs: list[float], step_px: float = 300.0, toe_lag: float = 0.0):
    """Heel and toe tracks (n, 2) of a foot planted between each strike and the next off.

    Between an off and the next strike the foot swings forwards by ``step_px`` with a
    smooth (cosine) profile and lifts; the toe stays planted ``toe_lag`` s after the heel lifts.
    """
    t = np.arange(n) / FPS
    heel = np.zeros((n, 2))
    x, y0 = 100.0, 600.0
    cycle = sorted([(s, "hs") for s in strikes] + [(o, "to") for o in offs])
    last_off = None
    for i, ti in enumerate(t):
        past = [c for c in cycle if c[0] <= ti]
        if past and past[-1][1] == "to":
            last_off = past[-1][0]
            nxt = [c[0] for c in cycle if c[0] > ti and c[1] == "hs"]
            end = nxt[0] if nxt else last_off + 0.4
            u = (ti - last_off) / (end - last_off)
            heel[i] = (x + step_px * 0.5 * (1 - np.cos(np.pi * u)), y0 - 40 * np.sin(np.pi * u))
        else:
            if last_off is not None and heel[i - 1, 0] > x:
                x = heel[i - 1, 0]
            heel[i] = (x, y0)
    toe = heel + (60.0, 5.0)
    return heel, toe, t


STRIKES, OFFS = [0.6, 1.7], [0.2, 1.3]  # swings 0.2-0.6 s and 1.3-1.7 s; standing from the start


def test_planted_stances_give_events_within_a_frame():
    heel, toe, t = _foot(90, STRIKES, OFFS)
    report = ContactEventDetection().detect(heel, toe, t, BODY, Side.LEFT)
    hs = sorted(e.time_s for e in report.events if e.kind == "heel_strike")
    to = sorted(e.time_s for e in report.events if e.kind == "toe_off")
    # the radius (10 px here) is crossed just before the strike and just after the off
    assert hs == pytest.approx(STRIKES, abs=1.0 / FPS) and all(
        h <= s for h, s in zip(hs, STRIKES, strict=True)
    )
    assert to == pytest.approx(OFFS, abs=1.0 / FPS) and all(o >= s for o, s in zip(to, OFFS, strict=True))
    assert all(e.method == "contact" and e.side == Side.LEFT for e in report.events)


def test_stances_cut_by_the_clip_have_no_heel_strike_or_no_toe_off():
    heel, toe, t = _foot(90, STRIKES, OFFS)  # stands from the first frame; still standing at the end
    stances = ContactEventDetection().stances(heel, toe, t, BODY)
    assert len(stances) == 3
    assert stances[0].heel_strike is None and stances[0].toe_off is not None
    assert stances[-1].heel_strike is not None and stances[-1].toe_off is None


def test_jitter_below_the_radius_changes_little():
    heel, toe, t = _foot(90, STRIKES, OFFS)
    rng = np.random.default_rng(3)
    from posture.gait.conditioning import lowpass

    noisy_heel = lowpass(heel + rng.normal(0, 2.0, heel.shape), FPS)
    noisy_toe = lowpass(toe + rng.normal(0, 2.0, toe.shape), FPS)
    report = ContactEventDetection().detect(noisy_heel, noisy_toe, t, BODY, Side.LEFT)
    hs = sorted(e.time_s for e in report.events if e.kind == "heel_strike")
    assert len(hs) == 2 and np.max(np.abs(np.array(hs) - STRIKES)) < 1.5 / FPS


def test_a_foot_never_still_yields_a_note_not_events():
    t = np.arange(60) / FPS
    heel = np.stack([100 + 20 * np.arange(60), 600 + 0 * t], axis=1)  # always moving 600 px/s
    report = ContactEventDetection().detect(heel, heel + 50, t, BODY, Side.LEFT)
    assert report.events == [] and "never seen standing still" in report.notes[0]


def test_a_wider_radius_times_strikes_earlier():
    heel, toe, t = _foot(90, STRIKES, OFFS)
    narrow = ContactEventDetection(ContactSettings(radius=0.01)).stances(heel, toe, t, BODY)
    wide = ContactEventDetection(ContactSettings(radius=0.06)).stances(heel, toe, t, BODY)
    pairs = [(a.heel_strike, b.heel_strike) for a, b in zip(narrow, wide, strict=True) if a.heel_strike]
    assert pairs and all(w < n for n, w in pairs)


def test_a_stance_heel_that_wanders_off_for_a_moment_is_one_stance_timed_at_its_arrival():
    """On real clips the stance heel is hidden by the swinging leg and its point flies off for a few
    frames right after it lands, then settles a little beside its first spot: one stance, its strike
    where the heel first arrived."""
    heel, toe, t = _foot(90, STRIKES, OFFS)
    land = int(round(STRIKES[1] * FPS))  # frame 51; the heel has been still from it
    heel[land + 3 : land + 10] += np.array([[0.0, -150.0]]) * np.sin(np.linspace(0.3, 2.8, 7))[:, None]
    heel[land + 10 : land + 16] += (4.0, -15.0)  # settles 15 px above its first spot
    stances = ContactEventDetection().stances(heel, toe, t, BODY)
    late = [st for st in stances if st.start >= land - 3]
    assert len(late) == 1, stances
    assert late[0].heel_strike is not None and abs(late[0].heel_strike - STRIKES[1] * FPS) <= 1.0
