"""Load on cloud-release-emulator and on moto's server, side by side in one run (Docs/Performance.md).

Usage (from the package root; needs wrk and a venv with the SDKs, moto[server] and boto3):
    bash Benchmarks/scripts/emulator-load.sh          # installs what it needs, then runs this
    .venv-bench/bin/python Benchmarks/scripts/emulator_load.py [--seconds 10] [--connections 32]

For each server: N instances are created, then wrk replays validly signed requests from a second process on
loopback: DescribeInstances of one instance, and TerminateInstances rotating over the instances. The
emulator verifies every TC3 signature (keys given); moto does not check SigV4 by default. Protection is
toggled on every instance in turn (every call accepted: under --state every call is an fsync'd journal append);
TerminateInstances rotates over the instances (first pass to the recycle bin, second destroys, then
NotFound). Prints a Markdown table of requests per second and latency percentiles.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EMULATOR = os.path.join(ROOT, ".build", "release", "cloud-release-emulator")
KEY, SECRET = "AKID-load", "load-secret"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def lua_for(requests):
    """A wrk script that cycles through pre-built requests (method, path, headers, body)."""
    lines = ["local requests = {}"]
    for method, path, headers, body in requests:
        header_table = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items())
        lines.append(f"table.insert(requests, wrk.format({json.dumps(method)}, {json.dumps(path)}, "
                     f"{{{header_table}}}, {json.dumps(body)}))")
    lines += ["local i = 0", "request = function()", "  i = i % #requests + 1", "  return requests[i]", "end",
              "local shown = 0",
              "response = function(status, headers, body)",
              "  if status >= 300 and shown < 2 then shown = shown + 1; print('non-2xx', status, body:sub(1, 300)) end",
              "end"]
    return "\n".join(lines) + "\n"


def run_wrk(port, requests, seconds, connections):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_for(requests))
    try:
        output = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name,
                                 f"http://127.0.0.1:{port}/"], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    for line in output.splitlines():
        if line.startswith("non-2xx"):
            print(line, file=sys.stderr)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {}
    for label in ("50%", "99%"):
        match = re.search(rf"\s{label}\s+([\d.]+)(us|ms|s)", output)
        value, unit = float(match.group(1)), match.group(2)
        latency[label] = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, latency["50%"], latency["99%"], int(non2xx.group(1)) if non2xx else 0


def tc3_request(port, action, payload, host=None):
    """A TC3-signed CVM request exactly as tencentcloud-sdk-python signs it (valid for 5 minutes), for the Host
    127.0.0.1:port or the one given (cvm.tencentcloudapi.com through the proxy)."""
    import hashlib
    import hmac
    body = json.dumps(payload)
    timestamp = int(time.time())
    date = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    host = host or f"127.0.0.1:{port}"
    canonical = f"POST\n/\n\ncontent-type:application/json\nhost:{host}\n\ncontent-type;host\n" + \
        hashlib.sha256(body.encode()).hexdigest()
    scope = f"{date}/cvm/tc3_request"
    to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    key = hmac.new(("TC3" + SECRET).encode(), date.encode(), hashlib.sha256).digest()
    key = hmac.new(key, b"cvm", hashlib.sha256).digest()
    key = hmac.new(key, b"tc3_request", hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json", "Host": host, "X-TC-Action": action,
               "X-TC-Timestamp": str(timestamp), "X-TC-Version": "2017-03-12", "X-TC-Region": "ap-guangzhou",
               "Authorization": f"TC3-HMAC-SHA256 Credential={KEY}/{scope}, SignedHeaders=content-type;host, "
                                f"Signature={signature}"}
    return "POST", "/", headers, body


def emulator_rows(arguments, extra, label):
    port = free_port()
    state = tempfile.mkdtemp() if extra == "state" else None
    command = [EMULATOR, "--port", str(port), "--access-key", f"{KEY}:{SECRET}:load"]
    if state:
        command += ["--state", state]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        sys.path.insert(0, os.path.join(ROOT, "Tests", "EmulatorSDK"))
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.cvm.v20170312 import cvm_client, models
        client = cvm_client.CvmClient(credential.Credential(KEY, SECRET), "ap-guangzhou",
                                      ClientProfile(httpProfile=HttpProfile(endpoint=f"127.0.0.1:{port}",
                                                                            protocol="http")))
        ids = []
        for _ in range(arguments.instances // 100):
            request = models.RunInstancesRequest()
            request.from_json_string(json.dumps({"InstanceCount": 100}))
            ids += client.RunInstances(request).InstanceIdSet
        describe = [tc3_request(port, "DescribeInstances", {"InstanceIds": [ids[0]]})]
        # Every call accepted, so every call is a journaled change under --state.
        modify = [tc3_request(port, "ModifyInstancesAttribute", {"InstanceIds": [i], "DisableApiTermination": on})
                  for i in ids for on in (True, False)]
        terminate = [tc3_request(port, "TerminateInstances", {"InstanceIds": [i]}) for i in ids]
        rows = []
        for name, requests in (("DescribeInstances", describe), ("ModifyInstancesAttribute", modify),
                               ("TerminateInstances", terminate)):
            rows.append((label, name) + run_wrk(port, requests, arguments.seconds, arguments.connections))
        return rows
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait()
        if state:
            shutil.rmtree(state, ignore_errors=True)


def moto_rows(arguments):
    import boto3
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    port = free_port()
    # The venv's moto (this interpreter's), not one elsewhere on PATH.
    server = os.path.join(os.path.dirname(sys.executable), "moto_server")
    process = subprocess.Popen([server, "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{port}",
                           aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="secret")
        ids = []
        for _ in range(arguments.instances // 100):
            reply = ec2.run_instances(ImageId="ami-12c6146b", MinCount=100, MaxCount=100)
            ids += [i["InstanceId"] for i in reply["Instances"]]
        credentials = Credentials("AKIAEXAMPLE", "secret")

        def signed(body):
            request = AWSRequest(method="POST", url=f"http://127.0.0.1:{port}/", data=body,
                                 headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
            SigV4Auth(credentials, "ec2", "us-east-1").add_auth(request)
            return "POST", "/", dict(request.headers.items()), body

        describe = [signed(f"Action=DescribeInstances&Version=2016-11-15&InstanceId.1={ids[0]}")]
        modify = [signed(f"Action=ModifyInstanceAttribute&Version=2016-11-15&InstanceId={i}"
                         f"&DisableApiTermination.Value={on}") for i in ids for on in ("true", "false")]
        terminate = [signed(f"Action=TerminateInstances&Version=2016-11-15&InstanceId.1={i}") for i in ids]
        rows = []
        for name, requests in (("DescribeInstances", describe), ("ModifyInstanceAttribute", modify),
                               ("TerminateInstances", terminate)):
            rows.append(("moto " + moto_version(), name) + run_wrk(port, requests, arguments.seconds,
                                                                    arguments.connections))
        return rows
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait()


def moto_version():
    import moto
    return moto.__version__


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--instances", type=int, default=1000)
    arguments = parser.parse_args()
    rows = emulator_rows(arguments, None, "cloud-release-emulator")
    rows += emulator_rows(arguments, "state", "cloud-release-emulator --state")
    rows += moto_rows(arguments)
    print(f"wrk -t2 -c{arguments.connections} -d{arguments.seconds}s, {arguments.instances} instances, "
          f"{os.cpu_count()} cores, loopback")
    print()
    print("| server | call | requests/s | p50 ms | p99 ms | non-2xx |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for server, call, rps, p50, p99, non2xx in rows:
        print(f"| {server} | {call} | {rps:,.0f} | {p50:.2f} | {p99:.2f} | {non2xx} |")


if __name__ == "__main__":
    main()
