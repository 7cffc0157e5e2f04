"""Tables as data: the tables of a reply's question and reply, reconstructed from the stored text.

``tables_of(question, reply)`` gives the JSON stored in ``Reply.tables`` (model.DataTable.as_json). Pure: no
Django, no database. The rules are in docs/TABLES.md.
"""

from __future__ import annotations

from replies.tables.reconstruct import tables_of_field


def tables_of(question: str, reply: str) -> list[dict]:
    return [table.as_json() for name, text in (("question", question), ("reply", reply))
            for table in tables_of_field(name, text)]
