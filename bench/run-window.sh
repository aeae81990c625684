#!/usr/bin/env bash
# Window start time and idle RSS (run by hand; `make bench` runs it too). Uses the offscreen
# platform, so it needs no display; each run gets a throw-away HOME.
set -euo pipefail
build=${1:-build}
binary="$build/app/clawgo-desktop"
for run in 1 2 3 4 5; do
    home=$(mktemp -d)
    HOME="$home" QT_QPA_PLATFORM=offscreen "$binary" --port 0 2>"$home/err.log" &
    pid=$!
    for _ in $(seq 1 100); do grep -q "Window shown" "$home/err.log" 2>/dev/null && break; sleep 0.05; done
    shown=$(grep -o 'Window shown [0-9]* ms' "$home/err.log" | head -1 || true)
    sleep 2
    rss=$(grep VmRSS /proc/$pid/status | awk '{print $2}')
    echo "run $run: $shown, idle RSS after 2 s: $((rss / 1024)) MiB"
    kill $pid; wait $pid 2>/dev/null || true
    rm -rf "$home"
done

# A usable window with 1 000 sessions on disk, and switching to a 10 000-message session, with
# a watchdog on the UI thread (bench/windowbench.cpp).
for run in 1 2 3; do
    "$build/bench/clawgo-windowbench" 1000 10000 2>/dev/null
done
