#!/usr/bin/env bash
# Chat benchmarks (run by hand): `make bench` runs this after bench/run.sh.
set -euo pipefail
build=${1:-build}
"$build/bench/clawgo-chatbench" 2>/dev/null
