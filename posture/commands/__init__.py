"""What each CLI sub-command does, on typed options parsed once by :mod:`posture.cli`."""
