"""The scheduling recipes of docs/ci.md, run: every shell step of the GitHub Actions workflow and of the
cron scripts, on the demo company, with a real SMTP server on localhost taking the mail.

What a test machine cannot do is stood in for by small programs on PATH: `sudo` (the apt-get
line) does nothing, `python -m pip` notes what it would install (a wheel built from the
auditor's checkout, never a package index), and `auditor fetch` reads the demo month into the
store instead of asking the X API. Everything else is the real auditor.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from auditor.bundled import policies_folder, sample_data
from tests.delivery.smtp_server import PASSWORD, USER, Mailbox, server_tls, smtp_server, throwaway_certificate

DOCS = Path(__file__).parent.parent.parent / "docs"
MANAGERS = ["dana.reyes@acme.example", "marcus.bell@acme.example", "olivia.grunwald@acme.example"]

AUDITOR_SHIM = """#!/bin/sh
# `auditor fetch` stands in for the X API with the demo month; anything else is the real auditor.
if [ "$1" = fetch ]; then
    shift
    while [ $# -gt 0 ]; do
        [ "$1" = --store ] && store=$2
        shift
    done
    exec "{python}" -m auditor import "{demo}" --store "$store" --quiet
fi
exec "{python}" -m auditor "$@"
"""
PYTHON_SHIM = """#!/bin/sh
# `python -m pip`: noted, not run (no package index here); a wheel "built" is an empty file.
if [ "$1" = -m ] && [ "$2" = pip ]; then
    echo "$*" >> "{log}"
    if [ "$3" = wheel ]; then mkdir -p dist && : > dist/auditor-0.1.0-py3-none-any.whl; fi
    exit 0
fi
exec "{python}" "$@"
"""


def shims(folder: Path, log: Path) -> Path:
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    for name, text in {"auditor": AUDITOR_SHIM, "python": PYTHON_SHIM, "sudo": "#!/bin/sh\nexit 0\n"}.items():
        (bin_dir / name).write_text(text.format(python=sys.executable, demo=sample_data(), log=log))
        (bin_dir / name).chmod(0o755)
    return bin_dir


def company(folder: Path) -> Path:
    """A company's repository: its policy (the example, as policies/acme.yaml), roster and cases."""
    policies = folder / "policies"
    shutil.copytree(policies_folder() / "cases", policies / "cases")
    shutil.copy(policies_folder() / "example.yaml", policies / "acme.yaml")
    shutil.copy(policies_folder() / "roster.yaml", policies / "roster.yaml")
    return folder


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    return throwaway_certificate(tmp_path_factory.mktemp("tls"))


def run_script(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600, stdin=subprocess.DEVNULL)


def workflow_steps(path: Path) -> tuple[dict, list[dict]]:
    document = YAML(typ="safe").load(path.read_text())
    [job] = document["jobs"].values()
    return document.get("env", {}), job["steps"]


def secret(value: str, secrets: dict[str, str]) -> str:
    return re.sub(r"\$\{\{\s*secrets\.(\w+)\s*\}\}", lambda m: secrets.get(m.group(1), ""), str(value))


def test_the_github_actions_workflow_fetches_audits_splits_and_mails(tmp_path, tls):
    work = company(tmp_path / "repo")
    pip_log = tmp_path / "pip.log"
    bin_dir = shims(tmp_path, pip_log)
    top, steps = workflow_steps(DOCS / "examples" / "audit.yml")
    cert, key = tls
    mailbox = Mailbox()
    with smtp_server(mailbox, tls=server_tls(cert, key), require_tls=True) as port:
        secrets = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "SMTP_USER": USER, "SMTP_PASSWORD": PASSWORD,
                   "X_BEARER_TOKEN": "test-bearer"}
        base = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "HOME": str(tmp_path), "LANG": "C.UTF-8",
                **{k: str(v) for k, v in top.items()},
                "PERIOD": "2026-10",  # the demo's month, in place of last-month
                "AUDITOR_SMTP_CA_FILE": str(cert)}  # the test server's throwaway certificate
        outcomes = []
        for step in steps:
            if "run" not in step:
                continue  # checkout, cache, upload: GitHub's own actions
            env = {**base, **{k: secret(v, secrets) for k, v in (step.get("env") or {}).items()}}
            done = run_script(step["run"], work, env)
            outcomes.append((step["name"], done.returncode, done.stdout + done.stderr))
    by_name = {name: (code, output) for name, code, output in outcomes}
    assert [name for name, _, _ in outcomes] == [
        "Install the auditor", "Check the policy and its test cases", "Fetch new activity from X",
        "Audit last month and mail each manager their report"]
    for name in ("Install the auditor", "Check the policy and its test cases", "Fetch new activity from X"):
        assert by_name[name][0] == 0, by_name[name]
    code, output = by_name["Audit last month and mail each manager their report"]
    assert code == 1, output  # the demo has high findings: --fail-on high makes the run red...
    assert "fail-on high:" in output
    # ...after every manager got their report and compliance the overview, over STARTTLS with a login.
    assert [to for to, _ in mailbox.received] == [[a] for a in MANAGERS] + [["compliance@acme.example"]]
    assert PASSWORD not in output
    reports = work / "reports"
    assert {p.name for p in reports.iterdir()} >= {
        "manager-dana-reyes.pdf", "manager-marcus-bell.pdf", "manager-olivia-grunwald.pdf", "overview.pdf",
        "overview.json", "report.json", "report.csv", "report.sarif", "report.xml"}
    # Installed from the auditor's own checkout (a wheel built in the job), not from a package index.
    installs = pip_log.read_text().splitlines()
    assert installs == ["-m pip wheel -q --no-deps --wheel-dir dist ./auditor-src",
                        "-m pip install -q dist/auditor-*.whl".replace("*", "0.1.0-py3-none-any")]


