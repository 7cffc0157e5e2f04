"""Find the sentences of a reply that say the information asked for was not provided, and why.

Issue 15 §3: a reader must be able to check every decision, so each kind is a list of named phrases
(regular expressions kept short, one reason each) and a hit is reported with the sentence that says so.
Strict: only explicit statements count; a reply that simply leaves a part unanswered is not flagged.
Pure: text in, plain data out.
"""

import re

KINDS = ("not_kept", "withheld", "not_yet")

# Inside one sentence: never cross 。 ； or a line break.
_GAP = "[^。；\n]"


def _near(first: str, second: str, gap: int = 30) -> str:
    """`first`, then `second` later in the same sentence."""
    return f"(?:{first}){_GAP}{{0,{gap}}}(?:{second})"


# not_kept: the information does not exist in the form asked (not recorded, no breakdown, cannot be
# separated out or determined).  These state a fact about the records, so they count whatever was asked.
NOT_KEPT_PHRASES = {
    # 沒有備存 / 並未備存 / 沒有就所涉及的人手編制和開支備存分項數字: the bureau keeps no such record.
    "no record kept": r"(?:沒有|並未|未有|並無|沒|無)(?:就[^。；\n]{0,30})?備存",
    # 不能單獨作分項計算 / 不能分拆: the cost is part of a larger vote and cannot be separated.
    "cannot be separated": r"不能(?:單獨)?(?:作)?(?:分項)?(?:計算|分拆)|無法(?:單獨)?(?:分拆|計算)",
    # 並無分項開支數字 / 無獨立分項數字 / 並無獨立分項開支 / 沒有相關的分項數字: no breakdown exists.
    "no breakdown": _near("沒有|並無|無|未有", "分項[^。；\n，]{0,6}(?:數字|數據|資料)|分項開支", 16),
    # 未能提供分項的開支數字: the breakdown cannot be given (it is not kept apart).
    "breakdown not available": _near("未能提供|無法提供", "分項", 12),
    # 無法確定提交申請的初創企業總數: the figure cannot be established.
    "cannot be established": r"無法(?:確定|確知|統計|得知)",
    # 沒有收集相關的資料: the information was never collected.
    "not collected": r"(?:沒有|並無|未有)收集",
    # 並沒有「安心出行」程式…的整體數字 / 沒有有關產品類別的資料: no such data held.
    # The noun must end the clause, so "並沒有構成任何…資料外泄" (nothing leaked) is not read as "no data".
    "no such data": _near("並沒有|沒有有關|沒有相關", "(?:資料|數字|數據|統計數字)(?=[。，；\n]|$)", 40),
    # 並沒有獨立的核准承擔額: no separate figure exists for the item asked about.
    "no separate figure": r"(?:沒有|並無)獨立的?[^。；\n，]{0,8}(?:承擔額|數字|預算|撥款)",
    # 不足以提供具參考價值的數據: too little data to give a figure.
    "insufficient data": r"不足以提供",
    # 未有要求…定期匯報: the information is not reported to the bureau, so it does not hold it.
    "not required to report": _near("未有要求|沒有要求|並無要求", "匯報|滙報|提交", 60),
}

# withheld: the information exists but will not be disclosed.
WITHHELD_PHRASES = {
    # 涉及商業敏感資料: commercially sensitive.
    "commercial sensitivity": r"商業(?:上)?敏感|商業機密",
    # 基於保安理由 / 保安考慮: security.
    "security": _near("基於|由於|涉及|出於", "保安(?:理由|考慮|原因)|安全(?:理由|考慮)", 10),
    # 不宜公開 / 不宜…作直接比較 / 不便透露: declines to disclose, rank or comment.
    "not appropriate to disclose": _near("不宜|不便|不適宜", "公開|披露|透露|公布|提供|比較|評論", 40),
    # 須保密 / 保密條款: bound by confidentiality.
    "confidential": r"(?:須|需|需要|必須)保密|保密(?:條款|協議|原因|理由|規定)",
    # 涉及個人資料私隱: personal data.
    "personal data": _near("涉及|基於|保障", "個人資料|私隱", 10),
    # 不會公開 / 不會披露: refuses outright.
    "will not disclose": r"不會(?:公開|披露|透露)",
}

