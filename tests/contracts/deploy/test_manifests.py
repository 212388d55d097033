"""The manifests use only images, ports, environment variables and config
keys the services really have, and hang together (selectors, references,
partitions versus replicas, network exposure)."""
from __future__ import annotations

import copy
import fnmatch
import re

import jixiao_deploy_checks as checks
import pytest
import yaml
from sqlalchemy.engine import make_url

from jixiao.common.kafka import DEAD_LETTER_TOPIC, METRICS_TOPIC

OVERLAYS = pytest.mark.parametrize("overlay", checks.OVERLAYS)
PORT_SETTING = {"registry": "JIXIAO_REGISTRY_PORT", "scoring": "JIXIAO_SCORING_PORT", "gateway": "JIXIAO_GATEWAY_PORT"}


def containers(docs, overlay):
    images = checks.overlay_images(overlay)
    for doc in docs:
        spec = checks.pod_spec(doc)
        if spec is None:
            continue
        for container in spec["containers"]:
            yield doc, spec, container, checks.jixiao_service_of(container, images)


def env_of(docs, container) -> dict[str, str]:
    values = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            values.update(checks.one(docs, "ConfigMap", source["configMapRef"]["name"]).get("data", {}))
    for env in container.get("env", []):
        values[env["name"]] = env.get("value", f"<from {next(iter(env.get('valueFrom', {'?': 0})))}>")
    return values


# -- environment variables ----------------------------------------------------

@OVERLAYS
def test_containers_get_only_variables_their_program_reads(rendered, overlay):
    problems = checks.container_env_problems(rendered[overlay], checks.overlay_images(overlay))
    assert not problems, "\n".join(problems)


def test_a_variable_no_service_reads_fails(rendered):
    docs = copy.deepcopy(rendered["dev"])
    checks.one(docs, "ConfigMap", "jixiao-gateway-env")["data"]["JIXIAO_GATEWAY_WORKERS"] = "4"
    problems = checks.container_env_problems(docs, checks.overlay_images("dev"))
    assert any("JIXIAO_GATEWAY_WORKERS is not read by the gateway" in p for p in problems), problems


def test_a_variable_another_service_reads_fails(rendered):
    docs = copy.deepcopy(rendered["dev"])
    checks.one(docs, "ConfigMap", "jixiao-gateway-env")["data"]["JIXIAO_CONSUMER_GROUP"] = "jixiao-scoring"
    problems = checks.container_env_problems(docs, checks.overlay_images("dev"))
    assert any("JIXIAO_CONSUMER_GROUP is not read by the gateway" in p for p in problems), problems


def test_an_unused_helper_variable_and_a_late_definition_fail(rendered):
    docs = copy.deepcopy(rendered["dev"])
    env = checks.one(docs, "Deployment", "jixiao-scoring")["spec"]["template"]["spec"]["containers"][0]["env"]
    env.append({"name": "COLLECTOR_URL", "value": "http://jixiao-otel-collector:4317"})
    env.insert(0, env.pop(2))  # the database URL before DB_USER
    problems = checks.container_env_problems(docs, checks.overlay_images("dev"))
    assert any("COLLECTOR_URL is neither read" in p for p in problems), problems
    assert any("expands $(DB_USER) before it is defined" in p or "expands $(DB_PASSWORD) before" in p for p in problems), problems


def test_the_scanner_finds_exactly_the_readmes_configuration_table():
    readme = (checks.REPO / "README.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\| `(JIXIAO_[A-Z0-9_]+)` \|", readme, re.MULTILINE))
    assert checks.all_env_reads() == table


@OVERLAYS
def test_database_urls_point_at_the_postgres_cluster(rendered, overlay):
    docs = rendered[overlay]
    cluster = checks.one(docs, "Cluster", "jixiao-db")
    urls = 0
    for _doc, _spec, container, _service in containers(docs, overlay):
        for name, value in env_of(docs, container).items():
            if name.endswith("_DATABASE_URL"):
                url = make_url(re.sub(r"\$\((\w+)\)", "x", value))
                assert url.drivername == "postgresql+psycopg", "psycopg (3) is what the postgres extra installs"
                assert url.host == f"{cluster['metadata']['name']}-rw"
                assert url.database == cluster["spec"]["bootstrap"]["initdb"]["database"]
                urls += 1
    assert urls == 4  # registry, scoring, and the Job's two


# -- images ------------------------------------------------------------------

