"""--split: one report per group from the one audit; nothing of another group leaks in, and the groups add up."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from auditor.bundled import sample_data
from auditor.cli import app
from auditor.render import RenderOptions, render
from auditor.render.split import combine_metrics, group_result, groups, slug
from tests.delivery.conftest import MANAGERS, POLICY


def test_every_account_is_in_exactly_one_group_of_each_kind(demo_result):
    handles = sorted(a.handle for a in demo_result.accounts)
    for by in ("manager", "team", "account"):
        chosen = groups(demo_result, by)
        assert sorted(h for g in chosen for h in g.handles) == handles
    assert [g.name for g in groups(demo_result, "manager")] == list(MANAGERS)
    assert [g.slug for g in groups(demo_result, "manager")] == [
        "manager-dana-reyes", "manager-marcus-bell", "manager-olivia-grunwald"]
    assert [g.slug for g in groups(demo_result, "team")] == ["team-marketing", "team-sales", "team-support"]
    assert groups(demo_result, "account")[0].slug == "account-acme"
    assert groups(demo_result, "team")[2].managers == ("Dana Reyes",)


@pytest.mark.parametrize("by", ["manager", "team", "account"])
def test_no_finding_or_account_of_another_group_leaks_into_a_group_report(demo_result, by):
    for group in groups(demo_result, by):
        part = group_result(demo_result, group)
        members = set(group.handles)
        assert {a.handle for a in part.accounts} == members
        assert all(f.account in members for f in part.findings)
        mine = {f.fingerprint for f in part.findings}
        assert mine == {f.fingerprint for f in demo_result.findings if f.account in members}
        others = {f.fingerprint for f in demo_result.findings} - mine
        text = render(part, "json", RenderOptions()).decode() + render(part, "csv", RenderOptions()).decode()
        assert not any(fingerprint in text for fingerprint in others)
        assert set(json.loads(render(part, "json", RenderOptions()))["scope"]["accounts"]) == members


@pytest.mark.parametrize("by", ["manager", "team", "account"])
def test_the_groups_figures_add_up_to_the_company(demo_result, by):
    parts = [group_result(demo_result, g) for g in groups(demo_result, by)]
    for rule in demo_result.rules:
        figures = [r.figures for p in parts for r in p.rules if r.id == rule.id]
        for name in ("checked", "passed", "failed", "pending"):
            assert sum(getattr(f, name) for f in figures) == getattr(rule.figures, name), (rule.id, name)
        # The kind's own counts add up too (episodes, promises, posts, items set aside...).
        for key, value in rule.figures.metrics.items():
            if isinstance(value, int) and not {"seconds", "median", "p90", "share"} & set(key.split("_")):
                assert sum(f.metrics.get(key, 0) for f in figures) == value, (rule.id, key)
    assert sum(p.summary["findings"] for p in parts) == demo_result.summary["findings"]
    assert sum(p.summary["pending"] for p in parts) == demo_result.summary["pending"]


def test_a_group_report_shows_the_company_beside_its_own_figures(demo_result):
    olivia = next(g for g in groups(demo_result, "manager") if g.name == "Olivia Grünwald")
    part = group_result(demo_result, olivia)
    assert part.scope["label"] == "Olivia Grünwald" and part.scope["company"]["score"] == demo_result.summary["score"]
    assert part.summary["score"] != demo_result.summary["score"]
    html = render(part, "html", RenderOptions()).decode()
    assert "Report for Olivia Grünwald: 2 of the company's 8 audited accounts" in html
    assert f"(company {demo_result.summary['score']})" in html
    assert "@acme_support · Acme Support" not in html  # the scorecard of another manager's account
    # Its rules are the ones that apply to its accounts; a group has no trend of its own: the company's is shown.
    assert [r.id for r in part.rules] == [r.id for r in demo_result.rules if any(
        r.id in a.rules for a in part.accounts)]
    assert all(r.previous_compliance is None and r.weeks == () for r in part.rules)
    assert "company vs previous period" in html


def test_a_company_report_has_no_scope_and_the_same_json_as_before(demo_result):
    assert demo_result.scope is None and "scope" not in json.loads(render(demo_result, "json", RenderOptions()))


def test_metrics_combine_counts_and_keep_measures_only_when_they_agree():
    a = {"episodes": 3, "median_response_seconds": 600, "share_met": 0.5, "not_counted": {"acknowledgement": 2},
         "histogram": {"limit_seconds": 14400, "bins": [[3600, 2], [None, 1]]}, "label": "x"}
    b = {"episodes": 4, "median_response_seconds": 900, "share_met": None, "not_counted": {"acknowledgement": 1,
         "passing mention": 5}, "histogram": {"limit_seconds": 14400, "bins": [[3600, 1], [None, 0]]}, "label": "x"}
    assert combine_metrics([a, b]) == {
        "episodes": 7, "share_met": 0.5, "not_counted": {"acknowledgement": 3, "passing mention": 5},
        "histogram": {"limit_seconds": 14400, "bins": [[3600, 3], [None, 1]]}, "label": "x"}
    assert combine_metrics([a]) == a  # one account's metrics are its own
    other_edges = {"histogram": {"limit_seconds": 7200, "bins": [[1800, 1], [None, 0]]}}
    assert combine_metrics([{"histogram": a["histogram"]}, other_edges]) == {"histogram": {}}


@pytest.mark.parametrize("text, expected", [
    ("Olivia Grünwald", "olivia-grunwald"), ("Dana Reyes", "dana-reyes"), ("acme_support", "acme_support"),
    ("José  O'Brien-Smith", "jose-o-brien-smith"), ("王伟", "王伟"), ("../../etc", "etc"), ("***", None),
])
def test_slugs_are_file_names_anyone_can_type(text, expected):
    made = slug(text)
    assert "/" not in made and made.strip() == made and made
    if expected is not None:
        assert made == expected


def test_names_that_slug_alike_keep_separate_files(demo_result):
    accounts = tuple(replace(a, manager="José Ruiz" if a.team == "sales" else "Jose Ruiz") for a in demo_result.accounts)
    chosen = groups(replace(demo_result, accounts=accounts), "manager")
    assert [(g.name, g.slug) for g in chosen] == [("Jose Ruiz", "manager-jose-ruiz"), ("José Ruiz", "manager-jose-ruiz-2")]


def test_accounts_without_a_manager_form_the_last_group(demo_result):
    accounts = tuple(replace(a, manager=None) if a.handle == "jdoe" else a for a in demo_result.accounts)
    chosen = groups(replace(demo_result, accounts=accounts), "manager")
    assert (chosen[-1].name, chosen[-1].slug, chosen[-1].handles, chosen[-1].label) == (
        None, "manager-unassigned", ("jdoe",), "no manager")


def test_a_note_naming_another_groups_account_stays_out(demo_result):
    noted = replace(demo_result, notes=("waivers.yaml:3:3: waiver matched no finding (answer-customers, mkhan)",
                                        "waivers w.yaml: 0 findings waived"))
    dana = next(g for g in groups(noted, "manager") if g.name == "Dana Reyes")
    assert group_result(noted, dana).notes == ("waivers w.yaml: 0 findings waived",)


def test_the_split_writes_each_group_in_every_format_the_overview_and_the_company_json(split_folder, tmp_path):
    names = sorted(p.name for p in split_folder.iterdir())
    stems = ["manager-dana-reyes", "manager-marcus-bell", "manager-olivia-grunwald"]
    assert names == sorted([f"{s}.{ext}" for s in stems for ext in ("pdf", "json", "csv")]
                           + ["overview.json", "overview.pdf", "overview.csv", "report.json", "report.csv"])
    overview = json.loads((split_folder / "overview.json").read_text())
    assert [g["label"] for g in overview["groups"]] == list(MANAGERS)
    olivia = overview["groups"][2]
    assert olivia["recipients"] == [{"name": "Olivia Grünwald", "email": "olivia.grunwald@acme.example"}]
    assert olivia["files"] == {"pdf": "manager-olivia-grunwald.pdf", "json": "manager-olivia-grunwald.json",
                               "csv": "manager-olivia-grunwald.csv"}
    assert olivia["status"] == "attention" and olivia["rules_below"][0]["id"] == "listen-not-broadcast"
    assert len(olivia["worst"]) == 3 and all(w["account"] in ("acme", "bsmith") for w in olivia["worst"])
    # The company's report.json is the very bytes an audit without --split writes.
    plain = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["audit", "--policy", str(POLICY), "--data", str(sample_data()),
                                      "--period", "2026-10", "--out", str(plain)])
    assert result.exit_code == 0, result.output
    assert plain.read_bytes() == (split_folder / "report.json").read_bytes()
    assert sum(g["findings"] for g in overview["groups"]) == overview["company"]["findings"] == 68


def test_the_overview_csv_neutralises_formulas(split_folder):
    lines = (split_folder / "overview.csv").read_text().splitlines()
    assert lines[0].startswith("group,slug,accounts,managers,score,status")
    assert lines[3].startswith("Olivia Grünwald,manager-olivia-grunwald,2,Olivia Grünwald,66.7,attention")


@pytest.mark.parametrize("args, message", [
    (["--split", "department"], "--split must be one of manager, team, account, got 'department'"),
    (["--split", "manager", "--out", "x.pdf"], "--split writes a report per group into --out-dir, not --out"),
    (["--dry-run"], "--dry-run goes with --mail (or use `auditor mail --dry-run`)"),
    (["--mail", "--format", "json"], "--mail sends the PDF reports: put pdf in --format"),
])
def test_split_and_mail_usage_errors_are_one_line(args, message, tmp_path):
    result = CliRunner().invoke(app, ["audit", "--policy", str(POLICY), "--data", str(sample_data()),
                                      "--period", "2026-10", "--out-dir", str(tmp_path), *args])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {message}"


@pytest.mark.parametrize("start, end, folder", [
    ("2026-10-01T00:00:00-04:00", "2026-11-01T00:00:00-04:00", "reports/2026-10"),
    ("2026-07-01T00:00:00-04:00", "2026-10-01T00:00:00-04:00", "reports/2026-Q3"),
    ("2026-01-01T00:00:00-05:00", "2027-01-01T00:00:00-05:00", "reports/2026"),
    ("2026-10-01T00:00:00-04:00", "2026-10-16T00:00:00-04:00", "reports/2026-10-01_2026-10-15"),
    ("2026-02-01T00:00:00-05:00", "2026-04-01T00:00:00-04:00", "reports/2026-02-01_2026-03-31"),
])
def test_the_default_folder_is_named_by_the_period(start, end, folder):
    from pathlib import Path

    from auditor.render.split_reports import default_folder

    assert default_folder({"start": start, "end": end}) == Path(folder)


def test_without_out_dir_a_split_goes_to_reports_and_the_month(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["audit", "--policy", str(POLICY), "--data", str(sample_data()),
                                      "--period", "2026-10", "--split", "team", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "reports" / "2026-10").iterdir()) == [
        "overview.json", "report.json", "team-marketing.json", "team-sales.json", "team-support.json"]
    assert "wrote 3 team reports and the overview (5 files) to reports/2026-10" in result.output


def test_a_split_with_customer_pseudonyms_hides_customers_in_the_overview_too(tmp_path):
    key = tmp_path / "pseudonym.key"
    result = CliRunner().invoke(app, ["audit", "--policy", str(POLICY), "--data", str(sample_data()),
                                      "--period", "2026-10", "--split", "manager", "--format", "json",
                                      "--redact", "customers", "--pseudonym-key", str(key),
                                      "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    overview = json.loads((tmp_path / "out" / "overview.json").read_text())
    group = json.loads((tmp_path / "out" / "manager-dana-reyes.json").read_text())
    counterparts = {w["counterpart"] for g in overview["groups"] for w in g["worst"] if w["counterpart"]}
    assert counterparts and all(c.startswith("customer-") for c in counterparts), counterparts
    assert all(f["counterpart"] is None or f["counterpart"].startswith("customer-") for f in group["findings"])