# not_yet, explicit: the reply itself says the thing asked for is not yet known or decided.
NOT_YET_PHRASES = {
    # 細節有待敲定 / 細節待敲定後會作出公布 / 尚待雙方討論: still to be settled.  Not "有待改善" (a
    # judgement) nor "有待處理" (a backlog of applications being worked through).
    "to be settled": r"(?:有待|尚待)(?:雙方|進一步)?(?:敲定|討論|商討|確定|落實|決定|研究|制定|完成|公布|評估|審批|批准)"
    r"|待[^。；\n]{0,6}敲定|敲定後",
    # 現階段未能提供估算 / 暫時未能提供 / 現時未能預計: cannot give it at this stage.
    "not at this stage": _near("現階段|暫時|現時|目前|暫未", "未能|未可|無法", 8),
    # 招租工作尚未展開 / 尚未確定: has not started or been decided.
    "not started": r"尚未(?:展開|開展|確定|敲定|落實|決定|有定案|開始)",
    # 其餘申請正在處理當中 / 評估工作仍在進行中 / 研究工作正在進行中: the work that will produce the
    # answer (processing, assessment, audit, study) is not finished.  Works or projects "在進行中" are not.
    "still in progress": r"申請[^。；\n]{0,4}(?:正在|仍在)(?:處理|評審|審批)(?:當中|中)"
    r"|(?:研究|評估|審計|評審|審批)工作(?:仍在|正在)進行",
    # 以訂立發展規模、工程造價的估算和時間表 / 屆時會…有較為具體的掌握: a study will produce it.
    "study will set": _near("以訂立|以制訂|以制定|屆時", "估算|時間表|掌握|施工方案", 30),
    # 待…詳情落實後 / 以確定其計劃的細節: details not yet fixed.
    "details not fixed": r"(?:詳情|細節)落實後|以確定[^。；\n]{0,6}細節|(?<!已)完成簽署[^。；\n]{0,12}後",
    # 將於…完結後收集: the data will be collected later.
    "collected later": _near("將於", "後收集", 30),
}

# not_yet, only when it stands in place of what was asked (see `_stands_in_place`): these also appear
# beside a full answer ("會適時公布" some further news, "正研究" a next step).
NOT_YET_IF_UNANSWERED = {
    # 會適時作出公布 / 適時匯報 / 適時就有關詳情提供資料: will be announced in due course.
    "announce in due course": _near("適時|稍後|日後", "公布|匯報|滙報|提供資料|交代|公告", 20),
    # 數碼港現正敲定相關細節 / 正制定具體計劃 / 正擬定執行細節: being worked out now.  A bare "正研究" /
    # "正探討" is left out: it usually answers "will you consider…" (it counts only before a bare
    # "我們會適時作出公布。", see `_WORK_IN_HAND`).
    "being worked out": _near("正|現正|正在", "敲定|制定|擬定|細化|制訂|統籌新一輪|整合", 4),
    # 期望…在2023-24年度內向立法會滙報…進度: a report to the Council still to come.
    "report later": _near("會|將|期望|目標是", "向立法會[^。；\n]{0,6}(?:滙報|匯報)", 30),
    # 會聯同研發院共同制定評估機制和關鍵績效指標: the indicators are still to be set.
    "indicators to be set": _near("會|將", "制定[^。；\n]{0,12}(?:指標|準則|評估機制)", 12),
    # 正…進行深入研究，以期在2023年內向政府提交…具體建議: the recommendations are not made yet.
    "recommendations due": _near("研究", "以期[^。；\n]{0,12}提交[^。；\n]{0,30}建議", 4),
    # 將視乎顧問研究的結果 / 會視乎…而定: depends on what is not yet known.
    "depends on": _near("將視乎|會視乎|將會視乎|須視乎", "結果|而定|因素", 80),
}

# What a question asks for.  A deferral ("will announce the details") stands in place of an answer when
# the question asks for details, plans or a decision, or asks for figures and the reply gives none.
# The courtesy formula "可否告知本會" is not a question about plans, so it is removed first.
_COURTESY = re.compile("(?:可否|能否|會否|請)告[知訴](?:本會)?")
_ASKS_FOR_PLANS = re.compile("詳情|細節|具體|安排|時間表|何時|進度|機制|有何|哪些|名稱|如何|會否|有否|能否|可否")
_ASKS_FOR_FIGURES = re.compile("多少|數目|數字|開支|預算|人手|金額|費用|撥款")
_FIGURE = re.compile(r"\d[\d,.\s]*(?:億|萬)?\s*(?:元|名|個|宗|人|間|項|次|所|位|份|%)")

# A bare "我們會適時作出公布。" names nothing; the sentence before it says what is being worked on.
_WORK_IN_HAND = re.compile("探討|探索|研究|制定|制訂|擬定|敲定")
_BARE_ANNOUNCEMENT = 16  # characters: "我們會適時公布有關詳情。" and the like

