"""Two API replicas sharing one Redis: a rate limit and the login lockout hit on one hold on the other; when Redis
goes away each replica goes on counting by itself (never a 500, never an open door)."""

from __future__ import annotations

from typing import Any

import pytest
from auth_support import bearer
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.errors import ConfigurationError

WRONG = {"username": "lan", "password": "mat-khau-sai-123"}


def replicas(app_client: Any, url: str, **changes: object) -> tuple[TestClient, TestClient]:
    """Two apps over the same shelf and store, as two processes behind a balancer would be."""
    return app_client(redis_url=SecretStr(url), **changes), app_client(redis_url=SecretStr(url), **changes)


def test_a_user_limit_hit_on_one_replica_holds_on_the_other(app_client: Any, redis_server: Any) -> None:
    a, b = replicas(app_client, redis_server.url, allow_anonymous=False, rate_limit_user_per_minute=4)
    lan_a = bearer(a, "lan")
    lan_b = bearer(b, "lan")  # the same account, a token issued through the other replica
    assert [a.get("/v1/documents", headers=lan_a).status_code for _ in range(2)] == [200, 200]
    assert [b.get("/v1/documents", headers=lan_b).status_code for _ in range(2)] == [200, 200]
    assert a.get("/v1/documents", headers=lan_a).status_code == 429
    blocked = b.get("/v1/documents", headers=lan_b)
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
    assert b.get("/v1/documents", headers=bearer(b, "hoa")).status_code == 200  # only lan is limited


def test_the_login_lockout_holds_across_replicas(app_client: Any, redis_server: Any) -> None:
    a, b = replicas(app_client, redis_server.url, allow_anonymous=False, login_attempts_per_minute=3)
    statuses = [client.post("/v1/auth/login", json=WRONG).status_code for client in (a, b, a)]
    assert statuses == [401, 401, 401]
    assert b.post("/v1/auth/login", json=WRONG).status_code == 429  # the fourth try, on the other replica


def test_without_redis_each_replica_still_limits_and_serves(app_client: Any, redis_server: Any) -> None:
    a, _ = replicas(app_client, redis_server.url, allow_anonymous=True, rate_limit_ip_per_minute=3)
    assert a.get("/v1/documents").status_code == 200
    redis_server.stop()
    assert [a.get("/v1/documents").status_code for _ in range(3)] == [200, 200, 200]  # counted in the process now
    assert a.get("/v1/documents").status_code == 429


@pytest.mark.parametrize("url", ["redis//thieu-dau-hai-cham", "khong-phai-url"])
def test_a_wrong_redis_url_stops_start_up_with_a_clear_error(app_client: Any, url: str) -> None:
    with pytest.raises(ConfigurationError, match="ASSISTANT_REDIS_URL"):
        app_client(redis_url=SecretStr(url))
