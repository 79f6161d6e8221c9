"""The files that run the product past one machine: a compose file and a systemd unit set, written by
``assistant deploy --out DIR``.

Both shapes are the same: N stateless API replicas behind a load balancer (nginx), one or more ingest workers, the
browser UI, PostgreSQL for the store (accounts, audit, feedback, quiz banks, the ingest queue), Redis for rate
limits and login lockout, and the published index versions on one shared folder every replica watches. The compose
file adds an OpenAI-compatible LLM server (vLLM) under the ``llm`` profile for the optional generative composer.

Secrets (the store's password, the first admin's password, the metrics token) are drawn fresh for each render and
written only to ``assistant.env`` / ``postgres.env`` (mode 0600). Every ``ASSISTANT_*`` name written is a field of
``Settings``, which the tests check.
"""

from __future__ import annotations

import os
import secrets
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import InvalidRequest

DATA = "/srv/assistant/data"
API_PORT = 8000
LB_PORT = 8080
UI_PORT = 7860
MAX_REPLICAS = 64


@dataclass(frozen=True)
class DeployOptions:
    """What differs between sites; the defaults give a working single-host set."""

    replicas: int = 2
    workers: int = 1
    repo: Path = Path(".")  # the project checkout the image is built from (compose) or installed from (systemd)
    venv: Path = Path("/opt/tro-ly-cong-chuc-so/.venv")  # systemd: the virtualenv holding `assistant`
    data_dir: Path = Path("/var/lib/tro-ly-cong-chuc-so")  # systemd: the shared data folder (NFS across hosts)
    user: str = "assistant"  # systemd: the service account
    first_port: int = 8001  # systemd: replica i listens on first_port + i on loopback
    public_url: str = f"http://localhost:{LB_PORT}"
    llm_model: str = "Qwen/Qwen2.5-7B-Instruct"
    admin_username: str = "quan-tri"

    def check(self) -> None:
        if not 1 <= self.replicas <= MAX_REPLICAS:
            raise InvalidRequest(f"--replicas: between 1 and {MAX_REPLICAS}, got {self.replicas}")
        if not 1 <= self.workers <= MAX_REPLICAS:
            raise InvalidRequest(f"--workers: between 1 and {MAX_REPLICAS}, got {self.workers}")
        if not 1024 <= self.first_port <= 65535 - self.replicas:
            raise InvalidRequest(f"--first-port: a port from 1024 leaving room for {self.replicas} replicas")
        if not self.public_url.startswith(("http://", "https://")):
            raise InvalidRequest(f"--public-url: an http(s) address, got {self.public_url!r}")


