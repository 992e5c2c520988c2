"""tccli, the second tier (Docs/Emulator.md, "How it is tested"): installed by .ci/run with the SDKs; skipped when absent."""
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from conftest import KEYS, tencent
from sdk import cvm_instance, cvm_run

TCCLI = shutil.which("tccli") or os.path.join(os.path.dirname(sys.executable), "tccli")
pytestmark = pytest.mark.skipif(not os.path.exists(TCCLI), reason="tccli is not installed in this venv")


def tccli(emulator, *arguments, key="alice-tencent"):
    key_id, secret, _ = KEYS[key]
    environment = dict(os.environ, TENCENTCLOUD_SECRET_ID=key_id, TENCENTCLOUD_SECRET_KEY=secret,
                       TENCENTCLOUD_REGION="ap-guangzhou", HOME=os.environ.get("TMPDIR", "/tmp"))
    # The http:// prefix is mandatory: without it tccli speaks TLS (tccli's own endpoint handling).
    command = [TCCLI, "cvm", *arguments, "--endpoint", f"http://{emulator.endpoint}"]
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=120)


def test_tccli_terminate_and_describe(emulator):
    [instance] = cvm_run(tencent(emulator))
    result = tccli(emulator, "TerminateInstances", "--InstanceIds", json.dumps([instance]))
    assert result.returncode == 0, result.stdout + result.stderr
    described = tccli(emulator, "DescribeInstances", "--InstanceIds", json.dumps([instance]))
    assert json.loads(described.stdout)["InstanceSet"][0]["InstanceState"] == "SHUTDOWN"


def test_tccli_refusal_exits_255_with_the_code(emulator):
    [instance] = cvm_run(tencent(emulator), DisableApiTermination=True)
    result = tccli(emulator, "TerminateInstances", "--InstanceIds", json.dumps([instance]))
    assert result.returncode == 255
    assert "code:UnsupportedOperation.InstancesProtected" in result.stdout + result.stderr
    assert cvm_instance(tencent(emulator), instance)["InstanceState"] == "RUNNING"


def test_tccli_unfolded_action_timer(emulator):
    [instance] = cvm_run(tencent(emulator))
    now = datetime.strptime(emulator.now(), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    at = (now + timedelta(hours=1, seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    result = tccli(emulator, "ImportInstancesActionTimer", "--cli-unfold-argument", "--InstanceIds", instance,
                   "--ActionTimer.TimerAction", "TerminateInstances", "--ActionTimer.ActionTime", at)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(json.loads(result.stdout)["ActionTimerIds"]) == 1
    emulator.advance(3600 + 1)
    assert cvm_instance(tencent(emulator), instance) is None
