"""`assistant deploy`: the compose file and systemd units for API ×N + worker + PostgreSQL + Redis + vLLM."""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from dotenv import dotenv_values
from jsonschema import Draft7Validator

from assistant.api.deploy_files import DeployOptions, write_deploy_files
from assistant.cli import main
from assistant.errors import InvalidRequest
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def env_names(file: Path) -> set[str]:
    """Every ASSISTANT_* name in the file, the commented-out ones included."""
    return set(re.findall(r"^#? ?(ASSISTANT_[A-Z0-9_]+)=", file.read_text(encoding="utf-8"), flags=re.M))


@pytest.fixture
def rendered(tmp_path: Path) -> Path:
    options = DeployOptions(replicas=3, workers=2, repo=REPO, venv=Path(sys.prefix), data_dir=tmp_path / "data")
    write_deploy_files(tmp_path / "deploy", options)
    return tmp_path / "deploy"


def test_the_compose_file_runs_n_replicas_a_worker_and_the_services(rendered: Path) -> None:
    compose = yaml.safe_load((rendered / "compose" / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"api-1", "api-2", "api-3", "worker-1", "worker-2", "lb", "ui", "postgres", "redis", "llm"}
    for name in ("api-1", "api-2", "api-3", "worker-1", "worker-2"):
        assert services[name]["env_file"] == ["assistant.env"]
        assert services[name]["volumes"] == ["shelf:/srv/assistant/data"]  # one shared folder of index versions
        assert services[name]["depends_on"]["postgres"] == {"condition": "service_healthy"}
        assert "ports" not in services[name]  # only nginx and the UI are reachable from outside
    assert services["api-2"]["command"][:2] == ["assistant", "serve"]
    assert services["worker-1"]["command"] == ["assistant", "worker"]
    build = services["api-1"]["build"]
    assert (rendered / "compose" / build["context"]).resolve() == REPO
    assert 'pip install --no-cache-dir ".[postgres,corpus]"' in build["dockerfile_inline"]
    assert "env_file" not in services["ui"] and "lb:8080" in " ".join(services["ui"]["command"])
    assert services["llm"]["profiles"] == ["llm"] and services["llm"]["image"].startswith("vllm/vllm-openai")
    upstream = (rendered / "compose" / "nginx.conf").read_text(encoding="utf-8")
    assert re.findall(r"server (api-\d):8000", upstream) == ["api-1", "api-2", "api-3"]
    assert "proxy_buffering off" in upstream  # the streamed answer is not held back


def test_the_compose_file_follows_the_compose_specification(rendered: Path) -> None:
    schema = json.loads((REPO / "tests" / "api" / "fixtures" / "compose-spec.json").read_text(encoding="utf-8"))
    validator = Draft7Validator(schema)
    compose = yaml.safe_load((rendered / "compose" / "compose.yaml").read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(compose)] == []
    compose["services"]["api-1"]["depends_on"]["postgres"]["condition"] = "when_ready"  # not a compose condition
    compose["services"]["worker-1"]["restart_policy"] = "always"  # a swarm key, in the wrong place
    errors = sorted(e.message for e in validator.iter_errors(compose))
    assert len(errors) == 2 and any("when_ready" in e for e in errors) and any("restart_policy" in e for e in errors)


def test_env_files_are_private_valid_settings_with_fresh_secrets(rendered: Path, tmp_path: Path) -> None:
    fields = {f"ASSISTANT_{name.upper()}" for name in Settings.model_fields}
    for shape in ("compose", "systemd"):
        env_file = rendered / shape / "assistant.env"
        assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
        assert env_names(env_file) <= fields, env_names(env_file) - fields
        values = {k: v for k, v in dotenv_values(env_file).items() if v is not None}
        assert values.pop("MALLOC_ARENA_MAX") == "2"  # the one variable for the C allocator, not for Settings
        settings = Settings(**{k.removeprefix("ASSISTANT_").lower(): v for k, v in values.items()})
        assert settings.environment == "production" and settings.ingest_worker and settings.redis_url
        assert settings.database_url_value.startswith("postgresql+psycopg://assistant:")
    compose_env = dotenv_values(rendered / "compose" / "assistant.env")
    postgres_env = dotenv_values(rendered / "compose" / "postgres.env")
    assert stat.S_IMODE((rendered / "compose" / "postgres.env").stat().st_mode) == 0o600
    assert f":{postgres_env['POSTGRES_PASSWORD']}@postgres:5432/" in str(compose_env["ASSISTANT_DATABASE_URL"])
    again = tmp_path / "again"
    write_deploy_files(again, DeployOptions(repo=REPO))
    other = dotenv_values(again / "compose" / "assistant.env")
    for secret in ("ASSISTANT_ADMIN_PASSWORD", "ASSISTANT_METRICS_TOKEN", "ASSISTANT_DATABASE_URL"):
        assert other[secret] != compose_env[secret]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_units_pass_systemd_analyze_verify(rendered: Path) -> None:
    units = rendered / "systemd"
    target = (units / "assistant.target").read_text(encoding="utf-8")
    assert "assistant-api@8001.service assistant-api@8002.service assistant-api@8003.service" in target
    assert "assistant-worker@1.service assistant-worker@2.service" in target
    api = (units / "assistant-api@.service").read_text(encoding="utf-8")
    assert f"ExecStart={sys.prefix}/bin/assistant serve --host 127.0.0.1 --port %i" in api
    assert "ProtectSystem=strict" in api and "EnvironmentFile=/etc/tro-ly-cong-chuc-so/assistant.env" in api
    assert "EnvironmentFile" not in (units / "assistant-ui.service").read_text(encoding="utf-8")  # no secret there
    instances = [units / "assistant-api@8001.service", units / "assistant-worker@1.service"]
    for instance in instances:
        instance.symlink_to(units / re.sub(r"@\d+", "@", instance.name))
    found = subprocess.run(
        ["systemd-analyze", "verify", *map(str, instances), str(units / "assistant-ui.service")],
        capture_output=True, text=True, timeout=60, cwd=units,
    )  # fmt: skip
    problems = [line for line in found.stderr.splitlines() if "assistant" in line and "User" not in line]
    assert found.returncode == 0 or not problems, found.stderr
    upstream = (units / "nginx-assistant.conf").read_text(encoding="utf-8")
    assert re.findall(r"server 127\.0\.0\.1:(\d+)", upstream) == ["8001", "8002", "8003"]


def test_a_second_render_never_replaces_secrets_in_use(rendered: Path) -> None:
    before = (rendered / "compose" / "assistant.env").read_text(encoding="utf-8")
    with pytest.raises(InvalidRequest, match="assistant.env already exists"):
        write_deploy_files(rendered, DeployOptions(repo=REPO))
    assert (rendered / "compose" / "assistant.env").read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("options", "field"),
    [(DeployOptions(replicas=0), "--replicas"), (DeployOptions(workers=100), "--workers"),
     (DeployOptions(first_port=80), "--first-port"), (DeployOptions(public_url="localhost"), "--public-url")],
)  # fmt: skip
def test_bad_options_name_their_flag(tmp_path: Path, options: DeployOptions, field: str) -> None:
    with pytest.raises(InvalidRequest, match=field):
        write_deploy_files(tmp_path / "out", options)
    assert not (tmp_path / "out").exists()


def test_the_cli_writes_the_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deploy", "--out", str(tmp_path / "d"), "--replicas", "2", "--repo", str(REPO)]) == 0
    out = capsys.readouterr().out
    assert "compose/compose.yaml" in out and "systemd/assistant-api@.service" in out
    compose = yaml.safe_load((tmp_path / "d" / "compose" / "compose.yaml").read_text(encoding="utf-8"))
    assert [s for s in compose["services"] if s.startswith("api-")] == ["api-1", "api-2"]
    assert main(["deploy", "--out", str(tmp_path / "d")]) == 2  # refused: the secrets there may be in use
    assert "already exists" in capsys.readouterr().err
