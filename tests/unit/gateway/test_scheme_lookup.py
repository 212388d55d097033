"""The gateway finds a year's scheme the moment the office publishes it: a year missing
from the kept list of versions is asked of the registry again, at most once a second."""
from jixiao.gateway.service_layer.scheme_lookup import SchemeLookup


class Registry:
    """The registry's versions as RegistrySchemes gives them: kept until asked fresh."""

    def __init__(self):
        self.held: list[dict] = []
        self.kept: list[dict] | None = None
        self.fresh_calls = 0

    def versions(self, *, fresh: bool = False) -> list[dict]:
        if fresh or self.kept is None:
            self.fresh_calls += fresh
            self.kept = list(self.held)
        return self.kept


def published(code: str, year: int) -> dict:
    return {"code": code, "year": year, "version": 1, "status": "published", "published_at": "2027-01-01T00:00:00Z"}


def test_a_scheme_published_after_the_list_was_kept_is_found_at_once():
    registry, now = Registry(), [100.0]
    lookup = SchemeLookup(registry, clock=lambda: now[0])
    assert lookup.code_for_year(2027) is None  # nothing published: asked fresh once
    registry.held.append(published("riverside-2027", 2027))
    assert lookup.code_for_year(2027) is None  # within the second: the kept list answers
    now[0] += 1.0
    assert lookup.code_for_year(2027) == "riverside-2027"


def test_misses_ask_the_registry_at_most_once_a_second():
    registry, now = Registry(), [100.0]
    lookup = SchemeLookup(registry, clock=lambda: now[0])
    for _ in range(50):
        assert lookup.code_for_year(1999) is None
    assert registry.fresh_calls == 1
    now[0] += 1.5
    lookup.code_for_year(1999)
    assert registry.fresh_calls == 2
