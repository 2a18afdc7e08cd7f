"""auditor mail: each manager their PDF, through a real SMTP server on localhost, or as .eml files in a dry run."""

from __future__ import annotations

import base64
import json
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

import auditor.delivery.smtp as smtp
from auditor.bundled import sample_data
from auditor.cli import app
from tests.delivery.conftest import POLICY
from tests.delivery.smtp_server import PASSWORD, USER, Mailbox, free_port, server_tls, smtp_server, throwaway_certificate

ADDRESSES = ["dana.reyes@acme.example", "marcus.bell@acme.example", "olivia.grunwald@acme.example"]
SENDER = "Compliance <compliance@acme.example>"


def mail(*args, **env):
    base = {"AUDITOR_SMTP_HOST": None, "AUDITOR_SMTP_PORT": None, "AUDITOR_SMTP_SECURITY": None,
            "AUDITOR_SMTP_USER": None, "AUDITOR_SMTP_PASSWORD": None, "AUDITOR_SMTP_CA_FILE": None,
            "AUDITOR_MAIL_FROM": None}
    return CliRunner().invoke(app, ["mail", *map(str, args)], env={**base, **env})


def plain(port: int) -> dict[str, str]:
    return {"AUDITOR_SMTP_HOST": "127.0.0.1", "AUDITOR_SMTP_PORT": str(port), "AUDITOR_SMTP_SECURITY": "none",
            "AUDITOR_MAIL_FROM": SENDER}


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    monkeypatch.setattr(smtp, "RETRY_DELAYS", (0.0, 0.0))


def edited_reports(split_folder: Path, tmp_path: Path, edit) -> Path:
    """A copy of the split's overview.json, changed by `edit`, beside stand-in PDFs."""
    overview = json.loads((split_folder / "overview.json").read_text())
    edit(overview)
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "overview.json").write_text(json.dumps(overview))
    for group in overview["groups"]:
        (folder / group["files"]["pdf"]).write_bytes(b"%PDF-1.7 test")
    return folder


def parts(message) -> list[str]:
    return [part.get_content_type() for part in message.walk()]


def test_a_dry_run_writes_eml_files_a_mail_client_shows_right(split_folder, tmp_path):
    result = mail(split_folder, "--dry-run", "--outbox", tmp_path / "outbox")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "outbox").iterdir()) == [
        "manager-dana-reyes.eml", "manager-marcus-bell.eml", "manager-olivia-grunwald.eml"]
    raw = (tmp_path / "outbox" / "manager-olivia-grunwald.eml").read_bytes()
    message = BytesParser(policy=policy.default).parsebytes(raw)
    # Headers: a name with an accent is an RFC 2047 encoded word on the wire, and reads back as typed.
    assert b"To: Olivia =?utf-8?q?Gr=C3=BCnwald?= <olivia.grunwald@acme.example>" in raw
    assert str(message["To"]) == "Olivia Grünwald <olivia.grunwald@acme.example>"
    assert message["Subject"] == ("Social media policy audit, October 2026: Olivia Grünwald, score 66.7 "
                                  "(1 rule below target)")
    assert message["Auto-Submitted"] == "auto-generated" and message["Date"] and message["Message-ID"]
    assert all(ord(c) < 128 for c in raw.decode("ascii"))  # 7-bit clean: every part encoded
    # Structure: mixed [ alternative [ text, html ], the PDF ].
    assert parts(message) == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html",
                              "application/pdf"]
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "manager-olivia-grunwald.pdf"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_content() == (split_folder / "manager-olivia-grunwald.pdf").read_bytes()
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Hello Olivia Grünwald,\n\nYour social media policy report for October 2026 is attached "
                           "(manager-olivia-grunwald.pdf). It covers Olivia Grünwald, 2 accounts: @acme, @bsmith.")
    assert "Score: 66.7 out of 100 (company-wide: 90.3). Findings: 3." in text
    assert "  - listen-not-broadcast: 0% met (target 100%), 2 of 2 failed" in text
    assert text.count("LOW · listen-not-broadcast · @") == 3
    html = message.get_body(("html",)).get_content()
    assert "<li>listen-not-broadcast: 0% met (target 100%), 2 of 2 failed</li>" in html
    assert "http" not in html and "<img" not in html  # nothing a mail client would fetch
    assert "wrote" in result.output and "mail: wrote 3 of 3 messages" in result.output


