#!/usr/bin/env bash
# One-time setup on a fresh clone: system packages the tests and training use (Debian/Ubuntu, when we
# can install them), then the npm packages. Nothing is downloaded outside npm and apt.
set -eu
cd "$(dirname "$0")/.."
APT_PACKAGES="chromium python3-torch python3-onnx python3-numpy python3-pil python3-mido python3-pytest libopenblas0-pthread r-cran-janeaustenr fluidsynth musescore-general-soundfont"
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
  if [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; then
    missing=$(for p in $APT_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
    if [ -n "$missing" ]; then
      echo "setup: installing system packages: $missing"
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
    fi
  else
    echo "setup: cannot install system packages (not root, no sudo); tests need: $APT_PACKAGES"
  fi
else
  echo "setup: not a Debian-like system; for the tests install Chromium, and PyTorch + onnx for python3"
fi
# onnxruntime-node's install script fetches CUDA libraries: skip it (see README, GPUs).
ONNXRUNTIME_NODE_INSTALL=skip npm ci
echo "setup: done. Start the studio with: npm start"
