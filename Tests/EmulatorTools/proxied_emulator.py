"""cloud-release-emulator as real tools reach it, shared by the Ansible and Cloud Custodian suites.

The emulator starts with the given keys and its own CA directory; the `export` lines it prints are evaluated by bash
into an environment that is this process's, less any proxy, CA or PYTHONPATH setting, so a tool run in it reaches
the emulator through the proxy mode with no endpoint, protocol, proxy or CA in its code or configuration.

CLOUDRELEASE_EMULATOR: the binary (default: .build/debug/cloud-release-emulator from the package root; while it is
missing, e.g. during a rebuild, a session waits up to CLOUDRELEASE_EMULATOR_WAIT seconds, 300 by default, then stops
with exit 2: a missing binary is an error, never a skip).
"""
import os
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "EmulatorSDK"))
from emulator_process import BINARY, Emulator  # noqa: E402
CLEARED = ("HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "ALL_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR",
           "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "ALIBABA_CLOUD_CA_BUNDLE", "PYTHONPATH",
           "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_TOKEN", "TENCENTCLOUD_REGION",
           "TENCENTCLOUD_ACCOUNT_ID", "ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_REGION")


def wait_for_binary():
    deadline = time.monotonic() + float(os.environ.get("CLOUDRELEASE_EMULATOR_WAIT", "300"))
    while not os.access(BINARY, os.X_OK):
        if time.monotonic() > deadline:
            pytest.exit(f"no emulator binary at {BINARY}: run `swift build --product cloud-release-emulator`", 2)
        time.sleep(2)


class ProxiedEmulator(Emulator):
    """The emulator process, its control plane and the environment its `export` lines make."""

    def __init__(self, keys, ca_dir):
        """keys: account -> (key id, secret)."""
        wait_for_binary()
        super().__init__("--ca-dir", ca_dir, keys=[(key_id, secret, account) for account, (key_id, secret) in keys.items()])
        self.exports = [line for line in self.banner if line.startswith("export ")]
        base = {name: value for name, value in os.environ.items() if name.upper() not in CLEARED}
        evaluated = subprocess.run(["bash", "-c", 'eval "$1" && env -0', "_", "\n".join(self.exports)], env=base,
                                   capture_output=True, check=True).stdout.decode()
        self.environment = dict(entry.split("=", 1) for entry in evaluated.split("\0") if "=" in entry)

    def listing(self):
        """The control plane's listing of every instance, released ones included."""
        status, body = self.control("GET", "instances")
        assert status == 200, body
        return body["instances"]


def fresh(emulator):
    """The emulator after POST /_cloudrelease/reset."""
    status, _ = emulator.control("POST", "reset")
    assert status == 200
    return emulator
