#!/usr/bin/env python3
"""Generate the emulator's table of documented request parameters from the official SDK models.

For every action the emulator implements, this script lists the request parameters as they arrive on
the wire, read from the request models of the pinned SDK packages (whose models are generated from the
providers' API definitions), into each provider's own wire module: Sources/Emulator/AliyunECSWire/
ECSDocumentedParameters.swift and Sources/Emulator/TencentCVMWire/CVMDocumentedParameters.swift. The output is
deterministic (sorted), so rerunning it on the same packages gives the same files.

ECS 2014-05-26 (RPC, query/form parameters), from alibabacloud-ecs20140526 7.11.8:
    client.py's `<action>_with_options` names each top-level parameter (`query['DataDisk'] = ...`, or
    `body[...]`) and the Tea runtime (alibabacloud_tea_openapi Utils.query / _object_handler) flattens
    it: a nested model becomes `SystemDisk.Category` (keys from the model's to_map), a list becomes
    `DataDisk.1.Size` / `SecurityGroupIds.1`. A list index is written `N`. Fields sent as JSON strings
    (`*_shrink`, or str fields like DescribeInstances' InstanceIds) stay one name.
    The names the legacy SDK aliyun-python-sdk-ecs 4.24.83 sends (add_query_param /
    add_body_params in aliyunsdkecs/request/v20140526/<Action>Request.py) are merged in, since the
    emulator serves both SDKs; the ones the Tea models lack are also listed in `ecsLegacyOnly`.

CVM 2017-03-12 (JSON body), from tencentcloud-sdk-python-cvm 3.1.178:
    the leaves of the request object (tencentcloud/cvm/v20170312/models.py), walked through
    `_deserialize` and the `:type X:` docstrings: a nested model recurses (`Placement.Zone`), a list
    of scalars gets `.N` (`InstanceIds.N`), a list of models gets `.N.` + the model's leaves
    (`TagSpecification.N.Tags.N.Key`).

The common parameters (Action, Version, signature fields, CVM's Region/Language/...) are not listed.
Only the Python standard library is used; the SDK code is parsed with `ast`, never imported.

Rerun from the package root (`--write` rewrites both files; `--check` compares them with what the packages
say, prints a diff and exits 1 when one is stale, as CI does):

    python3 Tests/EmulatorSDK/tools/parameter_tables.py --write

With no directories the pinned wheels are fetched with `pip download --no-deps` into a temporary
directory. To use already unpacked packages instead:

    python3 Tests/EmulatorSDK/tools/parameter_tables.py --write ECS_DIR CVM_DIR [LEGACY_ECS_DIR]

ECS_DIR is the `alibabacloud_ecs20140526` package directory (or a directory containing it), CVM_DIR the
`tencentcloud/cvm/v20170312` directory (or a directory containing `tencentcloud`), LEGACY_ECS_DIR the
`aliyunsdkecs` package directory (or a directory containing it; downloaded when omitted).
Diagnostics (mismatches between client.py and the models, unknown shapes) go to stderr.
"""

from __future__ import annotations

import ast
import difflib
import os
import re
import subprocess
import sys
import tempfile
import zipfile

ECS_PACKAGE = "alibabacloud-ecs20140526"
ECS_VERSION = "7.11.8"
CVM_PACKAGE = "tencentcloud-sdk-python-cvm"
CVM_VERSION = "3.1.178"
LEGACY_PACKAGE = "aliyun-python-sdk-ecs"
LEGACY_VERSION = "4.24.83"

