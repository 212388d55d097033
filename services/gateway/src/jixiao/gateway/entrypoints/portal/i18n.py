"""The portal's two languages: Chinese first (zh-CN), English on request.

The choice is remembered in a cookie; every page is rendered in one
language, with `lang` set on <html> and on any text in the other language
(plug-in formulas are written in English only).
"""
from __future__ import annotations

from flask import g, has_app_context, request

from jixiao_sdk.helpers import year_to_date_span
from jixiao_sdk.periods import CALENDAR_YEAR, Calendar, PeriodError

LANGS = {"zh": "zh-CN", "en": "en"}
DEFAULT = "zh"
COOKIE = "jixiao_lang"

# UI strings, by key: (中文, English). Terms follow docs/glossary.md.
STRINGS: dict[str, tuple[str, str]] = {
    "site": ("绩效考核公示", "Performance evaluation results"),
    "site_office": ("考核办工作台", "Evaluation office desk"),
    "switch_to": ("English", "中文"),
    "switch_label": ("Switch to English", "切换到中文"),
    "nav_results": ("考核结果", "Results"),
    "nav_progress": ("进度预警", "Progress and warnings"),
    "nav_bulletin": ("通报", "Bulletin"),
    "nav_office": ("考核办登录", "Office login"),
    "nav_office_home": ("考核期管理", "Periods"),
    "logout": ("退出", "Sign out"),
    "skip": ("跳到正文", "Skip to content"),
    "scheme": ("考核方案", "Evaluation scheme"),
    "period": ("考核期", "Period"),
    "show": ("查看", "Show"),
    "no_scheme": ("尚未发布考核方案。", "No evaluation scheme has been published yet."),
    "no_published": ("暂无已发布的考核结果", "No published results yet"),
    "no_published_detail": ("考核结果经考核办审核并公示后在此发布。以下是本年度考核方案确定的考核对象。",
                            "Results appear here once the evaluation office has reviewed and published them. "
                            "Below are the units this year's scheme evaluates."),
    "units_under_evaluation": ("考核对象", "Units under evaluation"),
    "not_published": ("该考核期的结果尚未公示。", "The results of this period have not been published."),
    "not_found": ("没有找到该页面。", "Page not found."),
    "unavailable": ("服务暂不可用，请稍后再试。", "The service is unavailable; please try again shortly."),
    "back_home": ("返回首页", "Back to the results"),
    "grade_distribution": ("等次分布", "Grade distribution"),
    "grade_distribution_of": ("{name}等次分布", "Grade distribution: {name}"),
    "tie_pending": ("并列待定", "Tie pending"),
    "tie_pending_count": ("另有{n}{unit}在等次分界处并列，待考核办确定。",
                          "{n} more {unit} are tied at a grade boundary, pending the evaluation office's decision."),
    "ties_title": ("等次并列", "Ties at grade boundaries"),
    "ties_not_graded": ("本期不评定等次，没有等次并列。", "No grades in this period, so no ties at a grade boundary."),
    "person": ("干部", "Leader"),
    "ties_intro": ("总分及各项比较指标都相同、跨越等次分界的考核对象（并列），不按编号定等次：由考核办确定次序并说明理由。"
                   "本期公示前须处理完毕。",
                   "Entries equal on the total and on every tie-break criterion across a grade boundary (a tie) are "
                   "not graded by their ids: the evaluation office decides, with its reason. Every tie must be resolved "
                   "before the period is published."),
    "ties_link": ("等次并列", "Ties"),
    "ties_pending_link": ("并列待定 {n}", "{n} tied"),
    "no_ties": ("本期没有跨越等次分界的并列。", "No ties across a grade boundary in this period."),
    "not_graded_here": ("{rule}：{reason}", "{rule}: {reason}"),
    "tie_total": ("并列总分 {total}", "Tied at {total}"),
    "tie_places": ("名额：{places}", "Places: {places}"),
    "tie_resolved": ("已确定：{order}（{by}，{at}）", "Resolved: {order} ({by}, {at})"),
    "tie_unresolved": ("待确定", "Pending"),
    "tie_grade_for": ("{name}的等次", "Grade of {name}"),
    "resolve_tie": ("确定等次", "Decide"),
    "tie_reason_placeholder": ("理由（必填）", "Reason (required)"),
    "done_resolve_tie": ("已确定{rule}并列等次。", "The tie of {rule} is resolved."),
    "grading_departments": ("市直部门", "Municipal departments"),
    "grading_leaders": ("领导干部", "Leaders"),
    "grading_district_county": ("区县（市）", "Districts and counties"),
    "people": ("人", "people"),
    "units_count": ("个", "units"),
    "rankings": ("分类排名", "Rankings by category"),
    "rank": ("名次", "Rank"),
    "unit": ("单位", "Unit"),
    "score": ("得分", "Score"),
    "total": ("总分", "Total"),
    "grade": ("等次", "Grade"),
    "change": ("较上期", "Change"),
    "rank_of": ("第{rank}名（共{size}个）", "Rank {rank} of {size}"),
    "no_scores": ("暂无得分。", "No scores yet."),
    "movers": ("位次变化", "Movers"),
    "risers": ("上升", "Rising"),
    "fallers": ("下降", "Falling"),
    "ranks_up": ("上升{n}位", "up {n}"),
    "ranks_down": ("下降{n}位", "down {n}"),
    "vs_previous": ("较上期 {period}", "vs {period}"),
    "vs_last_year": ("较去年同期 {period}", "vs same period last year {period}"),
    "warnings": ("进度预警", "Early warnings on progress"),
    "warnings_count": ("本期有{n}项进度预警。", "{n} early warnings on progress this period."),
    "no_warnings": ("本期无进度预警。", "No early warnings this period."),
    "progress_title": ("目标进度", "Progress towards the year's targets"),
    "progress_intro": ("截至{as_of}的年度目标完成进度；落后时序进度超过{tolerance}即预警。",
                       "Progress towards the year's targets at {as_of}; a unit lagging the plan by more than "
                       "{tolerance} gets a warning."),
    "indicator": ("指标", "Indicator"),
    "done": ("完成", "Done"),
    "target": ("目标", "Target"),
    "actual_share": ("完成率", "Done"),
    "expected_share": ("时序进度", "Due"),
    "gap": ("差距", "Gap"),
    "status": ("状态", "Status"),
    "warning": ("预警", "Warning"),
    "on_track": ("正常", "On track"),
    "warnings_only": ("只看预警", "Warnings only"),
    "all_entries": ("全部", "All"),
    "dimensions": ("维度得分", "Dimension scores"),
    "dimension": ("维度", "Dimension"),
    "weight": ("权重", "Weight"),
    "additive": ("加减", "additive"),
    "scheme_weight": ("方案权重", "Scheme weight"),
    "period_weight": ("本期权重", "Weight this period"),
    "not_assessed": ("本期不考核", "not assessed this period"),
    "basis_title": ("本期总分口径", "What this total counts"),
    "basis_weights": ("各维度本期权重见维度得分表。", "Each dimension's weight this period: see the dimension table."),
    "basis_missing": ("缺项{n}项，见下方列表。", "Missing results ({n}): see the list below."),
    "missing_title": ("缺项", "Missing results"),
    "missing_intro": ("以下指标本期应考核，但没有可用的结果。", "These indicators are assessed in this period but have no usable result."),
    "counted_as": ("计分方式", "Counted as"),
    "counted_zero": ("按0分计", "counted as 0"),
    "counted_excluded": ("不计入，其余权重按比例归一", "left out, the other weights renormalised"),
    "year_to_date": ("年初至今累计", "year to date"),
    "year_to_date_title": ("本期结果为年初至期末的累计数，对照序时进度", "The figure since the start of the year, against the plan due by the period's end"),
    "not_counted": ("不计入本期总分", "not counted this period"),
    "team_note": ("注：{note}。", "Note: {note}."),
    "indicators": ("指标得分与说明", "Indicator results and explanations"),
    "raw_value": ("实际值", "Measured"),
    "achievement": ("完成度", "Achievement"),
    "points": ("指标得分", "Points"),
    "explanation": ("说明", "Explanation"),
    "formula": ("计算公式", "Formula"),
    "plugin": ("插件版本", "Plug-in version"),
    "evidence": ("依据事件", "Evidence events"),
    "failed": ("计算失败", "Failed"),
    "trend": ("季度走势与同类比较", "Quarterly trend against peers"),
    "trend_none": ("暂无已公示的季度结果。", "No quarter has been published yet."),
    "this_unit": ("本单位", "This unit"),
    "peer_mean": ("同类平均", "Peer average"),
    "peer_best": ("同类最高", "Peer best"),
    "peer_group": ("同类", "Peer group"),
    "quarter": ("季度", "Quarter"),
    "unit_progress": ("本单位目标进度", "This unit's progress"),
    "no_progress": ("本单位本期无累计型目标。", "This unit has no amount targets to track this period."),
    "team": ("领导班子", "Leadership team"),
    "member": ("班子成员", "Team member"),
    "position": ("职务", "Position"),
    "self_evaluation": ("单位自评", "Self-evaluation"),
    "self_total": ("自评分", "Self-assessed total"),
    "computed_total": ("计算得分", "Computed total"),
    "capped": ("一票否决", "Veto"),
    "state": ("状态", "State"),
    "state_open": ("进行中", "Open"),
    "state_locked": ("已锁定", "Locked"),
    "state_approved": ("已审核", "Approved"),
    "state_published": ("已公示", "Published"),
    "state_unknown": ("未知", "Unknown"),
    "unpublished_banner": ("内部预览：该考核期尚未公示，结果仅考核办可见。",
                           "Internal preview: this period is not published; only the evaluation office sees it."),
    "login_title": ("考核办登录", "Evaluation office sign-in"),
    "login_intro": ("使用考核办令牌登录后，可查看未公示的考核期并进行锁定、审核和公示。",
                    "Sign in with the evaluation office's token to see unpublished periods and to lock, approve "
                    "and publish them."),
    "token": ("考核办令牌", "Office token"),
    "login": ("登录", "Sign in"),
    "login_failed": ("令牌无效，或不是考核办令牌。", "The token is unknown or is not an evaluation office token."),
    "login_unconfigured": ("网关未配置令牌文件（JIXIAO_TOKENS_FILE），无法登录。",
                           "The gateway has no tokens file (JIXIAO_TOKENS_FILE); sign-in is not possible."),
    "signed_in_as": ("已登录：{name}", "Signed in: {name}"),
    "periods_title": ("考核期", "Periods"),
    "periods_intro": ("考核期依次经过锁定、审核、公示；公示后结果对公众可见。",
                      "A period is locked, approved after review, then published; published results are public."),
    "periods_unimplemented": ("评分服务暂不提供考核期状态（ListPeriods 未实现）；以下为本年度的考核期，可预览结果，暂不能操作。",
                              "The scoring service does not report period states yet (ListPeriods is not implemented); "
                              "below are this year's periods to preview, without actions."),
    "no_periods": ("暂无考核期。", "No periods yet."),
    "actions": ("操作", "Actions"),
    "preview": ("预览", "Preview"),
    "lock": ("锁定", "Lock"),
    "approve": ("审核通过", "Approve"),
    "publish": ("公示", "Publish"),
    "reopen": ("重新开放", "Reopen"),
    "reason": ("原因", "Reason"),
    "recheck": ("回溯复核", "Recheck"),
    "recheck_identical": ("{period}回溯复核一致：{n}项结果按存档事件重算，与锁定时完全相同。",
                          "{period} rechecked: {n} results recomputed from the stored events equal those stored at lock."),
    "recheck_different": ("{period}回溯复核发现差异：{differences}", "{period} recheck found differences: {differences}"),
    "locked_by": ("锁定", "Locked"),
    "approved_by": ("审核", "Approved"),
    "published_by": ("公示", "Published"),
    "done_lock": ("{period} 已锁定。", "{period} is locked."),
    "done_approve": ("{period} 已审核通过。", "{period} is approved."),
    "done_publish": ("{period} 已公示。", "{period} is published."),
    "done_reopen": ("{period} 已重新开放。", "{period} is open again."),
    "action_failed": ("操作未完成：{message}", "The action did not complete: {message}"),
    "action_unimplemented": ("评分服务尚未实现该操作。", "The scoring service does not implement this action yet."),
    "session_expired": ("页面已过期，请重试。", "The page expired; please try again."),
    "chart_bar": ("{label}：{value}", "{label}: {value}"),
    "grade_chart_desc": ("柱形图，每个等次一根柱，柱高为人数或单位数。", "Bar chart, one bar per grade, height = how many."),
    "dim_chart_desc": ("条形图，每个维度一条，长度为维度得分（满分100）；本期不考核的维度不画条。",
                       "Bar chart, one bar per dimension, length = the dimension's score (out of 100); "
                       "a dimension not assessed this period has no bar."),
    "trend_chart_desc": ("折线图：本单位各季度总分与同类平均、同类最高。",
                         "Line chart: this unit's total per quarter against the peer average and the peer best."),
    "progress_chart_desc": ("条形图：完成率与时序进度。", "Bar chart: share done against share due."),
    "bulletin_title": ("{period}考核通报", "Evaluation bulletin, {period}"),
    "bulletin_intro": ("截至{as_of}。各类别按总分排名；重点指标为年初至期末累计完成数，对照年度计划和序时进度。",
                       "As of {as_of}. Units are ranked by total within each category; key indicators are the figures "
                       "since the start of the year against the year's plan and the schedule."),
    "bulletin_compared": ("较上期：与{period}通报比较。", "Changes are against the bulletin of {period}."),
    "bulletin_uncompared": ("上期（{period}）结果未公示，本通报不作比较。",
                            "The period before ({period}) is not published, so no changes are shown."),
    "bulletin_ranking": ("综合排名", "Ranking by total"),
    "key_indicators": ("重点指标完成情况", "Key indicators"),
    "col_ytd": ("{span}完成", "Done {span}"),
    "col_plan": ("年计划", "Annual plan"),
    "col_completion": ("占年计划", "Of plan"),
    "col_expected": ("序时进度", "Schedule"),
    "col_ahead": ("快慢（百分点）", "vs schedule (pts)"),
    "col_key_rank": ("排名", "Rank"),
    "col_rank_change": ("名次变化", "Rank change"),
    "col_since_last_points": ("较上期（百分点）", "Since last (pts)"),
    "col_yoy": ("同比", "Year on year"),
    "ahead": ("快{n}", "{n} ahead"),
    "behind": ("慢{n}", "{n} behind"),
    "yoy_title": ("上年同期{value}", "Same span last year: {value}"),
    "yoy_unknown": ("上年同期数据不全，不作同比", "Last year's same span is not known in full: no comparison"),
    "rank_was": ("上期第{n}名", "ranked {n} last time"),
    "incomplete_tag": ("缺报{n}项", "{n} missing"),
    "incomplete_title": ("该单位有考核方案要求报送的数据未报送", "This unit has not reported figures the scheme expects"),
    "incomplete_note": ("缺报：该单位有考核方案要求报送的数据尚未报送，得分和完成数仅基于已报数据。",
                        "Missing: the unit has not reported figures the scheme expects; its total and figures rest "
                        "on what it has reported."),
    "warning_line": ("{unit}{indicator}：完成{done}，序时进度{due}，落后{gap}个百分点。",
                     "{unit}, {indicator}: {done} done, {due} due, {gap} points behind."),
    "no_category_warnings": ("本类别无进度预警。", "No early warnings in this category."),
    "completeness_title": ("数据缺报", "Missing figures"),
    "completeness_intro": ("考核方案要求各单位按月、季或年报送的数据，截至{through}应报未报的情况。请在锁定前督促补报。",
                           "Figures the scheme expects every unit to report each month, quarter or year that are "
                           "missing as of {through}. Chase them before locking the period."),
    "completeness_summary": ("应报{expected}项，缺报{gaps}项，涉及{units}个单位。",
                             "{gaps} of {expected} expected figures are missing, from {units} units."),
    "completeness_none": ("本期应报数据均已报送（{n}项）。", "Every expected figure of this period is reported ({n})."),
    "completeness_unchecked": ("尚无应检查的数据：本期应报期尚未结束，或尚未收到数据。",
                               "Nothing to check yet: no expected period of this one has ended, or no figures are stored."),
    "col_metric": ("数据项", "Metric"),
    "col_source": ("报送单位", "Reported by"),
    "col_missing_periods": ("缺报期", "Missing periods"),
    "gaps_link": ("缺报 {n}", "{n} missing"),
    "gaps_none_link": ("数据完整", "Complete"),
    "findings_title": ("疑点核查", "Anomaly findings"),
    "findings_intro": ("异常检查从本年度已报数据中发现的疑点，是需要核实的问题，不是结论。请与报送单位核实后标注："
                       "属实，已说明或误报（均需填写说明）；每次标注都记录操作人和时间。"
                       "有高严重度疑点待核查的考核期不能公示。",
                       "What the anomaly checks find in the figures reported this year: questions to check, not "
                       "verdicts. Check each with the unit or the feed, then mark it confirmed, explained or a false "
                       "alarm (the last two with a comment); every mark is kept with who and when. A period with an "
                       "open high-severity finding cannot be published."),
    "findings_summary": ("共{n}条疑点，其中待核查的高严重度疑点{high}条（截至{at}的检查）。",
                         "{n} findings; {high} of high severity still open (checked at {at})."),
    "no_findings": ("本期没有疑点（截至{at}的检查）。", "No findings about this period (checked at {at})."),
    "benford_title": ("本福特检验", "Benford tests"),
    "benford_intro": ("各数据来源全年金额的首位数字分布与本福特定律的比较。金额少于100个时不作判断；"
                      "金额大小相近时不适用；显著偏离才列为疑点。",
                      "How the first digits of each source's amounts of the year compare with Benford's law. "
                      "Fewer than 100 amounts are not judged; amounts of similar size are not applicable; only a "
                      "significant, large departure is a finding."),
    "col_data_source": ("数据来源", "Source"),
    "col_year": ("年度", "Year"),
    "col_outcome": ("结果", "Outcome"),
    "col_amounts": ("金额数", "Amounts"),
    "col_why": ("说明", "Why"),
    "benford_conforms": ("符合", "Conforms"),
    "benford_nonconforming": ("不符合（疑点）", "Departs (a finding)"),
    "benford_not_enough_data": ("数据不足", "Not enough data"),
    "benford_not_applicable": ("不适用", "Not applicable"),
    "col_severity": ("严重度", "Severity"),
    "col_kind": ("类型", "Kind"),
    "col_finding": ("疑点", "Finding"),
    "col_evidence": ("依据事件", "Events"),
    "col_review": ("核查", "Review"),
    "severity_high": ("高", "High"),
    "severity_medium": ("中", "Medium"),
    "severity_low": ("低", "Low"),
    "finding_open": ("待核查", "Open"),
    "finding_confirmed": ("属实", "Confirmed"),
    "finding_explained": ("已说明", "Explained"),
    "finding_false_alarm": ("误报", "False alarm"),
    "finding_gone": ("已不再检出", "No longer found"),
    "finding_marked": ("{by}，{at}", "{by}, {at}"),
    "finding_state_for": ("疑点的核查结论", "Review of the finding"),
    "finding_comment_placeholder": ("说明（已说明、误报必填）", "Comment (required for explained and false alarm)"),
    "mark_finding": ("标注", "Mark"),
    "done_mark_finding": ("疑点已标注为“{state}”。", "The finding is marked: {state}."),
    "findings_link": ("疑点待核 {n}", "{n} findings open"),
    "findings_none_link": ("疑点核查", "Findings"),
    "publish_refused_findings": ("{period} 未公示：有{n}条高严重度疑点尚未核查。请先核查疑点，或填写理由后仍然公示。",
                                 "{period} was not published: {n} high-severity findings are still open. Review "
                                 "them first, or give a reason to publish anyway."),
    "override_reason": ("仍然公示的理由", "Reason to publish anyway"),
    "override_placeholder": ("理由（必填，记入审核记录）", "Reason (required; kept in the audit trail)"),
    "publish_override": ("说明理由后公示", "Publish with this reason"),
    "review_findings": ("核查疑点", "Review the findings"),
    "footer": ("本页仅公示考核办审核后公开的结果。数据来源：江川市考核办。",
               "This page shows only results the evaluation office has approved for publication."),
    "footer_generic": ("本页仅公示考核办审核后公开的结果。",
                       "This page shows only results the evaluation office has approved for publication."),
    "footer_office": ("考核办工作台：含尚未公示的结果，仅供考核办使用，请勿外传。",
                      "The evaluation office's desk: it shows results not yet published; for the office only."),
}

