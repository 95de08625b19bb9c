"""Real walking kinematics with real gait events, for benchmarks and tests (never used by the product)."""
