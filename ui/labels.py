"""The texts of components (labels, placeholders, button captions), so that a language switch can redo them."""

from __future__ import annotations

from typing import Any, TypeVar

import gradio as gr

from ui.strings import t

C = TypeVar("C", bound=gr.components.Component | gr.Tab | gr.Accordion)


class Labels:
    """``labels.add(gr.Textbox(...), label="chat.question", placeholder="chat.placeholder")`` sets and registers the
    texts of a component;
    ``labels.updates(lang)`` gives one ``gr.update`` per registered component, in ``labels.components`` order."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._items: list[tuple[Any, dict[str, str]]] = []

    def add(self, component: C, **keys: str) -> C:
        """Register ``component`` and give it its texts in the starting language."""
        for attr, key in keys.items():
            setattr(component, attr, t(self.lang, key))
        self._items.append((component, keys))
        return component

    @property
    def components(self) -> list[Any]:
        return [component for component, _ in self._items]

    def updates(self, lang: str) -> list[Any]:
        out = []
        for _, keys in self._items:
            values: dict[str, Any] = {attr: t(lang, key) for attr, key in keys.items()}
            out.append(gr.update(**values))
        return out
