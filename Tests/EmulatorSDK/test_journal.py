"""--state DIR: nothing acknowledged is lost to kill -9, and the journal is a trace `cloud-release replay` runs."""
import json
import os
import signal
import subprocess
import threading
import time

from conftest import ROOT, Emulator, aliyun_legacy, tencent
from sdk import Refused, cvm, cvm_instance, cvm_run, ecs, ecs_instance, ecs_run

CLI = os.environ.get("CLOUDRELEASE_CLI", os.path.join(ROOT, ".build", "debug", "cloud-release"))


def test_kill_9_mid_traffic_loses_no_acknowledged_call(tmp_path):
    state = str(tmp_path / "state")
    emulator = Emulator("--state", state)
    acknowledged = []
    stop = threading.Event()

    def traffic():
        client = tencent(emulator)
        while not stop.is_set():
            try:
                acknowledged.extend(cvm_run(client))
            except Exception:
                return  # the server died under us: that call was never acknowledged

    worker = threading.Thread(target=traffic)
    worker.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 40 and worker.is_alive() and time.monotonic() < deadline:
        time.sleep(0.001)
    assert len(acknowledged) >= 40, "the traffic did not get going"
    emulator.process.send_signal(signal.SIGKILL)
    emulator.process.wait()
    stop.set()
    worker.join()

    restarted = Emulator("--state", state)
    try:
        assert any("changes restored" in line for line in restarted.banner)
        client = tencent(restarted)
        listed, offset = set(), 0
        while True:
            page = cvm(client, "DescribeInstances", Offset=offset, Limit=100)["InstanceSet"]
            listed |= {item["InstanceId"] for item in page}
            offset += 100
            if len(page) < 100:
                break
        assert set(acknowledged) <= listed
        # At most the one call in flight at the kill may have been journaled without its answer.
        assert len(listed) - len(acknowledged) <= 1
    finally:
        restarted.stop()


def test_restart_keeps_state_clock_and_client_tokens(tmp_path):
    state = str(tmp_path / "state")
    first = Emulator("--state", state)
    acs = aliyun_legacy(first)
    [kept] = ecs_run(acs, DeletionProtection=True, ClientToken="once")
    client = tencent(first)
    [binned] = cvm_run(client)
    cvm(client, "TerminateInstances", InstanceIds=[binned])
    first.advance(3600)
    clock = first.now()
    first.process.send_signal(signal.SIGKILL)
    first.process.wait()

    second = Emulator("--state", state)
    try:
        assert second.now() == clock
        assert ecs_instance(aliyun_legacy(second), kept)["DeletionProtection"] is True
        assert ecs_run(aliyun_legacy(second), DeletionProtection=True, ClientToken="once") == [kept]
        assert cvm_instance(tencent(second), binned)["InstanceState"] == "SHUTDOWN"
        second.advance(3600)  # the bin's 2 h end at the right time after the restart
        assert cvm_instance(tencent(second), binned) is None
    finally:
        second.stop()


def test_journal_is_a_trace_replay_reproduces(tmp_path):
    state = str(tmp_path / "state")
    emulator = Emulator("--state", state)
    try:
        acs = aliyun_legacy(emulator)
        ecs_run(acs, Amount=3)
        client = tencent(emulator)
        instances = cvm_run(client, InstanceCount=4)
        cvm(client, "TerminateInstances", InstanceIds=instances[:2])
        emulator.control("POST", "accounts/alice/arrears")
        emulator.advance(3 * 3600)
        status, dump = emulator.control("GET", "instances")
    finally:
        emulator.stop()
    journal = os.path.join(state, "journal.trace")
    summary = json.loads(subprocess.run(
        [CLI, "replay", journal, "--until", dump["now"], "--format", "json"],
        check=True, capture_output=True, text=True).stdout)
    phases = {}
    for item in dump["instances"]:
        phases.setdefault(item["provider"], {}).setdefault(item["phase"], 0)
        phases[item["provider"]][item["phase"]] += 1
    assert summary["instances"] == phases
    assert summary["malformed"] == 0 and summary["rejected"] == 0


def test_a_journal_stopped_before_its_first_change_stays_whole(tmp_path):
    """Issue 20: the opening lines were taken for a torn tail and cut to 0 bytes; changes after that were
    written without them and the third start exited 2."""
    state = tmp_path / "state"
    first = Emulator("--state", str(state))
    first.stop()
    journal = state / "journal.trace"
    opening = journal.read_bytes()
    assert opening.startswith(b"# cloud-release trace v1")

    second = Emulator("--state", str(state))
    try:
        assert journal.read_bytes() == opening
        created = ecs_run(aliyun_legacy(second))
    finally:
        second.stop()

    third = Emulator("--state", str(state))
    try:
        assert ecs_instance(aliyun_legacy(third), created[0])["InstanceId"] == created[0]
    finally:
        third.stop()


def test_an_empty_journal_file_starts_a_new_journal(tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    (state / "journal.trace").write_bytes(b"")
    emulator = Emulator("--state", str(state))
    try:
        created = ecs_run(aliyun_legacy(emulator))
    finally:
        emulator.stop()
    restarted = Emulator("--state", str(state))
    try:
        assert ecs_instance(aliyun_legacy(restarted), created[0])["InstanceId"] == created[0]
    finally:
        restarted.stop()
