"""The release lifecycle driven through every official SDK flavour (Docs/Emulator.md, "How it is tested")."""
import json
import time
from datetime import datetime, timedelta, timezone

import pytest

from conftest import aliyun_legacy, aliyun_tea, tencent
from sdk import Refused, cvm, cvm_instance, cvm_run, ecs, ecs_instance, ecs_run, refused

from aliyunsdkecs.request.v20140526.DeleteInstanceRequest import DeleteInstanceRequest
from aliyunsdkecs.request.v20140526.DeleteInstancesRequest import DeleteInstancesRequest
from aliyunsdkecs.request.v20140526.ModifyInstanceAttributeRequest import ModifyInstanceAttributeRequest
from aliyunsdkecs.request.v20140526.ModifyInstanceAutoReleaseTimeRequest import ModifyInstanceAutoReleaseTimeRequest
from aliyunsdkecs.request.v20140526.StopInstanceRequest import StopInstanceRequest


def iso(text_now, seconds):
    now = datetime.strptime(text_now, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    return (now + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_aliyun_protection_refuses_delete_but_not_auto_release(emulator):
    acs = aliyun_legacy(emulator)
    [instance] = ecs_run(acs, DeletionProtection=True)
    with pytest.raises(Refused) as refusal:
        ecs(acs, DeleteInstanceRequest, InstanceId=instance, Force=True)
    assert (refusal.value.code, refusal.value.status) == ("InvalidOperation.DeletionProtection", 403)
    ecs(acs, ModifyInstanceAutoReleaseTimeRequest, InstanceId=instance, AutoReleaseTime=iso(emulator.now(), 3600))
    assert ecs_instance(acs, instance)["Status"] == "Running"
    fired = emulator.advance(3600)["fired"]
    assert [entry["cause"] for entry in fired] == ["scheduledRelease"]
    assert ecs_instance(acs, instance) is None


def test_aliyun_stop_then_delete_is_immediate_and_final(emulator):
    acs = aliyun_legacy(emulator)
    [instance] = ecs_run(acs)
    assert refused(ecs, acs, DeleteInstanceRequest, InstanceId=instance) == "IncorrectInstanceStatus"
    ecs(acs, StopInstanceRequest, InstanceId=instance, ForceStop=True)
    assert ecs_instance(acs, instance)["Status"] == "Stopped"
    ecs(acs, DeleteInstanceRequest, InstanceId=instance)
    assert ecs_instance(acs, instance) is None
    assert refused(ecs, acs, DeleteInstanceRequest, InstanceId=instance) == "InvalidInstanceId.NotFound"


def test_aliyun_auto_release_is_minute_precise(emulator):
    acs = aliyun_legacy(emulator)
    [instance] = ecs_run(acs)
    wanted = iso(emulator.now(), 3600 + 42)
    ecs(acs, ModifyInstanceAutoReleaseTimeRequest, InstanceId=instance, AutoReleaseTime=wanted)
    minute = wanted[:16] + ":00Z"
    assert ecs_instance(acs, instance)["AutoReleaseTime"] == wanted[:16] + "Z"
    assert emulator.control("POST", "clock", {"set": iso(minute, -1)})[0] == 200
    assert ecs_instance(acs, instance) is not None
    emulator.advance(1)
    assert ecs_instance(acs, instance) is None


def test_aliyun_delete_instances_dry_run_and_101_ids(emulator):
    acs = aliyun_legacy(emulator)
    instances = ecs_run(acs, Amount=100) + ecs_run(acs)
    assert refused(ecs, acs, DeleteInstancesRequest, InstanceIds=instances, Force=True) == \
        "InvalidParameter.TooManyInstanceIds"
    assert refused(ecs, acs, DeleteInstancesRequest, InstanceIds=instances[:2], Force=True, DryRun=True) == \
        "DRYRUN.SUCCESS"
    assert ecs_instance(acs, instances[0])["Status"] == "Running"
    ecs(acs, DeleteInstancesRequest, InstanceIds=instances[:2], Force=True)
    assert ecs_instance(acs, instances[0]) is None


@pytest.mark.parametrize("algorithm", [None, "v2"], ids=["ACS3-HMAC-SHA256", "RPC-HMAC-SHA1"])
def test_aliyun_tea_sdk(emulator, algorithm):
    from alibabacloud_ecs20140526 import models
    client = aliyun_tea(emulator, algorithm=algorithm)
    answer = client.run_instances(models.RunInstancesRequest(region_id="cn-hangzhou", image_id="img",
                                                             instance_type="ecs.g7.large", amount=2,
                                                             deletion_protection=True))
    instances = answer.body.instance_id_sets.instance_id_set
    assert len(instances) == 2
    with pytest.raises(Exception) as refusal:
        client.delete_instance(models.DeleteInstanceRequest(instance_id=instances[0], force=True))
    assert refusal.value.code == "InvalidOperation.DeletionProtection"
    assert refusal.value.status_code == 403
    client.modify_instance_attribute(models.ModifyInstanceAttributeRequest(instance_id=instances[0],
                                                                           deletion_protection=False))
    client.delete_instance(models.DeleteInstanceRequest(instance_id=instances[0], force=True))
    listed = client.describe_instances(models.DescribeInstancesRequest(region_id="cn-hangzhou"))
    assert [item.instance_id for item in listed.body.instances.instance] == [instances[1]]


@pytest.mark.parametrize("method,sign_method", [("POST", None), ("GET", None), ("POST", "HmacSHA256")],
                         ids=["TC3-POST", "TC3-GET", "v1-HmacSHA256"])
def test_tencent_recycle_bin_restore_and_expiry(emulator, method, sign_method):
    client = tencent(emulator, method=method, sign_method=sign_method)
    [instance] = cvm_run(client)
    cvm(client, "TerminateInstances", InstanceIds=[instance])
    binned = cvm_instance(client, instance)
    assert (binned["InstanceState"], binned["IsolatedSource"]) == ("SHUTDOWN", "MANMADE")
    emulator.advance(3600)
    status, answer = emulator.control("POST", f"tencent/instances/{instance}/restore")
    assert status == 200, answer
    assert cvm_instance(client, instance)["InstanceState"] == "STOPPED"
    cvm(client, "TerminateInstances", InstanceIds=[instance])
    emulator.advance(2 * 3600)
    assert cvm_instance(client, instance) is None
    assert refused(cvm, client, "TerminateInstances", InstanceIds=[instance]) == "InvalidInstanceId.NotFound"


def test_tencent_protection_and_second_precise_timer(emulator):
    client = tencent(emulator)
    [instance] = cvm_run(client, DisableApiTermination=True)
    assert refused(cvm, client, "TerminateInstances", InstanceIds=[instance]) == \
        "UnsupportedOperation.InstancesProtected"
    at = iso(emulator.now(), 3600 + 42)
    ids = cvm(client, "ImportInstancesActionTimer", InstanceIds=[instance],
              ActionTimer={"TimerAction": "TerminateInstances", "ActionTime": at})["ActionTimerIds"]
    timers = cvm(client, "DescribeInstancesActionTimer", InstanceIds=[instance])["ActionTimers"]
    assert [(t["ActionTimerId"], t["ActionTime"], t["Status"]) for t in timers] == [(ids[0], at, "UNDO")]
    emulator.advance(3600 + 41)
    assert cvm_instance(client, instance)["InstanceState"] == "RUNNING"
    emulator.advance(1)
    # Scheduled destruction skips the recycle bin (T2), protection notwithstanding (Q13).
    assert cvm_instance(client, instance) is None


def test_tencent_arrears_release_at_26_hours(emulator):
    client = tencent(emulator)
    [instance] = cvm_run(client)
    assert emulator.control("POST", "accounts/alice/arrears")[0] == 200
    emulator.advance(2 * 3600)
    assert cvm_instance(client, instance)["IsolatedSource"] == "ARREAR"
    emulator.advance(24 * 3600 - 1)
    assert cvm_instance(client, instance) is not None
    emulator.advance(1)
    assert cvm_instance(client, instance) is None


def test_tencent_batch_limit_and_filters(emulator):
    client = tencent(emulator)
    instances = cvm_run(client, InstanceCount=3)
    assert refused(cvm, client, "TerminateInstances", InstanceIds=[f"ins-{n}" for n in range(101)]) == \
        "InvalidParameterValue.LimitExceeded"
    cvm(client, "StopInstances", InstanceIds=instances[:1], StoppedMode="STOP_CHARGING")
    stopped = cvm(client, "DescribeInstances", Filters=[{"Name": "instance-state", "Values": ["STOPPED"]}])
    assert [item["InstanceId"] for item in stopped["InstanceSet"]] == instances[:1]
    assert stopped["InstanceSet"][0]["StopChargingMode"] == "STOP_CHARGING"
    page = cvm(client, "DescribeInstances", Offset=1, Limit=1)
    assert (page["TotalCount"], [item["InstanceId"] for item in page["InstanceSet"]]) == (3, instances[1:2])


def test_client_token_creates_once(emulator):
    client = tencent(emulator)
    first = cvm_run(client, ClientToken="retry-1", InstanceCount=2)
    assert cvm_run(client, ClientToken="retry-1", InstanceCount=2) == first
    assert cvm(client, "DescribeInstances")["TotalCount"] == 2
    acs = aliyun_legacy(emulator)
    once = ecs_run(acs, ClientToken="retry-2")
    assert ecs_run(acs, ClientToken="retry-2") == once


def test_settle_delay_serves_waiters():
    from conftest import Emulator
    slow = Emulator("--settle-after-describes", "2")
    try:
        acs = aliyun_legacy(slow)
        [instance] = ecs_run(acs)
        assert ecs_instance(acs, instance)["Status"] == "Pending"
        assert ecs_instance(acs, instance)["Status"] == "Running"
        ecs(acs, StopInstanceRequest, InstanceId=instance)
        assert ecs_instance(acs, instance)["Status"] == "Stopping"
        assert ecs_instance(acs, instance)["Status"] == "Stopped"
    finally:
        slow.stop()


def test_sts_get_caller_identity_names_the_account(emulator):
    """Tencent STS GetCallerIdentity through tencentcloud-sdk-python's StsClient (Cloud Custodian asks it first)."""
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.sts.v20180813 import models, sts_client
    from conftest import KEYS
    key_id, secret, account = KEYS["alice-tencent"]
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=emulator.endpoint, protocol="http"))
    client = sts_client.StsClient(credential.Credential(key_id, secret), "ap-guangzhou", profile)
    answer = client.GetCallerIdentity(models.GetCallerIdentityRequest())
    assert answer.AccountId == account
    assert answer.Arn == f"qcs::cam::uin/{account}:uin/{account}"
