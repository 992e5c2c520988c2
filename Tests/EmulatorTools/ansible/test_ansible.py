"""Ansible's Alibaba Cloud modules (ansible-alicloud 1.20.0 on footmark 1.26.0) against cloud-release-emulator.

Each playbook runs with ansible-playbook from .venv-ansible in a subprocess whose environment is this one's, less any
proxy or CA setting, plus exactly the `export` lines the emulator printed (evaluated by bash) and the credentials in
ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY / ALICLOUD_REGION. No playbook names an endpoint: footmark builds
aliyun-python-sdk-core's AcsClient with no endpoint, which resolves ecs-cn-hangzhou.aliyuncs.com and speaks plain
HTTP through HTTP_PROXY. What each playbook changed is read back from the control plane (GET /_cloudrelease/instances)
and, for tags, from ListTagResources; instances are seeded with aliyun-python-sdk-core (served actions only), so a
test checks one playbook.

The trace directory's sitecustomize records each request footmark sends (observation only: CLOUDRELEASE_ANSIBLE_TRACE);
a failing run's message names the first refused request.

    python3 -m venv .venv-ansible
    .venv-ansible/bin/pip install --no-deps -r Tests/EmulatorTools/ansible/requirements.txt
    cd Tests/EmulatorTools/ansible && ../../../.venv-ansible/bin/python -m pytest -q -rxXs -p no:cacheprovider

CLOUDRELEASE_EMULATOR: the binary (default: .build/debug/cloud-release-emulator from the package root).
"""
import glob
import json
import os
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from proxied_emulator import ProxiedEmulator, fresh  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
VENV = os.environ.get("CLOUDRELEASE_ANSIBLE_VENV", os.path.join(ROOT, ".venv-ansible"))
PLAYBOOK = os.path.join(VENV, "bin", "ansible-playbook")
REGION = "cn-hangzhou"
KEYS = {"team-a": ("LTAI-ansible-a", "ansible-a-secret"), "team-b": ("LTAI-ansible-b", "ansible-b-secret")}

class Emulator(ProxiedEmulator):
    """The emulator with two accounts' keys, as ansible-playbook reaches it."""

    def __init__(self, ca_dir):
        super().__init__(KEYS, ca_dir)

    def instances(self, account="team-a", region=REGION):
        """{id: record} of the account's instances in the region, released ones included (phase 'released')."""
        return {i["instance"]: i for i in self.listing()
                if i["provider"] == "aliyun" and i["account"] == account and i["region"] == region}


@pytest.fixture(scope="module")
def emulator_process(tmp_path_factory):
    if not os.access(PLAYBOOK, os.X_OK):
        pytest.skip(f"no {PLAYBOOK}: pip install --no-deps -r {os.path.join(HERE, 'requirements.txt')}")
    emulator = Emulator(str(tmp_path_factory.mktemp("ansible") / "ca"))
    yield emulator
    emulator.stop()


@pytest.fixture
def emulator(emulator_process):
    return fresh(emulator_process)


def library():
    """Where ansible-alicloud 1.20.0 puts its modules: a legacy library in the ansible package, not a collection."""
    [path] = glob.glob(os.path.join(VENV, "lib", "python3*", "site-packages", "ansible", "modules", "cloud", "alicloud"))
    return path


def play(emulator, tmp_path, playbook, account="team-a", **variables):
    """Runs one playbook; returns (returncode, the module's registered result or None, output, trace entries)."""
    key_id, secret = KEYS[account]
    result_file = tmp_path / f"{playbook}.{time.monotonic_ns()}.json"
    trace_file = tmp_path / f"{playbook}.{time.monotonic_ns()}.trace"
    environment = dict(emulator.environment,
                       ALICLOUD_ACCESS_KEY=key_id, ALICLOUD_SECRET_KEY=secret, ALICLOUD_REGION=REGION,
                       ANSIBLE_CONFIG=os.path.join(HERE, "ansible.cfg"), ANSIBLE_LIBRARY=library(),
                       ANSIBLE_HOME=str(tmp_path / "ansible-home"), ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"),
                       ANSIBLE_NOCOLOR="1", ANSIBLE_DISPLAY_TRACEBACK="error", CLOUDRELEASE_ANSIBLE_TRACE=str(trace_file),
                       PYTHONPATH=os.path.join(HERE, "trace") + ":" + emulator.environment.get("PYTHONPATH", ""))
    environment.pop("CLOUDRELEASE_ANSIBLE_DROP", None)
    variables["result_file"] = str(result_file)
    completed = subprocess.run([PLAYBOOK, "-v", os.path.join(HERE, playbook), "-e", json.dumps(variables)], cwd=HERE,
                               env=environment, capture_output=True, text=True, timeout=600)
    result = json.loads(result_file.read_text()) if result_file.exists() else None
    trace = [json.loads(line) for line in trace_file.read_text().splitlines()] if trace_file.exists() else []
    return completed.returncode, result, completed.stdout + completed.stderr, trace


