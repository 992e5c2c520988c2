"""Small helpers over the official SDKs: one call, its answer as a dict, or the provider's error code."""
import json


class Refused(Exception):
    def __init__(self, code, status=None, message=""):
        super().__init__(f"{code} ({status}): {message}")
        self.code = code
        self.status = status


def ecs(acs, request_class, **parameters):
    """Calls an ECS action through aliyun-python-sdk-core (seed 004's SDK); raises Refused with its code."""
    from aliyunsdkcore.acs_exception.exceptions import ServerException
    request = request_class()
    for name, value in parameters.items():
        getattr(request, "set_" + name)(value)
    request.set_accept_format("json")
    try:
        return json.loads(acs.do_action_with_exception(request))
    except ServerException as error:
        raise Refused(error.get_error_code(), error.get_http_status(), error.get_error_msg())


def cvm(client, action, **parameters):
    """Calls a CVM action through tencentcloud-sdk-python; raises Refused with its code."""
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.cvm.v20170312 import models
    request = getattr(models, action + "Request")()
    request.from_json_string(json.dumps(parameters))
    try:
        return json.loads(getattr(client, action)(request).to_json_string())
    except TencentCloudSDKException as error:
        raise Refused(error.code, None, error.message)


def refused(call, *arguments, **parameters):
    """The error code a call is refused with, or None when it is accepted."""
    try:
        call(*arguments, **parameters)
    except Refused as error:
        return error.code
    return None


def cvm_instance(client, instance_id):
    answer = cvm(client, "DescribeInstances", InstanceIds=[instance_id])
    return answer["InstanceSet"][0] if answer["InstanceSet"] else None


def ecs_instance(acs, instance_id):
    from aliyunsdkecs.request.v20140526.DescribeInstancesRequest import DescribeInstancesRequest
    answer = ecs(acs, DescribeInstancesRequest, InstanceIds=json.dumps([instance_id]))
    instances = answer["Instances"]["Instance"]
    return instances[0] if instances else None


def ecs_run(acs, **parameters):
    from aliyunsdkecs.request.v20140526.RunInstancesRequest import RunInstancesRequest
    parameters.setdefault("ImageId", "aliyun_3_x64_20G_alibase_20240819.vhd")
    parameters.setdefault("InstanceType", "ecs.g7.large")
    return ecs(acs, RunInstancesRequest, **parameters)["InstanceIdSets"]["InstanceIdSet"]


def cvm_run(client, **parameters):
    return cvm(client, "RunInstances", **parameters)["InstanceIdSet"]