def test_html_bodies_escape_what_comes_from_the_data(split_folder, tmp_path):
    folder = edited_reports(split_folder, tmp_path, lambda overview: overview["groups"][0]["worst"][0].update(
        message='<script>alert(1)</script><img src="http://127.0.0.1:9/x">'))
    result = mail(folder, "--dry-run")
    assert result.exit_code == 0, result.output
    message = BytesParser(policy=policy.default).parsebytes((folder / "outbox" / "manager-dana-reyes.eml").read_bytes())
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_every_manager_gets_their_report_through_a_real_smtp_server(split_folder):
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        result = mail(split_folder, **plain(port))
    assert result.exit_code == 0, result.output
    assert [to for to, _ in mailbox.received] == [[a] for a in ADDRESSES]
    for (to, message), stem in zip(mailbox.received, ["dana-reyes", "marcus-bell", "olivia-grunwald"]):
        assert str(message["From"]) == SENDER
        attachment = next(message.iter_attachments())
        assert attachment.get_content() == (split_folder / f"manager-{stem}.pdf").read_bytes()
    assert "sent manager-olivia-grunwald.pdf to Olivia Grünwald <olivia.grunwald@acme.example>" in result.output
    assert "mail: sent 3 of 3 messages" in result.output


def test_a_refused_recipient_is_reported_and_the_others_still_go(split_folder):
    mailbox = Mailbox(refuse={"marcus.bell@acme.example": "550 5.1.1 <marcus.bell@acme.example>: no such user"})
    with smtp_server(mailbox) as port:
        result = mail(split_folder, **plain(port))
    assert result.exit_code == 1, result.output
    assert [to for to, _ in mailbox.received] == [["dana.reyes@acme.example"], ["olivia.grunwald@acme.example"]]
    assert ("not sent: manager-marcus-bell.pdf to Marcus Bell <marcus.bell@acme.example>: 550 5.1.1 "
            "<marcus.bell@acme.example>: no such user (after 1 attempt)") in result.output
    assert "mail: sent 2 of 3 messages; 1 not delivered" in result.output


def test_a_temporary_refusal_is_retried_then_sent(split_folder):
    mailbox = Mailbox(refuse_once={"dana.reyes@acme.example": "451 4.7.1 greylisted, try again later"})
    with smtp_server(mailbox) as port:
        result = mail(split_folder, **plain(port))
    assert result.exit_code == 0, result.output
    assert [to for to, _ in mailbox.received] == [[a] for a in ADDRESSES]
    assert "451 4.7.1 greylisted, try again later; attempt 2/3" in result.output


def test_a_recipient_refused_every_time_is_tried_three_times_then_reported(split_folder):
    class Always(Mailbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
            if address == "dana.reyes@acme.example":
                self.logins.append("try")
                return "452 4.2.2 mailbox full"
            return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    mailbox = Always()
    with smtp_server(mailbox) as port:
        result = mail(split_folder, **plain(port))
    assert result.exit_code == 1 and len(mailbox.logins) == smtp.MAX_ATTEMPTS
    assert "not sent: manager-dana-reyes.pdf to Dana Reyes <dana.reyes@acme.example>: 452 4.2.2 mailbox full " \
           "(after 3 attempts)" in result.output
    assert len(mailbox.received) == 2


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return throwaway_certificate(tmp_path_factory.mktemp("tls"))


def test_a_server_that_requires_tls_gets_starttls_and_a_login(split_folder, certificate):
    cert, key = certificate
    mailbox = Mailbox()
    with smtp_server(mailbox, tls=server_tls(cert, key), require_tls=True) as port:
        result = mail(split_folder, AUDITOR_SMTP_HOST="127.0.0.1", AUDITOR_SMTP_PORT=str(port),
                      AUDITOR_SMTP_USER=USER, AUDITOR_SMTP_PASSWORD=PASSWORD, AUDITOR_SMTP_CA_FILE=str(cert),
                      AUDITOR_MAIL_FROM=SENDER)
    assert result.exit_code == 0, result.output
    assert len(mailbox.received) == 3 and mailbox.logins
    assert PASSWORD not in result.output and base64.b64encode(PASSWORD.encode()).decode() not in result.output


def test_plain_text_to_a_server_that_requires_tls_stops_with_one_line(split_folder, certificate):
    cert, key = certificate
    mailbox = Mailbox()
    with smtp_server(mailbox, tls=server_tls(cert, key), require_tls=True) as port:
        result = mail(split_folder, **plain(port))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: the SMTP server refused the sender 'Compliance <compliance@acme.example>': 530 Must issue a "
        "STARTTLS command first; the server wants TLS or a login: check AUDITOR_SMTP_SECURITY and AUDITOR_SMTP_USER"]
    assert mailbox.received == []


