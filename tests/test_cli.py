"""The ``assistant`` command, configured only through ASSISTANT_* variables: ingest, ask, search, documents, remove."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.cli import main

URGENT = "Văn bản khẩn phải được xử lý trong bao lâu?"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the CLI at an empty data folder with the hashing embedder; nothing else from the environment."""
    for name in [k for k in os.environ if k.startswith("ASSISTANT_")]:
        monkeypatch.delenv(name)
    data = tmp_path / "data"
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hashing")
    monkeypatch.setenv("ASSISTANT_ABSTAIN_THRESHOLD", "0.2")
    monkeypatch.chdir(tmp_path)  # Settings also reads ./.env
    return data


@pytest.fixture
def run(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    def run_cli(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run_cli


@pytest.fixture
def ingested(run: Run, shelf: Path) -> Path:
    code, out, _ = run("ingest", str(shelf), "--no-progress")
    assert code == 0, out
    return shelf


def test_ingest_prints_the_summary_counts(run: Run, shelf: Path, data_dir: Path) -> None:
    code, out, err = run("ingest", str(shelf), "--no-progress")
    assert code == 0
    assert out.startswith("Đã nạp 3 mới, 0 thay thế, 0 bỏ qua (không đổi), 0 lỗi; 11 đoạn mới, tổng 11 đoạn;")
    version = json.loads((data_dir / "index" / "CURRENT.json").read_text(encoding="utf-8"))["version"]
    assert out.rstrip().endswith(f"phiên bản {version}")
    assert "LỖI" not in out
    assert err == ""


def test_second_ingest_skips_unchanged_documents(run: Run, ingested: Path) -> None:
    code, out, _ = run("ingest", str(ingested), "--no-progress")
    assert code == 0
    assert out.startswith("Đã nạp 0 mới, 0 thay thế, 3 bỏ qua (không đổi), 0 lỗi; 0 đoạn mới, tổng 11 đoạn;")


def test_ingest_json_report(run: Run, shelf: Path) -> None:
    code, out, _ = run("ingest", str(shelf), "--no-progress", "--json")
    assert code == 0
    report = json.loads(out)
    assert sorted(report["ingested"]) == ["kh-77-stttt", "qd-12-2024", "qd-30-2025"]
    assert report["failed"] == []
    assert report["chunks_total"] == 11


def test_ask_prints_the_answer_and_citation_lines(run: Run, ingested: Path) -> None:
    code, out, err = run("ask", URGENT)
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == (
        "Trong vòng 2 giờ làm việc: Văn bản khẩn phải được xử lý trong vòng 2 giờ làm việc kể từ khi nhận. [1]"
    )
    assert "[1] khoản 2 Điều 2 30/2025/QĐ-UBND — Ban hành Quy chế quản lý văn bản điện tử" in lines
    assert "12/2024" not in out


def test_ask_json_is_valid_with_citations(run: Run, ingested: Path) -> None:
    code, out, _ = run("ask", URGENT, "--json")
    assert code == 0
    body = json.loads(out)
    assert body["abstained"] is False
    assert [c["n"] for c in body["citations"]] == [1]
    citation = body["citations"][0]
    assert citation["chunk_id"] == "qd-30-2025:dieu-2"
    assert citation["path"] == "khoản 2 Điều 2"
    assert citation["status"] == "in_force"
    assert "[1]" in body["answer"]
    assert body["index_version"]


def test_ask_off_topic_abstains_without_citation_lines(run: Run, ingested: Path) -> None:
    code, out, _ = run("ask", "giá vé máy bay đi Hà Nội")
    assert code == 0
    assert out.startswith("Không tìm thấy căn cứ")
    assert "[1]" not in out


def test_search_lists_chunk_ids(run: Run, ingested: Path) -> None:
    code, out, _ = run("search", URGENT, "--top-k", "3")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(" 1. ")
    assert "qd-30-2025:dieu-2" in lines[0]
    assert all(":" in line.split()[2] for line in lines)


def test_search_marks_the_replaced_decree(run: Run, ingested: Path) -> None:
    code, out, _ = run("search", URGENT, "--top-k", "20")
    assert code == 0
    old = [line for line in out.splitlines() if "qd-12-2024:" in line]
    assert old
    assert all(line.endswith("[không còn hiệu lực]") for line in old)
    code, out, _ = run("search", URGENT, "--top-k", "20", "--in-force-only")
    assert "qd-12-2024" not in out
    assert "qd-30-2025:dieu-2" in out


def test_documents_public_only_by_default(run: Run, ingested: Path) -> None:
    code, out, _ = run("documents")
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines()]
    assert ids == ["qd-12-2024", "qd-30-2025"]


def test_documents_of_a_unit_include_its_internal_plan(run: Run, ingested: Path) -> None:
    code, out, _ = run("documents", "--unit", "STTTT")
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines()]
    assert ids == ["kh-77-stttt", "qd-12-2024", "qd-30-2025"]
    assert "77/KH-STTTT" in out


