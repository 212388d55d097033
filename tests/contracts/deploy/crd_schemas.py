"""Minimal JSON Schemas for the custom resources in deploy/k8s.

The Kubernetes schemas (kubernetes-validate) know only core kinds; Strimzi
(kafka.strimzi.io/v1beta2, Strimzi 0.45) and CloudNativePG
(postgresql.cnpg.io/v1, 1.25) publish their schemas inside their CRDs,
which are not vendored here. These schemas are written by hand from those
CRDs' documented fields: they cover every field deploy/k8s uses, reject
unknown fields where we write them (a typo fails), and check types and
enumerations. They are narrower than the real CRDs, never wider.
"""
from __future__ import annotations

QUANTITY = {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$"}
RESOURCES = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "requests": {"type": "object", "additionalProperties": False,
                     "properties": {"cpu": QUANTITY, "memory": QUANTITY}, "required": ["cpu", "memory"]},
        "limits": {"type": "object", "additionalProperties": False,
                   "properties": {"cpu": QUANTITY, "memory": QUANTITY}, "required": ["memory"]},
    },
    "required": ["requests", "limits"],
}
NAME = {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "maxLength": 63}
METADATA = {
    "type": "object",
    "properties": {"name": NAME, "namespace": NAME, "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                   "annotations": {"type": "object", "additionalProperties": {"type": "string"}}},
    "required": ["name"],
}
STRIMZI_CLUSTER_LABEL = {
    "type": "object",
    "properties": {"name": NAME, "namespace": NAME,
                   "labels": {"type": "object", "required": ["strimzi.io/cluster"],
                              "additionalProperties": {"type": "string"}},
                   "annotations": {"type": "object"}},
    "required": ["name", "labels"],
}
LABEL_SELECTOR = {"type": "object", "properties": {"matchLabels": {"type": "object", "additionalProperties": {"type": "string"}}},
                  "additionalProperties": False}
NETWORK_POLICY_PEER = {"type": "object", "additionalProperties": False, "minProperties": 1,
                       "properties": {"podSelector": LABEL_SELECTOR, "namespaceSelector": LABEL_SELECTOR}}
TOPIC_CONFIG_VALUE = {"type": ["string", "integer", "number", "boolean"]}


def _resource(api_version: str, kind: str, spec: dict, metadata: dict = METADATA) -> dict:
    return {
        "type": "object", "additionalProperties": False,
        "properties": {"apiVersion": {"const": api_version}, "kind": {"const": kind}, "metadata": metadata, "spec": spec},
        "required": ["apiVersion", "kind", "metadata", "spec"],
    }


KAFKA_NODE_POOL = _resource("kafka.strimzi.io/v1beta2", "KafkaNodePool", {
    "type": "object", "additionalProperties": False,
    "properties": {
        "replicas": {"type": "integer", "minimum": 1},
        "roles": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": ["controller", "broker"]}},
        "storage": {"type": "object", "additionalProperties": False, "required": ["type", "volumes"],
                    "properties": {"type": {"const": "jbod"}, "volumes": {"type": "array", "minItems": 1, "items": {
                        "type": "object", "additionalProperties": False, "required": ["id", "type", "size"],
                        "properties": {"id": {"type": "integer", "minimum": 0}, "type": {"enum": ["persistent-claim", "ephemeral"]},
                                       "size": QUANTITY, "class": {"type": "string"}, "deleteClaim": {"type": "boolean"},
                                       "kraftMetadata": {"const": "shared"}}}}}},
        "resources": RESOURCES,
    },
    "required": ["replicas", "roles", "storage"],
}, STRIMZI_CLUSTER_LABEL)

LISTENER = {
    "type": "object", "additionalProperties": False, "required": ["name", "port", "type", "tls"],
    "properties": {
        "name": {"type": "string", "pattern": r"^[a-z0-9]{1,11}$"},
        "port": {"type": "integer", "minimum": 9092},
        "type": {"enum": ["internal", "route", "loadbalancer", "nodeport", "ingress", "cluster-ip"]},
        "tls": {"type": "boolean"},
        "authentication": {"type": "object", "additionalProperties": False, "required": ["type"],
                           "properties": {"type": {"enum": ["tls", "scram-sha-512", "oauth", "custom"]}}},
        "networkPolicyPeers": {"type": "array", "items": NETWORK_POLICY_PEER},
    },
}
KAFKA = _resource("kafka.strimzi.io/v1beta2", "Kafka", {
    "type": "object", "additionalProperties": False, "required": ["kafka", "entityOperator"],
    "properties": {
        "kafka": {"type": "object", "additionalProperties": False, "required": ["version", "listeners"],
                  "properties": {
                      "version": {"type": "string", "pattern": r"^\d+\.\d+\.\d+$"},
                      "metadataVersion": {"type": "string", "pattern": r"^\d+\.\d+-IV\d+$"},
                      "listeners": {"type": "array", "minItems": 1, "items": LISTENER},
                      "authorization": {"type": "object", "additionalProperties": False, "required": ["type"],
                                        "properties": {"type": {"enum": ["simple", "opa", "keycloak", "custom"]},
                                                       "superUsers": {"type": "array", "items": {"type": "string"}}}},
                      "config": {"type": "object", "additionalProperties": TOPIC_CONFIG_VALUE},
                  }},
        "entityOperator": {"type": "object", "additionalProperties": False, "properties": {
            "topicOperator": {"type": "object", "additionalProperties": False, "properties": {"resources": RESOURCES}},
            "userOperator": {"type": "object", "additionalProperties": False, "properties": {"resources": RESOURCES}}}},
    },
})
KAFKA_TOPIC = _resource("kafka.strimzi.io/v1beta2", "KafkaTopic", {
    "type": "object", "additionalProperties": False, "required": ["topicName", "partitions", "replicas"],
    "properties": {"topicName": {"type": "string", "pattern": r"^[a-zA-Z0-9._-]{1,249}$"},
                   "partitions": {"type": "integer", "minimum": 1},
                   "replicas": {"type": "integer", "minimum": 1, "maximum": 32767},
                   "config": {"type": "object", "additionalProperties": TOPIC_CONFIG_VALUE}},
}, STRIMZI_CLUSTER_LABEL)
ACL = {
    "type": "object", "additionalProperties": False, "required": ["resource", "operations"],
    "properties": {
        "resource": {"type": "object", "additionalProperties": False, "required": ["type", "name"],
                     "properties": {"type": {"enum": ["topic", "group", "cluster", "transactionalId"]},
                                    "name": {"type": "string"}, "patternType": {"enum": ["literal", "prefix"]}}},
        "operations": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": [
            "Read", "Write", "Create", "Delete", "Alter", "Describe", "ClusterAction", "AlterConfigs",
            "DescribeConfigs", "IdempotentWrite", "All"]}},
        "host": {"type": "string"},
        "type": {"enum": ["allow", "deny"]},
    },
}
KAFKA_USER = _resource("kafka.strimzi.io/v1beta2", "KafkaUser", {
    "type": "object", "additionalProperties": False,
    "properties": {
        "authentication": {"type": "object", "additionalProperties": False, "required": ["type"],
                           "properties": {"type": {"enum": ["tls", "tls-external", "scram-sha-512"]}}},
        "authorization": {"type": "object", "additionalProperties": False, "required": ["type", "acls"],
                          "properties": {"type": {"const": "simple"}, "acls": {"type": "array", "minItems": 1, "items": ACL}}},
    },
}, STRIMZI_CLUSTER_LABEL)
SECRET_KEY = {"type": "object", "additionalProperties": False, "required": ["name", "key"],
              "properties": {"name": NAME, "key": {"type": "string"}}}
