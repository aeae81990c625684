#!/usr/bin/env bash
# Provider benchmarks (run by hand): `make bench` runs this after the chat benchmarks.
set -euo pipefail
build=${1:-build}
"$build/bench/clawgo-providerbench" 2>/dev/null
# 10 000 cron jobs: reading jobs.json and every next run, one change and its save, then 20 s
# of idle CPU time and event-loop wake-ups.
"$build/bench/clawgo-cronbench" 10000 20 2>/dev/null
# The Skills Catalog of 200 skills: build time and byte-stability.
"$build/bench/clawgo-skillsbench" 200 2>/dev/null