ECS_ACTIONS = [
    "RunInstances", "CreateInstance", "DescribeInstances", "StopInstance", "StopInstances",
    "StartInstance", "StartInstances", "DeleteInstance", "DeleteInstances",
    "ModifyInstanceAutoReleaseTime", "ModifyInstanceAttribute", "ReActivateInstances", "RenewInstance",
    "ModifyInstanceChargeType", "ConvertNatPublicIpToEip",
    "TagResources", "UntagResources", "ListTagResources", "DescribeInstanceAttribute", "DescribeInstanceStatus",
    "DescribeUserData", "DescribeRegions", "DescribeZones", "DescribeDisks", "DescribeSnapshots",
    "DescribeEipAddresses",
]
CVM_ACTIONS = [
    "RunInstances", "DescribeInstances", "StopInstances", "StartInstances", "TerminateInstances",
    "ImportInstancesActionTimer", "DescribeInstancesActionTimer", "DeleteInstancesActionTimer",
    "ModifyInstancesAttribute", "RenewInstances", "ModifyInstancesChargeType",
    "InquiryPriceTerminateInstances", "DescribeInstancesStatus",
    "DescribeRegions", "DescribeZones",
]
# The other Tencent Cloud services the emulator serves, from their own SDK packages (same model layout as CVM):
# (table name, package, version, directory under tencentcloud/, actions).
TENCENT_SERVICES = [
    ("cbs", "tencentcloud-sdk-python-cbs", "3.1.175", "cbs/v20170312", ["DescribeDisks"]),
    ("vpc", "tencentcloud-sdk-python-vpc", "3.1.193", "vpc/v20170312", ["DescribeAddresses", "TransformAddress"]),
    ("tag", "tencentcloud-sdk-python-tag", "3.1.109", "tag/v20180813",
     ["TagResources", "UnTagResources", "GetResources", "DescribeResourceTagsByResourceIds", "ModifyResourceTags"]),
]

# Parameters the signature / envelope carries; RegionId is an ECS action parameter and stays.
ECS_COMMON = {
    "Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion",
    "SignatureNonce", "SignatureType", "Timestamp", "Signature", "SecurityToken",
}
CVM_COMMON = {
    "Action", "Version", "Region", "Timestamp", "Nonce", "SecretId", "Signature", "SignatureMethod",
    "Token", "Language", "RequestClient",
}

SCALARS = {"str", "int", "bool", "float", "Any", "bytes", "BinaryIO"}

WARNINGS: list[str] = []


def warn(message: str) -> None:
    WARNINGS.append(message)
    print("parameter_tables: " + message, file=sys.stderr)


# --------------------------------------------------------------------------------------------------
# Locating / fetching the packages


def pip_download(spec: str, into: str) -> str:
    """Download one pinned wheel and unpack it; returns the unpack directory."""
    target = os.path.join(into, re.sub(r"[^A-Za-z0-9]+", "_", spec))
    os.makedirs(target, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", target, spec],
        check=True, stdout=sys.stderr,
    )
    wheels = sorted(name for name in os.listdir(target) if name.endswith(".whl"))
    if not wheels:
        sys.exit(f"parameter_tables: pip download {spec} produced no wheel")
    with zipfile.ZipFile(os.path.join(target, wheels[0])) as wheel:
        wheel.extractall(target)
    return target


def find_dir(root: str, relative: str, marker: str) -> str:
    """`root` itself if it holds `marker`, else `root/relative` if that does."""
    for candidate in (root, os.path.join(root, relative)):
        if os.path.exists(os.path.join(candidate, marker)):
            return candidate
    sys.exit(f"parameter_tables: no {marker} under {root} (expected {relative}/{marker})")


def parse(path: str) -> ast.Module:
    with open(path, encoding="utf-8") as handle:
        return ast.parse(handle.read(), filename=path)


