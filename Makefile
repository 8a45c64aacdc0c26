# Paper-replication notebook. Fresh machine: `make setup reports`, then `make test`.
SWIFT ?= swift
APT_PACKAGES = libcmark-dev gnuplot-nox libopenblas-dev liblapacke-dev libjs-katex dataset-fashion-mnist zlib1g-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
REPLICATE = .build/release/replicate
# BLAS threads: the analyses parallelise over tasks themselves.
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: setup build reports check accept test bench clean

setup:
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $(APT_PACKAGES)

build:
	$(SWIFT) build -c release

reports: build
	$(REPLICATE) render

check: build
	$(REPLICATE) check

# Review the drift first (`make check`), then: make accept REPORT=000-retina
accept: build
	@test -n "$(REPORT)" || { echo "usage: make accept REPORT=<report name>"; exit 2; }
	$(REPLICATE) accept $(REPORT)

test:
	$(SWIFT) test

bench: build
	OPENBLAS_NUM_THREADS= .build/release/bench all

clean:
	rm -rf .build .cache site figures/*/
