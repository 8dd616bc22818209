"""deploy/ is what an operations team installs: its units, environment template, gunicorn and nginx settings must
agree with the code and with docs/OPERATIONS.md, and `check --deploy` must be clean with the documented
production environment."""

import configparser
import os
import re
import runpy
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.db import connection

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
ENV_TEMPLATE = DEPLOY / "prokuratura.env.example"
OPERATIONS = ROOT / "docs" / "OPERATIONS.md"
MANAGE_COMMAND = re.compile(r"manage\.py\s+([a-z_]+)")
ASSIGNMENT = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")
ENV_READ = re.compile(r"""os\.environ(?:\.get)?\s*[\[(]\s*["']([A-Z][A-Z0-9_]*)["']""")


def unit(path: Path) -> configparser.ConfigParser:
    # systemd allows a key more than once (several ExecStart= of a oneshot): not strict, keys case-sensitive.
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text())
    return parser


def exec_lines(path: Path) -> list[str]:
    return [line.split("=", 1)[1] for line in path.read_text().splitlines() if line.startswith("ExecStart=")]


def unit_commands(path: Path) -> list[str]:
    return [name for line in exec_lines(path) for name in MANAGE_COMMAND.findall(line)]


def periodic_jobs_in_operations() -> set[str]:
    text = OPERATIONS.read_text()
    section = text.split("## Periodic jobs", 1)[1].split("\n## ", 1)[0]
    return {
        match.group(1)
        for line in section.splitlines()
        if (match := re.match(r"^\|\s*`manage\.py ([a-z_]+)", line))
    }


def template_values() -> dict[str, str]:
    return {
        match.group(1): match.group(2)
        for line in ENV_TEMPLATE.read_text().splitlines()
        if (match := ASSIGNMENT.match(line))
    }


def dev_only_names() -> set[str]:
    for line in ENV_TEMPLATE.read_text().splitlines():
        if line.startswith("# dev-only:"):
            return {name.strip() for name in line.split(":", 1)[1].split(",") if name.strip()}
    return set()


def code_texts() -> dict[Path, str]:
    files = [
        *(p for p in (ROOT / "prokuratura").rglob("*.py") if "tests" not in p.parts),
        *DEPLOY.rglob("*.py"),
    ]
    return {path: path.read_text() for path in files}


def test_every_periodic_job_of_operations_has_a_service_and_timer_and_vice_versa():
    timers = sorted(SYSTEMD.glob("*.timer"))
    assert len(timers) >= 9
    scheduled = set()
    for timer in timers:
        parsed = unit(timer)
        service = SYSTEMD / parsed["Timer"].get("Unit", timer.with_suffix(".service").name)
        assert service.exists(), f"{timer.name} starts {service.name}, which deploy/systemd lacks"
        assert unit(service)["Service"]["Type"] == "oneshot"
        commands = unit_commands(service)
        assert len(commands) == 1, f"{service.name} runs {commands}"
        scheduled.add(commands[0])
    documented = periodic_jobs_in_operations()
    assert documented - scheduled == set(), "documented in OPERATIONS.md but with no timer"
    assert scheduled - documented == set(), "a timer in deploy/systemd that OPERATIONS.md's table omits"


def test_every_timer_runs_in_almaty_time_and_catches_up():
    for timer in SYSTEMD.glob("*.timer"):
        section = unit(timer)["Timer"]
        calendar = section["OnCalendar"]
        every_minute = calendar == "*-*-* *:*:00"
        # systemd reads OnCalendar in the machine's zone unless the zone is written in it.
        assert every_minute or calendar.endswith(" Asia/Almaty"), f"{timer.name}: {calendar}"
        assert every_minute or section.get("Persistent") == "true", timer.name
        assert unit(timer)["Install"]["WantedBy"] == "prokuratura-jobs.target"
        assert timer.name in unit(SYSTEMD / "prokuratura-jobs.target")["Unit"]["Wants"].split()


def test_every_command_a_unit_runs_exists():
    known = get_commands()
    seen = set()
    for path in SYSTEMD.glob("*.service"):
        for command in unit_commands(path):
            assert command in known, f"{path.name} runs manage.py {command}, which does not exist"
            seen.add(command)
    assert {"task_worker", "migrate", "collectstatic", "load_cooperation", "backup_create"} <= seen


