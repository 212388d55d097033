"""The portal's two languages: Chinese first (zh-CN), English on request.

The choice is remembered in a cookie; every page is rendered in one
language, with `lang` set on <html> and on any text in the other language
(plug-in formulas are written in English only).

The UI's words are gettext messages (docs/portal.md#translations): English
source text in the code and the templates (`_()`, `ngettext`, `pgettext`),
translated by the catalogues in jixiao/gateway/translations/ (zh_Hans_CN, en),
which Flask-Babel reads for the page's language. What stays here is about
data rather than messages: names given in both languages by a scheme
(`pick`, `name_of`), scoring's and the plug-ins' texts written
"中文 / English" (`explanation`), units of measure, and period labels, which
follow the scheme's calendar and are needed outside a request too.
"""
from __future__ import annotations

import re
from pathlib import Path

from flask import Flask, g, has_app_context, has_request_context, request
from flask_babel import Babel, force_locale, gettext, pgettext

from jixiao_sdk.helpers import year_to_date_span
from jixiao_sdk.periods import CALENDAR_YEAR, Calendar, PeriodError

from ...domain.review_states import APPROVED, LOCKED, OPEN, PUBLISHED

LANGS = {"zh": "zh-CN", "en": "en"}  # the page's language → <html lang>
LOCALES = {"zh": "zh_Hans_CN", "en": "en"}  # → its catalogue: Babel names zh_CN zh_Hans_CN, and finds that folder
DEFAULT = "zh"
COOKIE = "jixiao_lang"
#: The catalogues: <locale>/LC_MESSAGES/messages.po (and the compiled .mo), from messages.pot.
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


def current() -> str:
    """The page's language: ?lang= (when it names one), else the cookie, else Chinese."""
    asked = request.args.get("lang", "")
    if asked in LANGS:
        return asked
    remembered = request.cookies.get(COOKIE, "")
    return remembered if remembered in LANGS else DEFAULT


def other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def locale_selector() -> str:
    """Flask-Babel's locale: the page's language (Chinese outside a request)."""
    return LOCALES[current() if has_request_context() else DEFAULT]


def configure_translations(app: Flask) -> None:
    """Flask-Babel with the portal's catalogues and language choice; templates get
    `_`, `gettext`, `ngettext`, `pgettext` (Jinja's i18n extension, new style: the
    values are escaped, the translated text is not, so no message holds markup)."""
    Babel(app, locale_selector=locale_selector, default_locale=LOCALES[DEFAULT],
          default_translation_directories=str(TRANSLATIONS))


def switch_texts(lang: str) -> tuple[str, str]:
    """The language toggle's text and title, written in the language it switches to."""
    with force_locale(LOCALES[lang]):
        return (pgettext("the language toggle: this language's own name", "English"),
                pgettext("the language toggle's title, in the language it switches to", "Switch to English"))


def state_label(state: str) -> str:
    """A period's review state (review_states: open, locked, approved, published)."""
    labels = {OPEN: pgettext("period state", "Open"), LOCKED: pgettext("period state", "Locked"),
              APPROVED: pgettext("period state", "Approved"), PUBLISHED: pgettext("period state", "Published")}
    return labels.get(state) or pgettext("period state", "Unknown")


def action_label(action: str) -> str:
    """The button of a period action on the desk."""
    labels = {"lock": pgettext("period action", "Lock"), "approve": pgettext("period action", "Approve"),
              "publish": pgettext("period action", "Publish"), "reopen": pgettext("period action", "Reopen"),
              "recheck": pgettext("period action", "Recheck")}
    return labels.get(action, action)


def action_done(action: str, period: str) -> str:
    """The flash after a period action scoring performed; `period` is its label."""
    done = {"lock": gettext("%(period)s is locked.", period=period),
            "approve": gettext("%(period)s is approved.", period=period),
            "publish": gettext("%(period)s is published.", period=period),
            "reopen": gettext("%(period)s is open again.", period=period)}
    return done.get(action, period)


def finding_label(state: str) -> str:
    """A finding's review (疑点复核): open, confirmed, explained, false alarm."""
    labels = {"open": pgettext("finding review", "Open"), "confirmed": pgettext("finding review", "Confirmed"),
              "explained": pgettext("finding review", "Explained"),
              "false_alarm": pgettext("finding review", "False alarm")}
    return labels.get(state, state)


def sheet_state_label(state: str) -> str:
    """A score sheet's state (docs/score-sheets.md): not started, draft, submitted, accepted, returned."""
    labels = {"not_started": pgettext("sheet state", "Not started"), "draft": pgettext("sheet state", "Draft"),
              "submitted": pgettext("sheet state", "Signed, awaiting review"),
              "accepted": pgettext("sheet state", "Accepted"), "returned": pgettext("sheet state", "Returned")}
    return labels.get(state, state)