def succeeded(run):
    """Asserts the playbook passed; otherwise names the first refused request (or the module's own failure)."""
    returncode, result, output, trace = run
    if returncode == 0 and result is not None:
        return result
    refused = next((entry for entry in trace if entry["status"] == "error"), None)
    if refused:
        cause = (f"{refused['action']} refused {refused['code']}: {refused['message']}\n"
                 f"  request parameters: {refused['params']}")
    else:
        cause = "no request was refused: the module failed on an answer (see the output)"
    pytest.fail(f"playbook failed: {cause}\n--- output (tail) ---\n{output[-4000:]}", pytrace=False)


def aliyun(emulator, account="team-a", region=REGION):
    """aliyun-python-sdk-core aimed at the emulator by endpoint, to seed and read back outside the playbooks."""
    from aliyunsdkcore import client
    key_id, secret = KEYS[account]
    acs = client.AcsClient(key_id, secret, region)
    acs.add_endpoint(region, "Ecs", emulator.endpoint)
    return acs


def call(acs, action, **parameters):
    from aliyunsdkcore.request import CommonRequest
    request = CommonRequest(version="2014-05-26", action_name=action, product="Ecs")
    request.set_accept_format("json")
    for name, value in parameters.items():
        request.add_query_param(name, value)
    return json.loads(acs.do_action_with_exception(request))


def seed(emulator, name, amount=1, account="team-a", region=REGION, tags=None):
    """RunInstances (served parameters only); returns the new ids."""
    parameters = {"ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.g7.large",
                  "InstanceName": name, "Amount": amount}
    for index, (key, value) in enumerate((tags or {}).items(), start=1):
        parameters[f"Tag.{index}.Key"], parameters[f"Tag.{index}.Value"] = key, value
    answer = call(aliyun(emulator, account, region), "RunInstances", **parameters)
    return answer["InstanceIdSets"]["InstanceIdSet"]


def stop(emulator, ids):
    acs = aliyun(emulator)
    for instance in ids:
        call(acs, "StopInstance", InstanceId=instance)


def phases(emulator, account="team-a", region=REGION):
    return {instance: record["phase"] for instance, record in emulator.instances(account, region).items()}


def tags_of(emulator, instance):
    answer = call(aliyun(emulator), "ListTagResources", ResourceType="instance", **{"ResourceId.1": instance})
    return {t["TagKey"]: t["TagValue"] for t in answer["TagResources"]["TagResource"]}


def fleet_of_eight(emulator):
    """8 instances in team-a/cn-hangzhou: 2 'doomed', 1 'doomed-2' (a longer name), 5 others; plus a 'doomed' in
    cn-beijing and one in team-b, which no playbook here may touch."""
    doomed = seed(emulator, "doomed", 2)
    others = seed(emulator, "doomed-2") + seed(emulator, "keep", 3) + seed(emulator, "other", 2)
    elsewhere = seed(emulator, "doomed", region="cn-beijing")
    other_account = seed(emulator, "doomed", account="team-b")
    assert len(phases(emulator)) == 8
    return doomed, others, elsewhere, other_account


def test_the_playbooks_get_only_the_proxy_lines(emulator_process):
    """Aimed by the export lines alone: no endpoint in any playbook, the proxy and the CA bundle in the environment."""
    environment = emulator_process.environment
    assert environment["HTTP_PROXY"] == environment["HTTPS_PROXY"] == f"http://127.0.0.1:{emulator_process.port}"
    assert os.path.exists(environment["ALIBABA_CLOUD_CA_BUNDLE"])
    for path in glob.glob(os.path.join(HERE, "*.yml")):
        text = open(path).read()
        assert "127.0.0.1" not in text and "endpoint" not in text and "aliyuncs.com" not in text, path


