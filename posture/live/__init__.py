"""The live check: a camera (or a recording) with the skeleton, hip and shoulder lines,
steadiness and framing hints drawn over it; a key takes a burst for the standing check
or records a walk for the gait analysis.

- :mod:`posture.live.state`: pure per-frame readings (smoothed angles, steadiness, hints).
- :mod:`posture.live.keys`: the key schedule used headless (and with a window).
- :mod:`posture.live.capture`: lossless burst pictures and walk recordings.
- :mod:`posture.live.draw`: the overlay, drawn on a frame (no window needed).
- :mod:`posture.live.window`: the OpenCV window, imported only when one is shown.
- :mod:`posture.live.session`: the loop that ties them together.
"""
