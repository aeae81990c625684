#!/usr/bin/env bash
# Installs the Debian 12 packages ClawGo Desktop needs to build, test and benchmark.
# Idempotent: asks apt only for what is missing and runs `apt-get update` at most once.
set -euo pipefail

packages=(
    build-essential cmake pkg-config
    qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qt6-svg-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
    qtkeychain-qt6-dev libqrencode-dev libarchive-dev libzbar-dev
    # Qt's own strings (standard buttons, file dialogs) in Chinese.
    qt6-translations-l10n
    # The keychain test: a private session bus with GNOME Keyring's Secret Service, libsecret
    # (QtKeychain's Linux backend) and secret-tool to look at what was stored.
    dbus-daemon gnome-keyring libsecret-1-0 libsecret-tools
    # The window tests on a real X server with a window manager and a tray host
    # (tests/x11/run-under-x.sh); x11-utils for xprop.
    xvfb openbox trayer x11-utils xauth libxcb-cursor0
    # The accessibility test: the AT-SPI bus launcher and registry the Qt bridge talks to.
    at-spi2-core
)

missing=()
for pkg in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi
"${sudo_cmd[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
