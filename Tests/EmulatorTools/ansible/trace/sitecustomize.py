"""Observation only: records every request aliyun-python-sdk-core sends and what came back.

Put this directory on PYTHONPATH and set CLOUDRELEASE_ANSIBLE_TRACE=FILE; each AcsClient request appends one JSON line
{"action", "params", "status", "code", "message"} to FILE. Nothing is changed on the wire: the request is sent as it
was built. Used by test_ansible.py to name the action, parameter and answer behind a playbook's failure.

Discovery only, never in the tests: CLOUDRELEASE_ANSIBLE_DROP=NAME,NAME,... removes those query parameters before the
request is signed (e.g. `on`, which footmark adds to every request), to see what a playbook needs next from the
emulator once a refusal is fixed. Dropped names are listed in the trace line as "dropped".
"""
import json
import os

_TRACE = os.environ.get("CLOUDRELEASE_ANSIBLE_TRACE")
_DROP = [name for name in os.environ.get("CLOUDRELEASE_ANSIBLE_DROP", "").split(",") if name]


def _install():
    try:
        from aliyunsdkcore import client
    except Exception:  # not the module's interpreter, or the SDK is absent: record nothing
        return
    original = client.AcsClient.do_action_with_exception

    def traced(self, acs_request, *arguments, **keywords):
        query = acs_request.get_query_params() or {}
        dropped = [name for name in _DROP if query.pop(name, None) is not None]
        entry = {"action": acs_request.get_action_name(), "params": {k: str(v) for k, v in sorted(query.items())}}
        if dropped:
            entry["dropped"] = dropped
        try:
            body = original(self, acs_request, *arguments, **keywords)
            entry.update(status="ok", body=body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body))
            return body
        except Exception as error:
            entry.update(status="error", code=getattr(error, "error_code", type(error).__name__),
                         message=getattr(error, "message", str(error)))
            raise
        finally:
            with open(_TRACE or os.devnull, "a") as trace:
                trace.write(json.dumps(entry) + "\n")

    client.AcsClient.do_action_with_exception = traced


if _TRACE or _DROP:
    _install()
