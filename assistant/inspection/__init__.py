"""Inspection tools over the shelf: comparing a document with the one that amends or replaces it."""
