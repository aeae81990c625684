#!/usr/bin/env bash
# Provider benchmarks (run by hand): `make bench` runs this after the chat benchmarks.
set -euo pipefail
build=${1:-build}
"$build/bench/clawgo-providerbench" 2>/dev/null
