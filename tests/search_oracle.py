"""An independent reading of "which replies contain this?" for the database search tests.

It reads the replies through the ORM, normalises each searchable field on its own and tests plain substring
containment with whole-token edges (tests.test_search_core_properties.contains_with_token_edges): no lexemes,
no regexes, no SQL. The database search must return exactly these replies.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from replies.aliases import table
from replies.models import Reply
from replies.search_index import index_replies
from search import normalise_for_search
from tests.test_search_core_properties import contains_with_token_edges


@dataclass(frozen=True)
class ReplyFields:
    serial: str
    question: str
    reply: str
    metadata: tuple[str, ...]  # member, head, programmes, subhead, officers (raw)

    @property
    def raw_fields(self) -> tuple[str, ...]:
        return (self.question, self.reply, *self.metadata)


def reply_fields(reply: Reply) -> ReplyFields:
    metadata = (
        reply.member.name,
        reply.head.name,
        *(p.name for p in reply.programmes.all()),
        reply.subhead,
        reply.controlling_officer_title,
        reply.controlling_officer_name,
        reply.director_of_bureau,
    )
    return ReplyFields(reply.serial, reply.question, reply.reply, tuple(m for m in metadata if m))


@lru_cache(maxsize=1)
def corpus() -> tuple[tuple[ReplyFields, tuple[str, ...]], ...]:
    """Every reply with its normalised fields (the database content is the same for the whole test run)."""
    rows = []
    for reply in Reply.objects.with_related().order_by("serial"):
        fields = reply_fields(reply)
        rows.append((fields, tuple(normalise_for_search(text) for text in fields.raw_fields)))
    return tuple(rows)


def containing(*terms: str, excluding: tuple[str, ...] = ()) -> set[str]:
    """Serials of the replies where every term is contained in some field and no excluded term in any.

    Terms are given as a person types them, unquoted; each is normalised here, and a term that is a form of an
    alias group (replies.aliases) stands for every form of its group: any of them will do, none may be there."""
    wanted = [forms_of(term) for term in terms]
    unwanted = [form for term in excluding for form in forms_of(term)]
    found = set()
    for fields, texts in corpus():
        if all(any(_in_some(texts, form) for form in forms) for forms in wanted) and not any(
                _in_some(texts, form) for form in unwanted):
            found.add(fields.serial)
    return found


def containing_literally(term: str) -> set[str]:
    """Serials of the replies containing exactly ``term`` (what the quoted term finds)."""
    folded = normalise_for_search(term)
    return {fields.serial for fields, texts in corpus() if _in_some(texts, folded)}


def forms_of(term: str) -> list[str]:
    """The normalised forms an unquoted ``term`` is searched as: its alias group's, else itself."""
    folded = normalise_for_search(term)
    return [normalise_for_search(form) for form in table().get(folded, ())] or [folded]


def _in_some(texts: tuple[str, ...], term: str) -> bool:
    return any(contains_with_token_edges(text, term) for text in texts)


def found_by_search(q: str) -> set[str]:
    return set(Reply.objects.search(q).values_list("serial", flat=True))


def save_indexed_reply(serial: str, question: str, reply: str) -> Reply:
    """A synthetic reply (use inside a test, which rolls it back), indexed the way import indexes."""
    template = Reply.objects.select_related("year", "member", "head").get(serial="ITIB001")
    saved = Reply.objects.create(
        year=template.year, serial=serial, question_serial=90000, member=template.member, head=template.head,
        controlling_officer_title="測試", director_of_bureau="測試", question=question, reply=reply,
        source_file="synthetic",
    )
    index_replies(Reply.objects.filter(pk=saved.pk))
    return saved
