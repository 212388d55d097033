"""Generic indicators in the SDK: a base spec without metrics, the configure hook, the host
validating configured specs and evaluating them, the kit, and peers for ranks."""

import pickle

import pytest

from jixiao_sdk import (
    FrozenMap, IndicatorHost, IndicatorInput, IndicatorResult, IndicatorSpec, Observation,
    PluginRejected, hookimpl,
)
from jixiao_sdk.model import freeze
from jixiao_sdk.testing import IndicatorTestKit

BASE = IndicatorSpec(code="generic_total", name_zh="通用总量", name_en="Generic total", version="1.0",
                     owner="office", input_metrics=(), min_points=0, max_points=100,
                     formula="points = min(100, sum of metric)", generic=True)


class GenericTotal:
    """points = min(100, the sum of the configured metric); records the specs it was given."""

    def __init__(self, returns=None):
        self.returns = returns
        self.seen = []

    @hookimpl
    def jixiao_indicator_specs(self):
        return [BASE]

    @hookimpl
    def jixiao_indicator_configure(self, spec, code, name_zh, name_en, settings):
        if self.returns is not None:
            return self.returns
        if "metric" not in settings:
            raise ValueError("metric: required")
        return IndicatorSpec(code=code, name_zh=name_zh, name_en=name_en, version=spec.version,
                             owner=spec.owner, input_metrics=(settings["metric"],), min_points=0,
                             max_points=100, formula=f"points = min(100, sum of {settings['metric']})",
                             settings=settings, needs_peers=bool(settings.get("peers")))

    @hookimpl
    def jixiao_indicator_evaluate(self, spec, inputs):
        self.seen.append((spec, inputs))
        value = sum(o.value for o in inputs.observations)
        return IndicatorResult(spec.code, raw_value=value, points=min(100.0, value),
                               explanation=f"{spec.name_zh} {value:g} / {spec.name_en} {value:g}; peers {len(inputs.peers)}",
                               evidence=tuple(o.event_id for o in inputs.observations))


def inputs(code, *values, metric="m_one", peers=None):
    return IndicatorInput(code, "U1", "county", period="2026", peers=peers or {},
                          observations=tuple(Observation(f"e{i}", metric, v) for i, v in enumerate(values)))


def test_a_generic_spec_may_have_no_metrics_and_no_settings():
    assert BASE.input_metrics == () and BASE.generic
    with pytest.raises(ValueError, match="input_metrics must name at least one"):
        IndicatorSpec(code="plain", name_zh="x", name_en="x", version="1", owner="o", input_metrics=(),
                      min_points=0, max_points=1, formula="f")
    with pytest.raises(ValueError, match="a generic \\(base\\) indicator has no settings"):
        IndicatorSpec(**{**BASE.__dict__, "settings": {"a": 1}})


def test_settings_are_deep_frozen_hashable_and_picklable():
    frozen = freeze({"bands": [{"at_least": 0.9, "points": 90}], "formula": "bands"})
    assert frozen == {"bands": ({"at_least": 0.9, "points": 90},), "formula": "bands"}
    assert isinstance(frozen["bands"][0], FrozenMap) and hash(frozen)
    assert pickle.loads(pickle.dumps(frozen)) == frozen
    with pytest.raises(TypeError, match=r"settings.x\[0\]: must be a mapping"):
        freeze({"x": [object()]}, "settings")


def test_host_configures_and_evaluates_with_the_configured_spec():
    plugin = GenericTotal()
    host = IndicatorHost.from_plugins([plugin], timeout_s=None)
    spec = host.configure("generic_total", "road_km", "道路里程", "Road km", {"metric": "road_km_built"})
    assert (spec.code, spec.input_metrics, spec.settings) == ("road_km", ("road_km_built",),
                                                             {"metric": "road_km_built"})
    assert host.spec("road_km") == spec and host.base_of("road_km") == "generic_total"
    assert "road_km" in host.configured() and "road_km" not in host.specs()
    result = host.evaluate("road_km", inputs("road_km", 30, 12, metric="road_km_built"))
    assert result.ok and result.points == 42 and result.provider
    assert plugin.seen[-1][0] == spec