@OVERLAYS
def test_images_are_ours_or_pinned(rendered, overlay):
    version = checks.pyproject()["project"]["version"]
    base = checks.render(checks.K8S / "base")
    base_images = {c["image"] for d in base if checks.pod_spec(d) for c in checks.pod_spec(d)["containers"]}
    for service in checks.SERVICE_NAMES:
        assert (checks.DOCKER / f"{service}.Dockerfile").is_file()
        assert f"{checks.image_of(service)}:{version}" in base_images, f"base image of {service} is not at version {version}"
    for doc, _spec, container, service in containers(rendered[overlay], overlay):
        name, tag = checks.split_image(container["image"])
        assert tag and tag != "latest" and checks.PINNED_TAG.match(tag), f"{doc['metadata']['name']}: {container['image']} is not pinned"
        if service is None:
            assert container["image"] in base_images, f"{container['image']} is neither a Jixiao image nor a base image"


# -- ports and probes ------------------------------------------------------------

@OVERLAYS
def test_ports_and_probes_match_what_the_services_listen_on(rendered, overlay):
    docs = rendered[overlay]
    seen = set()
    for _doc, _spec, container, service in containers(docs, overlay):
        if service not in checks.SERVICE_NAMES:
            continue
        seen.add(service)
        env = env_of(docs, container)
        setting = PORT_SETTING[service]
        port = int(env.get(setting, checks.env_reads(service).port_defaults[setting]))
        if service == "gateway":  # under gunicorn: its --bind decides
            args = container.get("args", [])
            port = int(args[args.index("--bind") + 1].rsplit(":", 1)[1])
            assert args[-1] == "jixiao.gateway.wsgi:app"
        else:
            assert container["args"] == [service]
            assert env.get("JIXIAO_BIND_HOST") == "0.0.0.0"
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert list(ports.values()) == [port], f"{service}: containerPort {ports} but the program listens on {port}"
        for probe_name in ("readinessProbe", "livenessProbe"):
            probe = container[probe_name]
            if "grpc" in probe:
                assert service != "gateway" and probe["grpc"]["port"] == port
            elif "httpGet" in probe:
                assert service == "gateway" and ports.get(probe["httpGet"]["port"], probe["httpGet"]["port"]) == port
                assert probe["httpGet"]["path"] == "/api/v1/health"
            else:
                assert probe["tcpSocket"]["port"] == port
        assert "grpc" in container["readinessProbe"] or service == "gateway", f"{service}: readiness must ask gRPC health"
    assert seen == set(checks.SERVICE_NAMES)


def test_the_gateway_serves_the_probed_health_path():
    sources = "".join(p.read_text(encoding="utf-8") for p in checks.source("gateway").rglob("*.py"))
    assert 'url_prefix="/api/v1"' in sources and '.get("/health")' in sources


@OVERLAYS
def test_services_select_pods_and_name_their_ports(rendered, overlay):
    docs = rendered[overlay]
    pods = [(d, checks.pod_spec(d)) for d in docs if d["kind"] == "Deployment"]
    for service in checks.find(docs, "Service"):
        selector = service["spec"]["selector"]
        matching = [(d, s) for d, s in pods if selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()]
        assert len(matching) == 1, f"Service {service['metadata']['name']} selects {len(matching)} Deployments"
        port_names = {p["name"] for c in matching[0][1]["containers"] for p in c["ports"]}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in port_names
        assert service["spec"].get("type", "ClusterIP") == "ClusterIP", "only the Ingress exposes anything"
    for pdb in checks.find(docs, "PodDisruptionBudget"):
        selector = pdb["spec"]["selector"]["matchLabels"]
        assert any(selector.items() <= d["spec"]["template"]["metadata"]["labels"].items() for d, _ in pods)
    for hpa in checks.find(docs, "HorizontalPodAutoscaler"):
        target = hpa["spec"]["scaleTargetRef"]
        assert checks.find(docs, target["kind"], target["name"])
        assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
        assert checks.find(docs, "PodDisruptionBudget", target["name"]), "an autoscaled Deployment has a PodDisruptionBudget"


@OVERLAYS
def test_addresses_between_services_resolve(rendered, overlay):
    docs = rendered[overlay]
    services = {s["metadata"]["name"]: {p["port"] for p in s["spec"]["ports"]} for s in checks.find(docs, "Service")}
    for _doc, _spec, container, service in containers(docs, overlay):
        for name, value in env_of(docs, container).items():
            if name.endswith("_ADDR"):
                host, port = value.rsplit(":", 1)
                assert int(port) in services.get(host, set()), f"{service}: {name}={value} is no Service port"


