"""Offline testing kit: feed events and a target to a plug-in inside a unit test.

No service, database or Kafka is needed. The kit registers the plug-in with the same
validation as the platform and scores through the same :class:`~jixiao_sdk.IndicatorHost`,
so a test that passes here exercises exactly what production will run::

    from jixiao_sdk.testing import IndicatorTestKit
    import jixiao_indicator_road_safety as plugin

    def test_full_marks():
        kit = IndicatorTestKit(plugin)
        events = kit.monthly("road_km_built", [10.0, 12.0, 8.0], unit="km")
        result = kit.evaluate("road_safety", events, target=30.0)
        assert result.points == 100.0
        print(result.explanation)

By default :meth:`IndicatorTestKit.evaluate` also checks determinism: it scores the
events a second time, in reverse order, and fails the test if the result differs: a
plug-in must give identical results for identical inputs. It also fails a test whose
target names a parameter the spec does not declare (``IndicatorSpec.parameters``), as
the registry would refuse that target in a scheme.

Year to date: ``kit.evaluate(code, events, period="2026", as_of_period="2026-Q3",
elapsed_share=273 / 365, baseline=kit.monthly(metric, amounts, year="2025"))`` passes
what the platform passes for the third quarter of a ``year_to_date`` indicator.

Generic indicators: configure one as a scheme would, then evaluate its code::

    kit = IndicatorTestKit(jixiao_indicator_generic)
    kit.configure("generic_rate", "on_time_rate", settings={
        "formula": "rate", "numerator": "cases_on_time", "denominator": "cases_received",
        "target": 0.95})
    kit.evaluate("on_time_rate", [kit.event("cases_received", 40, period="2026-03"), ...])

An indicator ranking a unit among its peers (``IndicatorSpec.needs_peers``) gets them
with ``peers={"U-2": [kit.event(...)], ...}``; the determinism check reverses every
peer's events too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .host import IndicatorHost, unknown_parameter_problems
from .model import IndicatorInput, IndicatorResult, IndicatorSpec, Milestone, Observation, Target


class IndicatorTestKit:
    """Registers *plugins* (modules or objects) and scores test inputs through the host."""

    def __init__(self, *plugins: object, timeout_s: float | None = None) -> None:
        """Build the kit; ``timeout_s=None`` runs plug-ins inline (easiest to debug)."""
        if not plugins:
            raise TypeError("IndicatorTestKit needs at least one plug-in module or object")
        self.host = IndicatorHost.from_plugins(plugins, timeout_s=timeout_s, strict=True)
        self._next_id = 0

    def spec(self, code: str) -> IndicatorSpec:
        """The spec the plug-in declared for *code*, or configured with :meth:`configure`
        (``KeyError`` naming known codes)."""
        found = self.host.spec(code)
        if found is None:
            known = [*self.host.specs(), *self.host.configured()]
            raise KeyError(f"no indicator {code!r}; the plug-in declares {', '.join(known)}")
        return found

    def configure(self, base_code: str, code: str, *, name_zh: str | None = None,
                  name_en: str | None = None, settings: Mapping[str, object] | None = None,
                  **more_settings: object) -> IndicatorSpec:
        """Configure generic indicator *code* from base *base_code*, as scoring does for a
        scheme's ``indicators[].generic`` block; returns the configured spec.

        *settings* (and keyword settings) are the block; names default to *code*.
        Unusable settings raise :class:`ValueError` naming the setting, as the platform
        reports them.
        """
        block = {**(settings or {}), **more_settings}
        return self.host.configure(base_code, code, name_zh or code, name_en or code, block)

    def event(self, metric_code: str, value: float, *, period: str = "", unit: str = "",
              event_id: str | None = None, source: str = "test",
              **attributes: str) -> Observation:
        """An observation with a fresh id (``ev-1``, ``ev-2``, ...) unless *event_id* is given."""
        if event_id is None:
            self._next_id += 1
            event_id = f"ev-{self._next_id}"
        return Observation(event_id=event_id, metric_code=metric_code, value=value,
                           measurement_unit=unit, period=period, source=source,
                           attributes=attributes)

    def monthly(self, metric_code: str, amounts: Sequence[float], *, year: str = "2026",
                unit: str = "") -> list[Observation]:
        """One observation per month from January, with the given amounts."""
        if len(amounts) > 12:
            raise ValueError(f"a year has 12 months, got {len(amounts)} amounts")
        return [self.event(metric_code, amount, period=f"{year}-{month:02d}", unit=unit)
                for month, amount in enumerate(amounts, start=1)]

    def inputs(self, code: str, events: Iterable[Observation] = (), *,
               target: Target | float | None = None, params: Mapping[str, float | str] | None = None,
               milestones: Iterable[Milestone] = (), unit: str = "", period: str = "2026",
               elapsed_share: float = 1.0, unit_id: str = "unit-test",
               unit_category: str = "county", person_id: str | None = None,
               as_of_period: str = "", baseline: Iterable[Observation] = (),
               year_start_month: int = 1,
               peers: Mapping[str, Iterable[Observation]] | None = None) -> IndicatorInput:
        """Build an :class:`~jixiao_sdk.IndicatorInput`.

        *target* may be a :class:`~jixiao_sdk.Target` or just the target figure, with
        *params*, *milestones* and the measurement *unit* given separately. *as_of_period*
        and *baseline* are the year-to-date fields (see :class:`~jixiao_sdk.IndicatorInput`);
        *year_start_month* the month a financial year starts in (1, calendar years, by default);
        *peers* the peer group's observations by unit id, for an indicator whose spec sets
        ``needs_peers`` (see :attr:`~jixiao_sdk.IndicatorInput.peers`).
        """
        if not isinstance(target, Target) and (target is not None or params or milestones):
            target = Target(value=target, measurement_unit=unit, params=params or {},
                            milestones=tuple(milestones))
        return IndicatorInput(indicator_code=code, unit_id=unit_id, unit_category=unit_category,
                              person_id=person_id, period=period, elapsed_share=elapsed_share,
                              observations=tuple(events), target=target,
                              as_of_period=as_of_period, baseline=tuple(baseline),
                              year_start_month=year_start_month,
                              peers={unit: tuple(items) for unit, items in (peers or {}).items()})

    def evaluate(self, code: str, events: Iterable[Observation] = (), *, expect_ok: bool = True,
                 check_reproducible: bool = True, check_parameters: bool = True,
                 **inputs_kwargs: object) -> IndicatorResult:
        """Score *events* on *code* and return the result.

        Keyword arguments are those of :meth:`inputs`. With *expect_ok* a failed result
        raises :class:`AssertionError` carrying the reason (and the plug-in's exception as
        its cause); set it to ``False`` to test failures. With *check_reproducible* the events are
        scored again in reverse order (the baseline too) and the two results must be
        identical. With *check_parameters* a target naming a parameter the spec does not
        declare raises :class:`AssertionError`: the registry would refuse that target.
        """
        events = list(events)
        baseline = list(inputs_kwargs.pop("baseline", ()))  # type: ignore[call-overload]
        inputs = self.inputs(code, events, baseline=baseline, **inputs_kwargs)
        spec = self.host.spec(code)
        if check_parameters and spec is not None:
            unknown = unknown_parameter_problems(spec, inputs.target)
            if unknown:
                raise AssertionError(f"{code}: " + "; ".join(unknown))
        evaluation = self.host.evaluate_detailed(code, inputs)
        result = evaluation.result
        if expect_ok and not result.ok:
            raise AssertionError(f"{code}: {result.reason}") from evaluation.error
        if check_reproducible:
            peers = inputs_kwargs.pop("peers", None)
            reversed_peers = {unit: list(items)[::-1]
                              for unit, items in reversed(list((peers or {}).items()))}  # type: ignore[union-attr]
            again = self.host.evaluate(code, self.inputs(code, events[::-1], baseline=baseline[::-1],
                                                         peers=reversed_peers, **inputs_kwargs))
            if again != result:
                raise AssertionError(
                    f"{code}: the result is not reproducible: scoring the same events"
                    f" again, in reverse order, gave a different result\n"
                    f"  in order:  {result}\n  reversed:  {again}"
                )
        return result

    def check_target(self, code: str, target: Target | float | None, **target_kwargs: object
                     ) -> tuple[str, ...]:
        """The problems the platform reports for *target*: parameters the spec does not
        declare, then the plug-in's own (see ``jixiao_indicator_check_target``)."""
        if not isinstance(target, Target) and (target is not None or target_kwargs):
            target = Target(value=target, **target_kwargs)
        return self.host.check_target(code, target)
