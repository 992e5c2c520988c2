"""Starts cloud-release-emulator for the SDK suite and gives each test a clean emulator and SDK clients.

CLOUDRELEASE_EMULATOR: the binary (default: .build/debug/cloud-release-emulator from the package root).
"""
import os

import pytest

from emulator_process import BINARY, ROOT, Emulator as EmulatorProcess  # noqa: F401 (ROOT: for the tests)


KEYS = {
    "alice-aliyun": ("LTAI-sdk-alice", "alice-aliyun-secret", "alice"),
    "alice-tencent": ("AKID-sdk-alice", "alice-tencent-secret", "alice"),
    "bob-aliyun": ("LTAI-sdk-bob", "bob-aliyun-secret", "bob"),
    "bob-tencent": ("AKID-sdk-bob", "bob-tencent-secret", "bob"),
}


class Emulator(EmulatorProcess):
    """The emulator with the suite's keys."""

    def __init__(self, *arguments):
        super().__init__(*arguments, keys=KEYS.values())


@pytest.fixture(scope="session")
def emulator_process():
    if not os.path.exists(BINARY):
        pytest.exit(f"no emulator binary at {BINARY}: run `swift build --product cloud-release-emulator`", 2)
    emulator = Emulator()
    yield emulator
    emulator.stop()


@pytest.fixture
def emulator(emulator_process):
    status, _ = emulator_process.control("POST", "reset")
    assert status == 200
    return emulator_process


def aliyun_legacy(emulator, key="alice-aliyun", region="cn-hangzhou"):
    from aliyunsdkcore import client
    key_id, secret, _ = KEYS[key]
    acs = client.AcsClient(key_id, secret, region)
    acs.add_endpoint(region, "Ecs", emulator.endpoint)
    return acs


def aliyun_tea(emulator, key="alice-aliyun", algorithm=None):
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi import models as open_api_models
    key_id, secret, _ = KEYS[key]
    config = open_api_models.Config(access_key_id=key_id, access_key_secret=secret, region_id="cn-hangzhou",
                                    endpoint=emulator.endpoint, protocol="http", signature_algorithm=algorithm)
    return Client(config)


def tencent(emulator, key="alice-tencent", region="ap-guangzhou", method="POST", sign_method=None):
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.cvm.v20170312 import cvm_client
    key_id, secret, _ = KEYS[key]
    http = HttpProfile(endpoint=emulator.endpoint, protocol="http", reqMethod=method)
    profile = ClientProfile(httpProfile=http)
    if sign_method:
        profile.signMethod = sign_method
    return cvm_client.CvmClient(credential.Credential(key_id, secret), region, profile)
