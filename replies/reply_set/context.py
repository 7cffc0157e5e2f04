"""What every page needs to know about the reply set (a template context processor)."""

from __future__ import annotations

from replies.reply_set.store import ReplySet


def reply_set_state(request) -> dict:
    """reply_set_count for the header badge; reply_set_ids so each toggle knows whether its reply is in."""
    session = getattr(request, "session", None)
    ids = ReplySet(session).ids if session is not None else []
    return {"reply_set_count": len(ids), "reply_set_ids": frozenset(ids)}
