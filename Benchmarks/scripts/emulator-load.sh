#!/usr/bin/env bash
# The emulator's load benchmark beside moto's server (Docs/Performance.md): installs wrk (Debian) and a venv
# with the CVM SDK, moto[server] and boto3, builds the emulator in release mode, runs emulator_load.py.
# Usage: bash Benchmarks/scripts/emulator-load.sh [--seconds 10] [--connections 32] [--instances 1000]
#        bash Benchmarks/scripts/emulator-load.sh --proxy [--seconds 10] [--connections 4]
#        (the proxy path beside the plain path, one client for both: emulator_proxy_load.py)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${1:-}" = "--proxy" ]; then
    shift
    swift build -c release --product cloud-release-emulator
    exec python3 Benchmarks/scripts/emulator_proxy_load.py "$@"
fi
command -v wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
[ -x .venv-bench/bin/python ] || python3 -m venv .venv-bench
.venv-bench/bin/pip install --quiet --disable-pip-version-check "moto[server]==5.*" boto3 \
    tencentcloud-sdk-python-common==3.1.195 tencentcloud-sdk-python-cvm==3.1.178
swift build -c release --product cloud-release-emulator
.venv-bench/bin/python Benchmarks/scripts/emulator_load.py "$@"
