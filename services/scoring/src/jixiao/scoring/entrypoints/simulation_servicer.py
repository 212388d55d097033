"""gRPC `jixiao.v1.SimulationService` (proto/jixiao/v1/simulation.proto): what-if
simulations for the office, translated to and from service_layer/simulation.py."""
from __future__ import annotations

from jixiao.common.auth import TokenBook, rpc
from jixiao.v1 import simulation_pb2 as pb
from jixiao.v1 import simulation_pb2_grpc

from ..domain import simulation as rules
from ..domain.grading import GradingRule
from ..service_layer.simulation import Simulation, SimulationResult


class SimulationServicer(simulation_pb2_grpc.SimulationServiceServicer):
    def __init__(self, simulation: Simulation, tokens: TokenBook):
        self.simulation = simulation
        self.tokens = tokens

    @rpc("office")
    def Simulate(self, request, context, caller):
        result = self.simulation.simulate(request.scheme_code, request.period,
                                          [change_dict(c) for c in request.changes], caller)
        return simulate_response(result, self.simulation.service.specs_of(result.scheme))

    @rpc("office")
    def ListSimulations(self, request, context, caller):
        return pb.ListSimulationsResponse(simulations=[
            pb.SimulationRecord(id=r["id"], scheme_version=r["scheme_version"], period=r["period"],
                                changes_json=r["changes_json"], differences=r["differences"],
                                elapsed_ms=r["elapsed_ms"], asked_by=r["asked_by"], asked_at=r["asked_at"])
            for r in self.simulation.simulations(request.scheme_code)])


def change_dict(change: pb.SimulationChange) -> dict:
    """A change as the use case reads it: the fields set, numbers only when present."""
    found = {name: getattr(change, name) for name in ("kind", "unit_id", "indicator_code", "metric_code", "period",
                                                       "category", "dimension_code", "grading_code")
             if getattr(change, name)}
    for name in ("value", "weight"):
        if change.HasField(name):
            found[name] = getattr(change, name)
    if change.parts:
        found["parts"] = dict(change.parts)
    return found


def simulate_response(result: SimulationResult, specs) -> pb.SimulateResponse:
    scheme = result.scheme
    indicator_names = {code: (spec.name_zh, spec.name_en) for code, spec in specs.items()}
    grade_names = {}
    for document in scheme.document.get("grading") or []:
        try:
            rule = GradingRule.from_document(document)
        except (ValueError, TypeError, KeyError):
            continue
        for band in rule.grades:
            grade_names[(rule.code, band.grade)] = (band.name_zh or f"{band.grade}", band.name_en or f"{band.grade}")
    units = []
    for d in result.differences:
        unit = scheme.units[d.unit_id]
        zh, en = rules.explain(d, result.changes, indicator_names, grade_names)
        units.append(pb.SimulatedUnit(
            unit_id=d.unit_id, unit_name_zh=unit.name_zh, unit_name_en=unit.name_en, category=d.category,
            total_before=d.total_before, total_after=d.total_after, rank_before=d.rank_before,
            rank_after=d.rank_after,
            grades=[_grade(g, grade_names) for g in d.grades],
            indicators=[pb.SimulatedIndicator(
                indicator_code=i.indicator_code, name_zh=indicator_names.get(i.indicator_code, ("", ""))[0],
                name_en=indicator_names.get(i.indicator_code, ("", ""))[1], points_before=i.before,
                points_after=i.after) for i in d.indicators],
            changes=list(d.changes), explanation_zh=zh, explanation_en=en))
    leaders = []
    for d in result.leaders:
        unit = scheme.units[scheme.person_unit[d.unit_id]]
        zh, en = rules.explain(d, result.changes, indicator_names, grade_names)
        leaders.append(pb.SimulatedLeader(
            person_id=d.unit_id, name_zh=scheme.person_names.get(d.unit_id, ""), unit_id=unit.id,
            unit_name_zh=unit.name_zh, unit_name_en=unit.name_en, total_before=d.total_before,
            total_after=d.total_after, rank_before=d.rank_before, rank_after=d.rank_after,
            grades=[_grade(g, grade_names) for g in d.grades], changes=list(d.changes), explanation_zh=zh,
            explanation_en=en))
    figures = [result.replaced_figures[i] for i, c in enumerate(result.changes) if isinstance(c, rules.FigureChange)]
    return pb.SimulateResponse(scheme_code=scheme.code, scheme_version=scheme.version, period=result.period,
                               differences=units, units_compared=result.units_compared, replaced_figures=figures,
                               elapsed_ms=result.elapsed_ms, leaders=leaders)


def _grade(g: rules.GradeDelta, names) -> pb.SimulatedGrade:
    before, after = names.get((g.grading_code, g.before), ("", "")), names.get((g.grading_code, g.after), ("", ""))
    return pb.SimulatedGrade(grading_code=g.grading_code, grade_before=g.before, grade_after=g.after,
                             grade_before_zh=before[0], grade_before_en=before[1], grade_after_zh=after[0],
                             grade_after_en=after[1])
