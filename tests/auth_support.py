"""Helpers for API tests with accounts (importable as ``auth_support``)."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi.testclient import TestClient

from assistant.accounts.service import AccountService

PASSWORD = "mat-khau-thu-nghiem-1"


def accounts_of(client: TestClient) -> AccountService:
    accounts: AccountService = client.app.state.accounts  # type: ignore[attr-defined]
    return accounts


def bearer(
    client: TestClient, username: str, *, roles: Sequence[str] = ("staff",), units: Sequence[str] = ()
) -> dict[str, str]:
    """Authorization headers of ``username`` (created with ``roles``/``units`` and PASSWORD when new)."""
    accounts = accounts_of(client)
    user = accounts.users.get(username) or accounts.users.add(username, roles=roles, units=units, password=PASSWORD)
    return {"Authorization": f"Bearer {accounts.tokens.issue(user, ttl_hours=1).token}"}