CNPG_CLUSTER = _resource("postgresql.cnpg.io/v1", "Cluster", {
    "type": "object", "additionalProperties": False, "required": ["instances", "storage"],
    "properties": {
        "instances": {"type": "integer", "minimum": 1},
        "imageName": {"type": "string", "pattern": r"^[^:]+:\d+\.\d+"},
        "primaryUpdateStrategy": {"enum": ["unsupervised", "supervised"]},
        "bootstrap": {"type": "object", "additionalProperties": False, "properties": {
            "initdb": {"type": "object", "additionalProperties": False, "required": ["database", "owner"],
                       "properties": {"database": {"type": "string"}, "owner": {"type": "string"}}}}},
        "postgresql": {"type": "object", "additionalProperties": False, "properties": {
            "parameters": {"type": "object", "additionalProperties": {"type": "string"}}}},
        "storage": {"type": "object", "additionalProperties": False, "required": ["size"],
                    "properties": {"size": QUANTITY, "storageClass": {"type": "string"}}},
        "walStorage": {"type": "object", "additionalProperties": False, "required": ["size"],
                       "properties": {"size": QUANTITY, "storageClass": {"type": "string"}}},
        "resources": RESOURCES,
        "affinity": {"type": "object", "additionalProperties": False, "properties": {
            "enablePodAntiAffinity": {"type": "boolean"}, "topologyKey": {"type": "string"},
            "podAntiAffinityType": {"enum": ["preferred", "required"]}}},
        "backup": {"type": "object", "additionalProperties": False, "properties": {
            "retentionPolicy": {"type": "string", "pattern": r"^[1-9][0-9]*[dwm]$"},
            "barmanObjectStore": {"type": "object", "additionalProperties": False, "required": ["destinationPath"],
                                  "properties": {
                                      "destinationPath": {"type": "string", "pattern": r"^(s3|gs|https?)://"},
                                      "endpointURL": {"type": "string"},
                                      "s3Credentials": {"type": "object", "additionalProperties": False,
                                                        "required": ["accessKeyId", "secretAccessKey"],
                                                        "properties": {"accessKeyId": SECRET_KEY, "secretAccessKey": SECRET_KEY}},
                                      "wal": {"type": "object", "additionalProperties": False,
                                              "properties": {"compression": {"enum": ["gzip", "bzip2", "snappy"]}}},
                                      "data": {"type": "object", "additionalProperties": False,
                                               "properties": {"compression": {"enum": ["gzip", "bzip2", "snappy"]}}}}}}},
    },
})
SCHEDULED_BACKUP = _resource("postgresql.cnpg.io/v1", "ScheduledBackup", {
    "type": "object", "additionalProperties": False, "required": ["schedule", "cluster"],
    "properties": {
        # CloudNativePG schedules have six fields, seconds first.
        "schedule": {"type": "string", "pattern": r"^\S+( \S+){5}$"},
        "backupOwnerReference": {"enum": ["none", "self", "cluster"]},
        "immediate": {"type": "boolean"},
        "method": {"enum": ["barmanObjectStore", "volumeSnapshot", "plugin"]},
        "cluster": {"type": "object", "additionalProperties": False, "required": ["name"], "properties": {"name": NAME}},
    },
})

SCHEMAS = {
    ("kafka.strimzi.io/v1beta2", "Kafka"): KAFKA,
    ("kafka.strimzi.io/v1beta2", "KafkaNodePool"): KAFKA_NODE_POOL,
    ("kafka.strimzi.io/v1beta2", "KafkaTopic"): KAFKA_TOPIC,
    ("kafka.strimzi.io/v1beta2", "KafkaUser"): KAFKA_USER,
    ("postgresql.cnpg.io/v1", "Cluster"): CNPG_CLUSTER,
    ("postgresql.cnpg.io/v1", "ScheduledBackup"): SCHEDULED_BACKUP,
}
