"""Support for tests/contracts/deploy: render the kustomizations, learn what the
services read, and check manifests and Dockerfiles against it.

Every check returns a list of problems (empty when fine), so that the tests
can also feed it broken manifests and see it fail.

What the services read is derived from their source, never listed here:
the "JIXIAO_*" and "OTEL_*" string literals passed to environment readers in
services/**/*.py, and the ports they listen on by default. (The OpenTelemetry
SDK reads further OTEL_* variables by itself; a manifest may set only those
services/common/src/jixiao/common/telemetry.py reads and checks by name.)
"""
from __future__ import annotations

import ast
import copy
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]
SERVICES = REPO / "services"
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
DOCKER = DEPLOY / "docker"
OVERLAYS = ("dev", "prod")
SERVICE_NAMES = ("registry", "scoring", "gateway")
K8S_VERSION = "1.30"

NAMED_READERS = {"env_str", "env_int", "env_float", "env_port", "database_url"}  # (environ, NAME, ...)
ENV_READERS = NAMED_READERS | {"get", "getenv"}
ENV_NAME = re.compile(r"^(JIXIAO|OTEL)_[A-Z][A-Z0-9_]*$")
OUR_PREFIXES = ("JIXIAO_", "OTEL_")  # variables a program must read to be given them
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
                  "StorageClass", "PriorityClass", "IngressClass"}


# --------------------------------------------------------------------------
# What the services read


@dataclass
class EnvReads:
    names: set[str] = field(default_factory=set)
    port_defaults: dict[str, int] = field(default_factory=dict)

    def update(self, other: EnvReads) -> None:
        self.names |= other.names
        self.port_defaults.update(other.port_defaults)


def _env_reads_of(nodes) -> EnvReads:
    """The JIXIAO_* and OTEL_* literals handed to an environment reader in these nodes."""
    reads, nodes, indirect = EnvReads(), list(nodes), False
    for node in nodes:
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name not in ENV_READERS:
                continue
            # database_url(environ, setting, ...): the name is a variable, so
            # the JIXIAO_* literals of the same code are the names it reads.
            indirect |= name in NAMED_READERS and len(node.args) >= 2 and isinstance(node.args[1], ast.Name)
            literals = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            for value in literals:
                if ENV_NAME.match(value):
                    reads.names.add(value)
                    if name == "env_port" and len(node.args) >= 3 and isinstance(node.args[2], ast.Constant):
                        reads.port_defaults[value] = int(node.args[2].value)
        elif isinstance(node, ast.Subscript):  # os.environ["JIXIAO_X"]
            target = node.value
            base = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            key = node.slice
            if base == "environ" and isinstance(key, ast.Constant) and isinstance(key.value, str) and ENV_NAME.match(key.value):
                reads.names.add(key.value)
    if indirect:
        reads.names |= {n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str) and ENV_NAME.match(n.value)}
    return reads


def all_env_reads(prefix: str = "JIXIAO_") -> set[str]:
    """Every variable of `prefix` read anywhere in services/ (JIXIAO_*: the
    README's configuration table; OTEL_*: docs/observability.md's)."""
    names = _env_reads_of(n for p in sorted(SERVICES.glob("*/src/**/*.py")) for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))).names
    return {name for name in names if name.startswith(prefix)}


# Which code a program runs, by the command that starts it. A variable counts
# for a program only when the program can reach the code that reads it: the
# registry does not read JIXIAO_TOKEN merely because the CLI sits in its package.
PROGRAMS = {
    "registry": ["jixiao.registry.__main__"],           # jixiao registry, python -m jixiao.registry
    "scoring": ["jixiao.scoring.__main__"],
    "gateway": ["jixiao.gateway.wsgi"],                 # under gunicorn, as the image runs it
    "migrate": ["jixiao.migrate:run"],                  # jixiao migrate
    "cli": ["jixiao.registry.entrypoints.plugin_commands:run_plugin",
            "jixiao.registry.entrypoints.scheme_commands:run_scheme",
            "jixiao.registry.entrypoints.setup_command:run_bootstrap"],  # jixiao plugin|scheme|bootstrap
    "tokens": ["jixiao.common.tokens_cli:run"],         # jixiao tokens
    "up": ["jixiao.cli:run_up"],                        # jixiao up (one machine, never in a container)
}
# `jixiao COMMAND` → program
COMMANDS = {"registry": "registry", "scoring": "scoring", "gateway": "gateway", "migrate": "migrate",
            "plugin": "cli", "scheme": "cli", "bootstrap": "cli", "tokens": "tokens", "up": "up"}


