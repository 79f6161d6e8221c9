"""The ``assistant`` command: ingest, remove, ask, search, documents, serve, users, audit, eval."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.types import Principal, SearchFilters

if TYPE_CHECKING:
    from assistant.service import AssistantService

logger = logging.getLogger("assistant")


def _principal(args: argparse.Namespace) -> Principal:
    units = frozenset(args.unit or ())
    roles = frozenset(args.role or ())
    return Principal(user_id="cli", units=units, roles=roles)


def _filters(args: argparse.Namespace) -> SearchFilters:
    return SearchFilters(
        doc_types=tuple(args.doc_type or ()), in_force_only=args.in_force_only, as_of=getattr(args, "as_of", None)
    )


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.embedding.factory import create_embedder
    from ingest.pipeline import IngestPipeline

    embedder = create_embedder(settings)
    embedder.load()
    pipeline = IngestPipeline(settings, embedder, progress=not args.no_progress)
    report = pipeline.ingest_paths(
        [Path(p) for p in args.paths], unit=args.unit or "", visibility=args.visibility, rebuild=args.rebuild
    )
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(
            f"Đã nạp {len(report.ingested)} mới, {len(report.replaced)} thay thế, {len(report.skipped)} bỏ qua "
            f"(không đổi), {len(report.failed)} lỗi; {report.chunks_added} đoạn mới, tổng {report.chunks_total} "
            f"đoạn; {report.seconds:.1f} s ({report.chunks_per_second:.1f} đoạn/s); phiên bản {report.version or '-'}"
        )
        for failure in report.failed:
            print(f"  LỖI {failure.path}: {failure.reason}")
    return 1 if report.failed and args.strict else 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.embedding.factory import create_embedder
    from ingest.pipeline import IngestPipeline

    embedder = create_embedder(settings)
    embedder.load()
    report = IngestPipeline(settings, embedder, progress=False).remove(args.doc_ids)
    for doc_id in report.removed:
        print(f"Đã xóa {doc_id}")
    for failure in report.failed:
        print(f"  LỖI {failure.path}: {failure.reason}")
    return 1 if report.failed else 0


def _service(settings: Settings) -> AssistantService:
    from assistant.errors import IndexNotReady
    from assistant.service import AssistantService

    service = AssistantService(settings)
    service.load()
    if service.index_info() is None:
        raise IndexNotReady(str(settings.index_dir))
    return service


def _request(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``AssistantService.ask``/``search`` from the command line."""
    return {
        "principal": _principal(args),
        "history": args.history or (),
        "filters": _filters(args),
        "top_k": args.top_k,
    }


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    result = _service(settings).ask(" ".join(args.question), **_request(args))
    answer = result.answer
    if args.json:
        from assistant.api.schemas import CitationOut

        out = {
            "answer": answer.text,
            "abstained": answer.abstained,
            "evidence": answer.evidence,
            "threshold": result.evidence.threshold,
            "follow_up": result.query.is_follow_up,
            "citations": [CitationOut.from_core(c).model_dump() for c in answer.citations],
            "index_version": result.index_version,
            "timings": result.timings_ms,
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    if answer.citations:
        print()
    for c in answer.citations:
        page = f", trang {c.page}" if c.page else ""
        number = f" {c.number}" if c.number else ""
        print(f"[{c.n}] {c.path}{number} — {c.title}{page}")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    result = _service(settings).search(" ".join(args.question), **_request(args))
    for p in result.passages:
        flag = "" if p.current else "  [không còn hiệu lực]"
        print(f"{p.rank:>2}. {p.score:.4f}  {p.chunk.chunk_id}  {p.chunk.path_label} — {p.document.title}{flag}")
    return 0


def cmd_documents(args: argparse.Namespace, settings: Settings) -> int:
    service = _service(settings)
    for doc in service.documents(principal=_principal(args), filters=_filters(args)):
        print(f"{doc.doc_id:40} {doc.number:20} {doc.doc_type:22} {doc.status.label_vi:24} {doc.visibility}")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from assistant.api.app import create_app

    uvicorn.run(create_app(settings), host=args.host or settings.host, port=args.port or settings.port)
    return 0


def cmd_ui(args: argparse.Namespace, settings: Settings) -> int:
    from ui.app import serve  # the browser UI: a separate HTTP client of the API, imported only here

    logging.getLogger("ui").setLevel(logging.INFO)  # the address it serves on
    serve(host=args.host, port=args.port, api_url=args.api_url)
    return 0


def _add_access(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--unit", action="append", help="act as a member of this unit (repeatable)")
    parser.add_argument("--role", action="append", help="act with this role (repeatable)")
    parser.add_argument("--doc-type", action="append", help="only this document type (repeatable)")
    parser.add_argument("--in-force-only", action="store_true", help="only documents in force")
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, default=None, help="judge validity at this date (YYYY-MM-DD)"
    )
    parser.add_argument("--top-k", type=int, default=None)
    parser.add_argument("--json", action="store_true")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Trợ lý công chức số")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="ingest files or folders into a new index version")
    p.add_argument("paths", nargs="+")
    p.add_argument("--unit", default="", help="owning unit for files whose metadata names none")
    p.add_argument("--visibility", choices=["public", "unit", "restricted"], default="public")
    p.add_argument("--rebuild", action="store_true", help="rebuild the whole index from the given paths")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--strict", action="store_true", help="exit 1 when any file failed")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("remove", help="remove documents by id")
    p.add_argument("doc_ids", nargs="+")
    p.set_defaults(func=cmd_remove)

    for name, func, text in (("ask", cmd_ask, "answer a question"), ("search", cmd_search, "ranked passages")):
        p = sub.add_parser(name, help=text)
        p.add_argument("question", nargs="+")
        p.add_argument("--history", action="append", help="an earlier question of the conversation (repeatable)")
        _add_access(p)
        p.set_defaults(func=func)

    p = sub.add_parser("documents", help="list documents")
    _add_access(p)
    p.set_defaults(func=cmd_documents)

    p = sub.add_parser("serve", help="start the HTTP API")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("ui", help="start the browser UI (a client of the HTTP API; settings ASSISTANT_UI_*)")
    p.add_argument("--host", help="default: ASSISTANT_UI_HOST or 127.0.0.1")
    p.add_argument("--port", type=int, help="default: ASSISTANT_UI_PORT or 7860")
    p.add_argument("--api-url", help="the API's base URL; default: ASSISTANT_UI_API_URL or http://127.0.0.1:8000")
    p.set_defaults(func=cmd_ui)

    from assistant.accounts.cli import add_account_parsers
    from eval.cli import add_eval_parser

    add_account_parsers(sub)
    add_eval_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = Settings()
        code: int = args.func(args, settings)
        return code
    except AssistantError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # pydantic settings validation
        print(f"Cấu hình không hợp lệ: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
