"""Converting a subscription to pay-as-you-go, then releasing it (seed 000; issue 23), through the official SDKs:
ECS ModifyInstanceChargeType (AD19) and CVM ModifyInstancesChargeType (TD12)."""
import json

from conftest import aliyun_legacy, aliyun_tea, tencent
from sdk import cvm, cvm_instance, cvm_run, ecs, ecs_instance, ecs_run, refused

from aliyunsdkecs.request.v20140526.DeleteInstanceRequest import DeleteInstanceRequest
from aliyunsdkecs.request.v20140526.ModifyInstanceChargeTypeRequest import ModifyInstanceChargeTypeRequest


def test_aliyun_subscription_converted_then_released(emulator):
    acs = aliyun_legacy(emulator)
    [prepaid] = ecs_run(acs, InstanceChargeType="PrePaid", Period=1, PeriodUnit="Month")
    [postpaid] = ecs_run(acs)
    # An unexpired subscription cannot be released (A1) ...
    assert refused(ecs, acs, DeleteInstanceRequest, InstanceId=prepaid, Force=True) == "ChargeTypeViolation"
    # ... the batch is all or nothing: the pay-as-you-go member refuses it, and nothing changes (EM13).
    both = json.dumps([prepaid, postpaid])
    assert refused(ecs, acs, ModifyInstanceChargeTypeRequest, InstanceIds=both, InstanceChargeType="PostPaid") == \
        "InvalidInstanceChargeType.ValueNotSupported"
    assert ecs_instance(acs, prepaid)["InstanceChargeType"] == "PrePaid"
    # The unmodelled direction, and the API's default, are refused naming the parameter (EM8).
    assert refused(ecs, acs, ModifyInstanceChargeTypeRequest, InstanceIds=json.dumps([postpaid])) == \
        "UnsupportedParameter"
    assert refused(ecs, acs, ModifyInstanceChargeTypeRequest, InstanceIds=json.dumps([prepaid]),
                   InstanceChargeType="PostPaid", DryRun=True) == "DryRunOperation"
    assert ecs_instance(acs, prepaid)["InstanceChargeType"] == "PrePaid"
    ecs(acs, ModifyInstanceChargeTypeRequest, InstanceIds=json.dumps([prepaid]), InstanceChargeType="PostPaid")
    shown = ecs_instance(acs, prepaid)
    assert shown["InstanceChargeType"] == "PostPaid"
    # ... and now it is released like any pay-as-you-go instance.
    ecs(acs, DeleteInstanceRequest, InstanceId=prepaid, Force=True)
    assert ecs_instance(acs, prepaid) is None
    assert refused(ecs, acs, ModifyInstanceChargeTypeRequest, InstanceIds=json.dumps([prepaid]),
                   InstanceChargeType="PostPaid") == "InvalidInstanceId.NotFound"


def test_aliyun_tea_sdk_converts(emulator):
    from alibabacloud_ecs20140526 import models
    client = aliyun_tea(emulator)
    answer = client.run_instances(models.RunInstancesRequest(region_id="cn-hangzhou", image_id="img",
                                                             instance_type="ecs.g7.large", instance_charge_type="PrePaid",
                                                             period=1, period_unit="Month"))
    [instance] = answer.body.instance_id_sets.instance_id_set
    client.modify_instance_charge_type(models.ModifyInstanceChargeTypeRequest(
        region_id="cn-hangzhou", instance_ids=json.dumps([instance]), instance_charge_type="PostPaid"))
    described = client.describe_instances(models.DescribeInstancesRequest(
        region_id="cn-hangzhou", instance_ids=json.dumps([instance])))
    assert described.body.instances.instance[0].instance_charge_type == "PostPaid"


def test_tencent_subscription_converted_then_destroyed(emulator):
    client = tencent(emulator)
    [prepaid] = cvm_run(client, InstanceChargeType="PREPAID", InstanceChargePrepaid={"Period": 1})
    assert cvm_instance(client, prepaid)["InstanceChargeType"] == "PREPAID"
    assert refused(cvm, client, "ModifyInstancesChargeType", InstanceIds=[prepaid], InstanceChargeType="PREPAID",
                   InstanceChargePrepaid={"Period": 1}) == "UnsupportedOperation"
    assert refused(cvm, client, "ModifyInstancesChargeType", InstanceIds=[prepaid] * 21,
                   InstanceChargeType="POSTPAID_BY_HOUR") == "InvalidParameterValue.LimitExceeded"
    cvm(client, "ModifyInstancesChargeType", InstanceIds=[prepaid], InstanceChargeType="POSTPAID_BY_HOUR")
    shown = cvm_instance(client, prepaid)
    assert shown["InstanceChargeType"] == "POSTPAID_BY_HOUR"
    assert shown["LatestOperation"] == "ModifyInstancesChargeType"
    # Converted again: already pay-as-you-go (TM10).
    assert refused(cvm, client, "ModifyInstancesChargeType", InstanceIds=[prepaid],
                   InstanceChargeType="POSTPAID_BY_HOUR") == "UnsupportedOperation.InstanceChargeType"
    # Destroyed, it waits in the recycle bin for 2 h like any pay-as-you-go instance (T2), not 7 days (TD6).
    cvm(client, "TerminateInstances", InstanceIds=[prepaid])
    assert cvm_instance(client, prepaid)["InstanceState"] == "SHUTDOWN"
    emulator.advance(2 * 3600)
    assert cvm_instance(client, prepaid) is None


def test_tencent_refund_quote_for_a_returned_subscription(tmp_path):
    """InquiryPriceTerminateInstances quotes a subscription's whole months left at the --prices month price (PM3);
    without prices the emulator says it cannot quote rather than answer 0."""
    from conftest import Emulator
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"tencent": {"subscriptionPerMonth": "260"}}))
    priced = Emulator("--prices", str(prices), "--start", "2026-01-10T00:00:00Z")
    try:
        client = tencent(priced)
        [prepaid] = cvm_run(client, InstanceChargeType="PREPAID", InstanceChargePrepaid={"Period": 3})
        [postpaid] = cvm_run(client)
        # Bought 10 January to 10 April; on 10 January all three months are whole.
        quote = cvm(client, "InquiryPriceTerminateInstances", InstanceIds=[prepaid, postpaid])["InstanceRefundsSet"]
        assert [(entry["InstanceId"], entry["Refunds"]) for entry in quote] == [(prepaid, 780.0), (postpaid, 0.0)]
        # A day later the first month has begun: two whole months are left.
        priced.advance(24 * 3600)
        [entry] = cvm(client, "InquiryPriceTerminateInstances", InstanceIds=[prepaid])["InstanceRefundsSet"]
        assert entry["Refunds"] == 520.0 and "退款" in entry["PriceDetail"]
        # Returned (TerminateInstances), it is in the recycle bin; a second return would destroy it, and is quoted.
        cvm(client, "TerminateInstances", InstanceIds=[prepaid])
        assert cvm_instance(client, prepaid)["InstanceState"] == "SHUTDOWN"
    finally:
        priced.stop()


def test_tencent_refund_quote_without_prices_is_refused(emulator):
    client = tencent(emulator)
    [prepaid] = cvm_run(client, InstanceChargeType="PREPAID", InstanceChargePrepaid={"Period": 1})
    assert refused(cvm, client, "InquiryPriceTerminateInstances", InstanceIds=[prepaid]) == \
        "FailedOperation.InquiryRefundPriceFailed"
