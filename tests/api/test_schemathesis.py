"""schemathesis against the app's own OpenAPI schema, authenticated as an admin: no input may cause a 5xx."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, GenerationMode

from assistant.accounts.service import AccountService
from assistant.api.app import create_app
from assistant.service import AssistantService
from assistant.settings import Settings

pytestmark = pytest.mark.slow
MAX_EXAMPLES = 15  # per operation and generation mode (derandomized: the same cases every run)


def fuzz(
    operation: APIOperation,
    mode: GenerationMode,
    token: Callable[[], str],
    cases: Counter[str],
    statuses: Counter[int],
    failures: list[str],
) -> Callable[[], None]:
    """A Hypothesis test that sends generated cases of ``operation`` and records any 5xx."""
    label = f"{operation.label} [{mode.value}]"

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        response = case.call(headers={"Authorization": f"Bearer {token()}"})
        cases[label] += 1
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            failures.append(f"{case.method} {case.formatted_path} → {response.status_code}: {response.text[:300]}")

    return run  # type: ignore[no-any-return]


def test_no_operation_answers_5xx(
    settings: Settings, service: AssistantService, record_property: pytest.RecordProperty
) -> None:
    s = settings.model_copy(
        update={"allow_anonymous": False, "rate_limit_user_per_minute": 0, "rate_limit_ip_per_minute": 0,
                "login_attempts_per_minute": 0, "max_file_mb": 1.0}
    )  # fmt: skip
    accounts = AccountService(s)
    accounts.open()
    admin = accounts.users.require("admin")
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(s, service=service, accounts=accounts))
    cases: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    failures: list[str] = []

    def token() -> str:  # a fresh token per case: a generated POST /v1/auth/logout revokes the one it is sent with
        return accounts.tokens.issue(admin, ttl_hours=1).token

    for result in schema.get_all_operations():
        fuzz(result.ok(), GenerationMode.POSITIVE, token, cases, statuses, failures)()
        try:
            fuzz(result.ok(), GenerationMode.NEGATIVE, token, cases, statuses, failures)()
        except Unsatisfiable:
            pass  # no parameters or body to make invalid (e.g. GET /healthz)

    total = sum(cases.values())
    record_property("schemathesis_cases", total)
    print(  # noqa: T201
        f"schemathesis: {total} cases over {len(cases)} operation/mode pairs, {len(failures)} with 5xx; "
        f"statuses {dict(sorted(statuses.items()))}"
    )
    assert statuses[200] + statuses[201] + statuses[202] > total // 4, "most cases must reach the handlers"
    assert len({label.rsplit(" [", 1)[0] for label in cases}) >= 16
    assert failures == []
