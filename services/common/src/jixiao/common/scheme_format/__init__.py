"""The scheme format `jixiao.scheme/v1`, declared once (`declaration.py`) and read
off for the registry's structural validation (`check`), the reference
(`reference_markdown`, docs/scheme-reference.md) and the JSON Schema (`json_schema`)."""
from __future__ import annotations

from .declaration import (
    AGGREGATES, CONSEQUENCE_RULES, DIRECTIONS, FORMAT, GENERIC, GENERIC_FORMULAS, GRADING_METHODS, SECTIONS,
    SUBJECTS, VALIDATION_OPERATORS, VALIDATION_SEVERITIES,
)
from .fields import Problems, kind_of
from .rendering import json_schema, reference_markdown

__all__ = ["AGGREGATES", "CONSEQUENCE_RULES", "DIRECTIONS", "FORMAT", "GENERIC", "GENERIC_FORMULAS",
           "GRADING_METHODS", "SECTIONS", "SUBJECTS", "VALIDATION_OPERATORS", "VALIDATION_SEVERITIES", "check",
           "json_schema", "kind_of", "reference_markdown"]


def check(document: dict) -> Problems:
    """Every place where the document is not as the format declares: ``(path, message)``."""
    problems: Problems = []
    SECTIONS.check(document, "", problems)
    return problems
