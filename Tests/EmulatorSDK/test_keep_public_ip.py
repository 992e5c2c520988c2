"""Keeping the public IP through a release by converting it to an EIP first (seed 001; issue 23), through the
official SDKs: ECS ConvertNatPublicIpToEip (AD20) and VPC TransformAddress (TD13)."""
from conftest import aliyun_legacy, tencent
from sdk import cvm, cvm_instance, cvm_run, ecs, ecs_instance, ecs_run, refused
from test_resources import call, tencent_service

from aliyunsdkecs.request.v20140526.ConvertNatPublicIpToEipRequest import ConvertNatPublicIpToEipRequest
from aliyunsdkecs.request.v20140526.DeleteInstanceRequest import DeleteInstanceRequest
from aliyunsdkecs.request.v20140526.DescribeEipAddressesRequest import DescribeEipAddressesRequest


def test_aliyun_fixed_ip_converted_survives_the_release(emulator):
    acs = aliyun_legacy(emulator)
    [instance] = ecs_run(acs, InternetMaxBandwidthOut=5)
    [bare] = ecs_run(acs)
    address = ecs_instance(acs, instance)["PublicIpAddress"]["IpAddress"][0]
    assert refused(ecs, acs, ConvertNatPublicIpToEipRequest, InstanceId=bare) == "InvalidInstance.ZeroBandwidth"
    ecs(acs, ConvertNatPublicIpToEipRequest, InstanceId=instance)
    shown = ecs_instance(acs, instance)
    assert shown["PublicIpAddress"]["IpAddress"] == []
    assert shown["EipAddress"]["IpAddress"] == address
    assert refused(ecs, acs, ConvertNatPublicIpToEipRequest, InstanceId=instance) == "OperationDenied"
    ecs(acs, DeleteInstanceRequest, InstanceId=instance, Force=True)
    eips = ecs(acs, DescribeEipAddressesRequest)["EipAddresses"]["EipAddress"]
    assert [(eip["IpAddress"], eip["Status"]) for eip in eips] == [(address, "Available")]
    assert refused(ecs, acs, ConvertNatPublicIpToEipRequest, InstanceId=instance) == "InvalidInstanceId.NotFound"


def test_tencent_ordinary_ip_converted_survives_the_destroy(emulator):
    from tencentcloud.vpc.v20170312 import models, vpc_client
    client = tencent(emulator)
    vpc = tencent_service(emulator, vpc_client, "VpcClient")
    [instance] = cvm_run(client, InternetAccessible={"InternetMaxBandwidthOut": 5, "PublicIpAssigned": True})
    address = cvm_instance(client, instance)["PublicIpAddresses"][0]
    answer = call(vpc, models, "TransformAddress", InstanceId=instance)
    assert answer["AddressId"].startswith("eip-") and answer["TaskId"] > 0
    try:
        call(vpc, models, "TransformAddress", InstanceId=instance)
        raise AssertionError("a second conversion was accepted")
    except Exception as error:  # the SDK's TencentCloudSDKException
        assert getattr(error, "code", None) == "InvalidInstanceId.AlreadyBindEip"
    eips = call(vpc, models, "DescribeAddresses")["AddressSet"]
    assert [(eip["AddressId"], eip["AddressIp"], eip["InstanceId"]) for eip in eips] == \
        [(answer["AddressId"], address, instance)]
    cvm(client, "TerminateInstances", InstanceIds=[instance], ReleaseAddress=False)
    emulator.advance(2 * 3600)
    assert cvm_instance(client, instance) is None
    kept = call(vpc, models, "DescribeAddresses")["AddressSet"]
    assert [(eip["AddressIp"], eip["AddressStatus"]) for eip in kept] == [(address, "UNBIND")]
