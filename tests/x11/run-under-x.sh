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
# The number is written a moment before clients are always let in: wait until one is.
for _ in $(seq 100); do
    xdpyinfo >/dev/null 2>&1 && break
    sleep 0.05
done

# A minimal configuration of our own (the user's, or none, would vary; an invalid one makes
# openbox open an error window that takes the focus).
printf '<?xml version="1.0"?>\n<openbox_config xmlns="http://openbox.org/3.4/rc"/>\n' >"$workdir/rc.xml"
openbox --config-file "$workdir/rc.xml" >"$workdir/openbox.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
    xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id' && break
    sleep 0.05
done
# The tray host: its panel window appears once it owns the tray selection. Started again should
# it die (it did, rarely, right after the server came up).
tray_ready=0
for _attempt in 1 2 3; do
    trayer --edge top --align right --widthtype request --height 24 >>"$workdir/trayer.log" 2>&1 &
    tray_pid=$!
    pids+=($tray_pid)
    for _ in $(seq 100); do
        if xprop -name panel >/dev/null 2>&1; then
            tray_ready=1
            break
        fi
        kill -0 "$tray_pid" 2>/dev/null || break
        sleep 0.05
    done
    [ "$tray_ready" = 1 ] && break
done
if [ "$tray_ready" != 1 ]; then
    echo "run-under-x: the tray host did not start:" >&2
    cat "$workdir/trayer.log" >&2
    exit 1
fi

"$@"
status=$?
[ -n "${RUN_UNDER_X_DEBUG:-}" ] && cat "$workdir"/*.log >&2
exit $status
