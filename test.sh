#!/usr/bin/env bash
# Installs what the tests need when it is missing (Debian's chromium for the browser tests), then runs every test:
# unit, bUnit, integration and browser. CI (.ci/run) calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

dotnet tool restore >/dev/null
dotnet build ByokPortal.sln -c Release -warnaserror
# One test assembly at a time (tests inside each still run in parallel): on a 2-core machine, running the browser tests
# alongside the others only makes everything slower.
dotnet test ByokPortal.sln -c Release --no-build -m:1 "$@"