def string_value(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


# --------------------------------------------------------------------------------------------------
# ECS (Tea / Darabonba SDK)


class EcsModels:
    """Request model classes of alibabacloud_ecs20140526, parsed on demand."""

    def __init__(self, package: str) -> None:
        self.models_dir = os.path.join(package, "models")
        self.class_files: dict[str, str] = {}
        pattern = re.compile(r"^class (\w+)\(", re.MULTILINE)
        for name in sorted(os.listdir(self.models_dir)):
            if not name.endswith(".py"):
                continue
            path = os.path.join(self.models_dir, name)
            with open(path, encoding="utf-8") as handle:
                for match in pattern.finditer(handle.read()):
                    self.class_files.setdefault(match.group(1), path)
        self.parsed: dict[str, ast.Module] = {}

    def class_node(self, name: str) -> ast.ClassDef:
        path = self.class_files.get(name)
        if path is None:
            sys.exit(f"parameter_tables: ECS model class {name} not found")
        if path not in self.parsed:
            self.parsed[path] = parse(path)
        for node in self.parsed[path].body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                return node
        sys.exit(f"parameter_tables: ECS model class {name} not parsed")

    def fields(self, class_name: str) -> dict[str, tuple[str, ast.AST | None]]:
        """attribute -> (wire key from to_map, annotation from __init__)."""
        cls = self.class_node(class_name)
        annotations: dict[str, ast.AST | None] = {}
        keys: dict[str, str] = {}
        for item in cls.body:
            if not isinstance(item, ast.FunctionDef):
                continue
            if item.name == "__init__":
                for arg in item.args.args[1:] + item.args.kwonlyargs:
                    annotations[arg.arg] = arg.annotation
            elif item.name == "to_map":
                for node in ast.walk(item):
                    # Lists: `result['Tag'] = []` then `for k1 in self.tag: result['Tag'].append(...)`.
                    if isinstance(node, ast.For) and self_attribute(node.iter) is not None:
                        for call in ast.walk(node):
                            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                                    and call.func.attr == "append"
                                    and isinstance(call.func.value, ast.Subscript)
                                    and isinstance(call.func.value.value, ast.Name)
                                    and call.func.value.value.id == "result"
                                    and string_value(call.func.value.slice) is not None):
                                keys.setdefault(self_attribute(node.iter), string_value(call.func.value.slice))
                    if not isinstance(node, ast.Assign):
                        continue
                    for target in node.targets:
                        if (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                                and target.value.id == "result"):
                            key = string_value(target.slice)
                            attribute = self_attribute(node.value)
                            if key is not None and attribute is not None:
                                keys.setdefault(attribute, key)
        result: dict[str, tuple[str, ast.AST | None]] = {}
        for attribute, annotation in annotations.items():
            if attribute not in keys:
                warn(f"ECS {class_name}.{attribute} is never written by to_map; skipped")
                continue
            result[attribute] = (keys[attribute], annotation)
        for attribute in keys:
            if attribute not in annotations:
                warn(f"ECS {class_name}.to_map writes {attribute}, which __init__ lacks")
        return result

    def leaves(self, annotation: ast.AST | None, context: str, depth: int = 0) -> list[str]:
        """Wire suffixes below one field: [''] for a scalar, ['.N'] for a list of scalars, ..."""
        if depth > 10:
            sys.exit(f"parameter_tables: ECS model recursion too deep at {context}")
        if annotation is None:
            warn(f"ECS {context} has no annotation; treated as a scalar")
            return [""]
        if isinstance(annotation, ast.Constant) and annotation.value is None:
            return [""]
        if isinstance(annotation, ast.Name) and annotation.id in SCALARS:
            return [""]
        if isinstance(annotation, ast.Attribute) and isinstance(annotation.value, ast.Name) \
                and annotation.value.id == "main_models":
            return ["." + leaf for leaf in self.model_leaves(annotation.attr, depth + 1)]
        if isinstance(annotation, ast.Subscript) and isinstance(annotation.value, ast.Name):
            container = annotation.value.id
            if container == "List":
                return [".N" + leaf for leaf in self.leaves(annotation.slice, context, depth + 1)]
            if container == "Dict":
                warn(f"ECS {context} is a map; its keys are free-form and are written `*`")
                value = annotation.slice.elts[1] if isinstance(annotation.slice, ast.Tuple) else None
                return [".*" + leaf for leaf in self.leaves(value, context, depth + 1)]
        sys.exit(f"parameter_tables: ECS {context} has an unknown type {ast.unparse(annotation)}")

    def model_leaves(self, class_name: str, depth: int = 0) -> list[str]:
        names: list[str] = []
        for attribute, (key, annotation) in self.fields(class_name).items():
            for leaf in self.leaves(annotation, f"{class_name}.{attribute}", depth):
                names.append(key + leaf)
        return names