@OVERLAYS
def test_every_container_is_locked_down_and_sized(rendered, overlay):
    uid = 10001
    for doc, spec, container, _service in containers(rendered[overlay], overlay):
        where = f"{doc['kind']} {doc['metadata']['name']}"
        assert spec["securityContext"]["runAsNonRoot"] is True, where
        assert spec["securityContext"]["runAsUser"] == uid, where
        assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", where
        assert spec.get("automountServiceAccountToken") is False, where
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False and context["readOnlyRootFilesystem"] is True, where
        assert context["capabilities"]["drop"] == ["ALL"], where
        resources = container["resources"]
        assert {"cpu", "memory"} <= resources["requests"].keys() and "memory" in resources["limits"], where


# -- Kafka -----------------------------------------------------------------------

@OVERLAYS
def test_topics_are_the_ones_scoring_reads_and_bound_its_replicas(rendered, overlay):
    docs = rendered[overlay]
    topics = {t["spec"]["topicName"]: t for t in checks.find(docs, "KafkaTopic")}
    scoring = checks.one(docs, "ConfigMap", "jixiao-scoring-env")["data"]
    assert scoring.get("JIXIAO_METRICS_TOPIC", METRICS_TOPIC) in topics
    assert scoring.get("JIXIAO_DEAD_LETTER_TOPIC", DEAD_LETTER_TOPIC) in topics
    assert set(topics) == {METRICS_TOPIC, DEAD_LETTER_TOPIC}
    metrics = topics[scoring.get("JIXIAO_METRICS_TOPIC", METRICS_TOPIC)]
    hpa = checks.one(docs, "HorizontalPodAutoscaler", "jixiao-scoring")
    assert hpa["spec"]["maxReplicas"] <= metrics["spec"]["partitions"], "scoring replicas beyond the partitions sit idle"
    assert checks.one(docs, "Deployment", "jixiao-scoring")["spec"]["replicas"] <= metrics["spec"]["partitions"]
    nodes = sum(p["spec"]["replicas"] for p in checks.find(docs, "KafkaNodePool") if "broker" in p["spec"]["roles"])
    kafka = checks.one(docs, "Kafka", "jixiao-kafka")
    for topic in topics.values():
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]
        assert topic["spec"]["replicas"] <= nodes
        assert int(topic["spec"]["config"]["min.insync.replicas"]) <= topic["spec"]["replicas"]
        assert int(topic["spec"]["config"]["retention.ms"]) > 0
    config = kafka["spec"]["kafka"]["config"]
    assert config["auto.create.topics.enable"] is False
    for setting in ("default.replication.factor", "offsets.topic.replication.factor", "transaction.state.log.replication.factor"):
        assert int(config[setting]) <= nodes


def test_more_scoring_replicas_than_partitions_fails(rendered):
    docs = copy.deepcopy(rendered["dev"])
    checks.one(docs, "HorizontalPodAutoscaler", "jixiao-scoring")["spec"]["maxReplicas"] = 5
    with pytest.raises(AssertionError, match="sit idle"):
        test_topics_are_the_ones_scoring_reads_and_bound_its_replicas({"dev": docs}, "dev")


@OVERLAYS
def test_scoring_and_the_gateway_reach_kafka_on_a_listener_they_can_speak(rendered, overlay):
    # kafka-python in scoring (consuming) and in the gateway (publishing
    # uploads) gets a bootstrap address and nothing else: no TLS, no SASL.
    docs = rendered[overlay]
    kafka = checks.one(docs, "Kafka", "jixiao-kafka")
    peers = []
    for service in ("scoring", "gateway"):
        data = checks.one(docs, "ConfigMap", f"jixiao-{service}-env")["data"]
        host, port = data["JIXIAO_KAFKA_BOOTSTRAP"].split(":")
        assert host == f"{kafka['metadata']['name']}-kafka-bootstrap"
        listener = next(lst for lst in kafka["spec"]["kafka"]["listeners"] if lst["port"] == int(port))
        assert listener["tls"] is False and "authentication" not in listener
        peers = listener["networkPolicyPeers"]
        assert {"podSelector": {"matchLabels": {"app.kubernetes.io/name": f"jixiao-{service}"}}} in peers, service
    assert len(peers) == 2, "the plain listener admits scoring and the gateway only"
    gateway_topic = checks.one(docs, "ConfigMap", "jixiao-gateway-env")["data"]["JIXIAO_METRICS_TOPIC"]
    assert gateway_topic == checks.one(docs, "ConfigMap", "jixiao-scoring-env")["data"]["JIXIAO_METRICS_TOPIC"]


