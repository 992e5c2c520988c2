"""Starts cloud-release-emulator for the SDK suite and gives each test a clean emulator and SDK clients.

CLOUDRELEASE_EMULATOR: the binary (default: .build/debug/cloud-release-emulator from the package root).
"""
import json
import os
import subprocess
import sys
import urllib.request

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("CLOUDRELEASE_EMULATOR", os.path.join(ROOT, ".build", "debug", "cloud-release-emulator"))

KEYS = {
    "alice-aliyun": ("LTAI-sdk-alice", "alice-aliyun-secret", "alice"),
    "alice-tencent": ("AKID-sdk-alice", "alice-tencent-secret", "alice"),
    "bob-aliyun": ("LTAI-sdk-bob", "bob-aliyun-secret", "bob"),
    "bob-tencent": ("AKID-sdk-bob", "bob-tencent-secret", "bob"),
}


class Emulator:
    """A running emulator process and its control plane."""

    def __init__(self, *arguments):
        command = [BINARY, "--port", "0"]
        for key_id, secret, account in KEYS.values():
            command += ["--access-key", f"{key_id}:{secret}:{account}"]
        command += list(arguments)
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.banner = []
        for line in self.process.stdout:
            self.banner.append(line.rstrip("\n"))
            if line.startswith("port: "):
                self.port = int(line.split()[1])
                break
        else:
            raise RuntimeError("the emulator did not start:\n" + "\n".join(self.banner))
        self.endpoint = f"127.0.0.1:{self.port}"

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://{self.endpoint}/_cloudrelease/{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def advance(self, seconds):
        status, body = self.control("POST", "clock", {"advance": seconds})
        assert status == 200, body
        return body

    def now(self):
        return self.control("GET", "clock")[1]["now"]

    def stop(self):
        self.process.kill()
        self.process.wait()


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
