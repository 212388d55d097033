"""docs/new-office.md, followed step by step as a new evaluation office would: from an
empty platform to a published first month with its own scheme (generic indicators, no
code), a feed's signing key and token, one Kafka feed and one spreadsheet upload, and
the office's lock, approval and publication. The public then reads what the guide says
it reads, with the numbers the generic formulas give."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from e2e.gateway.gateway_kit import Http, multipart
from helpers import eventually
from helpers.cli import run_jixiao
from helpers.platform import start_platform, wait_scored

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "services" / "demo" / "src" / "jixiao" / "demo" / "data" / "riverside-2027.yaml"
GUIDE = ROOT / "docs" / "new-office.md"
CODE = "riverside-2027"

DATA = EXAMPLE.parent
HOTLINE_FILE = DATA / "riverside-2027-hotline-2027-01.jsonl"  # the guide's Kafka feed
UPLOAD_FILE = DATA / "riverside-2027-investment-2027-01.csv"  # the guide's upload


def figures() -> tuple[dict[str, tuple[float, float]], dict[str, float]]:
    """The guide's January figures: the hotline's (received, handled on time) per unit, and
    the statistics bureau's road investment (亿元) per district."""
    hotline: dict[str, dict[str, float]] = {}
    for line in HOTLINE_FILE.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        hotline.setdefault(event["unit_id"], {})[event["metric_code"]] = event["value"]
    rows = [line.split(",") for line in UPLOAD_FILE.read_text(encoding="utf-8").splitlines()[1:]]
    return ({unit: (v["cases_received"], v["cases_on_time"]) for unit, v in hotline.items()},
            {row[0]: float(row[2]) for row in rows})


HOTLINE, INVESTMENT = figures()
TARGETS = {"D-NORTH": 12.0, "D-SOUTH": 9.5, "D-EAST": 15.0, "D-WEST": 8.0, "D-HILL": 5.0, "D-LAKE": 6.5}


def test_the_guides_figures_cover_every_unit():
    assert len(HOTLINE) == 12 and set(INVESTMENT) == {u for u in HOTLINE if u.startswith("D-")}
    assert all(on_time <= received for received, on_time in HOTLINE.values())


def expected_total(unit: str) -> float:
    """What the guide says a unit's January total is: the generic formulas, by hand."""
    received, on_time = HOTLINE[unit]
    target_rate = 0.98 if unit == "G-SERVICES" else 0.95
    rate_points = 100 * min(1.0, on_time / received / target_rate)
    if unit not in INVESTMENT:  # departments: satisfaction is assessed in quarters only
        return rate_points
    # January's share of the plan (序时进度): by elapsed time, or for D-EAST along its milestones
    # (0.4 by the end of June: 31 of those 181 days have passed).
    plan = TARGETS[unit] * (0.4 * 31 / 181 if unit == "D-EAST" else 31 / 365)
    amount_points = 100 * min(1.0, INVESTMENT[unit] / plan)
    return 0.6 * amount_points + 0.4 * rate_points


@pytest.fixture
def platform(broker, tmp_path):
    running = start_platform(broker, tmp_path / "riverside", scheme_text="")
    yield running
    running.stop()


def test_the_guide_exists_and_names_each_step():
    text = GUIDE.read_text(encoding="utf-8")
    for step in ("jixiao up --no-demo", "jixiao scheme submit", "jixiao scheme validate", "jixiao bootstrap",
                 "jixiao scheme publish", "jixiao keys create --source hotline", "jixiao tokens add", "jixiao feed send",
                 "/api/v1/uploads", "for action in lock approve publish", "/periods/2027-01/$action",
                 "rankings?category=districts&period=2027-01", "76.20"):
        assert step in text, f"docs/new-office.md does not show {step!r}"


