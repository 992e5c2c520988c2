"""Seed 004's complete program (aliyun-python-sdk-ecs), unchanged but for one line that points it at the
emulator, as an executable acceptance test. seed004.py is the program as the seed prints it (HTML entities
decoded) plus `clt.add_endpoint(...)` after the client is made; the first test proves that."""
import os
import subprocess
import sys

import pytest

from conftest import Emulator

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(HERE, "..", "..", "..", "shared", "seeds", "004_88ccdd3ba1ef1164.txt")
ADDED = "clt.add_endpoint('cn-beijing', 'Ecs', __import__('os').environ['CLOUDRELEASE_ENDPOINT'])\n"


def test_seed004_py_is_the_seed_program_plus_one_line():
    if not os.path.exists(SEED):
        pytest.skip(f"the seed documents are not beside this clone ({SEED})")
    text = open(SEED, encoding="utf-8").read()
    program = text.split("## 完整代码")[1].split("```")[1].replace("&gt;", ">")
    ours = open(os.path.join(HERE, "seed004.py"), encoding="utf-8").read()
    assert ours.replace(ADDED, "", 1) == program
    assert ours.count(ADDED) == 1


@pytest.fixture
def seed_emulator():
    # The seed's own key, verified; the clock at the seed's era so its 2017 release time is ahead.
    emulator = Emulator("--access-key", "Your Access Key Id:Your Access Key Secrect:seed",
                        "--start", "2017-01-28T05:00:00Z")
    for instance in ("i-1111", "i-2222"):
        status, body = emulator.control("POST", "instances", {"provider": "aliyun", "account": "seed",
                                                              "region": "cn-beijing", "id": instance})
        assert status == 200, body
    yield emulator
    emulator.stop()


def run_seed(emulator, code=None):
    environment = dict(os.environ, CLOUDRELEASE_ENDPOINT=emulator.endpoint)
    command = [sys.executable, "seed004.py"] if code is None else [sys.executable, "-c", code]
    return subprocess.run(command, cwd=HERE, env=environment, capture_output=True, text=True, timeout=60)


def test_seed004_main_sets_the_auto_release_time_and_it_fires(seed_emulator):
    result = run_seed(seed_emulator)
    assert result.returncode == 0, result.stderr
    # The program logs what DescribeInstances answered: minute precision (A4, seed 004).
    assert "Check instance i-1111 auto release time setting is 2017-01-28T06:00Z." in result.stderr
    assert "ERROR" not in result.stderr
    fired = seed_emulator.control("POST", "clock", {"set": "2017-01-28T06:00:00Z"})[1]["fired"]
    assert [(entry["instance"], entry["cause"]) for entry in fired] == [("i-1111", "scheduledRelease")]


def test_seed004_functions_stop_release_and_cancel(seed_emulator):
    code = (
        "import seed004\n"
        "seed004.set_instance_auto_release_time('i-2222', '2017-01-28T07:00:00Z')\n"
        "seed004.set_instance_auto_release_time('i-2222')\n"
        "seed004.release_instance('i-2222')\n"           # running, not forced: IncorrectInstanceStatus
        "seed004.stop_instance('i-2222')\n"
        "seed004.release_instance('i-2222', True)\n"
        "print(seed004.describe_instance_detail('i-2222'))\n"
    )
    result = run_seed(seed_emulator, code)
    assert result.returncode == 0, result.stderr
    assert "Check instance i-2222 auto release time setting is 2017-01-28T07:00Z." in result.stderr
    assert "Check instance i-2222 auto release time setting is ." in result.stderr
    assert "IncorrectInstanceStatus" in result.stderr
    assert result.stdout.strip() == "None"
    status, dump = seed_emulator.control("GET", "instances")
    assert {item["instance"]: item["phase"] for item in dump["instances"]}["i-2222"] == "released"
