"""Tables (units, persons, targets) exported and imported again give the same items."""
import copy

from helpers import demo_document
from jixiao.registry.domain import scheme as schemes
from jixiao.registry.domain import table_imports
from jixiao.registry.domain.scheme_diff import diff

DEMO = demo_document()


def test_persons_imported_without_a_position_have_none_and_stay_valid():
    document = copy.deepcopy(DEMO)
    for person in document["persons"][:3]:
        del person["position"]
    content = table_imports.write_table("persons", document, "csv")
    items, errors = table_imports.to_items("persons", table_imports.read_rows(content, "csv"), document)
    assert errors == [] and all("position" not in item for item in items[:3])
    assert items[3]["position"] == DEMO["persons"][3]["position"]
    assert schemes.validate({**document, "persons": items}) == []
    assert diff(document, {**document, "persons": items}) == []