def test_a_new_office_publishes_its_first_month(platform, tmp_path):
    office = {"JIXIAO_REGISTRY_ADDR": platform.registry_address, "JIXIAO_TOKEN": platform.tokens.office}
    http = Http(platform.gateway_url)

    # 1. Its scheme: submitted as a draft and validated (the generic formulas' plug-in is not
    #    active yet), then the installed standard plug-ins made active and the scheme published.
    submitted = run_jixiao("scheme", "submit", str(EXAMPLE), "--reason", "2027年度方案 / the 2027 scheme", env=office)
    assert submitted.returncode == 0, submitted.stderr
    assert f"{CODE} version 1 [draft]" in submitted.stdout
    assert "no active plug-in provides 'generic_rate'" in submitted.stdout
    activated = run_jixiao("bootstrap", str(EXAMPLE), env=office)
    assert activated.returncode == 0, activated.stdout + activated.stderr
    assert f"scheme {CODE} version 1 is published" in activated.stdout
    validated = run_jixiao("scheme", "validate", CODE, "--version", "1", env=office)
    assert validated.returncode == 0 and "no problems" in validated.stdout, validated.stdout + validated.stderr

    # Scoring takes the published scheme up within seconds (it asks the registry every 2 s).
    eventually(lambda: http.get(f"/api/v1/schemes/{CODE}/periods", token=platform.tokens.office).status == 200,
               timeout=30, what="scoring to take the published scheme up")

    # 2. The hotline's signing key; the statistics bureau's feed token, taken without a restart.
    key = tmp_path / "hotline.key"
    made = run_jixiao("keys", "create", "--source", "hotline", "-o", str(key), env=office)
    assert made.returncode == 0 and key.exists(), made.stderr
    added = run_jixiao("tokens", "add", str(platform.tokens.file), "--name", "河畔市统计局", "--role", "feed",
                       "--subject", "statistics")
    assert added.returncode == 0, added.stdout
    feed_token = added.stdout.split(": ", 1)[1].splitlines()[0].strip()

    # 3. One Kafka feed: the hotline's January figures, signed and sent.
    sent = run_jixiao("feed", "send", "--key-file", str(key), "-b", platform.bootstrap, "-t", platform.topic,
                      stdin=HOTLINE_FILE.read_bytes())
    assert sent.returncode == 0, sent.stderr

    # 4. One upload: the statistics bureau's January road investment, checked first, then sent.
    def dry_run():
        data, content_type = multipart("file", "投资月报-2027-01.csv", UPLOAD_FILE.read_bytes())
        return http.post("/api/v1/uploads?dry_run=1", data=data, content_type=content_type, token=feed_token,
                         check=False)

    checked = eventually(lambda: (reply := dry_run()).status != 401 and reply,
                         timeout=5, what="the new feed token to count (the services reread the tokens file)")
    assert checked.status == 200, checked.raw
    uploaded = http.upload("投资月报-2027-01.csv", UPLOAD_FILE.read_bytes(), feed_token)
    assert uploaded.status == 200 and uploaded.body["published"] == len(INVESTMENT), uploaded.raw
    wait_scored(platform.scoring_address, platform.tokens.office, 2 * len(HOTLINE) + len(INVESTMENT),
                scoring=platform.scoring)

    # 5. The office looks at January, then locks, approves and publishes it.
    preview = http.get(f"/api/v1/schemes/{CODE}/rankings?category=districts&period=2027-01",
                       token=platform.tokens.office)
    assert preview.status == 200, preview.raw
    assert http.get(f"/api/v1/schemes/{CODE}/rankings?category=districts&period=2027-01").status == 404
    for action in ("lock", "approve", "publish"):
        done = http.post(f"/api/v1/schemes/{CODE}/periods/2027-01/{action}", json_body={"reason": "一月份结果"},
                         token=platform.tokens.office)
        assert done.status == 200, (action, done.raw)

    # 6. The public reads the published month: every unit ranked, the formulas' numbers.
    for category, units in (("districts", [u for u in HOTLINE if u.startswith("D-")]),
                            ("departments", [u for u in HOTLINE if u.startswith("G-")])):
        ranking = http.get(f"/api/v1/schemes/{CODE}/rankings?category={category}&period=2027-01")
        assert ranking.status == 200, ranking.raw
        totals = {entry["unit_id"]: entry["total"] for entry in ranking.body["entries"]}
        assert totals.keys() == set(units)
        for unit in units:
            assert totals[unit] == pytest.approx(expected_total(unit), abs=0.01), unit
    card = http.get(f"/api/v1/schemes/{CODE}/units/D-SOUTH?period=2027-01")
    assert card.status == 200, card.raw
    explained = {item["indicator_code"]: item for item in card.body["indicators"]}
    assert {"on_time_rate", "road_investment"} <= explained.keys()
    assert all(item["explanation"] for item in explained.values())
    services = http.get(f"/api/v1/schemes/{CODE}/units/G-SERVICES?period=2027-01")
    assert services.body["unit_name_en"] == "Government Services Office"  # a name in English only