def test_an_untrusted_certificate_or_a_wrong_password_stops_and_never_prints_the_password(split_folder, certificate):
    cert, key = certificate
    mailbox = Mailbox()
    with smtp_server(mailbox, tls=server_tls(cert, key), require_tls=True) as port:
        untrusted = mail(split_folder, AUDITOR_SMTP_HOST="127.0.0.1", AUDITOR_SMTP_PORT=str(port),
                         AUDITOR_SMTP_USER=USER, AUDITOR_SMTP_PASSWORD=PASSWORD, AUDITOR_MAIL_FROM=SENDER)
        wrong = mail(split_folder, AUDITOR_SMTP_HOST="127.0.0.1", AUDITOR_SMTP_PORT=str(port),
                     AUDITOR_SMTP_USER=USER, AUDITOR_SMTP_PASSWORD="not-" + PASSWORD,
                     AUDITOR_SMTP_CA_FILE=str(cert), AUDITOR_MAIL_FROM=SENDER)
    assert untrusted.exit_code == 2 and wrong.exit_code == 2 and mailbox.received == []
    assert untrusted.output.startswith(f"error: the TLS certificate of 127.0.0.1:{port} is not trusted (")
    assert untrusted.output.rstrip().endswith("set AUDITOR_SMTP_CA_FILE to your company's CA bundle")
    assert wrong.output.startswith(f"error: the SMTP server 127.0.0.1:{port} refused the login of AUDITOR_SMTP_USER with "
                                   "AUDITOR_SMTP_PASSWORD: 535")
    for output in (untrusted.output, wrong.output):
        assert PASSWORD not in output and len(output.strip().splitlines()) == 1 and "Traceback" not in output


def test_a_server_that_cannot_be_reached_is_tried_again_then_one_line(split_folder):
    result = mail(split_folder, **plain(free_port()))
    assert result.exit_code == 2
    assert result.output.splitlines()[-1].startswith("error: cannot reach the SMTP server 127.0.0.1:")
    assert "(after 3 attempts)" in result.output


@pytest.mark.parametrize("env, message", [
    ({}, "AUDITOR_SMTP_HOST is not set: the SMTP server to send through (or use --dry-run)"),
    ({"AUDITOR_SMTP_HOST": "mail.acme.example"},
     "AUDITOR_MAIL_FROM is not set: the sender, like 'Compliance <compliance@acme.example>'"),
    ({"AUDITOR_SMTP_HOST": "mail.acme.example", "AUDITOR_MAIL_FROM": SENDER, "AUDITOR_SMTP_SECURITY": "none",
      "AUDITOR_SMTP_USER": "u", "AUDITOR_SMTP_PASSWORD": "p4ssw0rd"},
     "a password is never sent without TLS: set AUDITOR_SMTP_SECURITY to starttls or ssl"),
    ({"AUDITOR_SMTP_HOST": "mail.acme.example", "AUDITOR_MAIL_FROM": SENDER, "AUDITOR_SMTP_PORT": "smtp"},
     "AUDITOR_SMTP_PORT must be a port number, got 'smtp'"),
    ({"AUDITOR_SMTP_HOST": "mail.acme.example", "AUDITOR_MAIL_FROM": "compliance"},
     "AUDITOR_MAIL_FROM must be an address like 'Compliance <compliance@acme.example>', got 'compliance'"),
    ({"AUDITOR_SMTP_HOST": "mail.acme.example", "AUDITOR_MAIL_FROM": SENDER, "AUDITOR_SMTP_USER": "u"},
     "set both AUDITOR_SMTP_USER and AUDITOR_SMTP_PASSWORD, or neither"),
])
def test_smtp_settings_are_checked_before_anything_is_sent(split_folder, env, message):
    result = mail(split_folder, **env)
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {message}"
    assert "p4ssw0rd" not in result.output


