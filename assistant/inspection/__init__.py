"""Inspection tools over the shelf: comparing a document with the one that amends or replaces it, and the legal
bases (căn cứ pháp lý) of a topic on a chosen date (:func:`assistant.inspection.bases.legal_bases`, ranked by
:mod:`assistant.inspection.legal_rank`).

The package imports none of its modules: the answer composer uses :mod:`assistant.inspection.legal_rank`, and
:mod:`assistant.inspection.bases` uses the service that composes answers, so importing them here would be circular.
"""
