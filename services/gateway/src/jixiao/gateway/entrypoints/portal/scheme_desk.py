"""The scheme at the desk (方案), /office/schemes/…: the office edits a scheme's draft in
forms generated from the declared format (domain/scheme_forms.py), sees each problem next to
its field, exchanges the long tables as spreadsheets and the document as YAML or JSON,
previews what the draft changes in the published version and publishes it with a reason.
Every read and change goes to the registry with the office's own token
(service_layer/scheme_drafts.py). See docs/portal.md#the-scheme-at-the-desk."""
from __future__ import annotations

import re
from pathlib import PurePosixPath

from flask import abort, flash, get_flashed_messages, make_response, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from markupsafe import Markup, escape

from ...adapters.backend_errors import BackendError, InvalidArgument
from ...adapters.registry_scheme_editing import TABLE_FORMATS, TABLES, RegistrySchemeEditing
from ...domain import scheme_forms
from ...service_layer.scheme_drafts import DOCUMENT_FORMATS, SECTIONS_BY_NAME, Conflict, Draft, Refused, SchemeDrafts
from .. import wiring
from . import i18n, portal
from .office_desk import check_csrf, office_required, office_token
from .spreadsheet_upload import posted_spreadsheet

MAX_UPLOAD_BYTES = 32 * 1024 * 1024


def _drafts() -> SchemeDrafts:
    return SchemeDrafts(RegistrySchemeEditing(wiring.backends()))


def _section(name: str) -> scheme_forms.Section:
    described = SECTIONS_BY_NAME.get(name)
    if described is None:
        abort(404)
    return described


def input_message(problem: scheme_forms.InputProblem) -> str:
    """An input the desk could not read, in the page's language."""
    messages = {"not_a_number": gettext("Not a number: %(text)s", text=problem.text),
                "not_whole": gettext("Not a whole number: %(text)s", text=problem.text),
                "not_finite": gettext("Not a finite number: %(text)s", text=problem.text),
                "bad_yaml": gettext("Not valid YAML: %(text)s", text=problem.text),
                "not_a_mapping": gettext("Must be a mapping (key: value lines).")}
    return messages.get(problem.code, problem.code)


def _problem_link(code: str, draft: Draft, path: str) -> str:
    """The page of the item (or section) a problem is about."""
    section, index, _ = scheme_forms.locate(path)
    if section not in SECTIONS_BY_NAME:
        return url_for("portal.office_scheme_draft", code=code)
    if index is not None and SECTIONS_BY_NAME[section].is_list and index < len(draft.items(section)):
        return url_for("portal.office_scheme_item", code=code, section=section, index=index) + "#form"
    return url_for("portal.office_scheme_section", code=code, section=section)


_CODE_SPAN = re.compile(r"`([^`]+)`")