def test_mail_needs_the_folder_a_split_audit_wrote(tmp_path):
    result = mail(tmp_path, "--dry-run")
    assert result.exit_code == 2
    assert result.output.strip() == (f"{tmp_path}/overview.json: not found: write the reports first with "
                                     f"auditor audit --split manager --out-dir {tmp_path}")


def test_a_wrong_folder_is_said_before_missing_smtp_settings(tmp_path):
    result = mail(tmp_path)
    assert result.exit_code == 2
    assert result.output.strip().startswith(f"{tmp_path}/overview.json: not found")


def test_a_manager_without_an_address_is_reported_and_the_others_still_go(split_folder, tmp_path):
    folder = edited_reports(split_folder, tmp_path, lambda overview: overview["groups"][1].update(recipients=[]))
    result = mail(folder, "--dry-run")
    assert result.exit_code == 1
    assert ("not sent: manager-marcus-bell.pdf: no e-mail address for manager Marcus Bell (add it under managers: "
            "in the policy or its roster)") in result.output
    assert len(list((folder / "outbox").iterdir())) == 2


@pytest.mark.parametrize("edit, where", [
    (lambda o: o["groups"][0].update(recipients=5), "groups[0].recipients: input should be a valid list"),
    (lambda o: o["groups"][0].update(worst="x"), "groups[0].worst: input should be a valid list"),
    (lambda o: o["groups"][0].update(score="high"), "groups[0].score: input should be a valid number"),
    (lambda o: o.update(groups=[1, 2]), "groups[0]: input should be a valid dictionary"),
    (lambda o: o["groups"][1]["recipients"][0].update(email=None), "groups[1].recipients[0].email: input should be "
                                                                   "a valid string"),
])
def test_an_overview_edited_by_hand_into_another_shape_is_one_line(split_folder, tmp_path, edit, where):
    # Each was an internal error (exit 3) in the middle of building the messages.
    folder = tmp_path
    overview = json.loads((split_folder / "overview.json").read_text())
    edit(overview)
    (folder / "overview.json").write_text(json.dumps(overview))
    result = mail(folder, "--dry-run")
    assert result.exit_code == 2
    assert result.output == f"{folder}/overview.json: {where} (not as auditor audit --split wrote it)\n"


def test_a_report_name_with_a_path_in_it_is_refused(split_folder, tmp_path):
    overview = json.loads((split_folder / "overview.json").read_text())
    overview["groups"][0]["files"]["pdf"] = "../../etc/passwd"
    (tmp_path / "overview.json").write_text(json.dumps(overview))
    result = mail(tmp_path, "--dry-run")
    assert result.exit_code == 2 and "a report file name with a path in it: '../../etc/passwd'" in result.output


def test_audit_splits_and_mails_in_one_go(tmp_path):
    folder = tmp_path / "2026-10"
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        result = CliRunner().invoke(app, [
            "audit", "--policy", str(POLICY), "--data", str(sample_data()), "--period", "2026-10", "--mail",
            "--out-dir", str(folder), "--overview-to", "HR <hr@acme.example>", "--quiet"],
            env={**plain(port), "AUDITOR_SMTP_USER": None, "AUDITOR_SMTP_PASSWORD": None})
    assert result.exit_code == 0, result.output
    assert [to for to, _ in mailbox.received] == [[a] for a in ADDRESSES] + [["hr@acme.example"]]
    overview = mailbox.received[-1][1]
    assert overview["Subject"] == "Social media policy audit, October 2026: overview by manager, company score 90.3"
    assert next(overview.iter_attachments()).get_filename() == "overview.pdf"
    assert sorted(p.name for p in folder.iterdir()) == [
        "manager-dana-reyes.pdf", "manager-marcus-bell.pdf", "manager-olivia-grunwald.pdf", "overview.json",
        "overview.pdf"]
    # --quiet: no summary table and no progress; what was sent is not said either.
    assert "score 90.3" not in result.output and "audit:" not in result.output
