#!/usr/bin/env bash
# Builds the fuzz targets with clang (libFuzzer, AddressSanitizer, UBSan) in build-fuzz/ and runs
# each for FUZZ_SECONDS (60) seconds. New inputs land in build-fuzz/corpus/<target>, never in the
# repository; a crash leaves crash-* in build-fuzz/: add it to tests/fuzz/corpus/<target> once
# fixed, so `make test` replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
packages=(clang libclang-rt-14-dev)
missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=()
    [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
seconds=${FUZZ_SECONDS:-60}
dir=build-fuzz
CC=clang CXX=clang++ cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLAWGO_FUZZ=ON \
    -DCLAWGO_BUILD_UI=OFF >/dev/null
read -r -a targets <<< "${FUZZ_TARGETS:-requesthead multipart sse config cron}"
cmake --build "$dir" -j2 --target "${targets[@]/#/fuzz_}"
export ASAN_OPTIONS=detect_leaks=0
for target in "${targets[@]}"; do
    mkdir -p "$dir/corpus/$target"
    cp -n tests/fuzz/corpus/"$target"/* "$dir/corpus/$target/" 2>/dev/null || true
    echo "== fuzz_$target for ${seconds}s"
    (cd "$dir" && "./tests/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
        "corpus/$target" 2>&1 | tail -n 8)
done
