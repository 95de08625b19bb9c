"""Synthetic human subjects with known ground truth, rendered for MediaPipe.

Needs the ``synth`` extra (``anny``, ``torch``); those are imported lazily, so
``import posture`` and ``import posture.synth`` work without them.

Modules: :mod:`~posture.synth.body` (posed anny bodies and joint centres),
:mod:`~posture.synth.render` (pinhole camera, painter's renderer),
:mod:`~posture.synth.standing` and :mod:`~posture.synth.walking` (generators),
:mod:`~posture.synth.truth` (the ``.truth.json`` schema).
"""