def write_deploy_files(out: Path, options: DeployOptions) -> list[Path]:
    """Write the compose shape to ``out/compose`` and the systemd shape to ``out/systemd``; returns the files.

    Refuses a folder that already holds an ``assistant.env``: its secrets may be in use, and a new render would
    replace them."""
    options.check()
    existing = [p for p in (out / "compose" / "assistant.env", out / "systemd" / "assistant.env") if p.exists()]
    if existing:
        raise InvalidRequest(
            f"{existing[0]} already exists: its secrets may be in use. Choose another --out folder, or move it away"
        )
    db_password, admin_password = secrets.token_urlsafe(24), secrets.token_urlsafe(18)
    metrics_token = secrets.token_urlsafe(32)
    written: list[Path] = []

    def write(path: Path, text: str, *, private: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if private:  # created 0600: a secret never sits world-readable, not even for a moment
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            path.write_text(text, encoding="utf-8")
        written.append(path)

    common = {
        "ASSISTANT_ENVIRONMENT": "production",
        "ASSISTANT_INGEST_WORKER": "true",
        "ASSISTANT_ADMIN_USERNAME": options.admin_username,
        "ASSISTANT_ADMIN_PASSWORD": admin_password,
        "ASSISTANT_METRICS_TOKEN": metrics_token,
        "ASSISTANT_LOG_FORMAT": "json",
        "ASSISTANT_RELOAD_CHECK_SECONDS": "2",
        "ASSISTANT_PUBLIC_BASE_URL": options.public_url,
        # glibc's allocator keeps one arena per request thread by default: at a million chunks two arenas hold
        # 0.24 GB less after 32 users at once, at no cost in latency (bench/scale.py)
        "MALLOC_ARENA_MAX": "2",
    }
    compose_env = {
        **common,
        "ASSISTANT_DATA_DIR": DATA,
        "ASSISTANT_DATABASE_URL": f"postgresql+psycopg://assistant:{db_password}@postgres:5432/assistant",
        "ASSISTANT_REDIS_URL": "redis://redis:6379/0",
        "ASSISTANT_FORWARDED_ALLOW_IPS": "*",  # only the load balancer reaches the replicas (no published port)
    }
    systemd_env = {
        **common,
        "ASSISTANT_DATA_DIR": str(options.data_dir),
        "ASSISTANT_DATABASE_URL": f"postgresql+psycopg://assistant:{db_password}@127.0.0.1:5432/assistant",
        "ASSISTANT_REDIS_URL": "redis://127.0.0.1:6379/0",
        "ASSISTANT_FORWARDED_ALLOW_IPS": "127.0.0.1",  # nginx on the same host
    }
    llm = (
        "# The optional generative composer, served by the compose file's `llm` profile (vLLM):\n"
        "# ASSISTANT_GENERATOR=openai\n# ASSISTANT_GENERATOR_BASE_URL=http://llm:8000/v1\n"
        f"# ASSISTANT_GENERATOR_MODEL={options.llm_model}\n"
    )
    folder = out / "compose"
    write(folder / "assistant.env", _env_file(compose_env) + llm, private=True)
    write(folder / "postgres.env", _env_file(_postgres_env(db_password)), private=True)
    write(folder / "compose.yaml", _compose(options, folder))
    write(folder / "nginx.conf", _nginx([f"api-{i}:{API_PORT}" for i in range(1, options.replicas + 1)], LB_PORT))
    folder = out / "systemd"
    write(folder / "assistant.env", _env_file(systemd_env), private=True)
    for name, text in _systemd_units(options).items():
        write(folder / name, text)
    ports = [options.first_port + i for i in range(options.replicas)]
    write(folder / "nginx-assistant.conf", _nginx([f"127.0.0.1:{p}" for p in ports], LB_PORT))
    write(out / "README.md", _readme(options))
    return written


def _env_file(values: dict[str, str]) -> str:
    return "".join(f"{key}={value}\n" for key, value in values.items())


def _postgres_env(password: str) -> dict[str, str]:
    return {"POSTGRES_USER": "assistant", "POSTGRES_PASSWORD": password, "POSTGRES_DB": "assistant"}


_DOCKERFILE = f"""\
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-vie poppler-utils \\
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 assistant && mkdir -p {DATA} && chown assistant {DATA}
WORKDIR /srv/assistant/app
COPY . .
RUN pip install --no-cache-dir ".[postgres,corpus]"
USER assistant
"""


def _compose(options: DeployOptions, folder: Path) -> str:
    context = os.path.relpath(options.repo.resolve(), folder.resolve())
    service: dict[str, Any] = {
        "image": "tro-ly-cong-chuc-so:latest",
        "env_file": ["assistant.env"],
        "volumes": [f"shelf:{DATA}"],
        "depends_on": {"postgres": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}},
        "restart": "unless-stopped",
    }
    # /healthz, not /readyz: a fresh deployment has no index until the first ingest, and nginx must come up anyway.
    alive = f"import urllib.request as u; u.urlopen('http://127.0.0.1:{API_PORT}/healthz', timeout=2)"
    services: dict[str, Any] = {}
    for i in range(1, options.replicas + 1):
        services[f"api-{i}"] = {
            **service,
            "command": ["assistant", "serve", "--host", "0.0.0.0", "--port", str(API_PORT)],
            "healthcheck": {"test": ["CMD", "python", "-c", alive], "interval": "10s", "retries": 30},
        }
    services["api-1"]["build"] = {"context": context, "dockerfile_inline": _DOCKERFILE}
    for i in range(1, options.workers + 1):
        services[f"worker-{i}"] = {**service, "command": ["assistant", "worker"]}
    api_urls = {f"api-{i}": {"condition": "service_healthy"} for i in range(1, options.replicas + 1)}
    services["lb"] = {
        "image": "nginx:1.27-alpine",
        "volumes": ["./nginx.conf:/etc/nginx/conf.d/default.conf:ro"],
        "ports": [f"{LB_PORT}:{LB_PORT}"],
        "depends_on": api_urls,
        "restart": "unless-stopped",
    }
    services["ui"] = {  # a client of the API through nginx: no store, no secret
        "image": "tro-ly-cong-chuc-so:latest",
        "command": ["assistant", "ui", "--host", "0.0.0.0", "--port", str(UI_PORT), "--api-url",
                    f"http://lb:{LB_PORT}"],
        "ports": [f"{UI_PORT}:{UI_PORT}"],
        "depends_on": {"lb": {"condition": "service_started"}},
        "restart": "unless-stopped",
    }  # fmt: skip
    services["postgres"] = {
        "image": "postgres:16",
        "env_file": ["postgres.env"],
        "volumes": ["pgdata:/var/lib/postgresql/data"],
        "healthcheck": {"test": ["CMD", "pg_isready", "-U", "assistant"], "interval": "5s", "retries": 30},
        "restart": "unless-stopped",
    }
    services["redis"] = {
        "image": "redis:7-alpine",
        "command": ["redis-server", "--save", "", "--appendonly", "no"],  # limits only: nothing worth keeping
        "healthcheck": {"test": ["CMD", "redis-cli", "ping"], "interval": "5s", "retries": 30},
        "restart": "unless-stopped",
    }
    services["llm"] = {
        "image": "vllm/vllm-openai:latest",
        "profiles": ["llm"],
        "command": ["--model", options.llm_model, "--max-model-len", "8192"],
        "volumes": ["llm-cache:/root/.cache/huggingface"],
        "deploy": {"resources": {"reservations": {"devices": [{"driver": "nvidia", "count": 1,
                                                              "capabilities": ["gpu"]}]}}},
        "restart": "unless-stopped",
    }  # fmt: skip
    document = {
        "name": "tro-ly-cong-chuc-so",
        "services": services,
        "volumes": {"shelf": {}, "pgdata": {}, "llm-cache": {}},
    }
    header = (
        f"# Trợ lý công chức số: API ×{options.replicas} behind nginx, ingest worker(s), UI, PostgreSQL, Redis;\n"
        "# vLLM under the `llm` profile. Written by `assistant deploy`; see README.md beside this folder.\n"
    )
    return header + yaml.dump(document, Dumper=_ComposeDumper, sort_keys=False, allow_unicode=True, width=120)


