"""The admin's evaluation tab against the real API (in-process): a run followed to its figures, bad files and
other roles told what is wrong, an earlier run opened again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import gradio as gr
from auth_support import PASSWORD, accounts_of
from fastapi.testclient import TestClient

from ui.client import ApiClient
from ui.evaluation import EvalTab
from ui.labels import Labels
from ui.models import Session


def session(api: TestClient, username: str, role: str) -> Session:
    if accounts_of(api).users.get(username) is None:
        accounts_of(api).users.add(username, roles=(role,), units=("SXD",), password=PASSWORD)
    return ApiClient(api).login(username, PASSWORD)


def eval_tab(api: TestClient) -> EvalTab:
    tab = EvalTab(ApiClient(api), poll_seconds=0.05, timeout_seconds=60)
    with gr.Blocks():
        tab.build(Labels("vi"), "vi")
    return tab


def last(updates: Any) -> tuple[str, Any]:
    shown = list(updates)
    assert shown, "the handler showed nothing"
    return shown[-1]  # type: ignore[no-any-return]


def test_a_run_is_followed_to_its_figures_and_can_be_opened_again(api: TestClient) -> None:
    tab = eval_tab(api)
    admin = session(api, "quan-tri", "admin")
    updates = list(tab.run(None, "test", 3, ["hybrid", "bm25"], admin, "vi"))
    html, runs = updates[-1]
    assert "<progress" in updates[0][0] and 'max="6"' in updates[0][0]
    assert 'data-status="done"' in html and "(6/6 lượt hỏi (3 câu × 2 cấu hình))" in html
    assert "kho mẫu · test · 3 câu" in html
    assert "<th>hybrid</th><th>bm25</th>" in html and "Văn bản đúng đứng đầu (R@1)" in html
    assert "%" in html
    run_id = runs["value"]
    assert runs["choices"][0][1] == run_id

    again, _ = last(tab.follow(run_id, admin, "vi"))
    assert 'data-status="done"' in again and "<th>hybrid</th>" in again
    assert "Hãy chọn một lượt" in last(tab.follow(None, admin, "vi"))[0]
    assert tab.load(admin, "vi")["choices"][0][1] == run_id


def test_a_question_file_runs_and_a_bad_one_names_the_line(api: TestClient, tmp_path: Path) -> None:
    tab = eval_tab(api)
    admin = session(api, "quan-tri", "admin")
    good = tmp_path / "gop-y.jsonl"
    row = {"id": "fb-1", "question": "Văn bản khẩn phải được xử lý trong bao lâu?", "gold_doc_ids": ["qd-30-2025"]}
    good.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    html, _ = last(tab.run(str(good), "", None, ["hybrid"], admin, "vi"))
    assert 'data-status="done"' in html and "tải lên · mọi phần · 1 câu" in html

    bad = tmp_path / "hong.jsonl"
    bad.write_text(json.dumps(row) + '\n{"id": "x", "question": "?"}\n', encoding="utf-8")
    html, runs = last(tab.run(str(bad), "", None, ["hybrid"], admin, "vi"))
    assert "line 2" in html and "gold_doc_ids" in html and "<progress" not in html
    assert runs == gr.update()
    binary = tmp_path / "anh.jsonl"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    assert "anh.jsonl" in last(tab.run(str(binary), "", None, ["hybrid"], admin, "vi"))[0]
    assert "ít nhất một cấu hình" in last(tab.run(None, "", None, [], admin, "vi"))[0]


def test_other_roles_are_told_it_is_for_admins(api: TestClient) -> None:
    tab = eval_tab(api)
    staff = session(api, "nv-sxd", "staff")
    html, _ = last(tab.run(None, "", 1, ["hybrid"], staff, "vi"))
    assert "quản trị viên" in html and "<progress" not in html
