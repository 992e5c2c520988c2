"""Signatures, accounts and replays as each SDK surfaces them (Docs/Emulator.md "What the SDKs need from the wire", item 2 and trap 4)."""
import base64
import hashlib
import hmac
import json
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timezone

import pytest

from conftest import KEYS, aliyun_legacy, aliyun_tea, tencent
from sdk import Refused, cvm, cvm_instance, cvm_run, ecs, ecs_instance, ecs_run, refused

from aliyunsdkecs.request.v20140526.DeleteInstanceRequest import DeleteInstanceRequest


def test_legacy_sdk_wrong_secret_reads_as_invalid_secret(emulator):
    """Trap 4: the legacy SDK compares the server's string to sign with its own and, when equal, reports
    InvalidAccessKeySecret; an emulator without the colon-separated string crashes the SDK."""
    from aliyunsdkcore import client
    from aliyunsdkecs.request.v20140526.DescribeInstancesRequest import DescribeInstancesRequest
    key_id, _, _ = KEYS["alice-aliyun"]
    acs = client.AcsClient(key_id, "not-the-secret", "cn-hangzhou")
    acs.add_endpoint("cn-hangzhou", "Ecs", emulator.endpoint)
    from aliyunsdkcore.acs_exception.exceptions import ServerException
    with pytest.raises(ServerException) as refusal:
        acs.do_action_with_exception(DescribeInstancesRequest())
    assert refusal.value.get_error_code() == "InvalidAccessKeySecret"


def test_tea_sdk_wrong_secret(emulator):
    from alibabacloud_ecs20140526 import models
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi import models as open_api_models
    config = open_api_models.Config(access_key_id=KEYS["alice-aliyun"][0], access_key_secret="wrong",
                                    region_id="cn-hangzhou", endpoint=emulator.endpoint, protocol="http")
    with pytest.raises(Exception) as refusal:
        Client(config).describe_instances(models.DescribeInstancesRequest(region_id="cn-hangzhou"))
    assert refusal.value.code == "SignatureDoesNotMatch"
    assert refusal.value.status_code == 400


def test_tencent_wrong_secret_and_unknown_key(emulator):
    from tencentcloud.common import credential
    client = tencent(emulator)
    client.credential = credential.Credential(KEYS["alice-tencent"][0], "wrong")
    assert refused(cvm, client, "DescribeInstances") == "AuthFailure.SignatureFailure"
    client.credential = credential.Credential("AKID-nobody", "x")
    assert refused(cvm, client, "DescribeInstances") == "AuthFailure.SecretIdNotFound"


def test_another_account_cannot_see_or_touch(emulator):
    alice, bob = aliyun_legacy(emulator), aliyun_legacy(emulator, key="bob-aliyun")
    [instance] = ecs_run(alice)
    assert ecs_instance(bob, instance) is None
    assert refused(ecs, bob, DeleteInstanceRequest, InstanceId=instance, Force=True) == "InvalidInstanceId.NotFound"
    assert ecs_instance(alice, instance)["Status"] == "Running"
    alice_cvm, bob_cvm = tencent(emulator), tencent(emulator, key="bob-tencent")
    [cvm_instance_id] = cvm_run(alice_cvm)
    assert cvm_instance(bob_cvm, cvm_instance_id) is None
    assert refused(cvm, bob_cvm, "TerminateInstances", InstanceIds=[cvm_instance_id]) == "InvalidInstanceId.NotFound"


def rpc_url(endpoint, key, secret, parameters):
    """An ECS RPC request signed by hand (HMAC-SHA1), so the very same URL can be sent twice."""
    def pct(text):
        return urllib.parse.quote(str(text), safe="-_.~")
    common = {"Format": "JSON", "Version": "2014-05-26", "AccessKeyId": key, "SignatureMethod": "HMAC-SHA1",
              "SignatureVersion": "1.0", "SignatureNonce": uuid.uuid4().hex, "RegionId": "cn-hangzhou",
              "Timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    everything = {**common, **parameters}
    canonical = "&".join(f"{pct(k)}={pct(v)}" for k, v in sorted(everything.items()))
    string_to_sign = "GET&%2F&" + pct(canonical)
    signature = base64.b64encode(hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest())
    return f"http://{endpoint}/?{canonical}&Signature={pct(signature.decode())}"


def test_replayed_nonce_is_refused(emulator):
    key, secret, _ = KEYS["alice-aliyun"]
    url = rpc_url(emulator.endpoint, key, secret, {"Action": "DescribeInstances"})
    with urllib.request.urlopen(url) as first:
        assert first.status == 200
    with pytest.raises(urllib.error.HTTPError) as second:
        urllib.request.urlopen(url)
    assert second.value.code == 400
    assert json.loads(second.value.read())["Code"] == "SignatureNonceUsed"
