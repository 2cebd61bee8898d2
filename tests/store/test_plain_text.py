"""Text is text: a sender's file name or account name is shown as plain text, breaks no export and
crashes no database (PostgreSQL refuses a value longer than its column; SQLite would take it)."""

from __future__ import annotations

import io

import pandas as pd
import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook

from charts.export import to_xlsx_bytes, workbook_bytes
from domain.plain import fit, md_plain, strip_controls
from reports.docx_brief import para
from store.history import audit_frame
from store.schema import observations, uploads
from store.uploads import audit, ingest_observations
from store.users import login

HOSTILE = "[bấm đây](http://evil.example/) ![x](http://evil.example/p.png) :red[đỏ] $x$ <b>\x07\x1b.xlsx"


def test_markdown_is_escaped_and_controls_stripped() -> None:
    shown = md_plain(HOSTILE)
    assert "](" not in shown.replace("\\]\\(", "")  # no link or image syntax survives unescaped
    assert "\\[bấm đây\\]\\(http\\:" in shown and "\\:red\\[" in shown and "\\$x\\$" in shown
    assert "\x07" not in shown and "\x1b" not in shown
    assert strip_controls("a\x00b\tc\nd\x7f\x85") == "ab\tc\nd"
    assert len(fit("a" * 300 + ".xlsx", 255, keep_suffix=True)) == 255
    assert fit("a" * 300 + ".xlsx", 255, keep_suffix=True).endswith("….xlsx")


def test_a_control_character_breaks_no_workbook_and_no_brief() -> None:
    frame = pd.DataFrame({"file": ["bao\x07cao.xlsx"], "value": [1.0]})
    book = load_workbook(io.BytesIO(to_xlsx_bytes(frame, title="t", source="Nguồn: x\x0b.xlsx")))
    assert book.active.cell(row=2, column=1).value == "Nguồn: x.xlsx"
    load_workbook(io.BytesIO(workbook_bytes([{"title": "t\x01", "data": frame, "source": "s\x02"}])))
    doc = Document()
    para(doc, "bao\x07cao.xlsx (#1)")
    assert doc.paragraphs[-1].text == "baocao.xlsx (#1)"


def test_long_and_control_names_reach_the_database_and_the_audit_export(engine) -> None:
    """A 300-character file name, a 200-character sign-in name and control characters: stored cut to their
    columns (PostgreSQL used to refuse them and crash the page), and the admin's audit export still opens."""
    obs = pd.DataFrame(
        [
            {
                "indicator": "staff_reduced",
                "unit": "VN34-01",
                "period": "2024",
                "sector": "",
                "value": 1.0,
                "sheet": "S" * 150 + "\x07",
                "row": 1,
                "column": "A",
            }
        ]
    )
    ingest_observations(engine, obs, file_name="b" * 300 + "\x07.xlsx", content=b"x", fmt="A", by="u" * 150)
    assert login(engine, "n" * 200 + "\x01", "x").user is None
    with engine.begin() as conn:
        audit(conn, "actor\x00" + "a" * 200, "test", "t\x1f" * 300)
    with engine.connect() as conn:
        name, by = conn.execute(sa.select(uploads.c.file_name, uploads.c.uploaded_by)).one()
        sheet = conn.execute(sa.select(observations.c.sheet)).scalar_one()
    assert len(name) == 255 and name.endswith(".xlsx") and "\x07" not in name and len(by) == 100
    assert len(sheet) <= 100 and "\x07" not in sheet
    log = audit_frame(engine)
    assert log["actor"].str.len().max() <= 100 and not log["actor"].str.contains("[\x00-\x1f]").any()
    load_workbook(io.BytesIO(to_xlsx_bytes(log.assign(at=log["at"].astype(str)), title="audit")))
