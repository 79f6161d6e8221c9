"""A bank as Moodle XML, in the structure Moodle's importer (question/format/xml/format.php) reads: a category
question per document or topic, then multichoice, truefalse, matching and shortanswer questions."""

from __future__ import annotations

import html

from lxml import etree

from assistant.quiz.export.common import (
    accepted_answers,
    category_path,
    exportable_items,
    feedback_lines,
    grouped,
    is_true,
    question_name,
    right_options,
)
from assistant.quiz.model import ItemKind, QuizBank, QuizItem

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
QUESTION_TYPES = {
    ItemKind.MULTIPLE_CHOICE: "multichoice",
    ItemKind.TRUE_FALSE: "truefalse",
    ItemKind.MATCHING: "matching",
    ItemKind.FILL_BLANK: "shortanswer",
}
PENALTY = {"truefalse": "1.0000000"}
DEFAULT_PENALTY = "0.3333333"
COMBINED_FEEDBACK = {
    "correctfeedback": "Câu trả lời đúng.",
    "partiallycorrectfeedback": "Câu trả lời đúng một phần.",
    "incorrectfeedback": "Câu trả lời chưa đúng.",
}


def _text(parent: etree._Element, tag: str, text: str, fmt: str | None = None, **attrs: str) -> etree._Element:
    """``<tag format=…><text>…</text></tag>``; HTML goes in a CDATA section."""
    element = etree.SubElement(parent, tag, **({"format": fmt} if fmt else {}), **attrs)
    inner = etree.SubElement(element, "text")
    inner.text = etree.CDATA(text) if fmt == "html" and text else text
    return element


def _html(lines: list[str]) -> str:
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines)


def _fraction(count: int) -> str:
    return "100" if count == 1 else f"{100 / count:.5f}".rstrip("0").rstrip(".")


def _answer(parent: etree._Element, text: str, fraction: str, fmt: str = "plain_text") -> None:
    answer = _text(parent, "answer", text, fraction=fraction, fmt=fmt)
    _text(answer, "feedback", "", "html")


def _combined_feedback(question: etree._Element) -> None:
    for tag, text in COMBINED_FEEDBACK.items():
        _text(question, tag, _html([text]), "html")
    etree.SubElement(question, "shownumcorrect")


def _question(quiz: etree._Element, number: int, item: QuizItem) -> None:
    qtype = QUESTION_TYPES[item.kind]
    question = etree.SubElement(quiz, "question", type=qtype)
    _text(question, "name", question_name(number, item))
    _text(question, "questiontext", _html([item.stem]), "html")
    _text(question, "generalfeedback", _html(feedback_lines(item)), "html")
    etree.SubElement(question, "defaultgrade").text = "1.0000000"
    etree.SubElement(question, "penalty").text = PENALTY.get(qtype, DEFAULT_PENALTY)
    etree.SubElement(question, "hidden").text = "0"
    if item.kind == ItemKind.MULTIPLE_CHOICE:
        right = right_options(item)
        etree.SubElement(question, "single").text = "true" if len(right) == 1 else "false"
        etree.SubElement(question, "shuffleanswers").text = "true"
        etree.SubElement(question, "answernumbering").text = "abc"
        _combined_feedback(question)
        for index, option in enumerate(item.options):
            _answer(question, option, _fraction(len(right)) if index in right else "0")
    elif item.kind == ItemKind.TRUE_FALSE:
        truth = is_true(item)
        _answer(question, "true", "100" if truth else "0", "moodle_auto_format")
        _answer(question, "false", "0" if truth else "100", "moodle_auto_format")
    elif item.kind == ItemKind.MATCHING:
        etree.SubElement(question, "shuffleanswers").text = "true"
        _combined_feedback(question)
        for pair in item.pairs:
            subquestion = _text(question, "subquestion", _html([pair.left]), "html")
            _text(subquestion, "answer", pair.right)
    else:
        etree.SubElement(question, "usecase").text = "0"
        for answer in accepted_answers(item):
            _answer(question, answer.replace("*", "\\*"), "100", "moodle_auto_format")


def bank_to_moodle_xml(bank: QuizBank, *, include_pending: bool = True) -> bytes:
    """The bank as a Moodle XML file (UTF-8): ``$course$/top/<bank title>/<document number or topic>`` categories,
    one question per exported item, each with the citation and the quoted clause as general feedback. A "*" in a
    fill-in answer is escaped so Moodle does not read it as a wildcard."""
    quiz = etree.Element("quiz")
    items = exportable_items(bank, include_pending=include_pending)
    for label, numbered in grouped(items, bank):
        category = etree.SubElement(quiz, "question", type="category")
        _text(category, "category", category_path(bank.title, label))
        _text(category, "info", "", "html")
        for number, item in numbered:
            _question(quiz, number, item)
    return XML_DECLARATION + bytes(etree.tostring(quiz, encoding="UTF-8", pretty_print=True))