def help_html(text: str) -> Markup:
    """A doc of the declaration in the page's language, its `code` spans as <code> (escaped first)."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(escape(i18n.scheme_help(text)))))


def _render(template: str, status: int = 200, **context):
    response = make_response(render_template(template, office=True, messages=get_flashed_messages(with_categories=True),
                                             section_label=i18n.scheme_section_label,
                                             field_label=i18n.scheme_field_label, help=help_html,
                                             help_is_english=i18n.scheme_help_is_english,
                                             record_label=i18n.scheme_record_label,
                                             refers_label=i18n.scheme_refers_label, default_text=i18n.scheme_default,
                                             yaml_text=scheme_forms.dump_yaml, **context), status)
    return response


def _versions_context(draft: Draft) -> dict:
    return {"draft": draft, "latest": draft.latest, "published": draft.published,
            "scheme_name": i18n.name_of(i18n.current(), (draft.document.get("scheme") or {}).get("name"))}


@portal.get("/office/schemes/")
@office_required
def office_schemes():
    return _render("office_schemes.html", schemes=_drafts().schemes(office_token()))


@portal.get("/office/schemes/<code>/draft")
@office_required
def office_scheme_draft(code: str):
    """The overview: each section with its items and problems, the versions, the actions."""
    drafts = _drafts()
    draft = drafts.open(code, office_token())
    problems = drafts.problems(draft, office_token())
    counts: dict[str, int] = {}
    listed = []
    for path, message in problems:
        section, index, _ = scheme_forms.locate(path)
        counts[section] = counts.get(section, 0) + 1
        listed.append({"path": path, "message": message, "section": section, "link": _problem_link(code, draft, path)})
    rows = []
    for s in SECTIONS_BY_NAME.values():
        present = s.name in draft.document
        rows.append({"name": s.name, "is_list": s.is_list, "present": present, "required": s.required,
                     "count": len(draft.items(s.name)) if s.is_list else None, "problems": counts.get(s.name, 0)})
    return _render("office_scheme_overview.html", code=code, sections=rows, problems=listed,
                   tables=TABLES, **_versions_context(draft))


@portal.get("/office/schemes/<code>/draft/<section>")
@office_required
def office_scheme_section(code: str, section: str):
    described = _section(section)
    drafts = _drafts()
    draft = drafts.open(code, office_token())
    problems = drafts.problems(draft, office_token())
    if not described.is_list:
        return _record_form(code, draft, described, None, problems)
    return _section_page(code, draft, described, problems)


def _page_arg() -> int:
    text = request.args.get("page", "1")
    return int(text) if text.isdigit() else 1


def _section_page(code: str, draft: Draft, described: scheme_forms.Section, problems: list, status: int = 200,
                  **extra):
    """A list section's page: its items searched (`?q=`, by id, code and names), only those with
    problems (`?problems=1`), in pages of scheme_forms.PER_PAGE (`?page=`)."""
    section = described.name
    lang = i18n.current()
    rows = []
    for index, item in enumerate(draft.items(section)):
        item = item if isinstance(item, dict) else {}
        name = item.get("name") if isinstance(item.get("name"), dict) else None
        key = scheme_forms.item_key(described, item, index)
        shown = i18n.name_of(lang, name) if name else str(item.get("name_zh") or "")
        found = scheme_forms.problems_by_field(described.record, section, index, problems)
        texts = [key, shown, *((name or {}).values())] + [str(item.get(k) or "") for k in (
            "name_zh", "name_pinyin", "short_name_zh", "unit", "indicator", "category", "metric", "rule")]
        rows.append({"index": index, "key": key, "name": shown, "search": " ".join(t for t in texts if t),
                     "problems": sum(len(v) for v in found.values()),
                     "messages": [m for messages in found.values() for m in messages][:3]})
    query = request.args.get("q", "").strip()[:200]
    only_problems = request.args.get("problems") == "1"
    listed = scheme_forms.listing(rows, query, only_problems, _page_arg())
    with_problems = sum(1 for r in rows if r["problems"])
    section_problems = [m for p, m in problems if p == section]
    context = {"row_errors": [], "upload_problem": "", **extra}
    return _render("office_scheme_section.html", status, code=code, section=described, listing=listed,
                   query=query, only_problems=only_problems, with_problems=with_problems,
                   section_problems=section_problems, table=section if section in TABLES else "",
                   table_formats=TABLE_FORMATS, **context, **_versions_context(draft))


@portal.get("/office/schemes/<code>/draft/<section>/new")
@office_required
def office_scheme_new_item(code: str, section: str):
    described = _section(section)
    if not described.is_list:
        abort(404)
    draft = _drafts().open(code, office_token())
    return _record_form(code, draft, described, "new", [])


@portal.get("/office/schemes/<code>/draft/<section>/<int:index>")
@office_required
def office_scheme_item(code: str, section: str, index: int):
    described = _section(section)
    drafts = _drafts()
    draft = drafts.open(code, office_token())
    if not described.is_list or index >= len(draft.items(section)):
        abort(404)
    return _record_form(code, draft, described, index, drafts.problems(draft, office_token()))


def _record_form(code: str, draft: Draft, described: scheme_forms.Section, index, problems: list, *,
                 status: int = 200, shown: dict | None = None, input_problems: dict | None = None,
                 refused: bool = False):
    """The form of a record section (index None), of item `index` of a list section, or of a new item ("new")."""
    record = described.record
    if index is None:
        item = draft.document.get(described.name)
    elif index == "new":
        item = None
    else:
        item = draft.items(described.name)[index]
    item = item if isinstance(item, dict) else {}
    # the problems' place: the record, the item, or where a refused new item was to go (the end)
    at = None if index is None else len(draft.items(described.name)) if index == "new" else index
    by_field = scheme_forms.problems_by_field(record, described.name, at, problems, item or None)
    # a refusal names places outside this form too (another item the document carries): list them, linked
    elsewhere = []
    if refused:
        for path, message in problems:
            where, place, rest = scheme_forms.locate(path)
            if where == described.name and (place == at or (place is None and (at is None or not rest))):
                continue
            elsewhere.append({"path": path, "message": message, "link": _problem_link(code, draft, path)})
    for name, messages in (input_problems or {}).items():
        by_field.setdefault(name, []).extend(messages)
    title = (i18n.scheme_section_label(described.name) if index is None
             else gettext("New %(record)s", record=i18n.scheme_record_label(record.title)) if index == "new"
             else scheme_forms.item_key(described, item, index))
    if isinstance(index, int) and isinstance(item.get("name"), dict) and i18n.name_of(i18n.current(), item["name"]):
        title = f"{i18n.name_of(i18n.current(), item['name'])} ({title})"
    fields = scheme_forms.form_fields(record)
    return _render("office_scheme_item.html", status, code=code, section=described, index=index, title=title,
                   fields=fields, choices=_choices(draft, fields),
                   values=shown if shown is not None else scheme_forms.form_values(record, item),
                   field_problems=by_field, item_problems=by_field.pop(scheme_forms.ITEM, []), elsewhere=elsewhere,
                   **_versions_context(draft))


def _choices(draft: Draft, fields: list) -> dict[str, list[tuple[str, str]]]:
    """For each field naming another item (a unit id, a category code …), the draft's items it may
    name, (key, name), offered as the input's suggestions."""
    lang = i18n.current()
    by_refers = {refers: (section, key) for section, (refers, key) in scheme_forms.REFERRED_AS.items()}
    found: dict[str, list[tuple[str, str]]] = {}
    for f in fields:
        if f.refers not in by_refers or f.kind not in (scheme_forms.TEXT, scheme_forms.LIST):
            continue
        section, key = by_refers[f.refers]
        options = {}
        for item in draft.items(section):
            if isinstance(item, dict) and isinstance(item.get(key), str):
                name = item.get("name")
                options[item[key]] = i18n.name_of(lang, name) if isinstance(name, dict) else ""
        if section == "metrics":
            for source in draft.items("sources"):
                for metric in (source.get("metrics") or []) if isinstance(source, dict) else []:
                    options.setdefault(str(metric), "")
        if options and f.kind == scheme_forms.TEXT:
            found[f.name] = sorted(options.items())
    return found


