"""Typing into a Gradio box so that the value is what a button then sends.

Playwright's ``fill`` sets the box at once, but an update still on its way from an earlier event (a chained step
that re-renders the form) can land just after and put the old value back. :func:`enter` types, leaves the box,
lets pending updates land, and types again if the box no longer holds the text."""

from __future__ import annotations

from typing import Any

SETTLE_MS = 400  # time for an in-flight update to land after the box is left
ATTEMPTS = 3


def enter(page: Any, selector: str, text: str, *, timeout_ms: int) -> None:
    """Type ``text`` into the box at ``selector`` and leave it; fails (with Playwright's message) when the box
    still does not hold ``text`` after :data:`ATTEMPTS` tries."""
    from playwright.sync_api import expect

    box = page.locator(selector)
    for attempt in range(ATTEMPTS):
        box.fill(text)
        box.blur()
        page.wait_for_timeout(SETTLE_MS)
        last = attempt == ATTEMPTS - 1
        try:
            expect(box).to_have_value(text, timeout=timeout_ms if last else 2_000)
            return
        except AssertionError:
            if last:
                raise
