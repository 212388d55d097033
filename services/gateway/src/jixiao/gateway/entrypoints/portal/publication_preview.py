"""What publishing a period makes public, for the office desk's confirmation (公示确认): per
category the units ranked, the grading rules whose grades become public, the leaders' results
when the scheme scores leaders — read with the office's token before it confirms."""
from __future__ import annotations

from . import data, i18n, pages


def what_becomes_public(lang: str, scheme: data.Scheme, period: str, token: str) -> dict:
    categories = []
    for category in scheme.categories:
        reply = data.ranking_reply(scheme.code, category["code"], period, token)
        ranked = int(reply.get("total_size", len(reply.get("entries", []))))
        if ranked:
            categories.append({"code": category["code"], "name": i18n.name_of(lang, category.get("name")),
                               "units": ranked})
    return {
        "categories": categories,
        "units": sum(c["units"] for c in categories),
        "grading": [pages.rule_name(lang, scheme, rule) for rule in scheme.rules_grading(period)],
        "leaders": len(scheme.document.get("persons", [])) if scheme.document.get("person_scoring") else 0,
    }