class _ComposeDumper(yaml.SafeDumper):
    """Plain YAML a person can read: no anchors for repeated values, multi-line strings as ``|`` blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ComposeDumper.add_representer(str, _represent_str)


def _nginx(upstreams: list[str], port: int) -> str:
    servers = "".join(f"    server {u} max_fails=3 fail_timeout=10s;\n" for u in upstreams)
    return (
        "# Any replica answers any request: the replicas share the store, the limits and the index versions.\n"
        f"upstream assistant_api {{\n{servers}    keepalive 32;\n}}\n\n"
        f"server {{\n    listen {port};\n    client_max_body_size 50m;\n"
        "    location / {\n"
        "        proxy_pass http://assistant_api;\n"
        "        proxy_http_version 1.1;\n"
        '        proxy_set_header Connection "";\n'
        "        proxy_set_header Host $host;\n"
        "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "        proxy_set_header X-Forwarded-Proto $scheme;\n"
        "        proxy_buffering off;  # /v1/ask/stream sends its answer as it is made\n"
        "        proxy_read_timeout 300s;\n"
        "        proxy_next_upstream error timeout http_502 http_503;\n"
        "    }\n}\n"
    )


def _systemd_units(options: DeployOptions) -> dict[str, str]:
    bin_ = options.venv / "bin" / "assistant"
    env_file = "/etc/tro-ly-cong-chuc-so/assistant.env"
    hardening = textwrap.dedent(f"""\
        User={options.user}
        Group={options.user}
        EnvironmentFile={env_file}
        WorkingDirectory={options.data_dir}
        NoNewPrivileges=yes
        PrivateTmp=yes
        ProtectSystem=strict
        ProtectHome=yes
        ReadWritePaths={options.data_dir}
        Restart=on-failure
        RestartSec=2s
        """)
    after = "After=network-online.target postgresql.service redis-server.service\nWants=network-online.target\n"
    units = {
        "assistant-api@.service": (
            "[Unit]\nDescription=Trợ lý công chức số API replica on port %i\nPartOf=assistant.target\n" + after
            + "\n[Service]\nType=exec\n"
            + f"ExecStart={bin_} serve --host 127.0.0.1 --port %i\n" + hardening
            + "\n[Install]\nWantedBy=assistant.target\n"
        ),
        "assistant-worker@.service": (
            "[Unit]\nDescription=Trợ lý công chức số ingest worker %i\nPartOf=assistant.target\n" + after
            + "\n[Service]\nType=exec\n" + f"ExecStart={bin_} worker\n" + hardening
            + "TimeoutStopSec=60s\n\n[Install]\nWantedBy=assistant.target\n"
        ),
        "assistant-ui.service": (
            "[Unit]\nDescription=Trợ lý công chức số browser UI\nPartOf=assistant.target\n"
            + "After=network-online.target\n\n[Service]\nType=exec\n"
            + f"ExecStart={bin_} ui --host 127.0.0.1 --port {UI_PORT} --api-url http://127.0.0.1:{LB_PORT}\n"
            + hardening.replace(f"EnvironmentFile={env_file}\n", "")  # a client of the API: none of its secrets
            + "\n[Install]\nWantedBy=assistant.target\n"
        ),
    }  # fmt: skip
    wants = [f"assistant-api@{options.first_port + i}.service" for i in range(options.replicas)]
    wants += [f"assistant-worker@{i}.service" for i in range(1, options.workers + 1)]
    wants.append("assistant-ui.service")
    units["assistant.target"] = (
        "[Unit]\nDescription=Trợ lý công chức số: API replicas, ingest workers and UI\n"
        f"Wants={' '.join(wants)}\n\n[Install]\nWantedBy=multi-user.target\n"
    )
    return units


def _readme(options: DeployOptions) -> str:
    ports = " ".join(str(options.first_port + i) for i in range(options.replicas))
    return textwrap.dedent(f"""\
        # Deploying Trợ lý công chức số

        Two shapes of the same thing: {options.replicas} API replicas behind nginx, {options.workers} ingest
        worker(s), the browser UI, PostgreSQL (accounts, audit, feedback, quiz banks, the ingest queue), Redis (rate
        limits, login lockout) and one shared data folder holding the published index versions. Every replica
        swaps to a new version within `ASSISTANT_RELOAD_CHECK_SECONDS` (2 s) of its publish. The secrets in the two
        `assistant.env` files were drawn for this render: the first admin is `{options.admin_username}`, with the
        password in `ASSISTANT_ADMIN_PASSWORD`; Prometheus scrapes `/metrics` with `ASSISTANT_METRICS_TOKEN`.

        ## compose/ (Docker Compose)

            cd compose && docker compose up -d --build
            docker compose exec worker-1 sh -c \\
              "python corpus/build_shelf.py --out /tmp/shelf && assistant ingest /tmp/shelf"   # or upload in the UI
            docker compose --profile llm up -d llm   # optional: vLLM on a GPU; then uncomment ASSISTANT_GENERATOR*

        The API answers on http://localhost:{LB_PORT} (nginx), the UI on http://localhost:{UI_PORT}. Only nginx and
        the UI publish a port. Scale with `assistant deploy --replicas N` (or add `api-N` services by hand).

        ## systemd/ (one or more Debian hosts)

            apt-get install postgresql redis-server nginx tesseract-ocr tesseract-ocr-vie poppler-utils
            sudo -u postgres psql -c "CREATE ROLE assistant LOGIN PASSWORD '<from assistant.env>'"
            sudo -u postgres createdb -O assistant assistant
            useradd --system --home {options.data_dir} {options.user}
            install -d -o {options.user} {options.data_dir}
            python3.11 -m venv {options.venv} && {options.venv}/bin/pip install '<checkout>[postgres]'
            install -D -m 0600 -o {options.user} assistant.env /etc/tro-ly-cong-chuc-so/assistant.env
            cp assistant-*.service assistant.target /etc/systemd/system/
            cp nginx-assistant.conf /etc/nginx/conf.d/ && systemctl reload nginx
            systemctl daemon-reload && systemctl enable --now assistant.target

        Replicas listen on loopback ports {ports}. On several hosts, mount {options.data_dir} from one NFS share on
        every host, point `ASSISTANT_DATABASE_URL` and `ASSISTANT_REDIS_URL` at the shared servers, and list every
        host's replicas in nginx.
        """)