def test_units_parse_and_are_hardened():
    for path in [*SYSTEMD.glob("*.service"), *SYSTEMD.glob("*.timer"), *SYSTEMD.glob("*.target")]:
        parsed = unit(path)
        assert "Unit" in parsed and parsed["Unit"].get("Description"), path.name
    for path in SYSTEMD.glob("*.service"):
        if not unit_commands(path) and "gunicorn" not in path.read_text():
            continue
        service = unit(path)["Service"]
        assert service["User"] == "prokuratura", path.name
        assert service["EnvironmentFile"] == "/etc/prokuratura/prokuratura.env", path.name
        assert service["ProtectSystem"] == "strict", path.name
        assert service["NoNewPrivileges"] == "yes", path.name
        assert service["PrivateTmp"] == "yes", path.name
        assert "/var/lib/prokuratura" in service["ReadWritePaths"].split(), path.name
    web = unit(SYSTEMD / "prokuratura-web.service")["Service"]
    assert web["Restart"] == "on-failure"
    assert "deploy/gunicorn.conf.py" in web["ExecStart"]
    worker = unit(SYSTEMD / "prokuratura-worker@.service")["Service"]
    assert worker["KillSignal"] == "SIGTERM"
    assert int(worker["TimeoutStopSec"]) >= 60
    assert "migrate" not in " ".join(unit_commands(SYSTEMD / "prokuratura-web.service"))


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_finds_nothing_but_the_missing_install_folder(tmp_path):
    units = sorted(str(p) for p in SYSTEMD.iterdir() if p.suffix in {".service", ".timer", ".target"})
    result = subprocess.run(  # noqa: S603 - a fixed tool on our own files
        ["systemd-analyze", "verify", "--man=no", *units],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
        cwd=SYSTEMD,
    )
    # The code is installed in /opt/prokuratura on the target machine, not here.
    complaints = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "/opt/prokuratura/.venv/bin/" not in line
    ]
    assert complaints == []


def test_every_variable_of_the_template_is_read_by_the_code():
    texts = code_texts()
    unread = [name for name in template_values() if not any(f'"{name}"' in text for text in texts.values())]
    assert unread == []


def test_every_variable_the_settings_read_is_in_the_template_or_dev_only():
    read = set(ENV_READ.findall((ROOT / "prokuratura" / "settings.py").read_text()))
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "EMAIL_BACKEND"} <= read
    missing = read - set(template_values()) - dev_only_names()
    assert missing == set()


def test_the_template_holds_no_secret():
    values = template_values()
    for name in ("DJANGO_SECRET_KEY", "AWS_SECRET_ACCESS_KEY", "EMAIL_HOST_PASSWORD"):
        assert values[name].startswith("<"), name
    assert values["DJANGO_SECURE"] == "1"
    assert values["DJANGO_DEBUG"] == "0"
    assert values["TRUSTED_PROXIES"] == "127.0.0.1,::1"


def test_gunicorn_settings():
    from gunicorn.config import KNOWN_SETTINGS

    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    names = {s.name for s in KNOWN_SETTINGS}
    ours = {k for k in config if not k.startswith("_") and k not in {"multiprocessing", "os"}}
    assert ours - names == set(), "not gunicorn settings"
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["workers"] >= 1
    assert config["max_requests"] > 0 and config["max_requests_jitter"] > 0
    assert config["graceful_timeout"] > 0 and config["timeout"] > 0
    assert "{x-forwarded-for}i" in config["access_log_format"]
    assert config["wsgi_app"] == "prokuratura.wsgi:application"


def test_nginx_site():
    text = (DEPLOY / "nginx" / "prokuratura.conf").read_text()
    for directive in (
        "server_tokens off;",
        "proxy_set_header Host $host;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "client_max_body_size 64m;",
        "ssl_protocols TLSv1.2 TLSv1.3;",
        "return 301 https://$host$request_uri;",
        "proxy_pass http://prokuratura_app;",
    ):
        assert directive in text, directive
    assert "TRUSTED_PROXIES" in text
    assert re.search(r"ssl_protocols[^;]*TLSv1(\.1)?[ ;]", text) is None


def production_environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The template's values, placeholders filled in, as an operator would; a database of the suite's kind."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "SYSTEMROOT"}
    }
    for name, value in template_values().items():
        env[name] = value
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        user = f"{params['USER']}@" if params["USER"] else ""
        database_url = (
            f"postgres://{user}{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
        )
    else:
        database_url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=database_url,
        AWS_ACCESS_KEY_ID="placeholder",
        AWS_SECRET_ACCESS_KEY="placeholder",  # noqa: S106 - not a secret: check --deploy connects nowhere
        EMAIL_HOST_PASSWORD="placeholder",  # noqa: S106
        PROKURATURA_VAR_DIR=str(tmp_path / "var"),
        PROKURATURA_MEDIA_ROOT=str(tmp_path / "var" / "media"),
        AUDIT_ANCHORS=f"file:{tmp_path / 'var' / 'anchors' / 'audit-anchors.jsonl'}",
    )
    env.update(overrides)
    assert not any(value.startswith("<") for value in env.values())
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    result = manage(production_environment(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_check_deploy_fails_without_https_settings(tmp_path):
    """The check above can fail: without DJANGO_SECURE the same environment has warnings."""
    result = manage(
        production_environment(tmp_path, DJANGO_SECURE="0"), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr


@pytest.mark.parametrize(
    ("proxies", "expected"), [("127.0.0.1,::1", "('HTTP_X_FORWARDED_PROTO', 'https')"), ("", "None")]
)
def test_x_forwarded_proto_is_trusted_only_behind_a_configured_proxy(tmp_path, proxies, expected):
    env = production_environment(tmp_path, TRUSTED_PROXIES=proxies)
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER, settings.SECURE_SSL_REDIRECT)"
    result = manage(env, "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"{expected} True"
