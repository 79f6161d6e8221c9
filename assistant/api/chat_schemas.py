"""Request and response bodies of the OpenAI-compatible routes (``POST /v1/chat/completions``, ``GET /v1/models``),
shaped as OpenAI's Chat Completions API so its clients and chat front ends work unchanged. Fields OpenAI defines and
the assistant has no use for (temperature, max_tokens…) are accepted and ignored; the answer's citations travel in
the extra field ``citations`` (the list of /v1/ask) and in a closing "Nguồn:" block of the reply text."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.api.schemas import CitationOut

MODEL_ID = "tro-ly-cong-chuc-so"
MAX_MESSAGES = 50
MAX_MESSAGE_CHARS = 2000


class TextPart(BaseModel):
    """One part of a message's content in the list form (``[{"type": "text", "text": "…"}]``)."""

    model_config = ConfigDict(extra="ignore")

    type: Literal["text"]
    text: Annotated[str, Field(max_length=MAX_MESSAGE_CHARS)]


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: Annotated[str, Field(max_length=MAX_MESSAGE_CHARS)] | list[TextPart] | None = None

    @property
    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(part.text for part in self.content).strip()
        return (self.content or "").strip()


class ChatCompletionRequest(BaseModel):
    """The conversation: its last message is the user's question; their earlier messages are its history."""

    model_config = ConfigDict(extra="ignore")

    model: Annotated[str, Field(max_length=100)] = MODEL_ID
    messages: Annotated[list[ChatMessage], Field(min_length=1, max_length=MAX_MESSAGES)]
    stream: bool = False


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    """Word counts (the assistant has no tokenizer of its own), so clients that read ``usage`` get numbers."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    citations: list[CitationOut] = Field(description="The sources the [n] markers of the reply refer to")
    abstained: bool = Field(description="True when the documents the caller may see hold no basis for an answer")
    index_version: str


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]
