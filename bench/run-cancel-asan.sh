#!/usr/bin/env bash
# Clients hanging up mid-work, 50 times per case, under AddressSanitizer and UBSan: during each
# tool (exec, web_fetch, read_file, write_file), during a provider call and during an upload.
# Any invalid read/write, use after free or leak report fails the run.
#   bash bench/run-cancel-asan.sh [build-asan-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-asan}
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCLAWGO_BUILD_UI=OFF \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer" >/dev/null
cmake --build "$dir" -j2 --target tst_cancellation
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export QT_QPA_PLATFORM=offscreen
CLAWGO_CANCEL_REPEAT=${CLAWGO_CANCEL_REPEAT:-50} "$dir/tests/tst_cancellation"