UNITS = {
    "CNY_100M": ("亿元", "CNY 100M"),
    "count": ("个", ""),
    "ratio": ("", ""),
}


def current() -> str:
    """The page's language: ?lang= (when it names one), else the cookie, else Chinese."""
    asked = request.args.get("lang", "")
    if asked in LANGS:
        return asked
    remembered = request.cookies.get(COOKIE, "")
    return remembered if remembered in LANGS else DEFAULT


def other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def translate(lang: str, key: str, **values) -> str:
    zh, en = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def pick(lang: str, zh: str, en: str) -> str:
    """Chinese or English data (names); English falls back to Chinese when missing."""
    return (en or zh) if lang == "en" else (zh or en)


def name_of(lang: str, names: dict | None) -> str:
    names = names or {}
    return pick(lang, names.get("zh", ""), names.get("en", ""))


def split_bilingual(text: str) -> tuple[str, str]:
    """Plug-in explanations are written "中文 / English"; returns (zh, en)."""
    zh, sep, en = text.partition(" / ")
    if not sep:
        return text, text
    return zh.strip(), en.strip()


def bilingual_parts(text: str) -> list[tuple[str, str]]:
    """Scoring's texts are "中文 / English", or several such joined by "; "
    ("总分=单位得分77.33 / total = the unit's 77.33; 本期不考核个人评价… / personal
    evaluation not assessed…"); returns the (zh, en) parts in order. The Chinese
    halves use full-width punctuation, so an inner piece splits at its last "; "."""
    if not text:
        return []
    pieces = text.split(" / ")
    if len(pieces) <= 2:
        return [split_bilingual(text)]
    middles = [piece.rsplit("; ", 1) for piece in pieces[1:-1]]
    if any(len(m) != 2 for m in middles):
        return [split_bilingual(text)]
    zh = [pieces[0]] + [m[1] for m in middles]
    en = [m[0] for m in middles] + [pieces[-1]]
    return [(z.strip(), e.strip()) for z, e in zip(zh, en, strict=True)]