def _posted() -> dict[str, str]:
    return {k: v for k, v in request.form.items() if k not in ("csrf", "base", "note")}


def _base() -> int:
    try:
        return int(request.form.get("base", ""))
    except ValueError:
        abort(400)


def _save(code: str, section: str, index):
    """Saves a posted form: the record section (index None), item `index`, or a new item ("new")."""
    check_csrf()
    described = _section(section)
    drafts = _drafts()
    token = office_token()
    draft = drafts.open(code, token)
    if index is None:
        original = draft.document.get(section)
    elif index == "new":
        original = None
    else:
        if index >= len(draft.items(section)):
            abort(404)
        original = draft.items(section)[index]
    posted = _posted()
    value, unread = scheme_forms.parse_form(described.record, posted, original if isinstance(original, dict) else None)
    if unread:
        found: dict[str, list[str]] = {}
        for p in unread:
            found.setdefault(p.field, []).append(input_message(p))
        return _record_form(code, draft, described, index, [], status=400, shown=posted, input_problems=found)
    note = request.form.get("note", "").strip()
    try:
        if index is None:
            saved = drafts.save_record(code, token, _base(), section, value, note)
        else:
            saved = drafts.save_item(code, token, _base(), section, None if index == "new" else index, value, note)
    except Conflict as conflict:
        flash(gettext("Not saved: the draft changed meanwhile (it is now version %(version)s). Here it is as it is "
                      "now; make your change again.", version=conflict.latest), "error")
        return redirect(request.path)
    except Refused as refusal:
        flash(gettext("Not saved: the registry refused the change. Nothing was stored; see the messages next to "
                      "the fields."), "error")
        return _record_form(code, draft, described, index, refusal.problems, status=400, shown=posted, refused=True)
    if saved.changed:
        flash(gettext("Saved as draft version %(version)s.", version=saved.version["version"]), "ok")
    else:
        flash(gettext("Nothing changed."), "ok")
    if index == "new":
        index = len(drafts.open(code, token).items(section)) - 1
        return redirect(url_for("portal.office_scheme_item", code=code, section=section, index=index))
    return redirect(request.path)


@portal.post("/office/schemes/<code>/draft/<section>")
@office_required
def office_scheme_save_record(code: str, section: str):
    if _section(section).is_list:
        abort(404)
    return _save(code, section, None)


@portal.post("/office/schemes/<code>/draft/<section>/new")
@office_required
def office_scheme_add_item(code: str, section: str):
    if not _section(section).is_list:
        abort(404)
    return _save(code, section, "new")


@portal.post("/office/schemes/<code>/draft/<section>/<int:index>")
@office_required
def office_scheme_save_item(code: str, section: str, index: int):
    if not _section(section).is_list:
        abort(404)
    return _save(code, section, index)


