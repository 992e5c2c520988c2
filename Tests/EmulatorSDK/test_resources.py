"""The calls around a release through the official SDKs (issue 21 items 2 to 5): disks, addresses and tags as the
models' fates leave them, instance status and user data, regions, zones and STS. Each Tencent answer goes through its
SDK's response model, which warns of any field it does not know (pytest.ini turns that warning into a failure)."""
import base64
import json

from conftest import KEYS, aliyun_legacy, aliyun_tea, tencent
from sdk import cvm_run, ecs, ecs_run

from aliyunsdkecs.request.v20140526.DeleteInstanceRequest import DeleteInstanceRequest
from aliyunsdkecs.request.v20140526.DescribeDisksRequest import DescribeDisksRequest
from aliyunsdkecs.request.v20140526.DescribeInstanceStatusRequest import DescribeInstanceStatusRequest
from aliyunsdkecs.request.v20140526.DescribeUserDataRequest import DescribeUserDataRequest


def tencent_service(emulator, module, client_class, region="ap-guangzhou"):
    """A client of another Tencent Cloud service (cbs, vpc, tag) aimed at the emulator."""
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    key_id, secret, _ = KEYS["alice-tencent"]
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=emulator.endpoint, protocol="http"))
    return getattr(module, client_class)(credential.Credential(key_id, secret), region, profile)


def call(client, models, action, **parameters):
    request = getattr(models, action + "Request")()
    request.from_json_string(json.dumps(parameters))
    return json.loads(getattr(client, action)(request).to_json_string())


def test_ecs_kept_data_disk_is_available_after_release_and_the_rest_are_gone(emulator):
    acs = aliyun_legacy(emulator)
    [instance] = ecs_run(acs, DataDisks=[{"Size": 100, "DeleteWithInstance": False}, {"Size": 20}])
    before = ecs(acs, DescribeDisksRequest, InstanceId=instance)["Disks"]["Disk"]
    assert [(d["Type"], d["Status"]) for d in before] == [("system", "In_use"), ("data", "In_use"), ("data", "In_use")]
    ecs(acs, DeleteInstanceRequest, InstanceId=instance, Force=True)
    after = ecs(acs, DescribeDisksRequest)["Disks"]["Disk"]
    assert [(d["Type"], d["Status"], d["Size"], d["InstanceId"]) for d in after] == [("data", "Available", 100, "")]


def test_ecs_disks_through_the_tea_sdk(emulator):
    from alibabacloud_ecs20140526 import models
    client = aliyun_tea(emulator)
    [instance] = ecs_run(aliyun_legacy(emulator))
    answer = client.describe_disks(models.DescribeDisksRequest(region_id="cn-hangzhou", instance_id=instance))
    disks = answer.body.disks.disk
    assert [(d.type, d.status, d.instance_id) for d in disks] == [("system", "In_use", instance)]


def test_ecs_status_and_user_data(emulator):
    acs = aliyun_legacy(emulator)
    script = base64.b64encode(b"#!/bin/sh\necho ready\n").decode()
    [instance] = ecs_run(acs, UserData=script)
    statuses = ecs(acs, DescribeInstanceStatusRequest)["InstanceStatuses"]["InstanceStatus"]
    assert statuses == [{"InstanceId": instance, "Status": "Running"}]
    assert ecs(acs, DescribeUserDataRequest, InstanceId=instance)["UserData"] == script


def test_aliyun_sts_get_caller_identity(emulator):
    from aliyunsdkcore.request import CommonRequest
    acs = aliyun_legacy(emulator)
    request = CommonRequest(domain=emulator.endpoint, version="2015-04-01", action_name="GetCallerIdentity")
    request.set_accept_format("json")
    answer = json.loads(acs.do_action_with_exception(request))
    assert answer["AccountId"] == KEYS["alice-aliyun"][2]


def test_cbs_disks_follow_the_recycle_bin_and_the_fate(emulator):
    from tencentcloud.cbs.v20170312 import cbs_client, models
    cbs = tencent_service(emulator, cbs_client, "CbsClient")
    client = tencent(emulator)
    [instance] = cvm_run(client, DataDisks=[{"DiskType": "CLOUD_SSD", "DiskSize": 200, "DeleteWithInstance": False}])
    call(client, __import__("tencentcloud.cvm.v20170312.models", fromlist=["models"]), "TerminateInstances",
         InstanceIds=[instance])
    in_bin = call(cbs, models, "DescribeDisks")["DiskSet"]
    assert [(d["DiskUsage"], d["DiskState"]) for d in in_bin] == [("SYSTEM_DISK", "ATTACHED"), ("DATA_DISK", "ATTACHED")]
    emulator.advance(2 * 3600 + 1)
    after = call(cbs, models, "DescribeDisks")["DiskSet"]
    assert [(d["DiskUsage"], d["DiskState"], d["DiskSize"]) for d in after] == [("DATA_DISK", "UNATTACHED", 200)]


def test_vpc_addresses_list_the_fixed_ip_only_when_asked(emulator):
    from tencentcloud.vpc.v20170312 import models, vpc_client
    vpc = tencent_service(emulator, vpc_client, "VpcClient")
    [instance] = cvm_run(tencent(emulator), InternetAccessible={"InternetMaxBandwidthOut": 5, "PublicIpAssigned": True})
    assert call(vpc, models, "DescribeAddresses")["AddressSet"] == []
    wan = call(vpc, models, "DescribeAddresses", Filters=[{"Name": "address-type", "Values": ["WAN_IP"]}])
    assert [(a["InstanceId"], a["AddressType"]) for a in wan["AddressSet"]] == [(instance, "WanIP")]


def test_tag_api_tags_and_finds_instances(emulator):
    from tencentcloud.tag.v20180813 import models, tag_client
    tag = tencent_service(emulator, tag_client, "TagClient")
    [first, second] = cvm_run(tencent(emulator), InstanceCount=2)
    name = f"qcs::cvm:ap-guangzhou::instance/{first}"
    answer = call(tag, models, "TagResources", ResourceList=[name], Tags=[{"TagKey": "owner", "TagValue": "ops"}])
    assert answer["FailedResources"] == []
    found = call(tag, models, "GetResources", TagFilters=[{"TagKey": "owner", "TagValue": ["ops"]}])
    assert [m["Resource"] for m in found["ResourceTagMappingList"]] == [
        f"qcs::cvm:ap-guangzhou:uin/{KEYS['alice-tencent'][2]}:instance/{first}"]
    by_ids = call(tag, models, "DescribeResourceTagsByResourceIds", ServiceType="cvm", ResourcePrefix="instance",
                  ResourceRegion="ap-guangzhou", ResourceIds=[first, second])
    assert [(t["ResourceId"], t["TagKey"]) for t in by_ids["Tags"]] == [(first, "owner")]


def test_cvm_status_regions_and_zones(emulator):
    from tencentcloud.cvm.v20170312 import models
    client = tencent(emulator)
    [instance] = cvm_run(client)
    statuses = call(client, models, "DescribeInstancesStatus")["InstanceStatusSet"]
    assert statuses == [{"InstanceId": instance, "InstanceState": "RUNNING"}]
    regions = [r["Region"] for r in call(client, models, "DescribeRegions")["RegionSet"]]
    assert "ap-guangzhou" in regions
    zones = [z["Zone"] for z in call(client, models, "DescribeZones")["ZoneSet"]]
    assert zones[0] == "ap-guangzhou-1"
