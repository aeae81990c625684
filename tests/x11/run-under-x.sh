#!/usr/bin/env bash
# Runs a test under a real X server with a window manager and a tray host, as a desktop user
# has them: Xvfb, openbox, trayer. Usage: run-under-x.sh <command> [args...]
# Each run gets its own display, so tests may run in parallel.
set -euo pipefail

for tool in Xvfb openbox trayer; do
    if ! command -v "$tool" >/dev/null; then
        echo "run-under-x: $tool is missing (make deps installs it)" >&2
        exit 1
    fi
done

workdir=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$workdir"
}
trap cleanup EXIT

# -displayfd: Xvfb picks a free display number and writes it once it accepts clients.
Xvfb -displayfd 3 -screen 0 1920x1200x24 -nolisten tcp 3>"$workdir/display" 2>"$workdir/xvfb.log" &
pids+=($!)
for _ in $(seq 100); do
    [ -s "$workdir/display" ] && break
    sleep 0.05
done
if [ ! -s "$workdir/display" ]; then
    echo "run-under-x: Xvfb did not start:" >&2
    cat "$workdir/xvfb.log" >&2
    exit 1
fi
export DISPLAY=":$(head -n1 "$workdir/display")"
unset QT_QPA_PLATFORM WAYLAND_DISPLAY

# A minimal configuration of our own (the user's, or none, would vary; an invalid one makes
# openbox open an error window that takes the focus).
printf '<?xml version="1.0"?>\n<openbox_config xmlns="http://openbox.org/3.4/rc"/>\n' >"$workdir/rc.xml"
openbox --config-file "$workdir/rc.xml" >"$workdir/openbox.log" 2>&1 &
pids+=($!)
trayer --edge top --align right --widthtype request --height 24 >"$workdir/trayer.log" 2>&1 &
pids+=($!)
# The tray is there once trayer owns the system tray selection of screen 0.
for _ in $(seq 100); do
    if xprop -root _NET_SUPPORTING_WM_CHECK >/dev/null 2>&1 &&
        xprop -name panel >/dev/null 2>&1; then
        break
    fi
    sleep 0.05
done

"$@"