def explanation(lang: str, text: str) -> str:
    parts = bilingual_parts(text)
    return ("; " if lang == "en" else "；").join(en if lang == "en" else zh for zh, en in parts)


def measurement_unit(lang: str, code: str) -> str:
    zh, en = UNITS.get(code, (code, code))
    return zh if lang == "zh" else en


_QUARTERS_ZH = {"1": "一", "2": "二", "3": "三", "4": "四"}
_MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]


def set_page_calendar(calendar: Calendar) -> None:
    """The calendar of the scheme a page shows (data.load_scheme sets it): its periods'
    labels follow it (a financial year from April: '2022/23年度')."""
    g.jixiao_calendar = calendar


def page_calendar() -> Calendar:
    """The calendar of the page's scheme; calendar years when the page shows none."""
    return g.get("jixiao_calendar", CALENDAR_YEAR) if has_app_context() else CALENDAR_YEAR


def span_label(lang: str, text: str, calendar: Calendar | None = None) -> str:
    """The months from the start of the year to a period's end: '2026-Q3' → '1–9月累计' /
    'Jan–Sep' (a year from April: '2022-Q2' → '4–9月累计' / 'Apr–Sep'); the year → '全年' /
    'full year'."""
    calendar = calendar or page_calendar()
    try:
        period = calendar.parse(text)
    except PeriodError:
        return text
    if period.kind == "year":
        return "全年" if lang == "zh" else "full year"
    if period.kind not in ("month", "quarter"):
        return text
    zh, en = year_to_date_span(text, calendar.year_start_month)
    return zh if lang == "zh" else en