@OVERLAYS
def test_feed_users_may_only_write_metrics(rendered, overlay):
    docs = rendered[overlay]
    scoring = checks.one(docs, "ConfigMap", "jixiao-scoring-env")["data"]
    feeds = [u for u in checks.find(docs, "KafkaUser") if "jixiao.gov/source" in u["metadata"]["labels"]]
    scheme = yaml.safe_load(checks.source("demo/data/jiangchuan-2026.yaml").read_text(encoding="utf-8"))
    assert {u["metadata"]["labels"]["jixiao.gov/source"] for u in feeds} == {s["code"] for s in scheme["sources"]}
    for user in feeds:
        assert user["spec"]["authentication"]["type"] == "scram-sha-512"
        assert user["spec"]["authorization"]["acls"] == [{
            "resource": {"type": "topic", "name": scoring["JIXIAO_METRICS_TOPIC"], "patternType": "literal"},
            "operations": ["Write", "Describe"], "host": "*"}]
    scoring_user = checks.one(docs, "KafkaUser", "jixiao-scoring")
    names = {a["resource"]["name"] for a in scoring_user["spec"]["authorization"]["acls"]}
    assert names == {scoring["JIXIAO_METRICS_TOPIC"], scoring["JIXIAO_DEAD_LETTER_TOPIC"], scoring["JIXIAO_CONSUMER_GROUP"]}


# -- exposure, secrets, references ------------------------------------------------

@OVERLAYS
def test_only_the_gateway_is_reachable_from_outside(rendered, overlay):
    docs = rendered[overlay]
    policies = checks.find(docs, "NetworkPolicy")
    assert any(p["spec"]["podSelector"] == {} and "ingress" not in p["spec"] for p in policies), "no default deny"
    open_to_all = [p["spec"]["podSelector"] for p in policies
                   if any("from" not in rule for rule in p["spec"].get("ingress", []))]
    assert open_to_all == [{"matchLabels": {"app.kubernetes.io/name": "jixiao-gateway"}}]
    for policy in policies:
        for rule in policy["spec"].get("ingress", []):
            for peer in rule.get("from", []):
                assert "ipBlock" not in peer, f"{policy['metadata']['name']} admits addresses from outside"
    for ingress in checks.find(docs, "Ingress"):
        backends = {p["backend"]["service"]["name"] for r in ingress["spec"]["rules"] for p in r["http"]["paths"]}
        assert backends == {"jixiao-gateway"}


@OVERLAYS
def test_placeholder_secrets_are_marked_and_referenced_objects_exist(rendered, overlay):
    docs = rendered[overlay]
    for secret in checks.find(docs, "Secret"):
        values = {**secret.get("stringData", {}), **secret.get("data", {})}
        placeholder = secret["metadata"].get("annotations", {}).get("jixiao.gov/placeholder") == "true"
        assert placeholder == any("REPLACE_ME" in str(v) for v in values.values()), secret["metadata"]["name"]
    names = {(d["kind"], d["metadata"]["name"]) for d in docs}
    for doc in docs:
        spec = checks.pod_spec(doc)
        for volume in (spec or {}).get("volumes", []):
            if "configMap" in volume:
                name = volume["configMap"]["name"]
                assert ("ConfigMap", name) in names or name in checks.EXTERNAL_CONFIGMAPS, name
    cluster = checks.one(docs, "Cluster", "jixiao-db")
    for ref in (cluster["spec"].get("backup", {}).get("barmanObjectStore", {}).get("s3Credentials") or {}).values():
        assert ("Secret", ref["name"]) in names


