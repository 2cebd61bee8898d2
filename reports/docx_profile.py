"""The phiếu đơn vị as a Word document laid out like the brief, meant to print on one A4 page.

National motto, title, unit and period, the demo marking; the page's key-figures table (value, rank, region,
nation, target, met); strongest and weakest indicators; the trend charts as images rendered offline
(:func:`reports.docx_brief.fig_png`); the reporting record; notes and sources.
"""

from __future__ import annotations

import io

import pandas as pd
from docx.shared import Cm

from domain.fmt import fmt_date
from domain.i18n import t
from reports.docx_brief import fig_png, grid_table, official_document, para
from reports.unit_sheet import UnitSheet

#: The trend images side by side, each this wide and tall (so the sheet holds on one A4 page).
CHART_CM = (8.2, 5.0)
CHART_PX = (560, 340)


def unit_sheet_docx(sheet: UnitSheet, with_charts: bool = True) -> bytes:
    """The phiếu as .docx bytes."""
    lg = sheet.lang
    lines = [t("sheet_unit", lg, name=sheet.name), t("sheet_period", lg, period=sheet.period_label)]
    doc = official_document(lg, sheet.title, lines, sheet.is_demo, size=11, margin_cm=1.5)
    if sheet.predecessors:
        para(doc, sheet.predecessors, 9, italic=True, space=2)
    para(doc, t("sheet_key_figures", lg), 11, True, space=3)
    if sheet.table.empty:
        para(doc, t("no_data", lg), 10)
    else:
        grid_table(doc, list(sheet.table.columns), sheet.table.astype(str).values.tolist(), size=8)
    none = t("profile_none", lg)
    para(doc, f"{t('profile_strongest', lg)}: {', '.join(sheet.strongest) or none}", 10, space=0)
    para(doc, f"{t('profile_weakest', lg)}: {', '.join(sheet.weakest) or none}", 10, space=4)
    if with_charts and sheet.trends:
        row = doc.add_table(rows=1, cols=len(sheet.trends)).rows[0].cells
        for cell, (title, fig) in zip(row, sheet.trends, strict=True):
            png = fig_png(fig, *CHART_PX)
            if png is None:
                cell.text = t("sheet_no_chart", lg, title=title)
                continue
            cell.paragraphs[0].add_run().add_picture(io.BytesIO(png), width=Cm(CHART_CM[0]), height=Cm(CHART_CM[1]))
    para(doc, t("profile_record_title", lg), 11, True, space=3)
    grid_table(doc, list(sheet.record.columns), sheet.record.astype(str).values.tolist(), size=8)
    para(doc, t("sheet_notes", lg), 10, True, space=2)
    for note in sheet.notes:
        para(doc, f"– {note}", 8, italic=True, space=1)
    if sheet.sources is not None and not sheet.sources.empty:
        para(doc, t("sheet_sources", lg), 10, True, space=2)
        for r in sheet.sources.itertuples():
            when = fmt_date(pd.Timestamp(str(r.uploaded_at)).to_pydatetime(), lg)
            para(doc, f"{r.file_name} (#{r.id}), {r.uploaded_by}, {when}", 8, space=1)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
