"""Every rendered object validates: core kinds against the Kubernetes
1.30 schemas (kubernetes-validate, strict: unknown fields fail), custom
resources against the hand-written schemas of crd_schemas.py."""
from __future__ import annotations

import copy

import jixiao_deploy_checks as checks
import jsonschema
import kubernetes_validate
import pytest
from crd_schemas import SCHEMAS


def problems_of(doc: dict) -> list[str]:
    where = f"{doc['kind']} {doc['metadata'].get('name')}"
    schema = SCHEMAS.get((doc["apiVersion"], doc["kind"]))
    if schema is not None:
        validator = jsonschema.Draft202012Validator(schema)
        return [f"{where}: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
    if "." in doc["apiVersion"].split("/")[0] and not doc["apiVersion"].split("/")[0].endswith(".k8s.io"):
        return [f"{where}: no schema for custom resource {doc['apiVersion']} (add one to crd_schemas.py)"]
    try:
        kubernetes_validate.validate(doc, checks.K8S_VERSION, strict=True)
    except kubernetes_validate.ValidationError as exc:
        return [f"{where}: {exc.message}"]
    except kubernetes_validate.SchemaNotFoundError as exc:
        return [f"{where}: {exc}"]
    return []


@pytest.mark.parametrize("overlay", checks.OVERLAYS)
def test_every_object_validates(rendered, overlay):
    problems = [p for doc in rendered[overlay] for p in problems_of(doc)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("overlay", checks.OVERLAYS)
def test_every_kind_the_issue_asks_for_is_there(rendered, overlay):
    kinds = {d["kind"] for d in rendered[overlay]}
    wanted = {"Namespace", "Deployment", "Service", "ConfigMap", "Secret", "PodDisruptionBudget",
              "HorizontalPodAutoscaler", "NetworkPolicy", "Job", "Kafka", "KafkaNodePool", "KafkaTopic",
              "KafkaUser", "Cluster"}
    assert wanted <= kinds, f"missing: {sorted(wanted - kinds)}"
    assert len({checks.key(d) for d in rendered[overlay]}) == len(rendered[overlay]), "two objects share a kind and name"


def first(docs, kind):
    return copy.deepcopy(next(d for d in docs if d["kind"] == kind))


def test_a_misspelt_core_field_fails(rendered):
    deployment = first(rendered["dev"], "Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["readynessProbe"] = {"tcpSocket": {"port": 1}}
    assert problems_of(deployment)


def test_a_wrong_type_in_a_core_field_fails(rendered):
    hpa = first(rendered["dev"], "HorizontalPodAutoscaler")
    hpa["spec"]["maxReplicas"] = "many"
    assert problems_of(hpa)


@pytest.mark.parametrize("kind", ["Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "Cluster"])
def test_a_misspelt_custom_resource_field_fails(rendered, kind):
    doc = first(rendered["prod"], kind)
    doc["spec"]["partitionz"] = 3
    assert problems_of(doc)


def test_a_custom_resource_without_a_schema_fails(rendered):
    doc = {"apiVersion": "example.org/v1", "kind": "Thing", "metadata": {"name": "x"}, "spec": {}}
    assert problems_of(doc)
