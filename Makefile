# Paper-replication notebook. Fresh machine: `make setup reports`, then `make test`.
SWIFT ?= swift
APT_PACKAGES = libcmark-dev gnuplot-nox libopenblas-dev liblapacke-dev libjs-katex dataset-fashion-mnist zlib1g-dev pkg-config nodejs
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
REPLICATE = .build/release/replicate
# The reports and benchmarks build the numerical targets with -Ounchecked (see Package.swift for the measurement);
# packages that depend on the libraries build them with plain -O.
export REPLICATE_UNCHECKED ?= 1
# BLAS threads: the analyses parallelise over tasks themselves.
export OPENBLAS_NUM_THREADS ?= 1
# OpenBLAS kernel for reports, check and bench: chosen from the CPU's feature flags when the library reports a generic
# core (Debian's 0.3.21 falls back to SSE3 "Prescott" on CPUs it does not know); see bench/blas-coretype.sh.
# `make test` keeps the library's default selection.
BLAS_CORETYPE = $(shell sh bench/blas-coretype.sh)
BLAS_ENV = $(if $(BLAS_CORETYPE),OPENBLAS_CORETYPE=$(BLAS_CORETYPE))

.PHONY: setup build reports check accept test example fuzz calibrate bench bench-peers clean pagecheck pagecheck-selftest

setup:
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $(APT_PACKAGES)

build:
	$(SWIFT) build -c release

# PROFILE=paper renders the papers' own settings (the run blocks' profile.paper.* lines) to site/paper/: as a Slurm job
# array of SHARDS shards when `sinfo` answers, else locally with -j $(nproc). See README, "Paper-scale runs".
PROFILE ?= laptop
SHARDS ?= 8
reports: build
ifeq ($(PROFILE),laptop)
	$(BLAS_ENV) $(REPLICATE) render
else
	if sinfo >/dev/null 2>&1; then $(BLAS_ENV) $(REPLICATE) slurm --profile $(PROFILE) --shards $(SHARDS); \
	else $(BLAS_ENV) $(REPLICATE) render --profile $(PROFILE) -j $$(nproc); fi
endif

check: build
	$(BLAS_ENV) $(REPLICATE) check

# Review the drift first (`make check`), then: make accept REPORT=000-retina
accept: build
	@test -n "$(REPORT)" || { echo "usage: make accept REPORT=<report name>"; exit 2; }
	$(BLAS_ENV) $(REPLICATE) accept $(REPORT)

test:
	$(SWIFT) test

# The template package of examples/own-analysis (a user's own analyses over the notebook's libraries and CLI): build
# it, then check its report against its stored values (recomputed, no cache).
EXAMPLE = examples/own-analysis
example:
	cd $(EXAMPLE) && REPLICATE_UNCHECKED=0 $(SWIFT) build -c release \
	  && .build/release/generate-data data/pairs.csv && $(BLAS_ENV) .build/release/my-replicate check

# The seeded mutation test of the report pipeline at length (`make test` runs 2000 cases): make fuzz FUZZ_CASES=50000 FUZZ_SEED=7
FUZZ_CASES ?= 20000
FUZZ_SEED ?= 14
fuzz:
	FUZZ_CASES=$(FUZZ_CASES) FUZZ_SEED=$(FUZZ_SEED) $(SWIFT) test --filter FuzzTests

# The long calibrations of the error bars (issue 12) at full size, in release, outside `make test` (too long for CI):
# RMI's histogram errors at 500 replicates of n = 1000 (RMI_CALIBRATION), retina's M* error at the real size
# (RETINA_CALIBRATION), RINE's split error with its own trainer (RINE_LONG_CALIBRATION replicates) and geometry's
# long ring tests (GEOMETRY_LONG_TESTS). Each test prints its pulls; the test files state their cost (RMI's two
# classes: 31 s + 50 s in release under load, measured 2026-12-07). The modules are @testable: -enable-testing.
CALIBRATE_RINE ?= 500
calibrate:
	RMI_CALIBRATION=1 RETINA_CALIBRATION=1 RINE_LONG_CALIBRATION=$(CALIBRATE_RINE) RINE_BIAS_CALIBRATION=1 GEOMETRY_LONG_TESTS=1 $(BLAS_ENV) \
	  $(SWIFT) test -c release -Xswiftc -enable-testing \
	  --filter 'RenormalizedMITests\.(CalibrationTests|RunCalibrationTests)|RetinaTests\.MStarCalibrationTests|RINETests\.(SplitErrorCalibrationTests|BiasCorrectionCalibrationTests)|InfoGeometryTests\.CalibrationTests'

# Benchmarks; peer implementations run with $(PEER_PYTHON) when `make bench-peers` has built it.
PEER_VENV = .venv-peers
PEER_PYTHON ?= $(if $(wildcard $(PEER_VENV)/bin/python),$(CURDIR)/$(PEER_VENV)/bin/python,python3)
bench: build
	$(BLAS_ENV) PEER_PYTHON=$(PEER_PYTHON) OPENBLAS_NUM_THREADS=1 .build/release/bench all

# A Python environment with the peer implementations (TensorFlow, PyTorch, embo, frites) from PyPI; large (several GB).
bench-peers:
	python3 -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/pip install --quiet tensorflow-cpu torch embo frites numpy

# The rendered pages in headless Chromium (`apt-get install chromium`) at 1280 and 420 px: overflow, console errors,
# broken internal links, missing alt text, gnuplot keys over data; prints the page weights (scripts/pagecheck/).
# Reuses site/ when it exists (PAGECHECK_RENDER=1 re-renders), renders it from a warm .cache, else asks for
# `make reports`.
# PAGECHECK_FLAGS: e.g. --enforce overflow,console --weights-enforce --screenshots .pagecheck/shots
PAGECHECK = python3 scripts/pagecheck/pagecheck.py
PAGECHECK_FLAGS ?=
pagecheck:
	@if [ -n "$(PAGECHECK_RENDER)" ] || { [ ! -f site/index.html ] && [ -d .cache ]; }; then \
	  $(MAKE) --no-print-directory reports; \
	elif [ ! -f site/index.html ]; then \
	  echo "pagecheck: no site/index.html and no .cache: run make reports first"; exit 2; fi
	$(PAGECHECK) $(PAGECHECK_FLAGS) site

# The checker on its fixtures (scripts/pagecheck/fixtures): one good page and one page per defect, each caught.
pagecheck-selftest:
	$(PAGECHECK) --selftest

clean:
	rm -rf .build .cache site figures/*/ $(PEER_VENV)

# Slurm for real (issue 18 §4): starts a single-node Slurm on localhost (scripts/slurm/start.sh, installs slurm-wlm
# and munge when missing), proves it with a 2-task array and a dependent job, renders 00-smoke (figures) and the
# itemized 00-items locally and with `replicate slurm --shards 2`, compares the bytes, and stops what it started, also
# on failure (scripts/slurm/test.sh).
.PHONY: slurm-test
slurm-test: build
	$(BLAS_ENV) bash scripts/slurm/test.sh 00-smoke 00-items
