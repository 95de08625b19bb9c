# posture: the commands a user and CI run. Everything installs into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.stamp

.PHONY: install demo test lint samples bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(PY) -m pip install --quiet -e '.[dev,synth]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the package with its extras
	$(BIN)/posture --version

models/pose_landmarker_full.task: | $(STAMP)
	$(PY) -c "from posture.pose.bundle import ensure_model; print('model:', ensure_model().path)"

demo: $(STAMP) models/pose_landmarker_full.task  ## run the main job on the shipped samples
	@for f in samples/*.png samples/*.jpg samples/*.mp4; do \
		[ -e "$$f" ] || continue; \
		$(BIN)/posture landmarks "$$f" --out "out/landmarks/$$(basename $${f%.*})" --no-progress || exit 1; \
	done
	@echo "demo outputs are in out/"

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

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
