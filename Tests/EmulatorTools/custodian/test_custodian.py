"""`custodian run` (c7n 0.9.53 + c7n-tencentcloud 0.1.35, resource tencentcloud.cvm) against the emulator.

No code change in custodian: it runs with the emulator's `export` lines and TENCENTCLOUD_SECRET_ID/_KEY/_REGION
only (conftest.py). Each test launches the same fleet through tencentcloud-sdk-python (fleet.py, same environment),
runs one or two policy files from policies/, and checks exactly which instances changed: phase and API status from
the control plane (GET /_cloudrelease/instances), tags from DescribeInstances. Bob's instances (another account) are
in every fleet and must never change.
"""
import re
from datetime import datetime, timedelta, timezone

import pytest

DEFAULT_MESSAGE = re.compile(r"^Resource does not meet policy: (\w+)@(\S+)$")


def marked(op, delta):
    """A maid_status value as c7n-tencentcloud's mark-for-op writes it (actions/tags.py, default_template)."""
    when = (datetime.now(timezone.utc) + delta).replace(second=0, microsecond=0)
    return f"Resource does not meet policy: {op}@{when.isoformat()}"


def alice_fleet():
    """26 instances (more than c7n's DescribeInstances page of 20, and 12 to stop: two StopInstances batches of 10)."""
    fleet = [{"InstanceName": f"dev-{n:02}", "Tags": {"env": "dev"}} for n in range(1, 13)]
    fleet += [{"InstanceName": f"web-{n}", "Tags": {"env": "prod"}} for n in range(1, 6)]
    fleet += [
        {"InstanceName": "scratch-1"},
        {"InstanceName": "scratch-2", "Tags": {"env": "prod"}},
        {"InstanceName": "my-scratch-1"},                      # not scratch-*
        {"InstanceName": "orphan-1", "Tags": {"owner": "nobody"}},
        {"InstanceName": "orphan-2", "Tags": {"owner": "nobody", "env": "prod"}},
        {"InstanceName": "keep-1", "Tags": {"owner": "alice"}},
        {"InstanceName": "marked-due", "Tags": {"maid_status": marked("terminate", -timedelta(hours=1))}},
        {"InstanceName": "marked-later", "Tags": {"maid_status": marked("terminate", timedelta(days=3))}},
        {"InstanceName": "marked-stop", "Tags": {"maid_status": marked("stop", -timedelta(hours=1))}},
    ]
    return fleet


BOB_FLEET = [{"InstanceName": "dev-bob", "Tags": {"env": "dev", "owner": "nobody"}},
             {"InstanceName": "scratch-1", "Tags": {"owner": "alice"}}]


@pytest.fixture
def fleet(harness):
    """name -> id for alice's fleet (bob's fleet is launched too, and never named by the expectations)."""
    ids = harness.launch(alice_fleet())
    harness.launch(BOB_FLEET, account="bob")
    assert len(ids) == 26
    return ids


def changes(before, after):
    return {i: (before[i], after[i]) for i in after if before.get(i) != after[i]}


def run_ok(harness, policy_file, *arguments):
    run = harness.custodian(policy_file, *arguments)
    assert run.returncode == 0, run.output[-4000:]
    return run


def assert_terminated(change):
    (_, _, tags_before), (phase, status, tags_after) = change
    assert phase == "recycleBin" and status.startswith("SHUTDOWN"), change
    assert tags_after == tags_before


def assert_only_tags_changed(change):
    (phase_before, status_before, _), (phase_after, status_after, _) = change
    assert (phase_before, status_before) == (phase_after, status_after), change


def test_stop_by_tag(harness, fleet):
    before = harness.state()
    run = run_ok(harness, "stop-by-tag.yml")
    dev = sorted(fleet[f"dev-{n:02}"] for n in range(1, 13))
    assert run.matched("cvm-stop-dev") == dev
    changed = changes(before, harness.state())
    assert sorted(changed) == dev
    for (_, _, tags_before), (phase, status, tags_after) in changed.values():
        assert (phase, status, tags_after) == ("stopped", "STOPPED", tags_before)
    # Again: the same instances match, but the stop action keeps RUNNING ones only, so nothing is sent or changed.
    settled = harness.state()
    run = run_ok(harness, "stop-by-tag.yml")
    assert run.matched("cvm-stop-dev") == dev
    assert changes(settled, harness.state()) == {}


@pytest.mark.parametrize("policy_file, policy", [
    ("terminate-by-name.yml", "cvm-terminate-scratch"),              # c7n value filter, op glob, on InstanceName
    ("terminate-by-name-query.yml", "cvm-terminate-scratch-query"),  # DescribeInstances Filters instance-name
])
def test_terminate_by_name(harness, fleet, policy_file, policy):
    before = harness.state()
    run = run_ok(harness, policy_file)
    scratch = sorted([fleet["scratch-1"], fleet["scratch-2"]])
    assert run.matched(policy) == scratch
    changed = changes(before, harness.state())
    assert sorted(changed) == scratch
    for change in changed.values():
        assert_terminated(change)


