"""tencentcloud-sdk-python through the emulator's proxy, run in a subprocess with only its `export` lines added.

No endpoint, protocol, proxy or CA here: the SDK's default https://cvm.tencentcloudapi.com is reached through
HTTPS_PROXY and the emulator's certifi on PYTHONPATH, as custodian is.

    python fleet.py launch  < [{"InstanceName": ..., "Tags": {"k": "v"}, ...}, ...]   -> {"name": "ins-...", ...}
    python fleet.py describe                                                           -> [{InstanceId, InstanceName,
                                                                                            InstanceState, Tags}, ...]
Credentials: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY; region TENCENTCLOUD_REGION.
"""
import json
import os
import sys

from tencentcloud.common import credential
from tencentcloud.cvm.v20170312 import cvm_client, models


def client():
    return cvm_client.CvmClient(credential.EnvironmentVariableCredential().get_credential(),
                                os.environ["TENCENTCLOUD_REGION"])


def launch(specs):
    cvm = client()
    launched = {}
    for spec in specs:
        spec = dict(spec)
        tags = spec.pop("Tags", {})
        parameters = {"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-custodian", "InstanceType": "S5.MEDIUM2"}
        parameters.update(spec)
        if tags:
            parameters["TagSpecification"] = [{"ResourceType": "instance",
                                               "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]
        request = models.RunInstancesRequest()
        request.from_json_string(json.dumps(parameters))
        [launched[spec["InstanceName"]]] = cvm.RunInstances(request).InstanceIdSet
    return launched


def describe():
    cvm = client()
    instances, offset = [], 0
    while True:
        request = models.DescribeInstancesRequest()
        request.from_json_string(json.dumps({"Offset": offset, "Limit": 100}))
        page = json.loads(cvm.DescribeInstances(request).to_json_string())["InstanceSet"]
        instances += [{"InstanceId": i["InstanceId"], "InstanceName": i["InstanceName"],
                       "InstanceState": i["InstanceState"],
                       "Tags": {t["Key"]: t["Value"] for t in i.get("Tags") or []}} for i in page]
        if len(page) < 100:
            return instances
        offset += 100


if __name__ == "__main__":
    if sys.argv[1] == "launch":
        print(json.dumps(launch(json.load(sys.stdin))))
    elif sys.argv[1] == "describe":
        print(json.dumps(describe()))
    else:
        raise SystemExit(f"unknown command {sys.argv[1]}")
