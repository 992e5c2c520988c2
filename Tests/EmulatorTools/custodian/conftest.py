"""Cloud Custodian (c7n-tencentcloud) against cloud-release-emulator: the emulator, its proxy environment, a fleet.

CLOUDRELEASE_EMULATOR: the binary (../proxied_emulator.py).
CUSTODIAN: the custodian executable (default: the one beside this Python, i.e. .venv-custodian/bin/custodian).

Every client (custodian and the SDK that launches the fleet) runs in a subprocess whose environment is this one's,
less any proxy, CA or PYTHONPATH setting, plus exactly the `export` lines the emulator printed (evaluated by bash)
and the TENCENTCLOUD_* variables c7n-tencentcloud reads. Nothing names an endpoint, a protocol, a proxy or a CA.
"""
import json
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from proxied_emulator import ProxiedEmulator, fresh  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CUSTODIAN = os.environ.get("CUSTODIAN", os.path.join(os.path.dirname(sys.executable), "custodian"))
POLICIES = os.path.join(HERE, "policies")
REGION = "ap-guangzhou"

KEYS = {  # account -> (SecretId, SecretKey)
    "alice": ("AKID-c7n-alice", "alice-custodian-secret"),
    "bob": ("AKID-c7n-bob", "bob-custodian-secret"),
}


class Emulator(ProxiedEmulator):
    """The emulator with alice's and bob's keys, as custodian and the fleet's SDK reach it."""

    def __init__(self, ca_dir):
        super().__init__(KEYS, ca_dir)

    def instances(self):
        """The control plane's listing: id -> {phase, apiStatus, account, name, ...}, released instances too."""
        return {i["instance"]: i for i in self.listing()}

    def client_environment(self, account="alice"):
        key_id, secret = KEYS[account]
        return dict(self.environment, TENCENTCLOUD_SECRET_ID=key_id, TENCENTCLOUD_SECRET_KEY=secret,
                    TENCENTCLOUD_REGION=REGION)


class Run:
    """One `custodian run`: its exit code, output and, per policy, the resources it matched."""

    def __init__(self, result, output_dir):
        self.returncode = result.returncode
        self.output = result.stdout + result.stderr
        self.output_dir = output_dir

    def matched(self, policy):
        path = os.path.join(self.output_dir, policy, "resources.json")
        if not os.path.exists(path):
            return None
        with open(path) as file:
            return sorted(r["InstanceId"] for r in json.load(file))


class Harness:
    def __init__(self, emulator, tmp_path):
        self.emulator = emulator
        self.tmp_path = tmp_path
        self.runs = 0

    def sdk(self, command, stdin=None, account="alice"):
        result = subprocess.run([sys.executable, os.path.join(HERE, "fleet.py"), command], input=stdin,
                                capture_output=True, text=True, timeout=120,
                                env=self.emulator.client_environment(account))
        assert result.returncode == 0, result.stdout + result.stderr
        return json.loads(result.stdout)

    def launch(self, specs, account="alice"):
        return self.sdk("launch", json.dumps(specs), account)

    def describe(self, account="alice"):
        """id -> {InstanceName, InstanceState, Tags: {key: value}} as DescribeInstances shows them."""
        return {i["InstanceId"]: i for i in self.sdk("describe", account=account)}

    def custodian(self, policy_file, *arguments, account="alice"):
        self.runs += 1
        output_dir = str(self.tmp_path / f"custodian-{self.runs}")
        result = subprocess.run([CUSTODIAN, "run", "-s", output_dir, *arguments, os.path.join(POLICIES, policy_file)],
                                capture_output=True, text=True, timeout=300,
                                env=self.emulator.client_environment(account))
        return Run(result, output_dir)

    def state(self):
        """Everything the tests compare: control-plane phase and API status, and the tags DescribeInstances shows."""
        listed = self.emulator.instances()
        tags = {}
        for account in KEYS:
            tags.update({i: d["Tags"] for i, d in self.describe(account).items()})
        return {i: (entry["phase"], entry["apiStatus"], tags.get(i)) for i, entry in listed.items()}


@pytest.fixture(scope="session")
def emulator_process(tmp_path_factory):
    emulator = Emulator(str(tmp_path_factory.mktemp("custodian-ca") / "ca"))
    yield emulator
    emulator.stop()


@pytest.fixture
def harness(emulator_process, tmp_path):
    return Harness(fresh(emulator_process), tmp_path)
