"""Redirection with no code change (issue 22, item 1): the emulator as the HTTPS proxy of the API host names.

Each client runs in a subprocess whose environment is this one's, less any proxy or CA setting, plus exactly the
`export` lines the emulator printed at start (evaluated by bash). No client script names an endpoint, a protocol,
a proxy or a CA: the SDKs use their default HTTPS endpoints (ecs-cn-hangzhou.aliyuncs.com,
cvm.tencentcloudapi.com), tccli runs without --endpoint.
"""
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys

import pytest

from conftest import KEYS, Emulator

TCCLI = shutil.which("tccli") or os.path.join(os.path.dirname(sys.executable), "tccli")
CLEARED = ("HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "ALL_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR",
           "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "ALIBABA_CLOUD_CA_BUNDLE", "PYTHONPATH")

TENCENT_RUN = """
import json, sys
from tencentcloud.common import credential
from tencentcloud.cvm.v20170312 import cvm_client, models
client = cvm_client.CvmClient(credential.Credential(sys.argv[1], sys.argv[2]), "ap-guangzhou")
request = models.RunInstancesRequest()
request.from_json_string("{}")
print(json.dumps(client.RunInstances(request).InstanceIdSet))
"""

ALIYUN_LEGACY_RUN = """
import json, sys
from aliyunsdkcore import client
from aliyunsdkecs.request.v20140526.RunInstancesRequest import RunInstancesRequest
acs = client.AcsClient(sys.argv[1], sys.argv[2], "cn-hangzhou")
request = RunInstancesRequest()
request.set_ImageId("aliyun_3_x64_20G_alibase_20240819.vhd")
request.set_InstanceType("ecs.g7.large")
request.set_accept_format("json")
if sys.argv[3] == "https":
    request.set_protocol_type("https")
answer = json.loads(acs.do_action_with_exception(request))
print(json.dumps(answer["InstanceIdSets"]["InstanceIdSet"]))
"""

ALIYUN_TEA_DESCRIBE = """
import json, sys
from alibabacloud_ecs20140526.client import Client
from alibabacloud_ecs20140526 import models
from alibabacloud_tea_openapi import models as open_api_models
client = Client(open_api_models.Config(access_key_id=sys.argv[1], access_key_secret=sys.argv[2],
                                       region_id="cn-hangzhou"))
answer = client.describe_instances(models.DescribeInstancesRequest(region_id="cn-hangzhou")).body.to_map()
print(json.dumps(sorted(i["InstanceId"] for i in answer["Instances"]["Instance"])))
"""

CONTROL_PLANE = """
import json, sys, urllib.request
print(json.loads(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/_cloudrelease/clock").read())["now"])
"""


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    emulator = Emulator("--ca-dir", str(tmp_path_factory.mktemp("proxy") / "ca"))
    exports = [line for line in emulator.banner if line.startswith("export ")]
    base = {name: value for name, value in os.environ.items() if name.upper() not in CLEARED}
    evaluated = subprocess.run(["bash", "-c", 'eval "$1" && env -0', "_", "\n".join(exports)], env=base,
                               capture_output=True, check=True).stdout.decode()
    emulator.environment = dict(entry.split("=", 1) for entry in evaluated.split("\0") if "=" in entry)
    emulator.exports = exports
    yield emulator
    emulator.stop()


@pytest.fixture
def clean(proxy):
    status, _ = proxy.control("POST", "reset")
    assert status == 200
    return proxy


def run(proxy, *command, extra=None):
    environment = dict(proxy.environment, **(extra or {}))
    result = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def python(proxy, script, *arguments):
    return json.loads(run(proxy, sys.executable, "-c", script, *arguments))


def test_the_banner_prints_eval_able_proxy_and_ca_lines(proxy):
    names = {line.split("=", 1)[0].removeprefix("export ") for line in proxy.exports}
    assert {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "SSL_CERT_FILE",
            "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "ALIBABA_CLOUD_CA_BUNDLE", "PYTHONPATH"} <= names
    assert proxy.environment["HTTPS_PROXY"] == f"http://127.0.0.1:{proxy.port}"
    assert os.path.exists(proxy.environment["SSL_CERT_FILE"])
    key = os.path.join(os.path.dirname(proxy.environment["SSL_CERT_FILE"]), "ca-key.pem")
    assert os.stat(key).st_mode & 0o777 == 0o600
    # The control plane on 127.0.0.1 is left out of the proxy (NO_PROXY), so urllib reaches it directly.
    assert run(proxy, sys.executable, "-c", CONTROL_PLANE, str(proxy.port)).strip() == proxy.now()


def test_print_env_prints_the_same_lines_and_exits(proxy):
    ca_dir = os.path.dirname(proxy.environment["SSL_CERT_FILE"])
    printed = subprocess.run([proxy.process.args[0], "--port", str(proxy.port), "--ca-dir", ca_dir, "--print-env"],
                             capture_output=True, text=True, timeout=60, check=True).stdout.splitlines()
    assert printed == proxy.exports


def test_tencent_sdk_and_tccli_with_their_default_endpoint(clean):
    key_id, secret, _ = KEYS["alice-tencent"]
    [instance] = python(clean, TENCENT_RUN, key_id, secret)
    described = run(clean, TCCLI, "cvm", "DescribeInstances", "--InstanceIds", json.dumps([instance]),
                    extra={"TENCENTCLOUD_SECRET_ID": key_id, "TENCENTCLOUD_SECRET_KEY": secret,
                           "TENCENTCLOUD_REGION": "ap-guangzhou",
                           "HOME": str(os.environ.get("TMPDIR", "/tmp"))})
    assert [i["InstanceId"] for i in json.loads(described)["InstanceSet"]] == [instance]


@pytest.mark.parametrize("protocol", ["default", "https"])
def test_aliyun_legacy_and_tea_sdks_with_their_default_endpoint(clean, protocol):
    """aliyun-python-sdk-core speaks plain HTTP by default (an absolute-form proxy request); HTTPS on request."""
    key_id, secret, _ = KEYS["alice-aliyun"]
    [instance] = python(clean, ALIYUN_LEGACY_RUN, key_id, secret, protocol)
    assert python(clean, ALIYUN_TEA_DESCRIBE, key_id, secret) == [instance]


def test_curl_verifies_the_emulator_certificate(clean):
    body = run(clean, "curl", "-sS", "https://ecs.cn-hangzhou.aliyuncs.com/?Action=DescribeRegions")
    assert "Code" in json.loads(body)


def exchange(port, request):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("request_bytes", [
    b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    b"CONNECT ecs.aliyuncs.com:22 HTTP/1.1\r\nHost: ecs.aliyuncs.com:22\r\n\r\n",
    b"GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n",
    b"GET http://aliyuncs.com.example.org/?Action=x HTTP/1.1\r\nHost: aliyuncs.com.example.org\r\n\r\n",
])
def test_other_hosts_are_refused_and_the_connection_closed(proxy, request_bytes):
    answer = exchange(proxy.port, request_bytes)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 403"), answer
    assert json.loads(body)["Code"] == "ProxyRefused"


def test_a_tunnel_presents_a_certificate_for_the_host_it_was_opened_to(proxy):
    context = ssl.create_default_context(cafile=proxy.environment["SSL_CERT_FILE"])
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as sock:
        sock.sendall(b"CONNECT cvm.ap-guangzhou.tencentcloudapi.com:443 HTTP/1.1\r\n"
                     b"Host: cvm.ap-guangzhou.tencentcloudapi.com:443\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        with context.wrap_socket(sock, server_hostname="cvm.ap-guangzhou.tencentcloudapi.com") as tls:
            names = [value for kind, value in tls.getpeercert()["subjectAltName"] if kind == "DNS"]
            assert names == ["cvm.ap-guangzhou.tencentcloudapi.com"]
            tls.sendall(b"GET /_cloudrelease/clock HTTP/1.1\r\nHost: cvm.ap-guangzhou.tencentcloudapi.com\r\n"
                        b"Connection: close\r\n\r\n")
            answer = b""
            while chunk := tls.recv(65536):
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200")