def test_the_jobs_run_jixiao_commands_and_the_demo_scheme_is_in_the_image(rendered):
    for overlay in checks.OVERLAYS:
        job = checks.one(rendered[overlay], "Job", "jixiao-migrate")["spec"]["template"]["spec"]["containers"][0]
        assert checks.jixiao_service_of(job, checks.overlay_images(overlay)) == "migrate"
    assert not checks.find(rendered["prod"], "Job", "jixiao-bootstrap"), "prod publishes no scheme by itself"
    job = checks.one(rendered["dev"], "Job", "jixiao-bootstrap")
    assert job["spec"]["backoffLimit"] >= 5, "the Job retries until the registry answers"
    container = job["spec"]["template"]["spec"]["containers"][0]
    image = next(s for s, repo in checks.overlay_images("dev").items() if checks.split_image(container["image"])[0] == repo)
    words = checks.command_line(container, image)
    assert checks.program_of(words) == "cli" and words[:2] == ["jixiao", "bootstrap"] and len(words) == 3
    # The scheme is the one the jixiao package ships, at its place in the image's virtual environment.
    steps = checks.parse_dockerfile(checks.DOCKER / f"{image}.Dockerfile")
    venv = next(i.arguments.split()[-1] for i in steps if i.keyword == "RUN" and "-m venv" in i.arguments)
    _name, tag = checks.split_image(next(i.arguments.split()[0] for i in steps if i.keyword == "FROM"))
    python = ".".join(tag.split("-")[0].split(".")[:2])
    prefix = f"{venv}/lib/python{python}/site-packages/jixiao/"
    assert words[2].startswith(prefix), f"{words[2]} is not inside {prefix}"
    inside = words[2][len(prefix):]
    assert checks.source(inside).is_file()
    package, _, data = inside.rpartition("/data/")
    shipped = checks.pyproject(f"services/{package.split('/')[0]}")["tool"]["setuptools"]["package-data"][
        f"jixiao.{package.replace('/', '.')}"]
    assert any(fnmatch.fnmatch(f"data/{data}", pattern) for pattern in shipped), "not installed as package data"


@OVERLAYS
@pytest.mark.parametrize("deployment", ["jixiao-registry", "jixiao-gateway"])
def test_the_tokens_file_is_read_from_the_mounted_secret(rendered, overlay, deployment, tmp_path):
    docs = rendered[overlay]
    spec = checks.one(docs, "Deployment", deployment)["spec"]["template"]["spec"]
    container = spec["containers"][0]
    path = env_of(docs, container)["JIXIAO_TOKENS_FILE"]
    mount = next(m for m in container["volumeMounts"] if path.startswith(m["mountPath"] + "/"))
    assert mount.get("readOnly") is True and "subPath" not in mount, "subPath mounts never see a changed Secret"
    volume = next(v for v in spec["volumes"] if v["name"] == mount["name"])
    secret = checks.one(docs, "Secret", volume["secret"]["secretName"])
    item = next(i for i in volume["secret"]["items"] if i["path"] == path[len(mount["mountPath"]) + 1:])
    assert item["key"] in {**secret.get("stringData", {}), **secret.get("data", {})}
    # An unreplaced placeholder stops the service at start, with one line.
    from jixiao.common.auth import TokenBook
    from jixiao.common.config import ConfigError
    if secret["metadata"].get("annotations", {}).get("jixiao.gov/placeholder") == "true":
        tokens = tmp_path / "tokens.yaml"
        tokens.write_text(secret["stringData"][item["key"]], encoding="utf-8")
        with pytest.raises(ConfigError, match="sha256"):
            TokenBook.load(tokens)


@OVERLAYS
def test_tokens_go_to_the_programs_that_use_them(rendered, overlay):
    docs = rendered[overlay]
    given: dict[str, set[str]] = {}
    for _doc, _spec, container, service in containers(docs, overlay):
        for name, value in env_of(docs, container).items():
            if name in ("JIXIAO_SERVICE_TOKEN", "JIXIAO_TOKEN", "JIXIAO_TOKENS_FILE"):
                given.setdefault(name, set()).add(service)
                if name.endswith("_TOKEN"):
                    assert value == "<from secretKeyRef>", f"{service}: {name} must come from a Secret"
    assert given["JIXIAO_SERVICE_TOKEN"] == {"scoring", "gateway"}
    assert given["JIXIAO_TOKENS_FILE"] == {"registry", "scoring", "gateway"}
    assert given.get("JIXIAO_TOKEN", set()) == ({"cli"} if overlay == "dev" else set())


def test_the_scanner_knows_which_program_reads_which_variable():
    # The README's "used by" column for the variables of authentication and `jixiao up`.
    readers = {name: {p for p in checks.PROGRAMS if name in checks.env_reads(p).names}
               for name in ("JIXIAO_TOKENS_FILE", "JIXIAO_SERVICE_TOKEN", "JIXIAO_TOKEN", "JIXIAO_SCHEME_FILE")}
    assert readers["JIXIAO_TOKENS_FILE"] == {"registry", "scoring", "gateway"}
    assert readers["JIXIAO_SERVICE_TOKEN"] == {"scoring", "gateway"}
    assert readers["JIXIAO_TOKEN"] - {"up"} == {"cli"}
    assert readers["JIXIAO_SCHEME_FILE"] == {"up"}
    assert checks.env_reads("migrate").names >= {"JIXIAO_REGISTRY_DATABASE_URL", "JIXIAO_SCORING_DATABASE_URL"}
    assert "JIXIAO_LOG_LEVEL" not in checks.env_reads("gateway").names, "gunicorn runs wsgi.py, which configures no logging"


