"""The interface's Traditional Chinese: the .po catalogue is complete, and the compiled catalogue the portal
reads (made from it by `make install`) says what the .po says."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

ZH_HANT_PO = Path(settings.BASE_DIR) / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"


def zh_hant_messages() -> list:
    with ZH_HANT_PO.open("rb") as po:
        return [message for message in read_po(po) if message.id]


def forms(message) -> tuple:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_every_interface_string_has_a_traditional_chinese_translation_that_is_not_fuzzy():
    messages = zh_hant_messages()
    assert len(messages) > 100
    assert [message.id for message in messages if message.fuzzy] == []
    assert [message.id for message in messages if not all(forms(message))] == []


def test_the_compiled_catalogue_in_use_translates_as_the_po_says():
    with translation.override("zh-hant"):
        assert translation.gettext("Budget questions and replies") == "財務委員會審核開支預算：問題與答覆"
        assert translation.gettext("Replies") == "答覆"
        assert translation.ngettext("%(count)s reply", "%(count)s replies", 2) == "%(count)s 項答覆"
        for message in zh_hant_messages():
            if isinstance(message.id, tuple):
                assert translation.ngettext(*message.id, 1) == message.string[0], message.id
            elif message.context:
                assert translation.pgettext(message.context, message.id) == message.string, message.id
            else:
                assert translation.gettext(message.id) == message.string, message.id
