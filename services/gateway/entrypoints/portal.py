"""The portal pages (Chinese first, English beside)."""
from __future__ import annotations

import json

from flask import Blueprint, render_template, request

from jixiao.v1 import registry_pb2, scoring_pb2

from ..adapters.backends import ApiError
from .api import backends

portal = Blueprint("portal", __name__, template_folder="templates")


@portal.get("/")
def home():
    """Rankings of every category of the latest published scheme for one period."""
    try:
        versions = backends().call("registry", "ListSchemeVersions", registry_pb2.ListSchemeVersionsRequest())["versions"]
    except ApiError as error:
        return render_template("unavailable.html", message=error.message), error.code
    published = [v for v in versions if v["status"] == "published"]
    if not published:
        return render_template("home.html", scheme=None, rankings=[], period="")
    scheme = max(published, key=lambda v: (v["year"], v["code"], v["version"]))
    period = request.args.get("period", str(scheme["year"]))
    document = backends().call("registry", "GetScheme", registry_pb2.GetSchemeRequest(code=scheme["code"]))
    categories = json.loads(document["document_json"])["categories"]
    rankings = []
    for category in categories:
        try:
            reply = backends().call("scoring", "GetRanking", scoring_pb2.GetRankingRequest(
                scheme_code=scheme["code"], category=category["code"], period=period, page_size=500))
        except ApiError:
            reply = {"entries": []}
        rankings.append((category, reply.get("entries", [])))
    return render_template("home.html", scheme=scheme, rankings=rankings, period=period)
