# posture: the commands a user and CI run. Everything installs into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
CORE   := $(VENV)/.core
STAMP  := $(VENV)/.full

.PHONY: install demo test lint samples bench bench-photo bench-gait bench-gait-world bench-speed bench-memory bench-kinematics bench-real bench-batch clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The lean install: what a user needs to analyse photos and videos.
$(CORE): pyproject.toml | $(BIN)/python
	$(PY) -m pip install --quiet -e .
	touch $(CORE)

# Everything: tests, linters and the synthetic body model (PyTorch, CPU build).
$(STAMP): $(CORE)
	$(PY) -m pip install --quiet -e '.[dev,synth,cluster,research]'
	touch $(STAMP)

install: $(CORE)  ## create .venv and install the package
	$(BIN)/posture --version

models/pose_landmarker_full.task: | $(CORE)
	$(PY) -c "from posture.pose.bundle import ensure_model; print('model:', ensure_model().path)"

demo: $(CORE) models/pose_landmarker_full.task  ## run the main job on the shipped samples
	@for f in samples/*.png samples/*.mp4; do \
		$(BIN)/posture landmarks "$$f" --out "out/landmarks/$$(basename $${f%.*})" --no-progress || exit 1; \
	done
	rm -f out/history.sqlite*
	$(BIN)/posture photo samples/stand_front_hipdrop.png --height-cm 170 --client "Demo client" \
		--date 2026-01-05 --db out/history.sqlite --out out/photo/stand_front_hipdrop --pdf
	$(BIN)/posture photo samples/stand_front_followup.png --height-cm 170 --client "Demo client" \
		--date 2026-03-02 --db out/history.sqlite --out out/photo/stand_front_followup --pdf
	$(BIN)/posture photo samples/stand_back_level.png --out out/photo/stand_back_level --pdf
	$(BIN)/posture photo samples/stand_side_tilt.png --out out/photo/stand_side_tilt --pdf
	$(BIN)/posture gait samples/walk_side.mp4 --height-cm 175 --out out/gait/walk_side --no-progress --export trc --pdf
	$(BIN)/posture gait samples/walk_front.mp4 --out out/gait/walk_front --no-progress --pdf
	$(BIN)/posture history "Demo client" --db out/history.sqlite --out out/history/demo_client
	@echo "demo outputs are in out/ (open out/photo/*/report.html or report.pdf, out/gait/*/report.html and"
	@echo "out/history/demo_client/history.html)"

test: $(STAMP)  ## run the test suite
	$(BIN)/pytest -q

lint: $(STAMP)  ## ruff and mypy
	$(BIN)/ruff check posture tests scripts benchmarks
	$(BIN)/ruff format --check posture tests scripts benchmarks
	$(BIN)/mypy posture

samples: $(STAMP)  ## regenerate samples/ from the synthetic body model (seeded)
	$(PY) scripts/make_samples.py --out samples

bench: $(STAMP)  ## landmark accuracy and speed on the samples
	$(PY) benchmarks/bench_landmarks.py --out benchmarks/results/landmarks.md

bench-photo: $(STAMP)  ## standing-check accuracy on synthetic bodies with known hip drop
	$(PY) benchmarks/bench_photo.py --out benchmarks/results/photo.md
	$(PY) benchmarks/bench_photo_real.py --out benchmarks/results/photo_real.md

bench-gait: $(STAMP)  ## gait event and timing accuracy on synthetic walkers, and speed
	$(PY) benchmarks/bench_gait.py --out benchmarks/results/gait.md
	$(PY) benchmarks/bench_gait_speed.py --out benchmarks/results/gait_speed.md

bench-gait-world: $(STAMP)  ## gait events on synthetic walks with bystanders, a pole, photos, noise and x264
	$(PY) benchmarks/bench_gait_world.py --out benchmarks/results/gait_world.md --scene-only side_l_30_sym front_30_sym back_30_sym

bench-speed: $(STAMP)  ## posture gait against bare 3-pose and 1-pose MediaPipe loops (shipped walk, real clip), memory
	$(PY) benchmarks/bench_gait_speed.py --out benchmarks/results/gait_speed.md

bench-memory: $(STAMP)  ## peak memory of posture gait, 10 s (3 runs) against 10 minutes
	$(PY) benchmarks/bench_gait_speed.py --memory-only --out benchmarks/results/gait_memory.md

bench-real: $(STAMP) bench-kinematics  ## walking on real clips (walker chosen, events against labels by eye, refusals)
	$(PY) benchmarks/bench_gait_real.py --out benchmarks/results/gait_real.md --cache benchmarks/work/real

bench-kinematics: $(STAMP)  ## gait events on real walking kinematics projected into cameras (fetches data once)
	$(PY) benchmarks/bench_gait_kinematics.py --out benchmarks/results/gait_kinematics.md

bench-batch: $(STAMP)  ## batch throughput: 1 and 2 local workers, 2-worker Dask LocalCluster
	$(PY) benchmarks/bench_batch.py --out benchmarks/results/batch.md

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