def self_attribute(node: ast.AST) -> str | None:
    """`self.x`, `self.x.to_map()` -> 'x'."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return None


def ecs_client_functions(client_path: str) -> dict[str, ast.FunctionDef]:
    """Action name -> the synchronous `*_with_options` function that calls it."""
    functions: dict[str, ast.FunctionDef] = {}
    for node in ast.walk(parse(client_path)):
        if not isinstance(node, ast.FunctionDef) or not node.name.endswith("_with_options"):
            continue
        for call in ast.walk(node):
            if isinstance(call, ast.Call):
                for keyword in call.keywords:
                    if keyword.arg == "action" and string_value(keyword.value) is not None:
                        functions.setdefault(string_value(keyword.value), node)
    return functions


def ecs_request_class(function: ast.FunctionDef) -> str:
    for arg in function.args.args:
        annotation = arg.annotation
        if arg.arg in ("request", "tmp_req") and isinstance(annotation, ast.Attribute):
            return annotation.attr
    sys.exit(f"parameter_tables: no request parameter in {function.name}")


def ecs_tea_parameters(package: str) -> dict[str, list[str]]:
    models = EcsModels(package)
    functions = ecs_client_functions(os.path.join(package, "client.py"))
    tables: dict[str, list[str]] = {}
    for action in ECS_ACTIONS:
        function = functions.get(action)
        if function is None:
            sys.exit(f"parameter_tables: client.py has no function for ECS {action}")
        request_class = ecs_request_class(function)
        # The serialised request may be a *ShrinkRequest built from the original one.
        shrink_class = None
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr.endswith("ShrinkRequest"):
                shrink_class = node.func.attr
        fields = models.fields(shrink_class or request_class)
        sent: dict[str, str] = {}  # attribute -> wire key as client.py sends it
        places: dict[str, str] = {}
        for node in ast.walk(function):
            if not isinstance(node, ast.Assign):
                continue
            for target in node.targets:
                if not (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)):
                    continue
                if target.value.id not in ("query", "body"):
                    continue
                key = string_value(target.slice)
                value = node.value
                if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) \
                        and value.value.id == "request" and key is not None:
                    sent[value.attr] = key
                    places[key] = target.value.id
                elif key is not None:
                    warn(f"ECS {action}: {target.value.id}[{key!r}] = {ast.unparse(value)} not understood")
        names: set[str] = set()
        for attribute, key in sent.items():
            if attribute not in fields:
                warn(f"ECS {action}: client.py sends {key} from request.{attribute}, absent from the model")
                continue
            model_key, annotation = fields[attribute]
            if model_key != key:
                warn(f"ECS {action}: client.py sends {attribute} as {key}, to_map names it {model_key}")
            for leaf in models.leaves(annotation, f"{action}.{attribute}"):
                names.add(key + leaf)
        for attribute, (model_key, annotation) in fields.items():
            if attribute not in sent:
                warn(f"ECS {action}: model field {model_key} is not sent by client.py; listed anyway")
                for leaf in models.leaves(annotation, f"{action}.{attribute}"):
                    names.add(model_key + leaf)
        body_keys = sorted(key for key, place in places.items() if place == "body")
        if body_keys:
            warn(f"ECS {action}: sent in the form body: {', '.join(body_keys)}")
        tables[action] = sorted(names - ECS_COMMON)
    return tables


# --------------------------------------------------------------------------------------------------
# ECS legacy SDK (aliyun-python-sdk-ecs, RpcRequest subclasses)


def legacy_name(node: ast.AST) -> str | None:
    """Evaluate `'DataDisk.' + str(depth1 + 1) + '.Size'` to 'DataDisk.N.Size'."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = legacy_name(node.left), legacy_name(node.right)
        if left is not None and right is not None:
            return left + right
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str":
        return "N"
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                parts.append("N")
        return "".join(parts)
    return None


