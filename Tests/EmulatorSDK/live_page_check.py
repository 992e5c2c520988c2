"""The live page (`GET /_cloudrelease/`) in headless Chromium while the official SDKs drive the emulator.

Run by `.ci/html-check` with the SDK venv: starts cloud-release-emulator and Chromium (remote debugging on
loopback), opens the page, then makes changes through the SDKs and the control plane and checks that the page
shows each of them within a few seconds without a reload, in English and in Chinese, with no console error.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

sys.path.insert(0, os.path.dirname(__file__))
from conftest import Emulator, aliyun_legacy, tencent  # noqa: E402
from sdk import cvm, cvm_run, ecs_run  # noqa: E402


class Page:
    """One Chromium tab driven over the DevTools protocol."""

    def __init__(self, url):
        self.profile = tempfile.mkdtemp()
        self.browser = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-address=127.0.0.1",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        port = None
        deadline = time.monotonic() + 30
        while port is None and time.monotonic() < deadline:
            line = self.browser.stderr.readline()
            match = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if match:
                port = int(match.group(1))
        if port is None:
            raise RuntimeError("Chromium did not start its DevTools endpoint")
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
        page = next(target for target in targets if target["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=10)
        self.counter = 0
        self.errors = []
        self.command("Runtime.enable")
        self.command("Log.enable")
        self.command("Page.navigate", url=url)

    def command(self, method, **params):
        self.counter += 1
        self.socket.send(json.dumps({"id": self.counter, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            self.note(message)
            if message.get("id") == self.counter:
                return message.get("result", {})

    def note(self, message):
        method = message.get("method")
        if method == "Runtime.exceptionThrown":
            self.errors.append(message["params"]["exceptionDetails"].get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and message["params"]["type"] == "error":
            self.errors.append(str(message["params"]["args"]))
        elif method == "Log.entryAdded" and message["params"]["entry"]["level"] == "error":
            self.errors.append(message["params"]["entry"]["text"])

    def text(self):
        result = self.command("Runtime.evaluate", expression="document.body ? document.body.innerText : ''",
                              returnByValue=True)
        return result.get("result", {}).get("value", "")

    def wait_for(self, *needles, within=8.0):
        deadline = time.monotonic() + within
        text = ""
        while time.monotonic() < deadline:
            text = self.text()
            if all(needle in text for needle in needles):
                return text
            time.sleep(0.25)
        raise AssertionError(f"the page does not show {needles} after {within} s:\n{text[:3000]}")

    def close(self):
        self.socket.close()
        self.browser.kill()
        self.browser.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def check(language):
    emulator = Emulator("--lang", language)
    page = None
    try:
        page = Page(f"http://{emulator.endpoint}/_cloudrelease/")
        clock = "虚拟时钟" if language == "zh" else "Virtual clock"
        page.wait_for(clock)
        # Changes made while the page is open, each through a real client.
        ecs_id = ecs_run(aliyun_legacy(emulator))[0]
        page.wait_for(ecs_id)
        cvm_id = cvm_run(tencent(emulator))[0]
        page.wait_for(cvm_id)
        cvm(tencent(emulator), "TerminateInstances", InstanceIds=[cvm_id])
        page.wait_for("回收站" if language == "zh" else "recycleBin", "recycleBinExpiry")
        status, fault = emulator.control("POST", "faults", {"fault": "throttle", "provider": "tencent", "count": 3})
        assert status == 200, fault
        page.wait_for(fault["id"])
        emulator.advance(3 * 3600)
        page.wait_for("released" if language == "en" else "已释放", f",{cvm_id},release")
        if page.errors:
            raise AssertionError(f"the page logged errors: {page.errors}")
        print(f"live page ({language}): shows launches, the recycle bin, a fault, a clock move and the release "
              f"within seconds, no console errors")
    finally:
        if page:
            page.close()
        emulator.stop()


if __name__ == "__main__":
    for language in ("en", "zh"):
        check(language)