def test_several_configurations_of_one_code_are_picked_by_spec():
    host = IndicatorHost.from_plugins([GenericTotal()], timeout_s=None)
    first = host.configure("generic_total", "road_km", "甲", "A", {"metric": "m_one"})
    host.configure("generic_total", "road_km", "乙", "B", {"metric": "m_two"})
    assert host.evaluate("road_km", inputs("road_km", 5, metric="m_one"), spec=first).points == 5
    assert host.evaluate("road_km", inputs("road_km", 5, metric="m_one")).points == 0  # latest reads m_two
    stranger = IndicatorSpec(**{**first.__dict__, "name_zh": "丙"})
    failed = host.evaluate("road_km", inputs("road_km", 5), spec=stranger)
    assert not failed.ok and "was not configured by this host" in failed.reason


@pytest.mark.parametrize("base, code, settings, message", [
    ("generic_nothing", "x_code", {}, "no installed plug-in provides the generic indicator 'generic_nothing'"),
    ("generic_total", "x_code", {}, "indicator 'x_code' (generic_total): metric: required"),
    ("generic_total", "generic_total", {"metric": "m"}, "is an installed plug-in's own indicator"),
    ("generic_total", "x_code", [1], "settings must be a mapping"),
])
def test_configure_refuses_with_a_clear_value_error(base, code, settings, message):
    host = IndicatorHost.from_plugins([GenericTotal()], timeout_s=None)
    with pytest.raises(ValueError) as caught:
        host.configure(base, code, "名", "Name", settings)
    assert message in str(caught.value)


def test_configure_checks_what_the_plugin_returns():
    wrong = IndicatorSpec(code="other", name_zh="名", name_en="Name", version="1", owner="o",
                          input_metrics=("m_one",), min_points=0, max_points=1, formula="f")
    host = IndicatorHost.from_plugins([GenericTotal(returns=wrong)], timeout_s=None)
    with pytest.raises(ValueError, match="returned a spec whose code is 'other', expected 'x_code'"):
        host.configure("generic_total", "x_code", "名", "Name", {})


def test_a_generic_base_is_not_evaluated_and_needs_the_configure_hook():
    host = IndicatorHost.from_plugins([GenericTotal()], timeout_s=None)
    result = host.evaluate("generic_total", inputs("generic_total", 1))
    assert not result.ok and "configure it from a scheme's settings first" in result.reason

    class NoConfigure:
        @hookimpl
        def jixiao_indicator_specs(self):
            return [BASE]

        @hookimpl
        def jixiao_indicator_evaluate(self, spec, inputs):
            return None

    with pytest.raises(PluginRejected, match="implements no 'jixiao_indicator_configure'"):
        IndicatorHost.from_plugins([NoConfigure()], timeout_s=None)


def test_peers_reach_only_an_indicator_that_asks_for_them():
    plugin = GenericTotal()
    host = IndicatorHost.from_plugins([plugin], timeout_s=None)
    peers = {"U2": [Observation("p1", "m_one", 3.0), Observation("p2", "other", 1.0)], "U3": []}
    host.configure("generic_total", "plain", "甲", "A", {"metric": "m_one"})
    host.evaluate("plain", inputs("plain", 1, peers=peers))
    assert plugin.seen[-1][1].peers == {}
    host.configure("generic_total", "ranked", "乙", "B", {"metric": "m_one", "peers": True})
    host.evaluate("ranked", inputs("ranked", 1, peers=peers))
    assert plugin.seen[-1][1].peers == {"U2": (Observation("p1", "m_one", 3.0),)}


def test_the_kit_configures_and_checks_determinism_with_peers():
    kit = IndicatorTestKit(GenericTotal())
    spec = kit.configure("generic_total", "road_km", settings={"metric": "road_km_built"}, peers=True)
    assert kit.spec("road_km") == spec and spec.name_zh == "road_km"
    result = kit.evaluate("road_km", [kit.event("road_km_built", 7)],
                          peers={"U2": [kit.event("road_km_built", 3), kit.event("road_km_built", 4)]})
    assert result.points == 7 and result.explanation.endswith("peers 1")
    with pytest.raises(KeyError, match="road_km"):
        kit.spec("nothing_here")
