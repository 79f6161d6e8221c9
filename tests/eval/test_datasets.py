"""Dataset loading for the three layouts, from tiny files, and the errors malformed input produces."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eval.datasets import DatasetError, content_hash, detect_layout, load_dataset

ALQAC_DEV = Path("/work/shared/benchmarks/alqac-dev")


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _project(root: Path) -> Path:
    shelf = root / "shelf"
    shelf.mkdir(parents=True)
    (shelf / "nd-30.md").write_text("Điều 1. Phạm vi điều chỉnh\n", encoding="utf-8")
    (shelf / "nd-30.meta.yaml").write_text("number: 30/2020/NĐ-CP\n", encoding="utf-8")
    _jsonl(
        root / "questions" / "a.jsonl",
        [
            {
                "id": "q1",
                "question": "Văn bản hành chính gồm những loại nào?",
                "language": "vi",
                "categories": ["văn thư"],
                "gold_doc_ids": ["nd-30"],
                "gold_chunk_ids": ["nd-30:dieu-1"],
                "answer": "29 loại",
                "asker_unit": "so-noi-vu",
                "split": "dev",
            },
            {"id": "q2", "question": "Giá vàng hôm nay?", "gold_doc_ids": [], "split": "test"},
        ],
    )
    _jsonl(root / "questions" / "b.jsonl", [{"id": "q3", "question": "Who signs?", "gold_doc_ids": ["nd-30"]}])
    return root


def _alqac(root: Path, questions: list[dict[str, Any]] | None = None) -> Path:
    _jsonl(
        root / "corpus.jsonl",
        [
            {"id": "LVC-5", "title": "Luật Viên chức - Điều 5", "text": "Nguyên tắc...", "law_id": "LVC"},
            {"id": "LVC-29", "title": "Luật Viên chức - Điều 29", "text": "Đơn phương chấm dứt..."},
        ],
    )
    default: list[dict[str, Any]] = [
        {
            "id": "DS-1",
            "question": "Đúng hay sai?",
            "relevant_ids": ["LVC-5"],
            "answer": "Đúng",
            "question_type": "Đúng/Sai",
        },
        {
            "id": "TN-1",
            "question": "Bao nhiêu ngày?",
            "relevant_ids": ["LVC-29", "MISSING:LTT-64"],
            "answer": "D",
            "question_type": "Trắc nghiệm",
            "choices": {"A": "30 ngày", "D": "45 ngày"},
        },
        {"id": "TL-1", "question": "Tự luận?", "relevant_ids": ["LVC-29"], "answer": "Có."},
    ]
    _jsonl(root / "questions.jsonl", default if questions is None else questions)
    return root


def _beir(root: Path, qrels: dict[str, str]) -> Path:
    _jsonl(
        root / "corpus.jsonl", [{"_id": "d1", "title": "T1", "text": "one"}, {"_id": "d2", "title": "", "text": "two"}]
    )
    _jsonl(
        root / "queries.jsonl",
        [{"_id": "q1", "text": "first"}, {"_id": "q2", "text": "second"}, {"_id": "q3", "text": "third"}],
    )
    (root / "qrels").mkdir()
    for name, text in qrels.items():
        (root / "qrels" / f"{name}.tsv").write_text(text, encoding="utf-8")
    return root


QRELS = "query-id\tcorpus-id\tscore\nq2\td2\t1\nq1\td1\t2\nq1\td2\t0\nq3\td1\t0\n"


def test_project_layout(tmp_path: Path) -> None:
    ds = load_dataset(_project(tmp_path / "corpus"))
    assert ds.kind == "project" and ds.name == "corpus"
    assert ds.files_dir == tmp_path / "corpus" / "shelf" and ds.records is None
    assert [q.qid for q in ds.questions] == ["q1", "q2", "q3"]  # files by name, lines in order
    q1 = ds.questions[0]
    assert q1.gold_doc_ids == ("nd-30",) and q1.gold_chunk_ids == ("nd-30:dieu-1",)
    assert q1.categories == ("văn thư",) and q1.asker_unit == "so-noi-vu" and q1.answer == "29 loại"
    assert q1.split == "dev" and q1.answerable
    assert not ds.questions[1].answerable
    assert hash(q1)  # frozen and hashable despite its choices mapping


def test_project_split_and_limit(tmp_path: Path) -> None:
    root = _project(tmp_path / "corpus")
    assert [q.qid for q in load_dataset(root, split="test").questions] == ["q2"]
    assert [q.qid for q in load_dataset(root, limit=2).questions] == ["q1", "q2"]
    with pytest.raises(DatasetError, match="available splits: dev, test"):
        load_dataset(root, split="train")
    with pytest.raises(DatasetError, match="positive"):
        load_dataset(root, limit=0)


def test_alqac_layout_keeps_missing_gold(tmp_path: Path) -> None:
    ds = load_dataset(_alqac(tmp_path))
    assert ds.kind == "alqac" and ds.files_dir is None
    assert ds.records is not None and [r.doc_id for r in ds.records] == ["LVC-5", "LVC-29"]
    assert ds.records[0].metadata == {"law_id": "LVC"}
    tn = ds.questions[1]
    assert tn.gold_doc_ids == ("LVC-29", "MISSING:LTT-64")
    assert tn.choices == {"A": "30 ngày", "D": "45 ngày"} and tn.question_type == "Trắc nghiệm"
    assert tn.categories == ("Trắc nghiệm",)
    assert ds.questions[2].categories == ()
    # a multiple-choice question is asked with its options, a true/false one as it stands
    assert tn.asked == f"{tn.question}\nA. 30 ngày\nD. 45 ngày"
    assert ds.questions[0].asked == ds.questions[0].question


def test_beir_layout_uses_positive_scores_only(tmp_path: Path) -> None:
    ds = load_dataset(_beir(tmp_path, {"test": QRELS}))
    assert ds.kind == "beir"
    # q3 has only a score-0 judgement: not evaluated; order follows queries.jsonl.
    assert [(q.qid, q.gold_doc_ids) for q in ds.questions] == [("q1", ("d1",)), ("q2", ("d2",))]
    assert ds.questions[0].split == "test"


@pytest.mark.parametrize(
    ("files", "split", "chosen"),
    [
        ({"test", "dev"}, None, "test"),
        ({"dev", "train"}, None, "dev"),
        ({"train"}, None, "train"),
        ({"test", "dev"}, "dev", "dev"),
    ],
)
def test_beir_split_choice(tmp_path: Path, files: set[str], split: str | None, chosen: str) -> None:
    ds = load_dataset(_beir(tmp_path, {name: QRELS for name in files}), split=split)
    assert ds.questions[0].split == chosen


def test_beir_unknown_split_lists_available(tmp_path: Path) -> None:
    root = _beir(tmp_path, {"test": QRELS, "dev": QRELS})
    with pytest.raises(DatasetError, match="available splits: dev, test"):
        load_dataset(root, split="train")
    root2 = _beir(tmp_path / "two", {"a": QRELS, "b": QRELS})
    with pytest.raises(DatasetError, match="--split"):
        load_dataset(root2)


def test_limit_keeps_first_questions_in_file_order(tmp_path: Path) -> None:
    ds = load_dataset(_alqac(tmp_path), limit=2)
    assert [q.qid for q in ds.questions] == ["DS-1", "TN-1"]


def test_bad_json_line_names_file_and_line(tmp_path: Path) -> None:
    root = _alqac(tmp_path)
    with (root / "questions.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"id": "X", "question": \n')
    with pytest.raises(DatasetError) as err:
        load_dataset(root)
    message = str(err.value)
    assert "questions.jsonl line 4" in message and "invalid JSON" in message


def test_missing_field_names_file_line_and_field(tmp_path: Path) -> None:
    root = _alqac(tmp_path, [{"id": "A"}, {"id": "B", "question": "?"}])
    with pytest.raises(DatasetError, match=r"questions\.jsonl line 1: field 'question' is missing"):
        load_dataset(root)
    root = _alqac(tmp_path / "2", [{"id": "A", "question": "?", "relevant_ids": []}, {"id": "B", "question": "?"}])
    with pytest.raises(DatasetError, match=r"questions\.jsonl line 2: field 'relevant_ids' is missing"):
        load_dataset(root)


def test_wrong_type_names_file_line_and_field(tmp_path: Path) -> None:
    root = _alqac(tmp_path, [{"id": "A", "question": "?", "relevant_ids": "LVC-5"}])
    with pytest.raises(DatasetError, match=r"questions\.jsonl line 1: field 'relevant_ids' must be a list of ids"):
        load_dataset(root)


def test_wrong_type_in_project_questions(tmp_path: Path) -> None:
    root = _project(tmp_path / "corpus")
    _jsonl(root / "questions" / "c.jsonl", [{"id": "q9", "question": "?", "gold_doc_ids": [], "categories": "x"}])
    with pytest.raises(DatasetError, match=r"c\.jsonl line 1: field 'categories' must be a list"):
        load_dataset(root)


def test_non_object_line_and_duplicate_ids(tmp_path: Path) -> None:
    root = _alqac(tmp_path)
    (root / "corpus.jsonl").write_text('["not", "an", "object"]\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"corpus\.jsonl line 1: expected a JSON object"):
        load_dataset(root)
    root = _alqac(tmp_path / "dup", [{"id": "A", "question": "?", "relevant_ids": []}] * 2)
    with pytest.raises(DatasetError, match=r"questions\.jsonl line 2: field 'id' = 'A' is already used at .*line 1"):
        load_dataset(root)


def test_malformed_qrels(tmp_path: Path) -> None:
    root = _beir(tmp_path, {"test": "query-id\tcorpus-id\tscore\nq1 d1 1\n"})
    with pytest.raises(DatasetError, match=r"test\.tsv line 2: expected 3 tab-separated columns"):
        load_dataset(root)
    root = _beir(tmp_path / "2", {"test": "query-id\tcorpus-id\tscore\nq9\td1\t1\n"})
    with pytest.raises(DatasetError, match=r"test\.tsv line 2: field 'query-id' = 'q9'"):
        load_dataset(root)
    root = _beir(tmp_path / "3", {"test": "q1\td1\t1\nq2\td2\thigh\n"})
    with pytest.raises(DatasetError, match=r"test\.tsv line 2: field 'score' must be a number"):
        load_dataset(root)


def test_unknown_layout_lists_the_three_layouts(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        detect_layout(tmp_path)
    message = str(err.value)
    assert "unknown dataset layout" in message
    assert all(name in message for name in ("project:", "beir:", "alqac:"))
    with pytest.raises(DatasetError, match="not a folder"):
        load_dataset(tmp_path / "notes.txt")


def test_content_hash_follows_the_corpus_only(tmp_path: Path) -> None:
    root = _alqac(tmp_path)
    first = content_hash(load_dataset(root))
    assert content_hash(load_dataset(root, limit=1)) == first  # questions are not part of it
    _jsonl(root / "corpus.jsonl", [{"id": "LVC-5", "title": "", "text": "changed"}])
    assert content_hash(load_dataset(root)) != first


def test_content_hash_of_project_shelf(tmp_path: Path) -> None:
    root = _project(tmp_path / "corpus")
    first = content_hash(load_dataset(root))
    assert len(first) == 64 and content_hash(load_dataset(root)) == first
    (root / "shelf" / "nd-30.meta.yaml").write_text("number: 31/2020/NĐ-CP\n", encoding="utf-8")
    assert content_hash(load_dataset(root)) != first


@pytest.mark.skipif(not ALQAC_DEV.is_dir(), reason="the ALQAC dev benchmark is not on this machine")
def test_real_alqac_dev() -> None:
    ds = load_dataset(ALQAC_DEV)
    assert ds.kind == "alqac"
    assert len(ds.questions) == 430
    assert ds.records is not None and len(ds.records) == 2249
    missing = [q for q in ds.questions if any(g.startswith("MISSING:") for g in q.gold_doc_ids)]
    assert len(missing) == 1
    assert {q.question_type for q in ds.questions} <= {"Đúng/Sai", "Trắc nghiệm", "Tự luận"}
