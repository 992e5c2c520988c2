"""A running cloud-release-emulator and its control plane, shared by the SDK suite (conftest.py) and the real-tool
suites (Tests/EmulatorTools).

CLOUDRELEASE_EMULATOR: the binary (default: .build/debug/cloud-release-emulator from the package root).
"""
import json
import os
import subprocess
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BINARY = os.environ.get("CLOUDRELEASE_EMULATOR", os.path.join(ROOT, ".build", "debug", "cloud-release-emulator"))


class Emulator:
    """A running emulator process and its control plane."""

    def __init__(self, *arguments, keys):
        """keys: (key id, secret, account) triples."""
        command = [BINARY, "--port", "0"]
        for key_id, secret, account in keys:
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
