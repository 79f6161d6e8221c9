"""/v1/me/conversations: a signed-in user's saved chats (list, open, save, delete), only ever their own."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from assistant.api.conversation_schemas import ConversationList, ConversationOut, ConversationSave, ConversationSummary
from assistant.api.deps import ConversationsDep, UserDep
from assistant.api.routes.auth import UNAUTHORIZED
from assistant.api.schemas import ErrorResponse

router = APIRouter(prefix="/v1/me/conversations", tags=["conversations"])
_OWN: dict[int | str, dict[str, Any]] = {
    **UNAUTHORIZED,
    404: {"model": ErrorResponse, "description": "No such conversation among the caller's own"},
}
ConversationId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]


@router.get("", response_model=ConversationList, responses=UNAUTHORIZED, summary="My saved conversations")
def list_conversations(
    user: UserDep, store: ConversationsDep, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> ConversationList:
    return ConversationList(
        conversations=[ConversationSummary.from_core(c) for c in store.recent(user.username, limit=limit)]
    )


@router.post("", status_code=201, response_model=ConversationOut, responses=UNAUTHORIZED, summary="Save a new one")
def create_conversation(body: ConversationSave, user: UserDep, store: ConversationsDep) -> ConversationOut:
    turns = [turn.model_dump() for turn in body.turns]
    return ConversationOut.from_core(store.create(user.username, turns))


@router.get("/{conversation_id}", response_model=ConversationOut, responses=_OWN, summary="Open one")
def get_conversation(conversation_id: ConversationId, user: UserDep, store: ConversationsDep) -> ConversationOut:
    return ConversationOut.from_core(store.get(user.username, conversation_id))


@router.put("/{conversation_id}", response_model=ConversationOut, responses=_OWN, summary="Save its turns")
def save_conversation(
    conversation_id: ConversationId, body: ConversationSave, user: UserDep, store: ConversationsDep
) -> ConversationOut:
    turns = [turn.model_dump() for turn in body.turns]
    return ConversationOut.from_core(store.replace(user.username, conversation_id, turns))


@router.delete("/{conversation_id}", status_code=204, responses=_OWN, summary="Delete one")
def delete_conversation(conversation_id: ConversationId, user: UserDep, store: ConversationsDep) -> Response:
    store.delete(user.username, conversation_id)
    return Response(status_code=204)