# "(一)", "1.", "1.至3.", "(a)", "a.", "註(4)：", "-" at the start of a sentence are list markers.
_ENUMERATOR = re.compile(
    r"^(?:[(（]?[一二三四五六七八九十\dA-Za-z]{1,3}[)）]|\d{1,2}\.(?:\s*[至及和]\s*\d{1,2}\.)*"
    r"|[A-Za-z]\.|[一二三四五六七八九十]{1,3}[、.]|註\s*[(（]?\d{0,2}[)）]?\s*[：:]|[-•·])\s*"
)
_BOUNDARY_BEFORE = "。；\n"
# A paragraph that is only "附件" / "附件二" / "附錄" starts the annex.
_ANNEX_HEADING = re.compile(r"(?:^|\n)(?:附件|附錄)[一二三四五六七八九十\dA-Z]*\s*(?:\n|$)")


def _compile(phrases: dict[str, str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{pattern})" for pattern in phrases.values()))


_KIND_PATTERNS = (
    ("not_kept", _compile(NOT_KEPT_PHRASES)),
    ("withheld", _compile(WITHHELD_PHRASES)),
    ("not_yet", _compile(NOT_YET_PHRASES)),
)
_NOT_YET_IF_UNANSWERED = _compile(NOT_YET_IF_UNANSWERED)


def _sentence_span(reply: str, position: int) -> tuple[int, int]:
    """The sentence holding `position`: after the previous 。/；/line start, to the next 。 inclusive or line end."""
    start = max(reply.rfind(mark, 0, position) for mark in _BOUNDARY_BEFORE) + 1
    full_stop, line_end = reply.find("。", position), reply.find("\n", position)
    ends = [index for index in (full_stop + 1 if full_stop >= 0 else -1, line_end) if index >= 0]
    return start, min(ends, default=len(reply))


def _evidence(reply: str, span: tuple[int, int]) -> str:
    """The sentence without surrounding whitespace and leading list markers (still a substring of `reply`)."""
    text = reply[span[0]:span[1]].strip()
    while (marker := _ENUMERATOR.match(text)) and marker.end():
        text = text[marker.end():].strip()
    return text


def _previous_sentence(reply: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The sentence just before `span` in the same paragraph, if any."""
    if span[0] == 0 or reply[span[0] - 1] != "。":
        return None
    return _sentence_span(reply, span[0] - 1)


def _stands_in_place(question: str, reply: str, explicit_found: bool) -> bool:
    """Whether a conditional not_yet statement replaces what was asked: the question asks for details or
    plans; or it asks for figures and the reply gives none or says outright that it cannot give them."""
    question = _COURTESY.sub("", question)
    if _ASKS_FOR_PLANS.search(question):
        return True
    if not _ASKS_FOR_FIGURES.search(question):
        return False
    return explicit_found or not _FIGURE.search(reply)


def _body(reply: str) -> str:
    """The reply up to its annex: annex tables repeat, cell by cell, what the body says once."""
    annex = _ANNEX_HEADING.search(reply)
    return reply[:annex.start()] if annex else reply


def _in_table_row(reply: str, position: int) -> bool:
    line_start = reply.rfind("\n", 0, position) + 1
    line_end = reply.find("\n", position)
    return " | " in reply[line_start:line_end if line_end >= 0 else len(reply)]


def _matches(pattern: re.Pattern, body: str) -> list[tuple[int, int]]:
    """Sentence spans of the pattern's matches in the body, outside table rows."""
    return [_sentence_span(body, match.start()) for match in pattern.finditer(body)
            if not _in_table_row(body, match.start())]


def _hits(question: str, reply: str) -> list[tuple[tuple[int, int], str]]:
    """(sentence span, kind) for every phrase found, in no particular order."""
    body = _body(reply)
    hits = [(span, kind) for kind, pattern in _KIND_PATTERNS for span in _matches(pattern, body)]
    if not _stands_in_place(question, reply, explicit_found=bool(hits)):
        return hits
    for span in _matches(_NOT_YET_IF_UNANSWERED, body):
        hits.append((span, "not_yet"))
        previous = _previous_sentence(reply, span) if span[1] - span[0] <= _BARE_ANNOUNCEMENT else None
        if previous and _WORK_IN_HAND.search(reply[previous[0]:previous[1]]):
            hits.append((previous, "not_yet"))
    return hits


def not_provided(question: str, reply: str) -> list[dict]:
    """[{"kind", "evidence"}] in reply order, one per sentence; the first kind in KINDS order wins a tie."""
    first_kind: dict[tuple[int, int], str] = {}
    for span, kind in _hits(question or "", reply or ""):
        if KINDS.index(kind) < KINDS.index(first_kind.get(span, kind)) or span not in first_kind:
            first_kind[span] = kind
    found, seen = [], set()
    for span in sorted(first_kind):
        evidence = _evidence(reply, span)
        if evidence and evidence not in seen:
            seen.add(evidence)
            found.append({"kind": first_kind[span], "evidence": evidence})
    return found