@pytest.mark.parametrize("script", ["fetch.sh", "monthly.sh"])
def test_the_cron_scripts_are_in_the_docs(script):
    assert f"`/srv/social-audit/{script}`:" in (DOCS / "ci.md").read_text()


def cron_script(name: str) -> str:
    text = (DOCS / "ci.md").read_text()
    after = text.split(f"`/srv/social-audit/{name}`:", 1)[1]
    return re.search(r"```sh\n(.*?)```", after, re.S).group(1)


def test_the_cron_scripts_keep_the_store_and_mail_each_manager(tmp_path, tls):
    server = company(tmp_path / "srv")
    venv_bin = server / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    bin_dir = shims(tmp_path, tmp_path / "pip.log")
    shutil.copy(bin_dir / "auditor", venv_bin / "auditor")
    cert, key = tls
    mailbox = Mailbox()
    with smtp_server(mailbox, tls=server_tls(cert, key), require_tls=True) as port:
        (server / "secrets.env").write_text(
            f"X_BEARER_TOKEN=test-bearer\nexport X_BEARER_TOKEN\n"
            f"AUDITOR_SMTP_HOST=127.0.0.1 AUDITOR_SMTP_PORT={port} AUDITOR_SMTP_USER={USER} "
            f"AUDITOR_SMTP_PASSWORD='{PASSWORD}' AUDITOR_MAIL_FROM='Social media audit <compliance@acme.example>' "
            f"AUDITOR_SMTP_CA_FILE={cert}\n"
            "export AUDITOR_SMTP_HOST AUDITOR_SMTP_PORT AUDITOR_SMTP_USER AUDITOR_SMTP_PASSWORD AUDITOR_MAIL_FROM "
            "AUDITOR_SMTP_CA_FILE\n")
        env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8", "MONTH": "2026-10"}
        runs = {}
        for name in ("fetch.sh", "monthly.sh"):
            script = cron_script(name).replace("/srv/social-audit", str(server))
            runs[name] = run_script(script, server, env)
    assert runs["fetch.sh"].returncode == 0 and runs["fetch.sh"].stderr == "", runs["fetch.sh"]
    assert (server / "activity.db").is_file()  # the store stays on the server's disk between runs
    monthly = runs["monthly.sh"]
    assert monthly.returncode == 1, monthly.stderr  # high findings: cron's `|| tail ... | mail` tells compliance
    assert [to for to, _ in mailbox.received] == [[a] for a in MANAGERS] + [["compliance@acme.example"]]
    assert {p.name for p in (server / "reports" / "2026-10").iterdir()} >= {
        "manager-dana-reyes.pdf", "overview.json", "report.json", "report.csv"}
