"""``assistant bases``, ``assistant inspect``, ``assistant changes`` and ``assistant draft`` over the sample shelf
(corpus/src ingested with the hashing embedder, sidecars without their build-only ``format:`` key), acting as a unit
with ``--unit``."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from docx import Document
from shelf_support import copy_shelf

from assistant.cli import main

Run = Callable[..., tuple[int, str, str]]


def _environment(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    for name in [k for k in os.environ if k.startswith("ASSISTANT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hashing")
    monkeypatch.setenv("ASSISTANT_ABSTAIN_THRESHOLD", "0.2")
    monkeypatch.chdir(root)  # Settings also reads ./.env


@pytest.fixture(scope="module")
def shelf_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("cli-inspection")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _environment(monkeypatch, root)
        assert main(["ingest", str(copy_shelf(root / "shelf")), "--no-progress"]) == 0
    yield root


@pytest.fixture
def run(shelf_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    _environment(monkeypatch, shelf_root)

    def run_cli(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run_cli


def test_bases_print_the_block_on_a_date(run: Run) -> None:
    code, out, _ = run("bases", "quản lý văn bản")
    assert code == 0
    assert "Căn cứ Quyết định số 35/2025/QĐ-UBND" in out and "18/2021/QĐ-UBND" not in out
    code, out, _ = run("bases", "quản lý văn bản", "--as-of", "2023-06-01", "--json")
    data = json.loads(out)
    assert code == 0 and data["as_of"] == "2023-06-01"
    assert "18/2021/QĐ-UBND" in [b["number"] for b in data["bases"]] and "35/2025" not in data["block"]
    code, out, _ = run("bases", "quản lý văn bản", "--include-superseded")
    assert "18/2021/QĐ-UBND" in out and "[không còn hiệu lực vào ngày này]" in out
    code, _, err = run("bases", " ")
    assert code == 2 and "topic" in err


def test_bases_follow_the_unit(run: Run) -> None:
    assert "07/HD-TTr" in run("bases", "thanh tra", "--unit", "TTT")[1]
    assert "07/HD-TTr" not in run("bases", "thanh tra", "--unit", "SXD")[1]


def test_changes_show_the_deadline_and_write_the_docx(run: Run, tmp_path: Path) -> None:
    out_file = tmp_path / "so-sanh.docx"
    code, out, _ = run("changes", "qc-qlvb-2021", "--out", str(out_file))
    assert code == 0 and out.startswith("18/2021/QĐ-UBND → 35/2025/QĐ-UBND: 13 điều sửa đổi")
    assert "[-07-]{+05+}" in out
    assert Document(io.BytesIO(out_file.read_bytes())).tables
    code, out, _ = run("changes", "qc-qlvb-2021", "--against", "qc-qlvb-2025", "--json")
    assert code == 0 and json.loads(out)["new_number"] == "35/2025/QĐ-UBND"
    code, _, err = run("changes", "khong-co")
    assert code == 2 and "khong-co" in err


def test_draft_writes_the_docx_and_lists_the_placeholders(run: Run, tmp_path: Path) -> None:
    out_file = tmp_path / "giay-moi.docx"
    code, out, _ = run(
        "draft", "giay_moi", "--out", str(out_file), "--issuing-body", "Ủy ban nhân dân tỉnh Lạng Sơn",
        "--issuing-abbreviation", "UBND", "--number", "12", "--subject", "Họp triển khai Quy chế quản lý văn bản",
        "--bases-topic", "quản lý văn bản", "--field", "invitees=Giám đốc các sở",
        "--field", "invitees=Chánh Văn phòng", "--field", "venue=Phòng họp số 1",
    )  # fmt: skip
    assert code == 0 and "12/GM-UBND" in out
    assert "Còn để trống" in out and "details.time" in out and "signature.name" in out
    text = "\n".join(p.text for p in Document(io.BytesIO(out_file.read_bytes())).paragraphs)
    assert "Căn cứ Quyết định số 35/2025/QĐ-UBND" in text and "Chánh Văn phòng" in text
    code, _, err = run("draft", "giay_moi", "--out", str(out_file), "--field", "paragraphs=x")
    assert code == 2 and "details.paragraphs" in err


def test_inspect_prints_the_checklist_and_writes_both_word_files(run: Run, tmp_path: Path) -> None:
    checklist, plan = tmp_path / "bang-kiem.docx", tmp_path / "ke-hoach.docx"
    code, out, _ = run(
        "inspect", "quản lý văn bản điện tử", "--object", "UBND xã Chi Lăng", "--as-of", "2026-03-01",
        "--checklist-out", str(checklist), "--plan-out", str(plan),
    )  # fmt: skip
    assert code == 0, out
    assert "Căn cứ Quyết định số 35/2025/QĐ-UBND" in out or "35/2025/QĐ-UBND" in out.split("Bảng kiểm")[0]
    assert "[05 ngày làm việc] — khoản 3 Điều 7 Quy chế số 35/2025/QĐ-UBND" in out
    assert "Thời hạn thanh tra:" in out and "45 ngày" in out
    rows = [[c.text for c in row.cells] for t in Document(io.BytesIO(checklist.read_bytes())).tables for row in t.rows]
    assert rows[0][1] == "Nội dung kiểm tra" and len(rows) > 5
    assert "KẾ HOẠCH" in "\n".join(p.text for p in Document(io.BytesIO(plan.read_bytes())).paragraphs)


def test_inspect_as_json_and_as_an_outsider(run: Run) -> None:
    code, out, _ = run("inspect", "kết luận thanh tra", "--object", "UBND xã Chi Lăng", "--json", "--unit", "TTT")
    assert code == 0 and "07/HD-TTr" in {item["number"] for item in json.loads(out)["checklist"]}
    code, out, _ = run("inspect", "kết luận thanh tra", "--object", "UBND xã Chi Lăng", "--json", "--unit", "SXD")
    assert "07/HD-TTr" not in out
    code, out, err = run("inspect", "kết luận thanh tra", "--object", "  ")
    assert code == 2 and "object_name" in err + out
