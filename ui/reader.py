"""The reading view of a cited source: the document's whole text in order, by page for a PDF, with the cited
clause highlighted and scrolled into view, and a link to the original file (at the page, for a PDF).

Everything shown comes from uploaded documents, so every text is escaped and the page runs no script.
"""

from __future__ import annotations

from html import escape

from ui.citations import status_label
from ui.models import DocumentPart, DocumentText
from ui.strings import t

CITED_ID = "dieu-duoc-trich"
READER_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
_CSS = """
body{font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0;background:#f6f7f9}
main{max-width:46rem;margin:0 auto;padding:1rem 1rem 4rem;background:#fff;min-height:100vh;box-sizing:border-box}
header{border-bottom:1px solid #d0d7de;margin-bottom:1rem;padding-bottom:.75rem}
h1{font-size:1.25rem;line-height:1.35;margin:.25rem 0}
.meta{color:#57606a;font-size:.9rem;margin:.25rem 0}
.old{color:#9a3412;font-weight:600}
.original{display:inline-block;margin-top:.5rem;font-weight:600}
.page{color:#57606a;font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;border-top:1px dashed #d0d7de;
 margin:1.5rem 0 .5rem;padding-top:.25rem}
section{margin:.75rem 0;padding:.25rem .75rem;border-left:4px solid transparent;scroll-margin-top:1rem}
section p{margin:.4rem 0;white-space:pre-wrap;overflow-wrap:anywhere}
.cited{background:#fff8c5;border-left-color:#bf8700;border-radius:4px}
.cited .label{font-size:.8rem;font-weight:700;color:#7d4e00;margin:.25rem 0 0}
mark{background:#ffe066;padding:0 .1em}
.path{color:#57606a;font-size:.8rem;margin:0}
"""


def _paragraphs(text: str, quote: str = "") -> str:
    """The part's lines as paragraphs; ``quote`` (the cited excerpt), where it appears whole, marked."""
    paragraphs = []
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        at = line.find(quote) if quote else -1
        if at >= 0:
            body = f"{escape(line[:at])}<mark>{escape(quote)}</mark>{escape(line[at + len(quote) :])}"
        else:
            body = escape(line)
        paragraphs.append(f"<p>{body}</p>")
    return "".join(paragraphs)


def _found(quote: str, text: str) -> str:
    """The longest piece of the excerpt (cut at "…" and at line ends) that the part holds on one line."""
    pieces = [p.strip(" .,;:") for chunk in quote.split("…") for p in chunk.splitlines()]
    lines = text.splitlines()
    found = [p for p in pieces if len(p) >= 12 and any(p in line for line in lines)]
    return max(found, key=len, default="")


def _part(part: DocumentPart, cited: bool, quote: str, lang: str, where: str = "") -> str:
    if not cited:
        return f'<section><p class="path">{escape(part.path)}</p>{_paragraphs(part.text)}</section>'
    label = t(lang, "reader.cited", path=where or part.path or "—")
    marked = _found(quote, part.text)
    return (
        f'<section id="{CITED_ID}" class="cited" aria-label="{escape(label, quote=True)}">'
        f'<p class="label">▶ {escape(label)}</p>{_paragraphs(part.text, marked)}</section>'
    )


def render_reader(
    doc: DocumentText, chunk_id: str, original_link: str, lang: str, quote: str = "", where: str = ""
) -> str:
    """The whole page. ``quote`` is the cited excerpt: marked inside the cited part where it appears whole;
    ``where`` names the cited place ("khoản 1 Điều 3") when the part is larger (the whole Điều)."""
    d = doc.document
    cited = next((p for p in doc.parts if p.chunk_id == chunk_id), None)
    is_pdf = doc.source_format == "pdf"
    page = cited.page if cited and is_pdf else None
    meta = " · ".join(x for x in (d.number, d.issuer, d.issued_date) if x)
    status = escape(status_label(lang, d.status))
    status_html = status if d.current and d.status in ("in_force", "") else f'<span class="old">{status}</span>'
    open_text = t(lang, "cite.open_page", page=page) if page else t(lang, "cite.open")
    body: list[str] = []
    last_page: int | None = None
    for part in doc.parts:
        if is_pdf and part.page and part.page != last_page:
            body.append(f'<p class="page">{escape(t(lang, "reader.page", page=part.page))}</p>')
            last_page = part.page
        body.append(_part(part, part is cited, quote, lang, where))
    missing = "" if cited else f'<p class="meta old">{escape(t(lang, "reader.missing"))}</p>'
    return (
        f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(d.number or d.title)} — {escape(t(lang, 'app.title'))}</title><style>{_CSS}</style></head>"
        f"<body><main><header><p class='meta'>{escape(d.doc_type)}</p><h1>{escape(d.title)}</h1>"
        f"<p class='meta'>{escape(meta)}</p><p class='meta'>{escape(t(lang, 'cite.status'))}: {status_html}</p>"
        f'<a class="original" href="{escape(original_link, quote=True)}" target="_blank" rel="noopener noreferrer">'
        f"{escape(open_text)} ↗</a>{missing}</header>{''.join(body)}</main></body></html>"
    )
