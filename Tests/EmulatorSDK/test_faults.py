"""Faults on demand (`/_cloudrelease/faults`) exercised through the SDKs' own retry behaviour."""
import time

import pytest

from conftest import KEYS, aliyun_legacy, tencent
from sdk import Refused, cvm, cvm_run, ecs, ecs_run


def inject(emulator, **fault):
    status, body = emulator.control("POST", "faults", fault)
    assert status == 200, body
    return body["id"]


def fault(emulator, fault_id):
    return next(item for item in emulator.control("GET", "faults")[1]["faults"] if item["id"] == fault_id)


def retrying_client(emulator, attempts):
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.common.retry import StandardRetryer
    from tencentcloud.cvm.v20170312 import cvm_client

    key_id, secret, _ = KEYS["alice-tencent"]
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=emulator.endpoint, protocol="http"),
                            retryer=StandardRetryer(max_attempts=attempts, backoff_fn=lambda attempt: 0.01))
    return cvm_client.CvmClient(credential.Credential(key_id, secret), "ap-guangzhou", profile)


def test_tencent_standard_retryer_retries_throttling(emulator):
    fault_id = inject(emulator, fault="throttle", provider="tencent", action="DescribeInstances", rate=1.0, seed=1)
    with pytest.raises(Refused) as refused:
        cvm(retrying_client(emulator, 3), "DescribeInstances")
    assert refused.value.code == "RequestLimitExceeded"
    # The retryer sent the request three times, each answered with the cloud's throttling code.
    assert fault(emulator, fault_id)["matched"] == 3
    assert fault(emulator, fault_id)["injected"] == 3


def test_tencent_standard_retryer_keeps_the_first_error_even_when_a_retry_succeeds(emulator):
    """tencentcloud-sdk-python-common 3.1.195's StandardRetryer never clears the error of a failed attempt, so a
    retry that succeeds is reported as the earlier RequestLimitExceeded: the emulator shows what a user's code
    would meet against the cloud (the second attempt below was served)."""
    inject(emulator, fault="throttle", provider="tencent", action="DescribeInstances", count=1)
    served = inject(emulator, fault="latency", provider="tencent", action="DescribeInstances", latencyMilliseconds=1,
                    rate=1.0, seed=2)
    with pytest.raises(Refused) as refused:
        cvm(retrying_client(emulator, 2), "DescribeInstances")
    assert refused.value.code == "RequestLimitExceeded"
    assert fault(emulator, served)["injected"] == 1  # the retry reached the emulator and was answered
    # Without a retryer the fault reaches the caller as the cloud's code.
    assert emulator.control("DELETE", "faults")[0] == 200
    inject(emulator, fault="throttle", provider="tencent", count=1)
    with pytest.raises(Refused) as plain:
        cvm(tencent(emulator), "DescribeInstances")
    assert plain.value.code == "RequestLimitExceeded"


def test_aliyun_legacy_sdk_retries_an_internal_error(emulator):
    from aliyunsdkcore import client as core
    key_id, secret, _ = KEYS["alice-aliyun"]
    acs = core.AcsClient(key_id, secret, "cn-hangzhou", auto_retry=True, max_retry_time=3)
    acs.add_endpoint("cn-hangzhou", "Ecs", emulator.endpoint)
    from aliyunsdkecs.request.v20140526.DescribeInstancesRequest import DescribeInstancesRequest
    fault_id = inject(emulator, fault="internalError", provider="aliyun", action="DescribeInstances", count=2)
    assert ecs(acs, DescribeInstancesRequest)["TotalCount"] == 0
    assert emulator.control("GET", "faults")[1]["faults"] == []
    # A busy instance is a refusal the caller sees, and it changes nothing.
    instance = ecs_run(aliyun_legacy(emulator))[0]
    busy = inject(emulator, fault="instanceBusy", instance=instance, count=1)
    from aliyunsdkecs.request.v20140526.StopInstanceRequest import StopInstanceRequest
    with pytest.raises(Refused) as refused:
        ecs(aliyun_legacy(emulator), StopInstanceRequest, InstanceId=instance)
    assert refused.value.code == "IncorrectInstanceStatus"
    listed = emulator.control("GET", "instances")[1]["instances"]
    assert [item["phase"] for item in listed if item["instance"] == instance] == ["running"]
    del fault_id, busy


def test_latency_holds_the_answer_and_drop_closes_the_connection(emulator):
    client = tencent(emulator)
    inject(emulator, fault="latency", latencyMilliseconds=400, count=1)
    started = time.monotonic()
    cvm(client, "DescribeInstances")
    assert time.monotonic() - started >= 0.35
    inject(emulator, fault="drop", provider="tencent", action="RunInstances", count=1)
    with pytest.raises(Exception):
        cvm_run(tencent(emulator))
    # The dropped RunInstances created nothing; the next one is served.
    assert emulator.control("GET", "instances")[1]["instances"] == []
    assert len(cvm_run(client)) == 1


def test_a_seeded_rate_is_reproducible_through_the_server(emulator):
    def run():
        emulator.control("POST", "reset")
        inject(emulator, fault="throttle", provider="tencent", rate=0.5, seed=11)
        outcomes = []
        for _ in range(20):
            try:
                cvm(tencent(emulator), "DescribeInstances")
                outcomes.append(True)
            except Refused:
                outcomes.append(False)
        return outcomes
    first = run()
    assert first == run()
    assert True in first and False in first
