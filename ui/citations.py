"""HTML of the conversation (answers with clickable [n] markers) and of the citation side panel, and the plain
text that "copy" gives. Every text from the API is escaped: documents are uploaded by people."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from ui.models import Citation, Turn
from ui.strings import t

MARKER = re.compile(r"\[(\d+)\]")


_STATUSES = ("in_force", "partly_expired", "expired", "not_yet_in_force", "unknown")


def status_label(lang: str, status: str) -> str:
    return t(lang, f"status.{status}") if status in _STATUSES else status


def citation_label(c: Citation) -> str:
    """One line naming a citation: "[1] khoản 2 Điều 2 · 30/2025/QĐ-UBND"."""
    where = " · ".join(part for part in (c.path, c.number) if part) or c.title
    return f"[{c.n}] {where}"


def _markers(text: str, turn_index: int, citations: dict[int, Citation], lang: str) -> str:
    """Escaped ``text`` with each [n] that names a citation turned into a button opening it."""

    def button(match: re.Match[str]) -> str:
        n = int(match.group(1))
        c = citations.get(n)
        if c is None:
            return escape(match.group(0))
        tip = escape(f"{t(lang, 'chat.sources')} {citation_label(c)} — {c.title}", quote=True)
        outdated = " tl-cite-old" if not c.current else ""
        return (
            f'<button type="button" class="tl-cite{outdated}" data-turn="{turn_index}" data-n="{n}" '
            f'title="{tip}" aria-label="{tip}">[{n}]</button>'
        )

    out, last = [], 0
    for match in MARKER.finditer(text):
        out += [escape(text[last : match.start()]), button(match)]
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _answer_body(turn: Turn, index: int, lang: str) -> str:
    cited = {c.n: c for c in turn.citations}
    html: list[str] = []
    items: list[str] = []
    for raw in turn.answer.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("- "):
            items.append(f"<li>{_markers(line[2:], index, cited, lang)}</li>")
            continue
        if items:
            html.append(f"<ul>{''.join(items)}</ul>")
            items = []
        note = line.startswith(("Lưu ý:", "Warning:", "Note:"))
        html.append(f'<p class="{"tl-note" if note else "tl-line"}">{_markers(line, index, cited, lang)}</p>')
    if items:
        html.append(f"<ul>{''.join(items)}</ul>")
    return "".join(html)


def _outdated_warning(turn: Turn, lang: str) -> str:
    old = turn.outdated_citations
    if not old:
        return ""
    items = ", ".join(f"[{c.n}] {c.number or c.title} — {status_label(lang, c.status)}" for c in old)
    return f'<div class="tl-warning" role="alert">⚠ {escape(t(lang, "chat.outdated", items=items))}</div>'


def _turn(turn: Turn, index: int, lang: str) -> str:
    question = (
        f'<div class="tl-q"><span class="tl-who">{escape(t(lang, "chat.you"))}</span>'
        f"<p>{escape(turn.question)}</p></div>"
    )
    actions = _actions(turn, index, lang) if turn.answered else ""
    if turn.error:
        answer = f'<div class="tl-a tl-error" role="alert">⚠ {escape(turn.error)}</div>'
    elif turn.pending and not turn.answer:
        answer = (
            f'<div class="tl-a tl-loading" aria-busy="true"><span class="tl-spinner" aria-hidden="true"></span>'
            f"{escape(t(lang, 'chat.thinking'))}</div>"
        )
    elif turn.abstained:
        answer = (
            f'<div class="tl-a tl-abstain"><p class="tl-abstain-title">{escape(t(lang, "chat.no_basis"))}</p>'
            f'{_answer_body(turn, index, lang)}<p class="tl-tips">{escape(t(lang, "chat.tips"))}</p>{actions}</div>'
        )
    else:
        busy = ' aria-busy="true"' if turn.pending else ""
        body = _answer_body(turn, index, lang)
        answer = f'<div class="tl-a"{busy}>{_outdated_warning(turn, lang)}{body}{actions}</div>'
    return f'<article class="tl-turn" data-turn="{index}">{question}{answer}</article>'


_ICON = (
    '<svg class="tl-icon" viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" '
    'stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="{}"/></svg>'
)
THUMB_UP = _ICON.format(
    "M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.3a2 2 0 0 0 2-1.7l1.4-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3"
)
THUMB_DOWN = _ICON.format(
    "M10 15v4a3 3 0 0 0 3 3l4-9V2H5.7a2 2 0 0 0-2 1.7l-1.4 9a2 2 0 0 0 2 2.3z"
    "m7-13h2.7A2.3 2.3 0 0 1 22 4v7a2.3 2.3 0 0 1-2.3 2H17"
)
COPY = _ICON.format("M8 8h12v12H8zM4 16V4h12")


def _actions(turn: Turn, index: int, lang: str) -> str:
    up, down = escape(t(lang, "chat.rate_up")), escape(t(lang, "chat.rate_down"))
    copy, copied = escape(t(lang, "chat.copy_short")), escape(t(lang, "chat.copied"), quote=True)
    return (
        f'<div class="tl-actions">'
        f'<button type="button" class="tl-rate" data-turn="{index}" data-rating="up">{THUMB_UP} {up}</button>'
        f'<button type="button" class="tl-rate" data-turn="{index}" data-rating="down">{THUMB_DOWN} {down}</button>'
        f'<button type="button" class="tl-copy" data-done="{copied}">{COPY} {copy}</button>'
        f'<textarea class="tl-copy-text" hidden aria-hidden="true" tabindex="-1">'
        f"{escape(copy_text(turn, lang))}</textarea>"
        "</div>"
    )


def render_transcript(turns: Sequence[Turn], lang: str) -> str:
    """The whole conversation; an empty one shows how the assistant works."""
    if not turns:
        return f'<div class="tl-transcript"><p class="tl-welcome">{escape(t(lang, "chat.welcome"))}</p></div>'
    body = "".join(_turn(turn, i, lang) for i, turn in enumerate(turns))
    return f'<div class="tl-transcript" role="log" aria-live="polite">{body}</div>'


def render_panel(citation: Citation | None, lang: str, link: str = "", reader: str = "") -> str:
    """The side panel for one citation: title, number, location, page, validity (warned when not in force),
    the cited passage, a link to the reading view (the clause highlighted in the document's text) and one that
    opens the original file (at the page, for a PDF)."""
    if citation is None:
        return f'<div class="tl-panel tl-panel-empty"><p>{escape(t(lang, "cite.empty"))}</p></div>'
    c = citation
    outdated = not c.current or c.status in ("expired", "partly_expired")
    status_class = "tl-status-old" if outdated else "tl-status-ok" if c.status == "in_force" else "tl-status-unknown"
    status = f'<span class="tl-status {status_class}">{escape(status_label(lang, c.status))}</span>'
    rows = [
        (t(lang, "cite.number"), escape(c.number or "—")),
        (t(lang, "cite.path"), escape(c.path or "—")),
        (t(lang, "cite.page"), escape(str(c.page)) if c.page else "—"),
        (t(lang, "cite.status"), status),
    ]
    facts = "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in rows)
    warning = ""
    if outdated:
        detail = f"<br>{escape(c.warning)}" if c.warning else ""
        warning = f'<div class="tl-warning" role="alert">⚠ {escape(t(lang, "cite.not_current"))}{detail}</div>'
    open_text = t(lang, "cite.open_page", page=c.page) if c.page else t(lang, "cite.open")
    anchor = "".join(
        f'<a class="{cls}" href="{escape(href, quote=True)}" target="_blank" rel="noopener noreferrer">'
        f"{escape(text)} ↗</a>"
        for cls, href, text in (("tl-reader", reader, t(lang, "cite.read")), ("tl-source", link, open_text))
        if href
    )
    return (
        f'<div class="tl-panel" data-n="{c.n}"><p class="tl-panel-n">[{c.n}]</p><h3>{escape(c.title)}</h3>'
        f"<dl>{facts}</dl>{warning}<p class='tl-excerpt-label'>{escape(t(lang, 'cite.excerpt'))}</p>"
        f"<blockquote>{escape(c.snippet)}</blockquote>{anchor}</div>"
    )


def copy_text(turn: Turn | None, lang: str) -> str:
    """The answer and its numbered sources as plain text, for pasting into a document or a message."""
    if turn is None or not turn.answered:
        return ""
    lines = [turn.answer.strip()]
    if turn.citations:
        lines += ["", f"{t(lang, 'chat.sources')}:"]
        for c in turn.citations:
            page = f", {t(lang, 'cite.page').lower()} {c.page}" if c.page else ""
            lines.append(f"{citation_label(c)} — {c.title}{page} ({status_label(lang, c.status)})")
    return "\n".join(lines)
