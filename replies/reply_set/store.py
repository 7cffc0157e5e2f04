"""The reply set in the visitor's session: the ordered reply ids, nothing else."""

from __future__ import annotations

SESSION_KEY = "reply_set"
MAX_SET_SIZE = 1_000  # what one Word export holds (exports.views.LIMITS)


class ReplySet:
    """The ordered reply ids in the session; tolerant of anything odd a session may hold."""

    def __init__(self, session):
        self.session = session

    @property
    def ids(self) -> list[int]:
        stored = self.session.get(SESSION_KEY, [])
        return [pk for pk in stored if isinstance(pk, int)] if isinstance(stored, list) else []

    def save(self, ids: list[int]) -> None:
        self.session[SESSION_KEY] = ids

    def add(self, new_ids) -> int:
        """Appends the replies not yet in the set, up to MAX_SET_SIZE; returns how many were added."""
        ids = self.ids
        present = set(ids)
        fresh = [pk for pk in dict.fromkeys(new_ids) if pk not in present][: max(0, MAX_SET_SIZE - len(ids))]
        self.save(ids + fresh)
        return len(fresh)

    def remove(self, pk: int) -> None:
        self.save([existing for existing in self.ids if existing != pk])

    def move(self, pk: int, offset: int) -> None:
        ids = self.ids
        if pk in ids:
            old = ids.index(pk)
            new = min(max(old + offset, 0), len(ids) - 1)
            ids.insert(new, ids.pop(old))
            self.save(ids)
