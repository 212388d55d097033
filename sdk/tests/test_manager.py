"""Plug-in manager: built on demand, discovery by entry point, and rejection of bad plug-ins."""

import sys
import types

import pytest

import jixiao_sdk
from jixiao_sdk import IndicatorHost, PluginRejected, build_plugin_manager, hookimpl
from jixiao_sdk.manager import HOOK_NAMES


def _module(name, source):
    module = types.ModuleType(name)
    exec(source, module.__dict__)
    return module


GOOD = """
from jixiao_sdk import IndicatorResult, IndicatorSpec, hookimpl

@hookimpl
def jixiao_indicator_specs():
    return [IndicatorSpec("{code}", "演示", "Demo", "1.0.0", "test_office", ("demo_amount",),
                          0.0, 100.0, formula="points = 1")]

@hookimpl
def jixiao_indicator_evaluate(spec, inputs):
    return IndicatorResult(spec.code, points=1.0, explanation="one")
"""


def test_hooks_are_the_four_documented_ones():
    assert HOOK_NAMES == ("jixiao_indicator_check_target", "jixiao_indicator_configure",
                          "jixiao_indicator_evaluate", "jixiao_indicator_specs")


def test_each_call_builds_a_fresh_manager():
    assert not hasattr(jixiao_sdk, "pm")
    first, second = build_plugin_manager(discover=False), build_plugin_manager(discover=False)
    assert first is not second and first.pm is not second.pm


def test_misspelled_hook_is_rejected_with_a_suggestion():
    source = GOOD.format(code="demo") + """
@hookimpl
def jixiao_indicator_evalute(spec, inputs):
    pass
"""
    with pytest.raises(PluginRejected, match=r"plug-in 'typo' \(typo \(not installed\)\):"
                       r" 'jixiao_indicator_evalute' is marked @hookimpl but is not a hook of jixiao-sdk;"
                       r" did you mean 'jixiao_indicator_evaluate'\?"):
        build_plugin_manager([_module("typo", source)], discover=False)


def test_unmarked_hook_and_marked_non_hook_are_rejected():
    unmarked = GOOD.format(code="demo").replace("@hookimpl\ndef jixiao_indicator_evaluate", "def jixiao_indicator_evaluate")
    with pytest.raises(PluginRejected, match="'jixiao_indicator_evaluate' is not marked with @hookimpl"):
        build_plugin_manager([_module("unmarked", unmarked)], discover=False)
    stray = GOOD.format(code="demo") + "\n@hookimpl\ndef evaluate(spec, inputs):\n    pass\n"
    with pytest.raises(PluginRejected, match="'evaluate' is marked @hookimpl but is not a hook of"
                                             " jixiao-sdk; did you mean 'jixiao_indicator_evaluate'"):
        build_plugin_manager([_module("stray", stray)], discover=False)


def test_unmarked_misspelled_hook_is_rejected():
    source = GOOD.format(code="demo") + "\ndef jixiao_indicator_check_targets(spec, target):\n    pass\n"
    with pytest.raises(PluginRejected, match="'jixiao_indicator_check_targets' starts with 'jixiao_'"
                                             " but is not a hook of jixiao-sdk; did you mean"
                                             " 'jixiao_indicator_check_target'"):
        build_plugin_manager([_module("unmarked_typo", source)], discover=False)


def test_misspelled_argument_is_rejected():
    source = GOOD.format(code="demo").replace("def jixiao_indicator_evaluate(spec, inputs)",
                                              "def jixiao_indicator_evaluate(spec, input)")
    with pytest.raises(PluginRejected, match="plug-in 'args'.*'input'"):
        build_plugin_manager([_module("args", source)], discover=False)


@pytest.mark.parametrize("returned, message", [
    ("[]", "jixiao_indicator_specs returned no indicators"),
    ("'demo'", "jixiao_indicator_specs must return a list of IndicatorSpec, got str"),
    ("['demo']", "jixiao_indicator_specs returned 'demo', not an IndicatorSpec"),
    ("1 / 0", "jixiao_indicator_specs raised ZeroDivisionError: division by zero"),
])
def test_bad_specs_are_rejected(returned, message):
    source = f"""
from jixiao_sdk import IndicatorResult, hookimpl

@hookimpl
def jixiao_indicator_specs():
    return {returned}

@hookimpl
def jixiao_indicator_evaluate(spec, inputs):
    return None
"""
    with pytest.raises(PluginRejected, match=message):
        build_plugin_manager([_module("specs", source)], discover=False)


def test_evaluate_hook_is_required():
    source = GOOD.format(code="demo").split("@hookimpl\ndef jixiao_indicator_evaluate")[0]
    with pytest.raises(PluginRejected, match="implements no 'jixiao_indicator_evaluate' hook"):
        build_plugin_manager([_module("lazy", source)], discover=False)


def test_codes_unique_across_plugins_strict_and_lenient():
    first, second = _module("first", GOOD.format(code="same")), _module("second", GOOD.format(code="same"))
    with pytest.raises(PluginRejected, match="plug-in 'second' .*: indicator code 'same' is already"
                                             " provided by plug-in 'first'"):
        build_plugin_manager([first, second], discover=False)
    lenient = build_plugin_manager([first, second, _module("third", GOOD.format(code="other"))],
                                   discover=False, strict=False)
    assert list(lenient.specs()) == ["other", "same"]
    assert lenient.owner("same").name == "first"
    assert [p.plugin for p in lenient.problems] == ["second"]
    # The rejected plug-in left nothing behind in pluggy either.
    assert lenient.pm.get_plugin("second") is None


@pytest.fixture
def fake_distributions(tmp_path, monkeypatch):
    """Two installed distributions with entry points: one fine, one whose module is broken."""
    for dist, module, body in (("jixiao-indicator-fine", "fine_indicator", GOOD.format(code="fine")),
                               ("jixiao-indicator-broken", "broken_indicator", "raise ImportError('boom')")):
        (tmp_path / f"{module}.py").write_text(body, encoding="utf-8")
        info = tmp_path / f"{dist.replace('-', '_')}-2.0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 2.0.1\n")
        (info / "entry_points.txt").write_text(f"[jixiao.test_group]\n{module} = {module}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    for module in ("fine_indicator", "broken_indicator"):
        sys.modules.pop(module, None)


def test_discovery_through_entry_points(fake_distributions):
    host = IndicatorHost.discover(group="jixiao.test_group")
    assert host.plugin_versions() == {"fine": "jixiao-indicator-fine==2.0.1"}
    [problem] = host.problems()
    assert problem.plugin == "broken_indicator"
    assert problem.reason == ("plug-in 'broken_indicator' (jixiao-indicator-broken==2.0.1): cannot load"
                              " entry point 'broken_indicator': ImportError: boom")
    assert "plug-ins skipped at discovery: broken_indicator" in host.check_target("gone", None)[0]
    with pytest.raises(PluginRejected, match="ImportError: boom"):
        IndicatorHost.discover(group="jixiao.test_group", strict=True)


def test_hookimpl_marker_is_exported():
    @hookimpl
    def jixiao_indicator_specs():
        return []

    assert getattr(jixiao_indicator_specs, "jixiao_impl") is not None