def test_documents_in_force_only(run: Run, ingested: Path) -> None:
    code, out, _ = run("documents", "--in-force-only")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["qd-30-2025"]


def test_ask_for_a_unit_sees_its_document_and_anonymous_does_not(run: Run, ingested: Path) -> None:
    _, anonymous, _ = run("ask", "mật danh SAO-BANG-09")
    _, member, _ = run("ask", "mật danh SAO-BANG-09", "--unit", "STTTT")
    assert "SAO-BANG" not in anonymous
    assert "77/KH-STTTT" not in anonymous
    assert "SAO-BANG-09" in member
    assert "[1] Điều 1 77/KH-STTTT" in member


def test_remove_then_the_document_is_gone(run: Run, ingested: Path) -> None:
    code, out, _ = run("remove", "qd-12-2024")
    assert code == 0
    assert out.strip() == (
        "Đã chuyển qd-12-2024 vào thùng rác (khôi phục bằng `assistant trash restore qd-12-2024` trong 30 ngày)"
    )
    _, listing, _ = run("documents", "--role", "admin")
    assert [line.split()[0] for line in listing.splitlines()] == ["kh-77-stttt", "qd-30-2025"]
    _, found, _ = run("search", URGENT, "--top-k", "20")
    assert "qd-12-2024" not in found


def test_remove_unknown_id_fails(run: Run, ingested: Path) -> None:
    code, out, _ = run("remove", "khong-co")
    assert code == 1
    assert "LỖI khong-co: không có văn bản này trong chỉ mục" in out


def test_ask_before_any_ingest_exits_2_with_a_vietnamese_hint(run: Run) -> None:
    code, out, err = run("ask", URGENT)
    assert code == 2
    assert out == ""
    assert err.startswith("Lỗi: Chưa có chỉ mục nào được xuất bản")
    assert "assistant ingest" in err