def sheet_action_label(action: str) -> str:
    """A step of a score sheet's history (its audit trail)."""
    labels = {"save": pgettext("sheet step", "Saved"), "submit": pgettext("sheet step", "Signed and submitted"),
              "accept": pgettext("sheet step", "Accepted"), "return": pgettext("sheet step", "Returned"),
              "request_correction": pgettext("sheet step", "Correction requested"),
              "approve_correction": pgettext("sheet step", "Correction approved"),
              "refuse_correction": pgettext("sheet step", "Correction refused")}
    return labels.get(action, action)


def severity_label(severity: str) -> str:
    labels = {"high": pgettext("severity", "High"), "medium": pgettext("severity", "Medium"),
              "low": pgettext("severity", "Low")}
    return labels.get(severity, severity)


def benford_label(status: str) -> str:
    """The outcome of a source's Benford test."""
    labels = {"conforms": gettext("Conforms"), "nonconforming": gettext("Departs (a finding)"),
              "not_enough_data": gettext("Not enough data"), "not_applicable": gettext("Not applicable")}
    return labels.get(status, status)


def list_separator() -> str:
    """Between the items of a list in a sentence or a cell: '、' in Chinese."""
    return pgettext("list separator", ", ")


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


_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def bilingual_parts(text: str) -> list[tuple[str, str]]:
    """Scoring's texts are "中文 / English", or several such joined by "; "
    ("总分=单位得分77.33 / total = the unit's 77.33; 本期不考核个人评价… / personal
    evaluation not assessed…"); returns the (zh, en) parts in order. The Chinese
    halves use full-width punctuation, so an inner piece splits at its last "; "."""
    if not text:
        return []
    pieces: list[str] = []
    for piece in text.split(" / "):
        # A " / " inside an English half ("points = 100 x 98 / 100") separates nothing: the piece
        # before it would end in a Chinese half, which has Chinese characters.
        if len(pieces) > 1 and not _CJK.search(pieces[-1].rsplit("; ", 1)[-1]):
            pieces[-1] += " / " + piece
        else:
            pieces.append(piece)
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


#: Units of measure of the scheme's metrics, by code, in both languages like the scheme's own
#: names (English writes no word after a count, which a message cannot say).
UNITS = {
    "CNY_100M": ("亿元", "CNY 100M"),
    "count": ("个", ""),
    "ratio": ("", ""),
}


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


def quarter_label(lang: str, text: str) -> str:
    """A quarter on a chart's axis: '2026-Q3' → '三季度' / 'Q3'."""
    q = text[-1]
    return f"{_QUARTERS_ZH[q]}季度" if lang == "zh" else f"Q{q}"


def scheme_section_label(name: str) -> str:
    """A section of a scheme document at the desk (方案编辑); a section the desk does not know yet
    (added to the declaration later) is named by its key."""
    labels = {
        "scheme": pgettext("scheme section", "Scheme"), "city": pgettext("scheme section", "City"),
        "regions": pgettext("scheme section", "Regions"), "categories": pgettext("scheme section", "Categories"),
        "units": pgettext("scheme section", "Units"), "sources": pgettext("scheme section", "Data sources"),
        "metrics": pgettext("scheme section", "Metrics"),
        "validation_rules": pgettext("scheme section", "Validation rules"),
        "dimensions": pgettext("scheme section", "Dimensions"), "indicators": pgettext("scheme section", "Indicators"),
        "assignments": pgettext("scheme section", "Assignments"), "targets": pgettext("scheme section", "Targets"),
        "baselines": pgettext("scheme section", "Baselines"),
        "leadership_teams": pgettext("scheme section", "Leadership teams"),
        "persons": pgettext("scheme section", "Persons"), "grading": pgettext("scheme section", "Grading rules"),
        "vetoes": pgettext("scheme section", "Vetoes"), "consequences": pgettext("scheme section", "Consequences"),
        "person_scoring": pgettext("scheme section", "Person scoring"),
    }
    return labels.get(name, name)