def _referring(code: str, draft: Draft, section: str, index: int) -> list[dict]:
    """Where else the draft names item `index` of `section`, grouped by section: each place with
    the referring item's key, a link to it and the path."""
    groups: dict[str, dict] = {}
    for ref in scheme_forms.references(draft.document, section, index):
        group = groups.setdefault(ref.section, {"section": ref.section, "places": []})
        described = SECTIONS_BY_NAME.get(ref.section)
        if ref.index is not None and described is not None:
            item = draft.items(ref.section)[ref.index]
            key = scheme_forms.item_key(described, item if isinstance(item, dict) else {}, ref.index)
            link = url_for("portal.office_scheme_item", code=code, section=ref.section, index=ref.index)
        else:
            key, link = ref.section, url_for("portal.office_scheme_section", code=code, section=ref.section)
        group["places"].append({"key": key, "link": link, "path": ref.path})
    return list(groups.values())


@portal.get("/office/schemes/<code>/draft/<section>/<int:index>/delete")
@office_required
def office_scheme_confirm_delete(code: str, section: str, index: int):
    """Deleting an item asks first, and says what else in the draft names it."""
    described = _section(section)
    draft = _drafts().open(code, office_token())
    if not described.is_list or index >= len(draft.items(section)):
        abort(404)
    item = draft.items(section)[index]
    item = item if isinstance(item, dict) else {}
    key = scheme_forms.item_key(described, item, index)
    name = i18n.name_of(i18n.current(), item.get("name")) if isinstance(item.get("name"), dict) else ""
    return _render("office_scheme_delete.html", code=code, section=described, index=index, key=key, name=name,
                   referring=_referring(code, draft, section, index), **_versions_context(draft))


@portal.post("/office/schemes/<code>/draft/<section>/<int:index>/delete")
@office_required
def office_scheme_delete_item(code: str, section: str, index: int):
    check_csrf()
    if not _section(section).is_list:
        abort(404)
    if request.form.get("confirm") != "yes":  # only the confirmation page's button deletes
        return redirect(url_for("portal.office_scheme_confirm_delete", code=code, section=section, index=index))
    drafts = _drafts()
    token = office_token()
    try:
        before = drafts.open(code, token)
        if index >= len(before.items(section)):
            raise Conflict(before.latest["version"])
        removed = before.items(section)[index]
        key = scheme_forms.item_key(_section(section), removed if isinstance(removed, dict) else {}, index)
        saved = drafts.remove_item(code, token, _base(), section, index, request.form.get("note", "").strip())
        flash(gettext("Removed %(key)s; saved as draft version %(version)s.", key=key,
                      version=saved.version["version"]), "ok")
        after = drafts.open(code, token)
        # the registry's validation names what still refers to it (a dangling reference) ...
        dangling = [(p, m) for p, m in drafts.problems(after, token) if f"'{key}'" in m or f'"{key}"' in m]
        if dangling:
            flash(ngettext("%(num)d problem now names %(key)s; the draft cannot be published until it is fixed:",
                           "%(num)d problems now name %(key)s; the draft cannot be published until they are fixed:",
                           len(dangling), key=key), "error")
            for p, m in dangling[:20]:
                flash(f"{p}: {m}" if p else m, "error problem")
    except Conflict as conflict:
        flash(gettext("Not saved: the draft changed meanwhile (it is now version %(version)s). Here it is as it is "
                      "now; make your change again.", version=conflict.latest), "error")
    except Refused as refusal:
        flash(gettext("Not removed: %(problems)s", problems="; ".join(
            f"{p}: {m}" if p else m for p, m in refusal.problems)), "error")
    return redirect(url_for("portal.office_scheme_section", code=code, section=section))


# --- spreadsheets and documents ------------------------------------------------------------------


def _version_arg() -> int:
    text = request.args.get("version", "0")
    return int(text) if text.isdigit() else 0


def _download(content: bytes, filename: str, mimetype: str):
    response = make_response(content)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "yaml": "application/yaml; charset=utf-8", "json": "application/json; charset=utf-8"}


@portal.get("/office/schemes/<code>/tables/<table>.<file_format>")
@office_required
def office_scheme_table(code: str, table: str, file_format: str):
    if table not in TABLES or file_format not in TABLE_FORMATS:
        abort(404)
    content, filename = _drafts().export_table(code, _version_arg(), table, file_format, office_token())
    return _download(content, filename, MIMETYPES[file_format])