def test_ingest_of_a_missing_path_reports_the_reason_and_exits_1(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "khong-ton-tai.pdf"
    code, out, _ = run("ingest", str(missing), "--no-progress")
    assert code == 1
    assert "0 mới" in out
    assert "1 lỗi" in out
    assert f"  LỖI {missing}: không tìm thấy tệp — kiểm tra lại đường dẫn" in out.splitlines()


def test_strict_is_kept_as_a_no_op_alias(run: Run, shelf: Path, tmp_path: Path) -> None:
    missing = tmp_path / "khong-ton-tai.pdf"
    for flags in (["--strict"], []):
        code, out, _ = run("ingest", str(shelf), str(missing), "--no-progress", *flags)
        assert code == 1
        assert "1 lỗi;" in out and "không tìm thấy tệp" in out


def test_invalid_settings_exit_2(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_TOP_K", "0")
    code, _, err = run("ask", URGENT)
    assert code == 2
    assert err.startswith("Cấu hình không hợp lệ:")
    assert "top_k" in err


# -- exit codes and the --report file ------------------------------------------------------------------------


def test_ingest_exits_0_when_every_file_is_ingested_or_unchanged_and_reports_each(
    run: Run, shelf: Path, tmp_path: Path
) -> None:
    report_file = tmp_path / "r.json"
    code, _, _ = run("ingest", str(shelf), "--no-progress", "--report", str(report_file))
    assert code == 0
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["exit_code"] == 0 and report["failed"] == []
    files = {Path(f["path"]).name: f for f in report["files"]}
    assert set(files) == {"qd-12-2024.txt", "qd-30-2025.txt", "kh-77-stttt.txt"}
    assert {f["status"] for f in files.values()} == {"ingested"}
    assert files["kh-77-stttt.txt"]["doc_id"] == "kh-77-stttt"
    assert sum(f["chunks"] for f in files.values()) == report["chunks_total"] == 11
    assert all(f["reason"] == "" and f["warnings"] == [] for f in files.values())

    code, _, _ = run("ingest", str(shelf), "--no-progress", "--report", str(report_file))
    assert code == 0
    again = json.loads(report_file.read_text(encoding="utf-8"))
    assert {(f["doc_id"], f["status"]) for f in again["files"]} == {
        ("qd-12-2024", "unchanged"), ("qd-30-2025", "unchanged"), ("kh-77-stttt", "unchanged")
    }  # fmt: skip

    path = shelf / "qd-30-2025.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("2 giờ", "90 phút"), encoding="utf-8")
    code, out, _ = run("ingest", str(shelf), "--no-progress", "--json")
    assert code == 0
    statuses = {f["doc_id"]: f["status"] for f in json.loads(out)["files"]}
    assert statuses == {"qd-12-2024": "unchanged", "qd-30-2025": "replaced", "kh-77-stttt": "unchanged"}


def test_ingest_exits_1_when_a_file_failed_after_ingesting_the_rest(
    run: Run, shelf: Path, tmp_path: Path, data_dir: Path
) -> None:
    (shelf / "script.txt").write_bytes(b"#!/bin/sh\nrm -rf /\n")
    (shelf / "bad-unit.md").write_text("# Kế hoạch\n\nĐiều 1. Nội dung kế hoạch.\n", encoding="utf-8")
    (shelf / "bad-unit.md.meta.yaml").write_text("unit: KHONG-CO\n", encoding="utf-8")
    report_file = tmp_path / "r.json"
    code, out, _ = run("ingest", str(shelf), "--no-progress", "--report", str(report_file))
    assert code == 1
    assert out.startswith("Đã nạp 3 mới, 0 thay thế, 0 bỏ qua (không đổi), 2 lỗi;")
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["exit_code"] == 1
    failed = {Path(f["path"]).name: f for f in report["files"] if f["status"] == "failed"}
    assert set(failed) == {"script.txt", "bad-unit.md"}
    assert failed["script.txt"]["reason"].startswith("tệp thực chất là tập lệnh (script)")
    assert failed["bad-unit.md"]["reason"].startswith("trường 'unit': đơn vị 'KHONG-CO' không có trong cây đơn vị")
    assert all(f["doc_id"] == "" and f["chunks"] == 0 for f in failed.values())
    assert sorted(report["ingested"]) == ["kh-77-stttt", "qd-12-2024", "qd-30-2025"]
    _, listing, _ = run("documents", "--role", "admin")
    assert [line.split()[0] for line in listing.splitlines()] == ["kh-77-stttt", "qd-12-2024", "qd-30-2025"]


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["--unit", "KHONG-CO"], {}, "--unit 'KHONG-CO' không có trong cây đơn vị"),
        (["--report", "khong-co-thu-muc/r.json"], {}, "không có thư mục khong-co-thu-muc"),
        ([], {"ASSISTANT_UNITS_FILE": "khong-co.yaml"}, "Không tìm thấy tệp cây đơn vị"),
        ([], {"ASSISTANT_MAX_CHUNKS_PER_DOCUMENT": "0"}, "max_chunks_per_document"),
    ],
)
def test_ingest_usage_and_configuration_errors_exit_2_before_anything_is_done(
    run: Run, shelf: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], env: dict[str, str],
    message: str,
) -> None:  # fmt: skip
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, out, err = run("ingest", str(shelf), "--no-progress", *argv)
    assert code == 2
    assert message in err and out == ""
    assert not (data_dir / "index").exists()


def test_ingest_with_bad_arguments_exits_2(run: Run) -> None:
    with pytest.raises(SystemExit) as exit_:
        run("ingest", "--visibility", "secret", "x.txt")
    assert exit_.value.code == 2


def test_remove_report_and_exit_code(run: Run, ingested: Path, tmp_path: Path) -> None:
    report_file = tmp_path / "removed.json"
    code, _, _ = run("remove", "qd-12-2024", "khong-co", "--report", str(report_file))
    assert code == 1
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["exit_code"] == 1 and report["version"]
    assert report["ids"] == [
        {"doc_id": "qd-12-2024", "status": "removed", "reason": ""},
        {"doc_id": "khong-co", "status": "failed", "reason": "không có văn bản này trong chỉ mục"},
    ]
    code, _, _ = run("remove", "qd-30-2025")
    assert code == 0