def scheme_field_label(name: str) -> str:
    """A field of a scheme section's items at the desk; an unknown one is named by its key."""
    labels = {
        "id": pgettext("scheme field", "ID"), "code": pgettext("scheme field", "Code"),
        "name": pgettext("scheme field", "Name"), "short_name_zh": pgettext("scheme field", "Short Chinese name"),
        "category": pgettext("scheme field", "Category"), "region": pgettext("scheme field", "Region"),
        "subject": pgettext("scheme field", "Subject"), "kind": pgettext("scheme field", "Kind"),
        "weight": pgettext("scheme field", "Weight"), "additive": pgettext("scheme field", "Additive"),
        "assessed_in": pgettext("scheme field", "Assessed in"), "missing": pgettext("scheme field", "Missing results"),
        "unit": pgettext("scheme field", "Unit"), "indicator": pgettext("scheme field", "Indicator"),
        "dimension": pgettext("scheme field", "Dimension"), "value": pgettext("scheme field", "Value"),
        "measurement_unit": pgettext("scheme field", "Unit of measure"),
        "params": pgettext("scheme field", "Parameters"), "milestones": pgettext("scheme field", "Milestones"),
        "generic": pgettext("scheme field", "Generic formula"), "period_basis": pgettext("scheme field", "Period basis"),
        "max_points": pgettext("scheme field", "Maximum points"), "year": pgettext("scheme field", "Year"),
        "version": pgettext("scheme field", "Version"), "reason": pgettext("scheme field", "Reason"),
        "progress_tolerance": pgettext("scheme field", "Progress tolerance"),
        "self_evaluation_tolerance": pgettext("scheme field", "Self-evaluation tolerance"),
        "missing_results": pgettext("scheme field", "Missing results"),
        "year_start_month": pgettext("scheme field", "Year starts in month"),
        "metrics": pgettext("scheme field", "Metrics"), "metric": pgettext("scheme field", "Metric"),
        "min": pgettext("scheme field", "Minimum"), "max": pgettext("scheme field", "Maximum"),
        "expected": pgettext("scheme field", "Expected every"),
        "secret_attributes": pgettext("scheme field", "Secret attributes"),
        "left": pgettext("scheme field", "Left"), "operator": pgettext("scheme field", "Operator"),
        "right": pgettext("scheme field", "Right"), "severity": pgettext("scheme field", "Severity"),
        "period": pgettext("scheme field", "Period"), "team": pgettext("scheme field", "Leadership team"),
        "position": pgettext("scheme field", "Position"), "rank": pgettext("scheme field", "Rank"),
        "name_zh": pgettext("scheme field", "Chinese name"), "name_pinyin": pgettext("scheme field", "Name in pinyin"),
        "pool": pgettext("scheme field", "Pool"), "method": pgettext("scheme field", "Method"),
        "periods": pgettext("scheme field", "Periods"), "tie_breakers": pgettext("scheme field", "Tie-breakers"),
        "grades": pgettext("scheme field", "Grades"), "rule": pgettext("scheme field", "Rule"),
        "cap_grade": pgettext("scheme field", "Best grade left"), "grade": pgettext("scheme field", "Grade"),
        "trigger": pgettext("scheme field", "Trigger"), "action": pgettext("scheme field", "Action"),
        "unit_weight": pgettext("scheme field", "Unit total's weight"),
        "personal_weight": pgettext("scheme field", "Personal evaluation's weight"),
        "personal_indicator": pgettext("scheme field", "Personal evaluation indicator"),
        "personal_deductions": pgettext("scheme field", "Personal deductions"),
        "_extra": pgettext("scheme field", "Other keys"),
    }
    return labels.get(name, name)


def scheme_help(text: str) -> str:
    """A record's or field's doc from the declared scheme format, in the page's language: the
    declaration's English text is the message (entrypoints/portal/scheme_help_messages.py lists
    every one, generated, for Babel), so English falls back to the doc itself."""
    return pgettext("scheme help", text) if text else ""


def scheme_help_is_english(text: str) -> bool:
    """Whether the help shown for `text` is still the English doc (no translation in the page's language)."""
    return bool(text) and current() != "en" and scheme_help(text) == text


def scheme_record_label(title: str) -> str:
    """A record's title from the declaration ("unit", "grading rule"), in the page's language."""
    return pgettext("scheme record", title) if title else ""


def scheme_refers_label(refers: str) -> str:
    """What a field's text is a code of (the declaration's `refers`, "a unit id"), in the page's language."""
    labels = {
        "a metric code": pgettext("scheme reference", "a metric code"),
        "a category code": pgettext("scheme reference", "a category code"),
        "a region id": pgettext("scheme reference", "a region id"),
        "a unit id": pgettext("scheme reference", "a unit id"),
        "an indicator code": pgettext("scheme reference", "an indicator code"),
        "a dimension code": pgettext("scheme reference", "a dimension code"),
        "a leadership team id": pgettext("scheme reference", "a leadership team id"),
        "a period of the scheme's year": pgettext("scheme reference", "a period of the scheme's year"),
        "a period before the scheme's year": pgettext("scheme reference", "a period before the scheme's year"),
    }
    return labels.get(refers, refers)


def scheme_default(default: str) -> str:
    """What a field's absence means (the declaration's `default`), as the desk's placeholder: words
    in the page's language ("all three" → 全部三种), a value as it is; without markdown's backticks."""
    from ...domain.scheme_forms import words_default
    text = pgettext("scheme default", default) if words_default(default) else default
    return text.replace("`", "")
