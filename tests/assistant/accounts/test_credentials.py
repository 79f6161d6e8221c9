"""Password hashing (argon2id) and token secrets."""

from __future__ import annotations

import hashlib

from assistant.accounts.credentials import (
    TOKEN_PREFIX,
    hash_password,
    needs_rehash,
    new_password,
    new_token,
    token_digest,
    verify_password,
)


def test_passwords_are_salted_argon2id_hashes() -> None:
    first, second = hash_password("mat-khau-rat-dai"), hash_password("mat-khau-rat-dai")
    assert first.startswith("$argon2id$")
    assert first != second  # salted
    assert "mat-khau-rat-dai" not in first
    assert verify_password(first, "mat-khau-rat-dai")
    assert not verify_password(first, "mat-khau-rat-dai ")
    assert not verify_password(first, "")
    assert not needs_rehash(first)


def test_a_missing_or_broken_hash_never_verifies() -> None:
    assert not verify_password(None, "bat-ky")
    assert not verify_password("", "bat-ky")
    assert not verify_password("not-a-hash", "not-a-hash")


def test_tokens_are_random_and_stored_as_sha256() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    token = next(iter(tokens))
    assert token.startswith(TOKEN_PREFIX) and len(token) >= len(TOKEN_PREFIX) + 43  # 256 bits, base64url
    assert token_digest(token) == hashlib.sha256(token.encode()).hexdigest()
    assert len(new_password()) >= 20