def test_launch_creates_count_named_tagged_instances_once(emulator, tmp_path):
    bystander = seed(emulator, "web-old")
    result = succeeded(play(emulator, tmp_path, "launch.yml", instance_name="web", instance_count=3,
                            instance_tags={"team": "blue"}))
    records = emulator.instances()
    launched = sorted(set(records) - set(bystander))
    assert len(launched) == 3
    assert {records[i]["name"] for i in launched} == {"web"}
    assert all(records[i]["phase"] == "running" for i in launched)
    assert sorted(i["id"] for i in result["instances"]) == launched
    for instance in launched:
        assert tags_of(emulator, instance) == {"team": "blue", "ansible-group": "web"}
    # Run again: count_tag finds the 3, nothing new is launched.
    again = succeeded(play(emulator, tmp_path, "launch.yml", instance_name="web", instance_count=3,
                           instance_tags={"team": "blue"}))
    assert sorted(emulator.instances()) == sorted(bystander + launched)
    assert again["changed"] is False


@pytest.mark.parametrize("by", ["name", "ids", "tags"])
def test_info_finds_exactly_the_asked_instances(emulator, tmp_path, by):
    web = seed(emulator, "web", 2, tags={"tier": "front"})
    api = seed(emulator, "api", 2, tags={"tier": "back"})
    seed(emulator, "web-2", tags={"tier": "front-2"})
    seed(emulator, "web", region="cn-beijing", tags={"tier": "front"})
    seed(emulator, "web", account="team-b", tags={"tier": "front"})
    asked = {"name": ({"instance_name": "web"}, web),
             "ids": ({"instance_ids": [web[0], api[1]]}, [web[0], api[1]]),
             "tags": ({"instance_tags": {"tier": "back"}}, api)}[by]
    result = succeeded(play(emulator, tmp_path, "info.yml", by=by, **asked[0]))
    assert sorted(result["ids"]) == sorted(asked[1])
    assert sorted(i["id"] for i in result["instances"]) == sorted(asked[1])


def test_stopped_by_name_stops_exactly_those(emulator, tmp_path):
    batch = seed(emulator, "batch", 3)
    others = seed(emulator, "batch-2") + seed(emulator, "serve", 2)
    before = phases(emulator)
    succeeded(play(emulator, tmp_path, "stop.yml", instance_name="batch"))
    after = phases(emulator)
    assert {i: after[i] for i in batch} == {i: "stopped" for i in batch}
    assert {i: after[i] for i in others} == {i: before[i] for i in others} == {i: "running" for i in others}


def test_running_by_name_starts_exactly_those(emulator, tmp_path):
    batch = seed(emulator, "batch", 3)
    others = seed(emulator, "batch-2") + seed(emulator, "serve", 2)
    stop(emulator, batch + others)
    result = succeeded(play(emulator, tmp_path, "start.yml", instance_name="batch"))
    after = phases(emulator)
    assert {i: after[i] for i in batch} == {i: "running" for i in batch}
    assert {i: after[i] for i in others} == {i: "stopped" for i in others}
    assert sorted(i["id"] for i in result["instances"]) == sorted(batch)


def test_absent_by_name_releases_exactly_the_named_two_of_eight(emulator, tmp_path):
    doomed, others, elsewhere, other_account = fleet_of_eight(emulator)
    stop(emulator, doomed[:1])  # one stopped, one running: force: true takes both
    result = succeeded(play(emulator, tmp_path, "absent_by_name.yml", instance_name="doomed"))
    after = phases(emulator)
    assert sorted(result["ids"]) == sorted(doomed)
    assert {i for i, phase in after.items() if phase == "released"} == set(doomed)
    assert all(after[i] == "running" for i in others)
    assert phases(emulator, region="cn-beijing")[elsewhere[0]] == "running"
    assert phases(emulator, account="team-b")[other_account[0]] == "running"


def test_absent_by_ids_releases_exactly_those_ids(emulator, tmp_path):
    doomed, others, elsewhere, other_account = fleet_of_eight(emulator)
    chosen = [doomed[0], others[1], others[4]]
    stop(emulator, [others[1]])
    result = succeeded(play(emulator, tmp_path, "absent_by_ids.yml", instance_ids=chosen))
    after = phases(emulator)
    assert sorted(result["ids"]) == sorted(chosen)
    assert {i for i, phase in after.items() if phase == "released"} == set(chosen)
    assert phases(emulator, region="cn-beijing")[elsewhere[0]] == "running"