def ecs_legacy_parameters(package: str) -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    for action in ECS_ACTIONS:
        path = os.path.join(package, "request", "v20140526", f"{action}Request.py")
        if not os.path.exists(path):
            sys.exit(f"parameter_tables: legacy SDK has no {path}")
        names: set[str] = set()
        for node in ast.walk(parse(path)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in ("add_query_param", "add_body_params"):
                continue
            if node.func.attr == "add_body_params":
                warn(f"legacy ECS {action}: sends {ast.unparse(node.args[0])} in the form body")
            name = legacy_name(node.args[0])
            if name is None:
                warn(f"legacy ECS {action}: parameter name {ast.unparse(node.args[0])} not understood")
                continue
            # Fixed positions (DescribeInstances' `Filter.1.Key` .. `Filter.4.Value`) are list indices too.
            normalised = ".".join("N" if part.isdigit() else part for part in name.split("."))
            if normalised != name:
                LEGACY_FIXED_INDICES.setdefault(action, []).append(name)
            names.add(normalised)
        # aliyunsdkcore's RpcRequest.get_url adds RegionId (the client's region) to every request
        # whose setters did not, so the legacy SDK sends it on every action.
        names.add("RegionId")
        tables[action] = sorted(names - ECS_COMMON)
    return tables


LEGACY_FIXED_INDICES: dict[str, list[str]] = {}


# --------------------------------------------------------------------------------------------------
# CVM (tencentcloud-sdk-python)


class CvmModels:
    def __init__(self, models_path: str) -> None:
        self.classes = {
            node.name: node for node in parse(models_path).body if isinstance(node, ast.ClassDef)
        }

    def declared_types(self, cls: ast.ClassDef) -> tuple[list[str], dict[str, str]]:
        """Attributes `self._X = None` in __init__ and their `:type X:` docstring types."""
        attributes: list[str] = []
        types: dict[str, str] = {}
        for item in cls.body:
            if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                docstring = ast.get_docstring(item, clean=False) or ""
                for match in re.finditer(r"^\s*:type (\w+): *(.*?)\s*$", docstring, re.MULTILINE):
                    types[match.group(1)] = match.group(2)
                for node in item.body:
                    if isinstance(node, ast.Assign):
                        for target in node.targets:
                            attribute = self_attribute(target)
                            if attribute is not None and attribute.startswith("_"):
                                attributes.append(attribute[1:])
        return attributes, types

    def deserialized(self, cls: ast.ClassDef) -> dict[str, tuple[str, str | None]]:
        """Key -> ('scalar' | 'model' | 'models', model class) from _deserialize."""
        shapes: dict[str, tuple[str, str | None]] = {}
        for item in cls.body:
            if not (isinstance(item, ast.FunctionDef) and item.name == "_deserialize"):
                continue
            for statement in item.body:
                self.statement_shape(statement, shapes)
        return shapes

    def statement_shape(self, statement: ast.stmt, shapes: dict[str, tuple[str, str | None]]) -> None:
        if isinstance(statement, ast.Assign):
            key = params_get(statement.value)
            if key is not None:
                shapes.setdefault(key, ("scalar", None))
            return
        if not isinstance(statement, ast.If):
            return
        key = params_get(statement.test.left) if isinstance(statement.test, ast.Compare) else None
        if key is None:
            return
        model = None
        is_list = False
        for node in ast.walk(statement):
            if isinstance(node, ast.For):
                is_list = True
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.classes:
                model = node.func.id
        if model is None:
            shapes.setdefault(key, ("scalar", None))
        else:
            shapes[key] = ("models" if is_list else "model", model)

    def leaves(self, class_name: str, stack: tuple[str, ...] = ()) -> list[str]:
        if class_name in stack:
            sys.exit(f"parameter_tables: CVM model recursion {' -> '.join(stack + (class_name,))}")
        cls = self.classes.get(class_name)
        if cls is None:
            sys.exit(f"parameter_tables: CVM model class {class_name} not found")
        attributes, types = self.declared_types(cls)
        shapes = self.deserialized(cls)
        for key in shapes:
            if key not in attributes:
                warn(f"CVM {class_name}._deserialize reads {key}, which __init__ lacks")
        names: list[str] = []
        for attribute in attributes:
            declared = types.get(attribute)
            shape, model = shapes.get(attribute, ("scalar", None))
            if attribute not in shapes:
                warn(f"CVM {class_name}.{attribute} is not read by _deserialize; listed from __init__")
            if declared is None:
                warn(f"CVM {class_name}.{attribute} has no :type; treated as {shape}")
            if shape == "model":
                names.extend(f"{attribute}.{leaf}" for leaf in self.leaves(model, stack + (class_name,)))
            elif shape == "models":
                names.extend(f"{attribute}.N.{leaf}" for leaf in self.leaves(model, stack + (class_name,)))
            elif declared is not None and declared.startswith("list of"):
                element = declared[len("list of"):].split()[0]
                if element in self.classes:
                    sys.exit(f"parameter_tables: CVM {class_name}.{attribute} is a list of {element} "
                             "but _deserialize does not build it")
                names.append(f"{attribute}.N")
            elif declared is not None and declared.startswith(":class:"):
                sys.exit(f"parameter_tables: CVM {class_name}.{attribute} is {declared} "
                         "but _deserialize does not build it")
            else:
                names.append(attribute)
        return names


def params_get(node: ast.AST) -> str | None:
    """`params.get("X")` -> 'X'."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "params" and node.args:
        return string_value(node.args[0])
    return None


def cvm_parameters(package: str, actions: list[str] = CVM_ACTIONS, service: str = "cvm") -> dict[str, list[str]]:
    models = CvmModels(os.path.join(package, "models.py"))
    client = parse(os.path.join(package, f"{service}_client.py"))
    client_actions = {
        string_value(node.args[0])
        for node in ast.walk(client)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr == "call" and node.args and string_value(node.args[0]) is not None
    }
    tables: dict[str, list[str]] = {}
    for action in actions:
        if action not in client_actions:
            warn(f"{service} {action}: {service}_client.py does not call it by that name")
        tables[action] = sorted(set(models.leaves(f"{action}Request")) - CVM_COMMON)
    return tables


# --------------------------------------------------------------------------------------------------
# Response fields: what one DescribeInstances entry documents (the emulator shows every one)

# (table name, model class) per provider.
ECS_RESPONSE_MODELS = [("ecsInstanceFields", "DescribeInstancesResponseBodyInstancesInstance")]
CVM_RESPONSE_MODELS = [("cvmInstanceFields", "Instance")]


def ecs_response_fields(package: str) -> dict[str, list[str]]:
    models = EcsModels(package)
    return {name: sorted(key for key, _ in models.fields(cls).values()) for name, cls in ECS_RESPONSE_MODELS}


def cvm_response_fields(package: str) -> dict[str, list[str]]:
    models = CvmModels(os.path.join(package, "models.py"))
    tables: dict[str, list[str]] = {}
    for name, cls in CVM_RESPONSE_MODELS:
        attributes, _ = models.declared_types(models.classes[cls])
        tables[name] = sorted(attributes)
    return tables


def wrapped(values: list[str], indent: str) -> list[str]:
    """Quoted values with trailing commas, as many a line as fit in 120 columns."""
    lines = []
    line = indent
    for value in values:
        item = " " + swift_string(value) + ","
        if len(line) + len(item) > 120:
            lines.append(line)
            line = indent
        line += item
    return lines + [line]


def swift_list(name: str, values: list[str], doc: str) -> list[str]:
    return [f"    /// {doc}", f"    package static let {name}: [String] = ["] + wrapped(values, "       ") + ["    ]"]


# --------------------------------------------------------------------------------------------------
# Swift output


def swift_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def swift_table(name: str, table: dict[str, list[str]], doc: list[str]) -> list[str]:
    lines = [f"    /// {line}" if line else "    ///" for line in doc]
    if not table:
        return lines + [f"    package static let {name}: [String: [String]] = [:]"]
    lines.append(f"    package static let {name}: [String: [String]] = [")
    for action in sorted(table):
        names = table[action]
        one_line = f"        {swift_string(action)}: [{', '.join(swift_string(value) for value in names)}],"
        if len(one_line) <= 120:
            # swift-format wants no trailing comma in a literal that fits on one line.
            lines.append(one_line)
            continue
        lines.append(f"        {swift_string(action)}: [")
        lines += wrapped(names, "           ")
        lines.append("        ],")
    if len(table) == 1:
        # swift-format keeps no trailing comma after the only entry of a dictionary literal.
        lines[-1] = lines[-1].rstrip(",")
    lines.append("    ]")
    return lines


ECS_FILE = "Sources/Emulator/AliyunECSWire/ECSDocumentedParameters.swift"
CVM_FILE = "Sources/Emulator/TencentCVMWire/CVMDocumentedParameters.swift"


def checked(lines: list[str]) -> str:
    for line in lines:
        if len(line) > 120:
            sys.exit(f"parameter_tables: generated line over 120 columns: {line}")
    return "\n".join(lines) + "\n"


def render_ecs(ecs: dict[str, list[str]], legacy_only: dict[str, list[str]], fields: dict[str, list[str]]) -> str:
    lines = [
        "// Generated by Tests/EmulatorSDK/tools/parameter_tables.py from the request models of",
        f"// {ECS_PACKAGE} {ECS_VERSION} (generated from the API's definitions) and the request classes of",
        f"// {LEGACY_PACKAGE} {LEGACY_VERSION}. Do not edit by hand.",
        "",
        "/// Each emulated ECS action's documented request parameters, as the SDKs send them: RPC parameters "
        "flattened",
        "/// (`DataDisk.N.Size`), `N` for a list index. The common parameters (Action, Version, signature fields) "
        "are not",
        "/// listed.",
        "package enum ECSDocumentedParameters {",
        "    /// The package versions the tables come from.",
        f'    package static let sources = [',
        f'        "{ECS_PACKAGE} {ECS_VERSION} (models/_run_instances_request.py etc.)",',
        f'        "{LEGACY_PACKAGE} {LEGACY_VERSION} (aliyunsdkecs/request/v20140526/*Request.py)",',
        "    ]",
        "",
    ]
    lines += swift_table("actions", ecs, [
        "ECS 2014-05-26: the Tea request models' parameters, merged with the ones the legacy SDK sends.",
    ])
    lines.append("")
    lines += swift_table("legacyOnly", legacy_only, [
        "The names only the legacy SDK sends (already part of `actions`), per action that has any.",
    ])
    lines.append("")
    lines += swift_list("instanceFields", fields["ecsInstanceFields"],
                        "The fields of one DescribeInstances entry (DescribeInstancesResponseBodyInstancesInstance).")
    lines.append("}")
    return checked(lines)


def render_cvm(cvm: dict[str, list[str]], services: dict[str, dict[str, list[str]]],
               fields: dict[str, list[str]]) -> str:
    lines = [
        "// Generated by Tests/EmulatorSDK/tools/parameter_tables.py from the request models of",
        f"// {CVM_PACKAGE} {CVM_VERSION} and the other Tencent Cloud services' packages named below (generated from",
        "// the APIs' definitions). Do not edit by hand.",
        "",
        "/// Each emulated Tencent Cloud action's documented request parameters: the JSON leaves of its request "
        "object,",
        "/// dotted (`DataDisks.N.DiskType`), `N` for a list index. The common parameters (Action, Version, "
        "Region, signature",
        "/// fields) are not listed.",
        "package enum CVMDocumentedParameters {",
        "    /// The package versions the tables come from.",
        "    package static let sources = [",
        f'        "{CVM_PACKAGE} {CVM_VERSION} (tencentcloud/cvm/v20170312/models.py)",',
    ]
    for _, package, version, directory, _ in TENCENT_SERVICES:
        lines.append(f'        "{package} {version} (tencentcloud/{directory}/models.py)",')
    lines += ["    ]", ""]
    lines += swift_table("cvm", cvm, ["CVM 2017-03-12: the leaves of each action's request object."])
    for name, package, version, directory, _ in TENCENT_SERVICES:
        lines.append("")
        lines += swift_table(name, services[name], [
            f"{name.upper()} {directory.split('/')[1][1:5]}-{directory.split('/')[1][5:7]}-"
            f"{directory.split('/')[1][7:9]}, from {package} {version}: the leaves of each action's request object.",
        ])
    lines.append("")
    lines += swift_list("instanceFields", fields["cvmInstanceFields"],
                        "The fields of one CVM DescribeInstances entry (the `Instance` model).")
    lines.append("}")
    return checked(lines)


def settle(outputs: dict[str, str], write: bool) -> int:
    """Writes each file, or compares it with what is on disk; 1 when one is stale (the diff on stderr)."""
    stale = 0
    for path, text in outputs.items():
        try:
            with open(path, encoding="utf-8") as handle:
                current = handle.read()
        except FileNotFoundError:
            current = ""
        if current == text:
            continue
        if write:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            print(f"parameter_tables: wrote {path}", file=sys.stderr)
        else:
            stale = 1
            sys.stderr.writelines(difflib.unified_diff(current.splitlines(True), text.splitlines(True), path,
                                                       path + " (from the SDK packages)"))
            print(f"parameter_tables: {path} is stale: rerun with --write", file=sys.stderr)
    return stale


def main(argv: list[str]) -> int:
    if any(arg in ("-h", "--help") for arg in argv):
        print(__doc__, file=sys.stderr)
        return 0
    if not argv or argv[0] not in ("--write", "--check") or len(argv) - 1 not in (0, 2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    write = argv[0] == "--write"
    argv = argv[1:]
    with tempfile.TemporaryDirectory(prefix="parameter_tables.") as scratch:
        if argv:
            ecs_root, cvm_root = argv[0], argv[1]
        else:
            ecs_root = pip_download(f"{ECS_PACKAGE}=={ECS_VERSION}", scratch)
            cvm_root = pip_download(f"{CVM_PACKAGE}=={CVM_VERSION}", scratch)
        legacy_root = argv[2] if len(argv) == 3 else pip_download(f"{LEGACY_PACKAGE}=={LEGACY_VERSION}", scratch)
        ecs_dir = find_dir(ecs_root, "alibabacloud_ecs20140526", "client.py")
        cvm_dir = find_dir(cvm_root, os.path.join("tencentcloud", "cvm", "v20170312"), "models.py")
        legacy_dir = find_dir(legacy_root, "aliyunsdkecs", os.path.join("request", "v20140526"))

        tea = ecs_tea_parameters(ecs_dir)
        legacy = ecs_legacy_parameters(legacy_dir)
        cvm = cvm_parameters(cvm_dir)
        fields = {**ecs_response_fields(ecs_dir), **cvm_response_fields(cvm_dir)}
        services: dict[str, dict[str, list[str]]] = {}
        for name, package, version, directory, actions in TENCENT_SERVICES:
            root = pip_download(f"{package}=={version}", scratch)
            service_dir = find_dir(root, os.path.join("tencentcloud", *directory.split("/")), "models.py")
            services[name] = cvm_parameters(service_dir, actions, name)

    for action, names in sorted(LEGACY_FIXED_INDICES.items()):
        print(f"parameter_tables: note: legacy ECS {action} sends fixed list positions, listed with N: "
              f"{', '.join(sorted(names))}", file=sys.stderr)
    ecs: dict[str, list[str]] = {}
    legacy_only: dict[str, list[str]] = {}
    for action in ECS_ACTIONS:
        extra = sorted(set(legacy[action]) - set(tea[action]))
        if extra:
            legacy_only[action] = extra
            warn(f"legacy ECS {action} sends names the Tea model lacks: {', '.join(extra)}")
        missing = sorted(set(tea[action]) - set(legacy[action]))
        if missing:
            print(f"parameter_tables: note: legacy ECS {action} cannot send: {', '.join(missing)}",
                  file=sys.stderr)
        ecs[action] = sorted(set(tea[action]) | set(legacy[action]))
    return settle({ECS_FILE: render_ecs(ecs, legacy_only, fields), CVM_FILE: render_cvm(cvm, services, fields)}, write)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
