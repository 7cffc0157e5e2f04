"""An independent, deliberately simple reading of the seed's index table, to check the import against."""

from __future__ import annotations

import re
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "itib-2023-24.txt"
ROW = re.compile(r"^(ITIB\d{3}) (\d+) (\S+) (\d+) ?(.*?)\s*$")
PROGRAMME = re.compile(r"\((\d+)\)\s*([^,(]+)")


def read_index_table() -> dict[str, dict]:
    rows: dict[str, dict] = {}
    last = None
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("審核") and rows:
            break  # the bodies begin
        match = ROW.match(line.strip())
        if match:
            serial, question, member, head, programmes = match.groups()
            last = rows[serial] = {
                "question_serial": int(question),
                "member": member,
                "head": int(head),
                "programmes": programmes,
            }
        elif last and line.strip() and not line.startswith("答覆編號"):
            last["programmes"] += line.strip()  # a wrapped name, or a second programme on the next line
    for row in rows.values():
        row["programmes"] = [(int(n), name.strip()) for n, name in PROGRAMME.findall(row["programmes"])]
    return rows