class _Module:
    def __init__(self, name: str, path: Path):
        self.name, self.path = name, path
        self.tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        self.functions = {n.name: n for n in self.tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.classes = {n.name: {m.name: m for m in n.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
                        for n in self.tree.body if isinstance(n, ast.ClassDef)}
        self.aliases: dict[str, tuple[str, str]] = {}  # local name -> (module, attribute or "")


def _module_name(path: Path) -> str:
    # services/<part>/src/jixiao/…: the path below src/ is the import path
    parts = list(path.relative_to(SERVICES).with_suffix("").parts[2:])
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _children(node):
    """ast.iter_child_nodes without annotations (types are not code that runs)."""
    for name, value in ast.iter_fields(node):
        if name in ("annotation", "returns"):
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, ast.AST):
                yield item


def _walk(roots):
    stack = list(roots)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(_children(node))


class CallGraph:
    """Functions, methods and module bodies of the jixiao package, linked by the
    names they use. Deliberately simple: a name, `module.name`, `Class.name` or
    `self.name` is followed; a call on any other object is not, which can only
    make a program look as if it reads less (and a test then fails visibly)."""

    def __init__(self, root: Path = SERVICES):
        self.modules = {_module_name(p): _Module(_module_name(p), p) for p in sorted(root.glob("*/src/**/*.py"))}
        for module in self.modules.values():
            for node in ast.walk(module.tree):
                if isinstance(node, ast.ImportFrom):
                    source = self._absolute(module, node)
                    for alias in node.names:
                        submodule = f"{source}.{alias.name}"
                        module.aliases[alias.asname or alias.name] = (submodule, "") if submodule in self.modules else (source, alias.name)
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        module.aliases[alias.asname or alias.name.split(".")[0]] = (alias.name if alias.asname else alias.name.split(".")[0], "")

    def _absolute(self, module: _Module, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        package = module.name.split(".")
        if module.path.name != "__init__.py":
            package = package[:-1]
        package = package[: len(package) - node.level + 1]
        return ".".join(package + ([node.module] if node.module else []))

    # -- resolution ---------------------------------------------------------
    def _module_nodes(self, name: str) -> set[tuple[str, str]]:
        """Importing a module runs its body and its packages' bodies."""
        parts = name.split(".")
        return {(".".join(parts[:i]), "<module>") for i in range(1, len(parts) + 1) if ".".join(parts[:i]) in self.modules}

    def _member(self, module_name: str, attr: str, depth: int = 0) -> set[tuple[str, str]]:
        module = self.modules.get(module_name)
        if module is None or depth > 5:
            return set()
        if attr in module.functions:
            return {(module_name, attr)}
        if attr in module.classes:
            return {(module_name, f"{attr}.{m}") for m in module.classes[attr]}
        if f"{module_name}.{attr}" in self.modules:
            return self._module_nodes(f"{module_name}.{attr}")
        if attr in module.aliases:  # re-exported
            source, name = module.aliases[attr]
            return self._member(source, name, depth + 1) if name else self._module_nodes(source)
        return set()

    def _class_of(self, module: _Module, name: str) -> tuple[str, str] | None:
        if name in module.classes:
            return module.name, name
        source, attr = module.aliases.get(name, ("", ""))
        if attr and attr in getattr(self.modules.get(source), "classes", {}):
            return source, attr
        return None

    def _edges(self, module: _Module, nodes, cls: str | None) -> set[tuple[str, str]]:
        edges = set()
        for node in nodes:
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                if node.id in module.functions or node.id in module.classes:
                    edges |= self._member(module.name, node.id)
                elif node.id in module.aliases:
                    source, attr = module.aliases[node.id]
                    edges |= self._member(source, attr) if attr else set()
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                base = node.value.id
                if base in ("self", "cls") and cls is not None:
                    edges |= {(module.name, f"{cls}.{node.attr}")} & self._all_nodes(module)
                    continue
                klass = self._class_of(module, base)
                if klass is not None:
                    edges |= self._member(klass[0], klass[1]) & {(klass[0], f"{klass[1]}.{node.attr}")}
                    continue
                source, attr = module.aliases.get(base, ("", ""))
                if source and not attr:
                    edges |= self._member(source, node.attr)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    edges |= self._module_nodes(alias.name)
            elif isinstance(node, ast.ImportFrom):
                source = self._absolute(module, node)
                edges |= self._module_nodes(source)
                for alias in node.names:
                    edges |= self._module_nodes(f"{source}.{alias.name}") if f"{source}.{alias.name}" in self.modules else set()
            elif (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "import_module"
                  and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                edges |= self._module_nodes(node.args[0].value)
        return edges

    def _all_nodes(self, module: _Module) -> set[tuple[str, str]]:
        return {(module.name, f) for f in module.functions} | {(module.name, f"{c}.{m}") for c, ms in module.classes.items() for m in ms}

    def _body(self, key: tuple[str, str]):
        """(nodes to read, enclosing class) of a graph node."""
        module = self.modules[key[0]]
        if key[1] == "<module>":
            roots = []
            for statement in module.tree.body:
                if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    roots += statement.decorator_list + statement.args.defaults + [d for d in statement.args.kw_defaults if d]
                elif isinstance(statement, ast.ClassDef):
                    roots += statement.bases + statement.decorator_list + statement.keywords
                    for item in statement.body:
                        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                            roots += item.decorator_list + item.args.defaults + [d for d in item.args.kw_defaults if d]
                        else:
                            roots.append(item)
                else:
                    roots.append(statement)
            return list(_walk(roots)), None
        if "." in key[1]:
            cls, method = key[1].split(".", 1)
            definition = module.classes[cls][method]
        else:
            cls, definition = None, module.functions[key[1]]
        return list(_walk(definition.body + definition.args.defaults)), cls

    def reads(self, entries: list[str]) -> EnvReads:
        """What runs from these entries (`module` or `module:function`) reads."""
        todo = set()
        for entry in entries:
            module_name, _, function = entry.partition(":")
            if module_name not in self.modules or (function and not self._member(module_name, function)):
                raise KeyError(f"no {entry} in services/")
            todo |= self._module_nodes(module_name) | (self._member(module_name, function) if function else set())
        seen, reads = set(), EnvReads()
        while todo:
            key = todo.pop()
            if key in seen:
                continue
            seen.add(key)
            nodes, cls = self._body(key)
            reads.update(_env_reads_of(nodes))
            todo |= self._edges(self.modules[key[0]], nodes, cls) - seen
        return reads


_GRAPH: CallGraph | None = None


def env_reads(program: str) -> EnvReads:
    """What one program reads (PROGRAMS): the code reachable from its entry points."""
    global _GRAPH
    if _GRAPH is None:
        _GRAPH = CallGraph()
    return _GRAPH.reads(PROGRAMS[program])


def pyproject(part: str = "") -> dict:
    """The root pyproject.toml, or a part's (`services/cli`)."""
    return tomllib.loads((REPO / part / "pyproject.toml").read_text(encoding="utf-8"))


def source(path: str) -> Path:
    """A file of the jixiao package by its path below jixiao/ (`gateway/wsgi.py`):
    services/gateway/src/jixiao/gateway/wsgi.py."""
    part = path.split("/", 1)[0]
    return SERVICES / part / "src" / "jixiao" / path


# --------------------------------------------------------------------------
# A small kustomize: the features deploy/k8s uses, nothing more


class KustomizeError(Exception):
    pass


def _load_docs(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def _pointer(path: str) -> list[str]:
    if not path.startswith("/"):
        raise KustomizeError(f"bad JSON pointer {path!r}")
    return [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]


def _walk_to(doc, parts):
    node = doc
    for part in parts:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def apply_json6902(doc: dict, operations: list[dict]) -> dict:
    doc = copy.deepcopy(doc)
    for op in operations:
        parts = _pointer(op["path"])
        parent = _walk_to(doc, parts[:-1])
        last = parts[-1]
        kind = op["op"]
        try:
            if kind == "test":
                current = parent[int(last)] if isinstance(parent, list) else parent[last]
                if current != op["value"]:
                    raise KustomizeError(f"test failed at {op['path']}: {current!r} != {op['value']!r}")
            elif kind == "remove":
                del parent[int(last) if isinstance(parent, list) else last]
            elif kind == "replace":
                if isinstance(parent, list):
                    parent[int(last)] = copy.deepcopy(op["value"])
                else:
                    if last not in parent:
                        raise KustomizeError(f"replace of a missing {op['path']}")
                    parent[last] = copy.deepcopy(op["value"])
            elif kind == "add":
                if isinstance(parent, list):
                    index = len(parent) if last == "-" else int(last)
                    parent.insert(index, copy.deepcopy(op["value"]))
                else:
                    parent[last] = copy.deepcopy(op["value"])
            else:
                raise KustomizeError(f"unsupported patch operation {kind!r}")
        except (KeyError, IndexError, ValueError) as exc:
            raise KustomizeError(f"{kind} {op['path']}: {exc!r}") from None
    return doc


def _matches(doc: dict, target: dict) -> bool:
    group, _, _version = doc["apiVersion"].rpartition("/")
    if "group" in target and target["group"] != group:
        return False
    if "kind" in target and target["kind"] != doc["kind"]:
        return False
    if "name" in target and not re.fullmatch(target["name"], doc["metadata"]["name"]):
        return False
    return True


def _set_images(node, images: list[dict]) -> None:
    if isinstance(node, dict):
        for key in ("containers", "initContainers"):
            for container in node.get(key) or []:
                if isinstance(container, dict) and "image" in container:
                    name, _, tag = container["image"].rpartition(":") if ":" in container["image"].split("/")[-1] else (container["image"], "", "")
                    for image in images:
                        if image["name"] == name:
                            container["image"] = f"{image.get('newName', name)}:{image.get('newTag', tag)}"
        for value in node.values():
            _set_images(value, images)
    elif isinstance(node, list):
        for value in node:
            _set_images(value, images)


SUPPORTED = {"apiVersion", "kind", "resources", "namespace", "labels", "images", "patches"}


def render(directory: Path) -> list[dict]:
    """Renders a kustomization directory as `kustomize build` would (for these features)."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text(encoding="utf-8"))
    unknown = set(kustomization) - SUPPORTED
    if unknown:
        raise KustomizeError(f"{directory}: kustomization fields {sorted(unknown)} are not supported by this renderer")
    docs: list[dict] = []
    for resource in kustomization.get("resources", []):
        path = (directory / resource).resolve()
        docs.extend(render(path) if path.is_dir() else _load_docs(path))
    for patch in kustomization.get("patches", []):
        operations = yaml.safe_load((directory / patch["path"]).read_text(encoding="utf-8")) if "path" in patch else yaml.safe_load(patch["patch"])
        if not isinstance(operations, list):
            raise KustomizeError(f"{directory}: only JSON 6902 patches are supported ({patch})")
        hits = [i for i, d in enumerate(docs) if _matches(d, patch["target"])]
        if not hits:
            raise KustomizeError(f"{directory}: patch {patch.get('path')} matches nothing ({patch['target']})")
        for i in hits:
            docs[i] = apply_json6902(docs[i], operations)
    for label in kustomization.get("labels", []):
        if label.get("includeSelectors") or label.get("includeTemplates"):
            raise KustomizeError("labels with includeSelectors/includeTemplates are not supported by this renderer")
        for doc in docs:
            doc.setdefault("metadata", {}).setdefault("labels", {}).update(label["pairs"])
    if kustomization.get("images"):
        for doc in docs:
            _set_images(doc, kustomization["images"])
    namespace = kustomization.get("namespace")
    if namespace:
        for doc in docs:
            if doc["kind"] == "Namespace":
                doc["metadata"]["name"] = namespace
            elif doc["kind"] not in CLUSTER_SCOPED:
                doc["metadata"]["namespace"] = namespace
    return docs


def key(doc: dict) -> tuple[str, str, str, str]:
    meta = doc["metadata"]
    return doc["apiVersion"], doc["kind"], meta.get("namespace", ""), meta["name"]


# --------------------------------------------------------------------------
# Dockerfiles


@dataclass
class Instruction:
    keyword: str
    arguments: str
    stage: int


def parse_dockerfile(path: Path) -> list[Instruction]:
    lines, current = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if current and stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    if current:
        lines.append(current)
    instructions, stage = [], -1
    for line in lines:
        keyword, _, arguments = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            stage += 1
        instructions.append(Instruction(keyword, arguments.strip(), stage))
    return instructions


def exec_form(arguments: str) -> list[str]:
    """The JSON (exec) form of CMD/ENTRYPOINT/HEALTHCHECK CMD, or shell words."""
    import json

    text = arguments.strip()
    if text.startswith("["):
        return json.loads(text)
    return shlex.split(text)


def dockerfile_env(instructions: list[Instruction], stage: int) -> dict[str, str]:
    env = {}
    for ins in instructions:
        if ins.keyword == "ENV" and ins.stage == stage:
            for word in shlex.split(ins.arguments):
                name, _, value = word.partition("=")
                env[name] = value
    return env


def image_of(service: str) -> str:
    """The repository name the base manifests give a service's image."""
    return f"registry.example.gov/jixiao/{service}"


def split_image(image: str) -> tuple[str, str]:
    last = image.split("/")[-1]
    if "@" in image:
        name, _, digest = image.partition("@")
        return name, "@" + digest
    if ":" in last:
        name, _, tag = image.rpartition(":")
        return name, tag
    return image, ""


PINNED_TAG = re.compile(r"^v?\d+\.\d+\.\d+([.-][0-9A-Za-z.-]+)?$|^@sha256:[0-9a-f]{64}$")


# --------------------------------------------------------------------------
# Manifest checks


def pod_spec(doc: dict) -> dict | None:
    if doc["kind"] in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}:
        return doc["spec"]["template"]["spec"]
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    if doc["kind"] == "Pod":
        return doc["spec"]
    return None


def image_command(service: str) -> tuple[list[str], list[str]]:
    """ENTRYPOINT and CMD of a service's image (its Dockerfile's last stage)."""
    steps = parse_dockerfile(DOCKER / f"{service}.Dockerfile")
    last = steps[-1].stage
    entrypoint = [exec_form(i.arguments) for i in steps if i.keyword == "ENTRYPOINT" and i.stage == last]
    command = [exec_form(i.arguments) for i in steps if i.keyword == "CMD" and i.stage == last]
    return (entrypoint or [[]])[-1], (command or [[]])[-1]


def command_line(container: dict, service: str) -> list[str]:
    """What the container runs: Kubernetes' command/args over the image's ENTRYPOINT/CMD."""
    entrypoint, cmd = image_command(service)
    if "command" in container:
        return list(container["command"]) + list(container.get("args", []))
    return entrypoint + list(container.get("args", cmd))


def program_of(words: list[str]) -> str:
    """The program (PROGRAMS) a command line runs, or a description of an unknown one."""
    if words[:1] == ["jixiao"] and len(words) > 1 and words[1] in COMMANDS:
        return COMMANDS[words[1]]
    if words[:1] == ["gunicorn"] and words[-1:] == ["jixiao.gateway.wsgi:app"]:
        return "gateway"
    if words[:2] in (["python", "-m"], ["python3", "-m"]) and len(words) > 2:
        module = words[2]
        if module in ("jixiao", "jixiao.cli"):
            return program_of(["jixiao", *words[3:]])
        if module in {f"jixiao.{s}" for s in SERVICE_NAMES if s != "gateway"}:
            return module.split(".")[1]
    return f"unknown command {' '.join(words)!r}"


def jixiao_service_of(container: dict, overlay_images: dict[str, str]) -> str | None:
    """Which Jixiao program (PROGRAMS) a container runs; None when the image is not ours."""
    name, _ = split_image(container["image"])
    for service, repository in overlay_images.items():
        if name == repository:
            return program_of(command_line(container, service))
    return None


def find(docs, kind, name=None):
    return [d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]


def one(docs, kind, name):
    found = find(docs, kind, name)
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


# Objects the manifests refer to that are created outside them, and by whom.
EXTERNAL_SECRETS = {"jixiao-db-app": "CloudNativePG (Cluster jixiao-db)",
                    "jixiao-gateway-tls": "the site's certificate manager"}
EXTERNAL_CONFIGMAPS: dict[str, str] = {}
HELPER_ENV = re.compile(r"^[A-Z][A-Z0-9_]*$")
# Variables holding a credential: only from a Secret, never a literal or a ConfigMap.
SECRET_ENV = re.compile(r"^JIXIAO_[A-Z0-9_]*TOKEN$|PASSWORD")


def container_env_problems(docs: list[dict], overlay_images: dict[str, str]) -> list[str]:
    """Every variable a Jixiao container gets is one its program reads; helper
    variables (not JIXIAO_*) exist only to be expanded as $(NAME) in a later one."""
    problems = []
    configmaps = {d["metadata"]["name"]: d for d in find(docs, "ConfigMap")}
    secrets = {d["metadata"]["name"]: d for d in find(docs, "Secret")}
    for doc in docs:
        spec = pod_spec(doc)
        if spec is None:
            continue
        for container in spec.get("containers", []) + spec.get("initContainers", []):
            where = f"{doc['kind']} {doc['metadata']['name']} container {container['name']}"
            service = jixiao_service_of(container, overlay_images)
            names: list[tuple[str, dict]] = []
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    ref = source["configMapRef"]["name"]
                    if ref not in configmaps:
                        problems.append(f"{where}: envFrom ConfigMap {ref} is not in the manifests")
                        continue
                    names += [(n, {"configMap": ref}) for n in configmaps[ref].get("data", {})]
                if "secretRef" in source:
                    ref = source["secretRef"]["name"]
                    if ref not in secrets:
                        problems.append(f"{where}: envFrom Secret {ref} is not in the manifests")
                        continue
                    data = {**secrets[ref].get("data", {}), **secrets[ref].get("stringData", {})}
                    names += [(n, {"secret": ref}) for n in data]
            names += [(e["name"], e) for e in container.get("env", [])]
            for env in container.get("env", []):
                secret_ref = env.get("valueFrom", {}).get("secretKeyRef", {})
                ref = secret_ref.get("name")
                if ref and ref not in secrets and ref not in EXTERNAL_SECRETS:
                    problems.append(f"{where}: {env['name']} comes from Secret {ref}, which nothing creates")
                if ref in secrets and secret_ref.get("key") not in {**secrets[ref].get("data", {}), **secrets[ref].get("stringData", {})}:
                    problems.append(f"{where}: {env['name']} comes from key {secret_ref.get('key')} of Secret {ref}, which has no such key")
                ref = env.get("valueFrom", {}).get("configMapKeyRef", {}).get("name")
                if ref and ref not in configmaps and ref not in EXTERNAL_CONFIGMAPS:
                    problems.append(f"{where}: {env['name']} comes from ConfigMap {ref}, which nothing creates")
            for name, env in names:
                if SECRET_ENV.search(name) and "secretKeyRef" not in env.get("valueFrom", {}) and "secret" not in env:
                    problems.append(f"{where}: {name} is a credential but does not come from a Secret")
            if service is None:
                continue
            if service not in PROGRAMS:
                problems.append(f"{where}: runs {service[len('unknown command '):] if service.startswith('unknown') else service}, "
                                "which is not a program tests/contracts/deploy knows (PROGRAMS)")
                continue
            if service == "up":
                problems.append(f"{where}: runs `jixiao up`, the single-machine runner, which is not for containers")
            reads = env_reads(service).names
            seen: set[str] = set()
            for position, (name, env) in enumerate(names):
                if name.startswith(OUR_PREFIXES):
                    if name not in reads:
                        problems.append(f"{where}: {name} is not read by the {service} program (services/**/*.py)")
                elif not HELPER_ENV.match(name):
                    problems.append(f"{where}: {name} is not a plain variable name")
                else:
                    later = [e.get("value", "") for n, e in names[position + 1:]]
                    if not any(f"$({name})" in value for value in later):
                        problems.append(f"{where}: {name} is neither read by the {service} program nor expanded as $({name}) in a later variable")
                for ref in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", env.get("value", "")):
                    if ref not in seen:
                        problems.append(f"{where}: {name} expands $({ref}) before it is defined")
                seen.add(name)
    return problems


def _selects(selector: dict, labels: dict) -> bool:
    if set(selector) - {"matchLabels"}:
        raise NotImplementedError(f"selector {selector}: only matchLabels is understood here")
    return selector.get("matchLabels", {}).items() <= labels.items()


def unreachable_addresses(docs: list[dict], overlay_images: dict[str, str]) -> list[str]:
    """Every `*_ADDR` a Jixiao container gets names a Service whose pods'
    NetworkPolicies admit that container's pod on the target port."""
    problems = []
    configmaps = {d["metadata"]["name"]: d.get("data", {}) for d in find(docs, "ConfigMap")}
    services = {s["metadata"]["name"]: s for s in find(docs, "Service")}
    workloads = [(d, pod_spec(d), d["spec"]["template"]["metadata"].get("labels", {})) for d in docs
                 if pod_spec(d) is not None and d["kind"] != "CronJob"]
    policies = find(docs, "NetworkPolicy")
    for doc, spec, labels in workloads:
        for container in spec["containers"]:
            if jixiao_service_of(container, overlay_images) is None:
                continue
            values = {}
            for source in container.get("envFrom", []):
                values.update(configmaps.get(source.get("configMapRef", {}).get("name"), {}))
            values.update({e["name"]: e["value"] for e in container.get("env", []) if "value" in e})
            for name, value in values.items():
                if not name.endswith("_ADDR"):
                    continue
                where = f"{doc['kind']} {doc['metadata']['name']}: {name}={value}"
                host, _, port = value.rpartition(":")
                service = services.get(host)
                target = next((p for p in (service or {}).get("spec", {}).get("ports", []) if p["port"] == int(port)), None)
                if target is None:
                    problems.append(f"{where} is no Service port")
                    continue
                backends = [(d, s, lbl) for d, s, lbl in workloads if _selects({"matchLabels": service["spec"]["selector"]}, lbl)]
                for backend, backend_spec, backend_labels in backends:
                    container_port = next(p["containerPort"] for c in backend_spec["containers"] for p in c.get("ports", [])
                                          if target["targetPort"] in (p.get("name"), p["containerPort"]))
                    applying = [p for p in policies if "Ingress" in p["spec"].get("policyTypes", ["Ingress"])
                                and _selects(p["spec"]["podSelector"], backend_labels)]
                    admitted = not applying or any(
                        (not rule.get("ports") or any(rp.get("port") in (container_port, target["targetPort"]) for rp in rule["ports"]))
                        and ("from" not in rule or any("podSelector" in peer and "namespaceSelector" not in peer
                                                       and _selects(peer["podSelector"], labels) for peer in rule["from"]))
                        for policy in applying for rule in policy["spec"].get("ingress", []))
                    if not admitted:
                        problems.append(f"{where}: no NetworkPolicy admits this pod to {backend['metadata']['name']} on {container_port}")
    return problems


def overlay_images(overlay: str) -> dict[str, str]:
    """service → image repository in a rendered overlay (after its `images:` renames)."""
    kustomization = yaml.safe_load((K8S / "overlays" / overlay / "kustomization.yaml").read_text(encoding="utf-8"))
    renames = {i["name"]: i.get("newName", i["name"]) for i in kustomization.get("images", [])}
    return {s: renames.get(image_of(s), image_of(s)) for s in SERVICE_NAMES}
