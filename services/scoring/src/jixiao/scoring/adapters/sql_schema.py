"""The scoring service's tables (SQLAlchemy Core); migrations/ creates them."""
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

events = Table(
    "scoring_events",
    metadata,
    Column("event_id", String(128), primary_key=True),
    Column("source", String(128), nullable=False),
    Column("unit_id", String(128), nullable=False),
    Column("person_id", String(128), nullable=False),
    Column("metric_code", String(128), nullable=False),
    Column("value", Float, nullable=False),
    Column("measurement_unit", String(64), nullable=False),
    Column("period", String(16), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("observed_at", String(40), nullable=False),
    Column("reported_at", String(40), nullable=False),
    Column("revision_of", String(128), nullable=False),
    Column("evidence_ref", Text, nullable=False),
    Column("attributes_json", Text, nullable=False),
    Column("kafka_topic", String(255), nullable=False),
    Column("kafka_partition", Integer, nullable=False),
    Column("kafka_offset", BigInteger, nullable=False),
    Index("ix_scoring_events_unit_metric_start", "unit_id", "metric_code", "period_start"),
)

schemes = Table(
    "scoring_schemes",
    metadata,
    Column("code", String(100), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("year", Integer, nullable=False),
    Column("digest", String(100), nullable=False),
    Column("document_json", Text, nullable=False),
)

indicator_results = Table(
    "scoring_indicator_results",
    metadata,
    Column("scheme_code", String(100), primary_key=True),
    Column("unit_id", String(128), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("indicator_code", String(128), primary_key=True),
    Column("scheme_version", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("raw_value", Float, nullable=True),
    Column("achievement", Float, nullable=True),
    Column("points", Float, nullable=False),
    Column("explanation", Text, nullable=False),
    Column("evidence_json", Text, nullable=False),
    Column("plugin_version", String(255), nullable=False),
    Column("veto_cap", Integer, nullable=True),
    Column("veto_reason", Text, nullable=False),
)

unit_scores = Table(
    "scoring_unit_scores",
    metadata,
    Column("scheme_code", String(100), primary_key=True),
    Column("unit_id", String(128), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("scheme_version", Integer, nullable=False),
    Column("category", String(100), nullable=False),
    Column("total", Float, nullable=False),
    Column("dimensions_json", Text, nullable=False),
    Column("veto_cap", Integer, nullable=True),
    Index("ix_scoring_unit_scores_ranking", "scheme_code", "category", "period", "total"),
)

counters = Table(
    "scoring_counters",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

event_revisions = Table(
    "scoring_event_revisions",
    metadata,
    Column("original_id", String(128), primary_key=True),
    Column("revision_id", String(128), nullable=False, unique=True),
    Column("source", String(128), nullable=False),
    Column("reported_at", String(40), nullable=False),
)

person_scores = Table(
    "scoring_person_scores",
    metadata,
    Column("scheme_code", String(100), primary_key=True),
    Column("person_id", String(128), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("unit_id", String(128), nullable=False),
    Column("scheme_version", Integer, nullable=False),
    Column("total", Float, nullable=False),
    Column("unit_total", Float, nullable=False),
    Column("personal_points", Float, nullable=False),
    Column("personal_status", String(16), nullable=False),
    Column("explanation", Text, nullable=False),
    Column("evidence_json", Text, nullable=False),
    Column("plugin_version", String(255), nullable=False),
    Column("veto_cap", Integer, nullable=True),
    Column("veto_reason", Text, nullable=False),
    # The leader's own deductions (person_scoring.personal_deductions), added to the total.
    Column("deduction_points", Float, nullable=False, server_default="0"),
    Column("deduction_explanation", Text, nullable=False, server_default=""),
    Column("deduction_evidence_json", Text, nullable=False, server_default="[]"),
    Index("ix_scoring_person_scores_unit", "scheme_code", "unit_id", "period"),
)

period_states = Table(
    "scoring_period_states",
    metadata,
    Column("scheme_code", String(100), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("locked_by", String(255), nullable=False),
    Column("locked_at", String(40), nullable=False),
    Column("approved_by", String(255), nullable=False),
    Column("approved_at", String(40), nullable=False),
    Column("published_by", String(255), nullable=False),
    Column("published_at", String(40), nullable=False),
    Column("reason", Text, nullable=False),
    Column("result_digest", String(64), nullable=False),
)

period_actions = Table(
    "scoring_period_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scheme_code", String(100), nullable=False),
    Column("period", String(16), nullable=False),
    Column("action", String(16), nullable=False),
    Column("state_before", String(16), nullable=False),
    Column("state_after", String(16), nullable=False),
    Column("actor", String(255), nullable=False),
    Column("at", String(40), nullable=False),
    Column("reason", Text, nullable=False),
    Column("result_digest", String(64), nullable=False),
)

self_evaluations = Table(
    "scoring_self_evaluations",
    metadata,
    Column("scheme_code", String(100), primary_key=True),
    Column("unit_id", String(128), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("total", Float, nullable=False),
    Column("summary", Text, nullable=False),
    Column("submitted_by", String(255), nullable=False),
    Column("submitted_at", String(40), nullable=False),
)

self_scores = Table(
    "scoring_self_scores",
    metadata,
    # A self-evaluation's points per indicator, with the unit's basis; replaced with it.
    Column("scheme_code", String(100), primary_key=True),
    Column("unit_id", String(128), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("indicator_code", String(128), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("points", Float, nullable=False),
    Column("basis", Text, nullable=False),
)

simulations = Table(
    "scoring_simulations",
    metadata,
    # Every what-if simulation asked (domain/simulation.py), append-only: who asked which
    # changes of which period, and how many units came out different. Never a result.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scheme_code", String(100), nullable=False),
    Column("scheme_version", Integer, nullable=False),
    Column("period", String(16), nullable=False),
    Column("changes_json", Text, nullable=False),
    Column("differences", Integer, nullable=False),
    Column("elapsed_ms", Float, nullable=False),
    Column("asked_by", String(255), nullable=False),
    Column("asked_at", String(40), nullable=False),
    Index("ix_scoring_simulations_scheme", "scheme_code", "id"),
)

self_evaluation_history = Table(
    "scoring_self_evaluation_history",
    metadata,
    # Every self-evaluation submitted, append-only (a later one replaces the current row, never
    # this record): the audit trail of what a unit said of itself, who sent it and when.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scheme_code", String(100), nullable=False),
    Column("unit_id", String(128), nullable=False),
    Column("period", String(16), nullable=False),
    Column("total", Float, nullable=False),
    Column("summary", Text, nullable=False),
    Column("scores_json", Text, nullable=False),
    Column("submitted_by", String(255), nullable=False),
    Column("submitted_at", String(40), nullable=False),
    Index("ix_scoring_self_evaluation_history_unit", "scheme_code", "unit_id", "period"),
)

work_reports = Table(
    "scoring_work_reports",
    metadata,
    # Work reports (述职报告), every version kept: a later upload for the same (unit, person,
    # period) is the next version. person_id is empty for the leadership team's report.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scheme_code", String(100), nullable=False),
    Column("unit_id", String(128), nullable=False),
    Column("person_id", String(128), nullable=False),
    Column("period", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("media_type", String(128), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", String(255), nullable=False),
    Column("uploaded_at", String(40), nullable=False),
    Index("ix_scoring_work_reports_unit", "scheme_code", "unit_id", "period"),
)

pending_rescores = Table(
    "scoring_pending_rescores",
    metadata,
    # Changes stored but not yet rescored. Rows are never updated: a rescorer
    # deletes exactly the ids it read, so a change stored meanwhile stays.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scheme_code", String(100), nullable=False),
    Column("unit_id", String(128), nullable=False),
    Column("period", String(16), nullable=False),
    Column("metric_code", String(128), nullable=False),
    Column("person_id", String(128), nullable=False),
)

tie_resolutions = Table(
    "scoring_tie_resolutions",
    metadata,
    # The office's resolutions of boundary ties (grading.py): append-only, the
    # newest one naming a tie applies. Who, when and why, like period actions.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scheme_code", String(100), nullable=False),
    Column("grading_code", String(100), nullable=False),
    Column("period", String(16), nullable=False),
    Column("total", Float, nullable=False),
    Column("tied_ids_json", Text, nullable=False),
    Column("order_json", Text, nullable=False),
    Column("grades_json", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor", String(255), nullable=False),
    Column("at", String(40), nullable=False),
    Index("ix_scoring_tie_resolutions_rule_period", "scheme_code", "grading_code", "period"),
)

findings = Table(
    "scoring_findings",
    metadata,
    # The anomaly checks' findings (疑点, domain/anomalies.py) of a scheme's year, kept
    # by a key derived from what they are about and their evidence (service_layer/findings_review.py): a
    # refresh updates what it finds again, adds what is new and flags what it no longer
    # finds (`found_now`); the office's review (state, comment, who, when) stays.
    Column("scheme_code", String(100), primary_key=True),
    Column("finding_key", String(64), primary_key=True),
    Column("period", String(16), nullable=False),
    Column("period_to", String(16), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("unit_id", String(128), nullable=False),
    Column("other_unit_id", String(128), nullable=False),
    Column("metric_code", String(128), nullable=False),
    Column("source", String(128), nullable=False),
    Column("rule", String(100), nullable=False),
    Column("message_zh", Text, nullable=False),
    Column("message_en", Text, nullable=False),
    Column("evidence_json", Text, nullable=False),
    Column("numbers_json", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("comment", Text, nullable=False),
    Column("marked_by", String(255), nullable=False),
    Column("marked_at", String(40), nullable=False),
    Column("first_found_at", String(40), nullable=False),
    Column("last_found_at", String(40), nullable=False),
    Column("found_now", Boolean, nullable=False),
)

finding_marks = Table(
    "scoring_finding_marks",
    metadata,
    # Every mark the office gives a finding: append-only, who, when and why.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scheme_code", String(100), nullable=False),
    Column("finding_key", String(64), nullable=False),
    Column("state_before", String(16), nullable=False),
    Column("state_after", String(16), nullable=False),
    Column("comment", Text, nullable=False),
    Column("actor", String(255), nullable=False),
    Column("at", String(40), nullable=False),
    Index("ix_scoring_finding_marks_finding", "scheme_code", "finding_key"),
)

sheet_versions = Table(
    "scoring_sheet_versions",
    metadata,
    # Responsible departments' score sheets (domain/score_sheets.py): every version of a
    # sheet of (scheme, indicator, period), the newest its current one. A version's state,
    # signature and review change in place as it moves on; a version submitted once is
    # never edited (a change is the next version).
    Column("scheme_code", String(100), primary_key=True),
    Column("indicator_code", String(128), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("department", String(128), nullable=False),
    Column("state", String(16), nullable=False),
    Column("signed_by", String(255), nullable=False),
    Column("signed_at", String(40), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("review_comment", Text, nullable=False),
    Column("reviewed_by", String(255), nullable=False),
    Column("reviewed_at", String(40), nullable=False),
    Column("correction_reason", Text, nullable=False),
)

sheet_rows = Table(
    "scoring_sheet_rows",
    metadata,
    # The rows of a sheet version: a unit's points on an item, with its basis and evidence.
    Column("scheme_code", String(100), primary_key=True),
    Column("indicator_code", String(128), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("unit_id", String(128), primary_key=True),
    Column("item", String(128), primary_key=True),
    Column("points", Float, nullable=False),
    Column("basis", Text, nullable=False),
    Column("evidence_ref", Text, nullable=False),
)

sheet_history = Table(
    "scoring_sheet_history",
    metadata,
    # Every step of a sheet, append-only: who, when, why, on which version (the audit trail).
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scheme_code", String(100), nullable=False),
    Column("indicator_code", String(128), nullable=False),
    Column("period", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("action", String(32), nullable=False),
    Column("actor", String(255), nullable=False),
    Column("at", String(40), nullable=False),
    Column("reason", Text, nullable=False),
    Index("ix_scoring_sheet_history_sheet", "scheme_code", "indicator_code", "period"),
)

# -- assessment teams (考核组现场考核, domain/assessment_teams.py) --------------------------------
# A round is (scheme, indicator, period). The roster tables hold every member who ever held a
# place (replaced ones inactive) and are rewritten whole on each change of the round; scores,
# closings and the history are only added to or, for a draft, updated.

assessment_rounds = Table(
    "scoring_assessment_rounds",
    metadata,
    Column("scheme_code", String(100), primary_key=True),
    Column("indicator_code", String(128), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("locked_by", String(255), nullable=False),
    Column("locked_at", String(40), nullable=False),
)

assessment_teams = Table(
    "scoring_assessment_teams",
    metadata,
    Column("scheme_code", String(100), primary_key=True),
    Column("indicator_code", String(128), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("team_code", String(64), primary_key=True),
    Column("name", String(255), nullable=False),
)

assessment_members = Table(
    "scoring_assessment_members",
    metadata,
    # Every member of a team's roster, in the order they joined (`seq`); one active per position.
    Column("scheme_code", String(100), primary_key=True),
    Column("indicator_code", String(128), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("team_code", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("position", Integer, nullable=False),
    Column("assessor", String(64), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("joined_at", String(40), nullable=False),
    Column("left_at", String(40), nullable=False),
    Column("replaced_by", String(64), nullable=False),
    Column("reason", Text, nullable=False),
)

assessment_units = Table(
    "scoring_assessment_units",
    metadata,
    # The team a unit is assigned to in a round.
    Column("scheme_code", String(100), primary_key=True),
    Column("indicator_code", String(128), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("unit_id", String(128), primary_key=True),
    Column("team_code", String(64), nullable=False),
    Column("seq", Integer, nullable=False),
)

assessment_entries = Table(
    "scoring_assessment_entries",
    metadata,
    # One assessor's scores of one unit: a draft until submitted, then frozen.
    Column("scheme_code", String(100), primary_key=True),
    Column("indicator_code", String(128), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("unit_id", String(128), primary_key=True),
    Column("assessor", String(64), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("saved_at", String(40), nullable=False),
    Column("submitted_at", String(40), nullable=False),
)

assessment_scores = Table(
    "scoring_assessment_scores",
    metadata,
    # An entry's points on one item, with the assessor's basis.
    Column("scheme_code", String(100), primary_key=True),
    Column("indicator_code", String(128), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("unit_id", String(128), primary_key=True),
    Column("assessor", String(64), primary_key=True),
    Column("item", String(128), primary_key=True),
    Column("points", Float, nullable=False),
    Column("basis", Text, nullable=False),
)

assessment_closings = Table(
    "scoring_assessment_closings",
    metadata,
    # Each time the office closed a unit's scoring: what it counted (JSON [[position, assessor, total]]).
    Column("scheme_code", String(100), primary_key=True),
    Column("indicator_code", String(128), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("unit_id", String(128), primary_key=True),
    Column("closing", Integer, primary_key=True, autoincrement=False),
    Column("closed_by", String(255), nullable=False),
    Column("closed_at", String(40), nullable=False),
    Column("counted_json", Text, nullable=False),
)

assessment_history = Table(
    "scoring_assessment_history",
    metadata,
    # Every step of a round, append-only: who, when, why (the audit trail of the roster too).
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scheme_code", String(100), nullable=False),
    Column("indicator_code", String(128), nullable=False),
    Column("period", String(16), nullable=False),
    Column("action", String(32), nullable=False),
    Column("actor", String(255), nullable=False),
    Column("at", String(40), nullable=False),
    Column("team_code", String(64), nullable=False),
    Column("unit_id", String(128), nullable=False),
    Column("detail", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Index("ix_scoring_assessment_history_round", "scheme_code", "indicator_code", "period"),
)

# Democratic evaluation ballots (domain/ballots.py, docs/ballots.md). No table holds a code,
# a time of voting or anything linking a ballot to a code: a code is its keyed hash and a
# state; a ballot its random id, group, round and ratings. Both are WITHOUT ROWID on SQLite,
# so not even the storage order follows the order of voting (PostgreSQL: docs/ballots.md).
ballot_codes = Table(
    "scoring_ballot_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("scheme_code", String(100), nullable=False),
    Column("indicator_code", String(128), nullable=False),
    Column("period", String(16), nullable=False),
    Column("unit_id", String(128), nullable=False),
    Column("rater_group", String(128), nullable=False),
    Column("state", String(8), nullable=False),  # issued, spent, void
    Index("ix_scoring_ballot_codes_round", "scheme_code", "indicator_code", "period", "unit_id", "rater_group"),
    sqlite_with_rowid=False,
)

ballots = Table(
    "scoring_ballots",
    metadata,
    Column("ballot_id", String(32), primary_key=True),
    Column("scheme_code", String(100), nullable=False),
    Column("indicator_code", String(128), nullable=False),
    Column("period", String(16), nullable=False),
    Column("unit_id", String(128), nullable=False),
    Column("rater_group", String(128), nullable=False),
    Column("ratings_json", Text, nullable=False),  # {subject: value}; "" is the leadership team
    Index("ix_scoring_ballots_round", "scheme_code", "indicator_code", "period", "unit_id", "rater_group"),
    sqlite_with_rowid=False,
)

ballot_counts = Table(
    "scoring_ballot_counts",
    metadata,
    # The last count of a round's group: how many ballots and issued codes its tally events say.
    Column("scheme_code", String(100), primary_key=True),
    Column("indicator_code", String(128), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("unit_id", String(128), primary_key=True),
    Column("rater_group", String(128), primary_key=True),
    Column("ballots", Integer, nullable=False),
    Column("issued", Integer, nullable=False),
)

ballot_audit = Table(
    "scoring_ballot_audit",
    metadata,
    # Who issued, voided or counted how many of which group, when: append-only, never a code.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scheme_code", String(100), nullable=False),
    Column("indicator_code", String(128), nullable=False),
    Column("period", String(16), nullable=False),
    Column("unit_id", String(128), nullable=False),
    Column("rater_group", String(128), nullable=False),
    Column("action", String(16), nullable=False),
    Column("actor", String(255), nullable=False),
    Column("at", String(40), nullable=False),
    Column("count", Integer, nullable=False),
    Index("ix_scoring_ballot_audit_round", "scheme_code", "indicator_code", "period", "unit_id"),
)
