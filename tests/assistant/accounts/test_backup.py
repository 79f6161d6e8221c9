"""Backup → restore on a fresh data folder: the same documents, the same answers and citations, accounts, audit and
trash intact; secrets never in the archive; a non-empty target, a tampered or foreign archive refused."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from auth_support import PASSWORD

from assistant.accounts.audit import Action
from assistant.accounts.backup import SECRET_MARKER, BackupCorrupt, RestoreRefused, create_backup, restore_backup
from assistant.accounts.service import AccountService
from assistant.embedding.hashing import HashingEmbedder
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.types import Principal
from ingest.pipeline import IngestPipeline

QUESTIONS = [
    "Văn bản khẩn phải được xử lý trong bao lâu?",
    "Ai ký số văn bản đi?",
    "Quy chế quản lý văn bản điện tử điều chỉnh gì?",
    "Đội ứng cứu sự cố gồm bao nhiêu thành viên?",
    "Diễn tập ứng cứu sự cố tổ chức khi nào?",
    "Giá xăng hôm nay bao nhiêu?",
]
ADMIN = Principal(user_id="quan-tri", roles=frozenset({"admin"}))
MEMBER = Principal(user_id="lan", units=frozenset({"STTTT"}), unit_scope=frozenset({"STTTT"}))


def answers(service: AssistantService) -> list[tuple[str, bool, list[tuple[str, str]]]]:
    out = []
    for principal in (ADMIN, MEMBER):
        for question in QUESTIONS:
            answer = service.ask(question, principal=principal).answer
            out.append((answer.text, answer.abstained, [(c.chunk_id, c.path) for c in answer.citations]))
    return out


def state(settings: Settings, embedder: HashingEmbedder) -> dict[str, object]:
    service = AssistantService(settings, embedder=embedder)
    service.load()
    accounts = AccountService(settings)
    accounts.open(bootstrap=False)
    try:
        documents = service.documents(principal=ADMIN)
        return {
            "documents": [(d.doc_id, d.visibility, d.unit, d.allowed_units) for d in documents],
            "answers": answers(service),
            "users": [(u.username, u.roles, u.units, u.disabled) for u in accounts.users.list()],
            "audit": list(accounts.audit.events()),
            "trash": [e.as_dict() for e in IngestPipeline(settings, embedder, progress=False).trash.entries()],
        }
    finally:
        accounts.close()


@pytest.fixture
def installation(settings: Settings, embedder: HashingEmbedder, service: AssistantService) -> Settings:
    """The shelf ingested, one document in the trash, accounts and audit events."""
    IngestPipeline(settings, embedder, progress=False).remove(["qd-12-2024"], actor="quan-tri", reason="thử")
    accounts = AccountService(settings)
    accounts.open()
    accounts.users.add("lan", roles=["staff"], units=["STTTT"], display_name="Nguyễn Thị Lan", password=PASSWORD)
    accounts.users.add("kiem-tra", roles=["inspector"], units=["TTT"], password=PASSWORD)
    accounts.users.set_disabled("kiem-tra", True)
    accounts.login("lan", PASSWORD)
    accounts.audit.record("lan", Action.ASK, {"question": QUESTIONS[0]})
    accounts.close()
    return settings


def test_round_trip_gives_the_same_documents_answers_accounts_and_audit(
    installation: Settings, embedder: HashingEmbedder, tmp_path: Path
) -> None:
    before = state(installation, embedder)
    summary = create_backup(installation, tmp_path / "out" / "sao-luu.tar.gz")
    assert summary.path.is_file() and summary.bytes == summary.path.stat().st_size
    assert (summary.documents, summary.tables["users"]) == (2, 3)
    restored = installation.model_copy(update={"data_dir": tmp_path / "restored"})
    manifest = restore_backup(summary.path, restored)
    assert manifest["restored_tables"] == summary.tables
    after = state(restored, embedder)
    assert after == before
    cited = [cites for _, _, cites in before["answers"] if cites]  # type: ignore[attr-defined]
    assert len(cited) >= len(QUESTIONS)  # most questions are answered with citations, on both sides
    accounts = AccountService(restored)
    accounts.open(bootstrap=False)
    assert accounts.login("lan", PASSWORD).token  # password hashes came along
    accounts.close()


def test_the_archive_holds_no_secret_in_clear(installation: Settings, tmp_path: Path) -> None:
    summary = create_backup(installation, tmp_path / "b.tar.gz")
    secret = installation.admin_password.get_secret_value()
    with tarfile.open(summary.path) as tar:
        settings_json = json.loads(tar.extractfile("backup/config/settings.json").read())  # type: ignore[union-attr]
        names = tar.getnames()
        blobs = [tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()]  # type: ignore[union-attr]
    assert settings_json["admin_password"] == SECRET_MARKER
    assert settings_json["data_dir"] == str(installation.data_dir)
    assert not any(secret.encode() in blob for blob in blobs)
    assert {"backup/manifest.json", "backup/store/app.sqlite", "backup/config/units.yaml"} <= set(names)
    assert any(n.startswith("backup/index/versions/v") for n in names)
    assert any(n.startswith("backup/sources/") for n in names) and any(n.startswith("backup/trash/") for n in names)


def test_restore_refuses_a_non_empty_folder_and_a_tampered_or_foreign_archive(
    installation: Settings, tmp_path: Path
) -> None:
    archive = create_backup(installation, tmp_path / "b.tar.gz").path
    with pytest.raises(RestoreRefused, match="không trống.*--data-dir"):
        restore_backup(archive, installation)

    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
            if member.name == "backup/config/units.yaml" and data is not None:
                data = data.replace(b"STTTT", b"XXXXX")
            dst.addfile(member, io.BytesIO(data) if data is not None else None)
    fresh = installation.model_copy(update={"data_dir": tmp_path / "fresh"})
    with pytest.raises(BackupCorrupt, match="units.yaml.*sha256"):
        restore_backup(tampered, fresh)

    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        info = tarfile.TarInfo("etc/passwd")
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(RestoreRefused, match="không phải bản sao lưu"):
        restore_backup(foreign, installation.model_copy(update={"data_dir": tmp_path / "fresh2"}))