def test_act_on_instances_marked_at_launch(harness, fleet):
    """marked-for-op reads maid_status from DescribeInstances' Tags (c7n's CVMDescribe.augment asks no Tag API),
    so instances marked through RunInstances' TagSpecification are acted on today."""
    before = harness.state()
    run = run_ok(harness, "act-on-marked.yml")
    assert run.matched("cvm-terminate-marked") == [fleet["marked-due"]]
    changed = changes(before, harness.state())
    assert sorted(changed) == [fleet["marked-due"]]
    assert_terminated(changed[fleet["marked-due"]])


def test_mark_for_op(harness, fleet):
    """c7n names each instance qcs::cvm:ap-guangzhou::instance/ID, with no account: its STS lookup reads AccountId at
    the answer's top level, not under Response, so the account is always None (`custodian run` has no --account-id)."""
    before = harness.state()
    start = datetime.now(timezone.utc)
    run = run_ok(harness, "mark-for-op.yml")
    orphans = sorted([fleet["orphan-1"], fleet["orphan-2"]])
    assert run.matched("cvm-mark-orphans") == orphans
    changed = changes(before, harness.state())
    assert sorted(changed) == orphans
    for change in changed.values():
        assert_only_tags_changed(change)
        (_, _, tags_before), (_, _, tags_after) = change
        value = tags_after.pop("maid_status")
        assert tags_after == tags_before
        op, when = DEFAULT_MESSAGE.match(value).groups()
        assert op == "terminate"
        # hours: 1 from the wall clock at the action, cut to the minute (tags.py generate_timestamp).
        delay = datetime.fromisoformat(when) - start
        assert timedelta(minutes=58) < delay <= timedelta(hours=1, minutes=2)


def test_mark_for_op_then_act_on_marked(harness, fleet):
    before = harness.state()
    run_ok(harness, "mark-for-op.yml")
    run = run_ok(harness, "act-on-marked.yml")
    terminated = sorted([fleet["orphan-1"], fleet["orphan-2"], fleet["marked-due"]])
    assert run.matched("cvm-terminate-marked") == terminated
    changed = changes(before, harness.state())
    assert sorted(changed) == terminated
    for instance, ((_, _, tags_before), (phase, status, tags_after)) in changed.items():
        assert phase == "recycleBin" and status.startswith("SHUTDOWN")
        if instance != fleet["marked-due"]:
            assert set(tags_after) == set(tags_before) | {"maid_status"}


def test_tag(harness, fleet):
    before = harness.state()
    run_ok(harness, "tag.yml")
    changed = changes(before, harness.state())
    assert sorted(changed) == [fleet["keep-1"]]
    assert_only_tags_changed(changed[fleet["keep-1"]])
    assert changed[fleet["keep-1"]][1][2] == {"owner": "alice", "team": "platform"}


def test_remove_tag(harness, fleet):
    before = harness.state()
    run_ok(harness, "remove-tag.yml")
    changed = changes(before, harness.state())
    assert sorted(changed) == [fleet["keep-1"]]
    assert_only_tags_changed(changed[fleet["keep-1"]])
    assert changed[fleet["keep-1"]][1][2] == {}


def test_rename_tag(harness, fleet):
    before = harness.state()
    run_ok(harness, "rename-tag.yml")
    changed = changes(before, harness.state())
    assert sorted(changed) == [fleet["keep-1"]]
    assert_only_tags_changed(changed[fleet["keep-1"]])
    assert changed[fleet["keep-1"]][1][2] == {"holder": "alice"}


def test_one_throttled_describe_fails_the_policy_and_changes_nothing(harness, fleet):
    """c7n-tencentcloud's own retry on RequestLimitExceeded (client.py retry_result) never fires: the SDK's
    CommonClient.call_json raises TencentCloudSDKException on the error before c7n sees the answer, and no SDK
    retryer is configured. So one throttled DescribeInstances (the emulator's fault plane) fails the policy."""
    before = harness.state()  # first: it describes through the SDK, which the fault would hit
    status, _ = harness.emulator.control("POST", "faults", {"fault": "throttle", "provider": "tencent",
                                                            "action": "DescribeInstances", "count": 1})
    assert status == 200
    run = harness.custodian("stop-by-tag.yml")
    assert run.returncode != 0
    assert "code:RequestLimitExceeded" in run.output
    assert changes(before, harness.state()) == {}
