#!/usr/bin/env bash
# Gateway benchmarks, run by hand (not in CI): `make bench` or `bash bench/run.sh BUILD_DIR`.
# Starts a headless gateway on a free loopback port with its own config folder, then measures:
#   1. start to first 200 from /health
#   2. /health and authenticated GET /api/config under 50 keep-alive connections (wrk)
#   3. GET /api/logs/recent?limit=200 on a 1 GiB log file
#   4. idle RSS
# Everything stays on 127.0.0.1; every loop is bounded.
set -euo pipefail
build=${1:-build}
binary="$build/app/clawgo-desktop"
[ -x "$binary" ] || { echo "build first: make build" >&2; exit 1; }
command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -q wrk >/dev/null; }
command -v curl >/dev/null || apt-get install -y -q curl >/dev/null

work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export HOME="$work"

echo "== start to first 200 /health (5 runs)"
for run in 1 2 3 4 5; do
    start=$(date +%s%N)
    "$binary" --no-gui --port "$port" 2>"$work/stderr.log" &
    pid=$!
    for _ in $(seq 1 2000); do
        if curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" 2>/dev/null | grep -q 200; then break; fi
    done
    end=$(date +%s%N)
    echo "run $run: $(( (end - start) / 1000000 )) ms"
    kill $pid; wait $pid 2>/dev/null || true
done

"$binary" --no-gui --port "$port" 2>"$work/stderr.log" &
pid=$!
sleep 1
token=$("$binary" --print-token)

echo "== idle RSS after 1 s"
grep VmRSS /proc/$pid/status

echo "== /health, 50 connections, 10 s"
wrk -t2 -c50 -d10s --latency "http://127.0.0.1:$port/health" | grep -E 'Requests/sec|99%|50%|Non-2xx'
echo "== GET /api/config (Bearer), 50 connections, 10 s"
wrk -t2 -c50 -d10s --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/config" | grep -E 'Requests/sec|99%|50%|Non-2xx'

echo "== /api/logs/recent?limit=200 on a 1 GiB log"
logfile="$work/.clawgo/logs/clawgo.log"
kill $pid; wait $pid 2>/dev/null || true
python3 - "$logfile" <<'PY'
import sys
line = ('{"time":"2026-05-10T00:00:00.000Z","level":"INFO","component":"bench","msg":"' + 'x' * 180 + '"}\n').encode()
chunk = line * 4096
with open(sys.argv[1], 'ab') as f:
    while f.tell() < 1 << 30:
        f.write(chunk)
PY
ls -l "$logfile"
# Rotation would move the 1 GiB file aside at the first log line: raise the limit for this run.
sed -i 's/"max_size_mb": 20/"max_size_mb": 4096/' "$work/.clawgo/config.json"
"$binary" --no-gui --port "$port" 2>"$work/stderr.log" &
pid=$!
sleep 1
for run in 1 2 3 4 5; do
    curl -s -o /dev/null -w "run $run: %{time_total} s, %{size_download} bytes\n" \
        -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/logs/recent?limit=200"
done