@portal.post("/office/schemes/<code>/tables/<table>")
@office_required
def office_scheme_import_table(code: str, table: str):
    check_csrf()
    if table not in TABLES:
        abort(404)
    reason = request.form.get("reason", "").strip()
    reply = None
    content, file_format, problem = posted_spreadsheet(MAX_UPLOAD_BYTES)
    if not problem:
        try:
            reply = _drafts().import_table(code, table, file_format, content, reason, office_token())
        except InvalidArgument as error:
            problem = gettext("The file could not be read: %(message)s", message=error.message)
        except Refused as refusal:  # not expected from ImportTable, but never a traceback
            problem = "; ".join(m for _, m in refusal.problems)
    if reply is not None and not reply.get("errors") and reply.get("version"):
        flash(gettext("%(rows)s rows imported; saved as draft version %(version)s.", rows=reply.get("rows", 0),
                      version=reply["version"]["version"]), "ok")
        return redirect(url_for("portal.office_scheme_section", code=code, section=table))
    drafts = _drafts()
    draft = drafts.open(code, office_token())
    return _section_page(code, draft, _section(table), drafts.problems(draft, office_token()), 400,
                         upload_problem=problem, row_errors=(reply or {}).get("errors", []))


@portal.get("/office/schemes/<code>/document.<file_format>")
@office_required
def office_scheme_export(code: str, file_format: str):
    if file_format not in DOCUMENT_FORMATS:
        abort(404)
    text, filename = _drafts().export_document(code, _version_arg(), file_format, office_token())
    return _download(text.encode("utf-8"), filename, MIMETYPES[file_format])


@portal.post("/office/schemes/<code>/document")
@office_required
def office_scheme_import(code: str):
    check_csrf()
    upload = request.files.get("file")
    suffix = PurePosixPath(upload.filename or "").suffix.lower().lstrip(".") if upload else ""
    document_format = {"yaml": "yaml", "yml": "yaml", "json": "json"}.get(suffix, "")
    if upload is None or not upload.filename:
        flash(gettext("Choose a file to upload."), "error")
    elif not document_format:
        flash(gettext("Upload a scheme document: a .yaml, .yml or .json file."), "error")
    else:
        content = upload.read(MAX_UPLOAD_BYTES + 1)
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        if text is None or len(content) > MAX_UPLOAD_BYTES:
            flash(gettext("The file is not UTF-8 text, or is too large."), "error")
        else:
            try:
                saved = _drafts().import_document(text, document_format, request.form.get("reason", "").strip(),
                                                  office_token())
                imported = saved.version
                flash(gettext("Imported as version %(version)s (%(digest)s).", version=imported["version"],
                              digest=imported["digest"][:19]), "ok")
                return redirect(url_for("portal.office_scheme_draft", code=imported["code"]))
            except Refused as refusal:
                flash(gettext("Not imported: %(problems)s", problems="; ".join(
                    f"{p}: {m}" if p else m for p, m in refusal.problems[:20])), "error")
    return redirect(url_for("portal.office_scheme_draft", code=code))


# --- the difference and publication ---------------------------------------------------------------


@portal.get("/office/schemes/<code>/draft/changes")
@office_required
def office_scheme_diff(code: str):
    drafts = _drafts()
    draft = drafts.open(code, office_token())
    return _render("office_scheme_diff.html", code=code, changes=drafts.changes(draft, office_token()),
                   **_versions_context(draft))


@portal.route("/office/schemes/<code>/draft/publication", methods=["GET", "POST"])
@office_required
def office_scheme_publish(code: str):
    drafts = _drafts()
    token = office_token()
    draft = drafts.open(code, token)
    refused: list = []
    reason = ""
    status = 200
    if request.method == "POST":
        check_csrf()
        reason = request.form.get("reason", "").strip()
        try:
            version = int(request.form.get("version", ""))
        except ValueError:
            abort(400)
        if not reason:
            flash(gettext("Give the reason for publishing this version."), "error")
            status = 400
        elif version != draft.latest["version"]:
            flash(gettext("Not published: the draft changed meanwhile (it is now version %(version)s). Check the "
                          "changes again.", version=draft.latest["version"]), "error")
            status = 409
        else:
            try:
                drafts.publish(code, version, reason, token)
                flash(gettext("Version %(version)s is published.", version=version), "ok")
                return redirect(url_for("portal.office_scheme_draft", code=code))
            except Refused as refusal:
                refused = [{"path": p, "message": m, "link": _problem_link(code, draft, p)} for p, m in refusal.problems]
                status = 400
            except BackendError as error:
                flash(gettext("Not published: %(message)s", message=error.message), "error")
                status = 400
    return _render("office_scheme_publish.html", status, code=code, changes=drafts.changes(draft, token),
                   refused=refused, reason=reason, **_versions_context(draft))