def year_label(lang: str, number: int, calendar: Calendar | None = None) -> str:
    """'2026年度' / 'Year 2026'; a financial year: '2022/23年度' / 'FY 2022/23'."""
    calendar = calendar or page_calendar()
    if not calendar.fiscal:
        return f"{number}年度" if lang == "zh" else f"Year {number}"
    both = f"{number}/{(number + 1) % 100:02d}"
    return f"{both}年度" if lang == "zh" else f"FY {both}"


def period_label(lang: str, text: str, calendar: Calendar | None = None) -> str:
    """'2026-Q1' → '2026年第一季度' / 'Q1 2026'; a financial year's quarter: '2022/23年度第一季度'
    / 'Q1 FY 2022/23'. Months keep their calendar names ('2023年1月' / 'January 2023')."""
    calendar = calendar or page_calendar()
    try:
        period = calendar.parse(text)
    except PeriodError:
        return text
    if period.kind == "year":
        return year_label(lang, period.year, calendar)
    if period.kind == "quarter":
        q = text[-1]
        if calendar.fiscal:
            year = year_label(lang, period.year, calendar)
            return f"{year}第{_QUARTERS_ZH[q]}季度" if lang == "zh" else f"Q{q} {year}"
        return f"{period.year}年第{_QUARTERS_ZH[q]}季度" if lang == "zh" else f"Q{q} {period.year}"
    if period.kind == "month":
        year, month = period.start.year, period.start.month
        return f"{year}年{month}月" if lang == "zh" else f"{_MONTHS_EN[month - 1]} {year}"
    return text
