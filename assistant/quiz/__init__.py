"""Trainer mode: cited quiz items and lessons drawn from the shelf, checked against their source clause."""
