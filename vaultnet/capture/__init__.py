"""Capturing contact where it happens: meetings from calendars, conversations from mail.

Readers (``calendar``, ``mail``) turn a source into :class:`~.model.Capture`
records; ``store`` writes them as one line each into notes vaultnet owns
(``<output>/Captures/YYYY-MM.md``), which the interaction reader counts like
any log line. The user's own notes are never touched, so every capture stays
visible and reversible in the vault. This module stays free of imports so that
the core can use ``store`` cheaply.
"""