def test_misplaced_token_and_scheme_variables_fail(rendered):
    docs = copy.deepcopy(rendered["dev"])
    checks.one(docs, "ConfigMap", "jixiao-registry-env")["data"]["JIXIAO_SCHEME_FILE"] = "/etc/jixiao/scheme.yaml"
    checks.one(docs, "ConfigMap", "jixiao-scoring-env")["data"]["JIXIAO_SCHEME_FILE"] = "/etc/jixiao/scheme.yaml"
    migrate = checks.one(docs, "Job", "jixiao-migrate")["spec"]["template"]["spec"]["containers"][0]
    migrate["env"].append({"name": "JIXIAO_TOKEN", "valueFrom": {"secretKeyRef": {"name": "jixiao-office-token", "key": "token"}}})
    gateway = checks.one(docs, "Deployment", "jixiao-gateway")["spec"]["template"]["spec"]["containers"][0]
    gateway["env"] = [{"name": "JIXIAO_SERVICE_TOKEN", "value": "jx_committed_by_mistake"}]
    bootstrap = checks.one(docs, "Job", "jixiao-bootstrap")["spec"]["template"]["spec"]["containers"][0]
    bootstrap["env"][1]["valueFrom"]["secretKeyRef"]["key"] = "office"
    problems = checks.container_env_problems(docs, checks.overlay_images("dev"))
    for expected in ("JIXIAO_SCHEME_FILE is not read by the registry", "JIXIAO_SCHEME_FILE is not read by the scoring",
                     "JIXIAO_TOKEN is not read by the migrate", "JIXIAO_SERVICE_TOKEN is a credential but does not come from a Secret",
                     "key office of Secret jixiao-office-token, which has no such key"):
        assert any(expected in p for p in problems), (expected, problems)


def test_an_unknown_command_in_our_image_fails(rendered):
    docs = copy.deepcopy(rendered["dev"])
    job = checks.one(docs, "Job", "jixiao-migrate")["spec"]["template"]["spec"]["containers"][0]
    job["command"] = ["python", "/opt/jixiao/bin/jixiao-migrate.py"]
    problems = checks.container_env_problems(docs, checks.overlay_images("dev"))
    assert any("which is not a program tests/contracts/deploy knows" in p for p in problems), problems


@OVERLAYS
def test_network_policies_admit_every_caller(rendered, overlay):
    docs = rendered[overlay]
    problems = checks.unreachable_addresses(docs, checks.overlay_images(overlay))
    assert not problems, "\n".join(problems)


def test_a_caller_the_policies_do_not_admit_fails(rendered):
    docs = copy.deepcopy(rendered["dev"])
    policy = checks.one(docs, "NetworkPolicy", "jixiao-registry-from-services")
    policy["spec"]["ingress"][0]["from"].pop()  # the bootstrap Job's peer (the dev patch)
    problems = checks.unreachable_addresses(docs, checks.overlay_images("dev"))
    assert any("Job jixiao-bootstrap" in p and "jixiao-registry:50051" in p for p in problems), problems


@OVERLAYS
def test_the_collector_config_is_complete(rendered, overlay):
    docs = rendered[overlay]
    config = yaml.safe_load(checks.one(docs, "ConfigMap", "jixiao-otel-collector")["data"]["collector.yaml"])
    for pipeline in config["service"]["pipelines"].values():
        for part in ("receivers", "processors", "exporters"):
            assert set(pipeline[part]) <= set(config[part]), f"{part} of a pipeline are not defined"
    container = checks.one(docs, "Deployment", "jixiao-otel-collector")["spec"]["template"]["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert int(config["extensions"]["health_check"]["endpoint"].rsplit(":", 1)[1]) == ports["health"]
    assert int(config["receivers"]["otlp"]["protocols"]["grpc"]["endpoint"].rsplit(":", 1)[1]) == ports["otlp-grpc"]
    assert int(config["receivers"]["otlp"]["protocols"]["http"]["endpoint"].rsplit(":", 1)[1]) == ports["otlp-http"]
