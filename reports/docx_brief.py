"""The brief as a Word document laid out as an official brief, and its static chart images.

Charts are rendered offline by Plotly's kaleido driving the system Chromium (no download). The text font
is DejaVu Sans (Debian's fonts-dejavu-core), which has every Vietnamese letter; it is named for Latin and
East-Asian runs alike so Word does not substitute a font without Vietnamese glyphs.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from charts.figures import choropleth
from charts.geo import STATIC_DIR, province_geojson
from charts.overview import staff_split
from charts.style import BAD, base_layout
from domain.catalog import Catalog, catalog
from domain.fmt import fmt_date, fmt_number, fmt_value
from domain.i18n import t
from domain.periods import parse_period
from domain.plain import strip_controls
from domain.rebase import GROUP_UNIT, LOCALITIES, MINISTRIES, NATIONAL
from reports.brief import MAP_INDICATOR, Brief, Fig
from reports.browser import CHROMIUM

FONT = "DejaVu Sans"
#: The empty world topology Plotly's maps need, read from the app's static folder: images stay offline.
TOPOJSON = STATIC_DIR.as_uri() + "/"


def fig_png(fig: go.Figure, width: int = 720, height: int = 340) -> bytes | None:
    """PNG of a figure through kaleido and the system Chromium; None where no browser is installed."""
    if "BROWSER_PATH" not in os.environ:
        browser = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
        if browser is None:
            return None
        os.environ["BROWSER_PATH"] = browser
    pio.defaults.topojson = TOPOJSON  # a map's base layer from static/, never from a CDN
    return bytes(fig.to_image(format="png", width=width, height=height, scale=2))


def brief_charts(brief: Brief, cat: Catalog | None = None) -> list[tuple[str, go.Figure]]:
    """The brief's charts, built only from the figures its sentences cite."""
    cat = cat or catalog()
    lang = brief.lang
    out: list[tuple[str, go.Figure]] = []
    figs = brief.figures
    staff = {f.unit: f.value for f in figs if f.indicator == "staff_reduced" and f.period == brief.period}
    if MINISTRIES in staff and LOCALITIES in staff:
        labels = {
            "ministries": "Bộ, ngành" if lang == "vi" else "Ministries",
            "localities": "Địa phương" if lang == "vi" else "Localities",
        }
        values = {"ministries": staff[MINISTRIES], "localities": staff[LOCALITIES], "national": staff.get(NATIONAL)}
        title = "Số biên chế tinh giản" if lang == "vi" else "Staff positions reduced"
        unit = "người" if lang == "vi" else "people"
        out.append((title, staff_split({k: v for k, v in values.items() if v is not None}, title, labels, unit, lang)))
    late = [f for f in figs if f.indicator == "dossiers_resolved_late" and f.sector and f.period == brief.period]
    if late:
        out.append(_late_chart(late, cat, lang))
    if not brief.map_values.empty:
        out.append(brief_map(brief, cat))
    return out


#: The national map's image: square, so the mainland and both archipelagos' frames keep their room.
MAP_PX = 720
MAP_CM = 14.0


def brief_map(brief: Brief, cat: Catalog) -> tuple[str, go.Figure]:
    """The national choropleth of the headline rate (:data:`reports.brief.MAP_INDICATOR`), the dashboard's own
    map figure: Hoàng Sa and Trường Sa drawn, named and coloured with their province's value."""
    ind = cat.indicator(MAP_INDICATOR)
    lang = brief.lang
    era = parse_period(brief.period).province_era
    title = t("map_title", lang, name=ind.name(lang), period=parse_period(brief.period).label(lang))
    fig = choropleth(
        brief.map_values,
        province_geojson(era),
        title=title,
        indicator=ind,
        lang=lang,
    )
    return title, fig


def _late_chart(late: list[Fig], cat: Catalog, lang: str) -> tuple[str, go.Figure]:
    title = "Hồ sơ giải quyết quá hạn theo lĩnh vực" if lang == "vi" else "Late dossiers by sector"
    names = [cat.sectors[f.sector].name(lang) for f in late]
    fig = go.Figure(
        go.Bar(
            x=[f.value for f in late],
            y=names,
            orientation="h",
            marker_color=BAD,
            text=[fmt_number(f.value, 0, lang) for f in late],
            textposition="outside",
            cliponaxis=False,
        )
    )
    base_layout(fig, title, lang, height=300)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="hồ sơ" if lang == "vi" else "dossiers", tickformat=",.0f")
    fig.update_layout(margin={"l": 10, "r": 70, "t": 60, "b": 10}, showlegend=False)
    return title, fig


def _font(run_or_style: object, size: float | None = None, bold: bool | None = None) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = FONT
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    element = run_or_style.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def para(
    doc: DocxDocument,
    text: str,
    size: float = 12,
    bold: bool = False,
    center: bool = False,
    italic: bool = False,
    space: float = 6,
) -> None:
    p = doc.add_paragraph()
    run = p.add_run(strip_controls(text))  # a file name may carry one; Word's XML refuses it
    _font(run, size, bold)
    run.italic = italic
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(space)


def _figures_table(doc: DocxDocument, brief: Brief, cat: Catalog) -> None:
    """A table of the key figures: indicator, who, period, value; every row is a figure the text cites."""
    lang = brief.lang
    seen = set()
    rows = []
    for f in brief.figures:
        key = (f.indicator, f.unit, f.period, f.sector)
        if key in seen or f.sector or f.unit not in (*GROUP_UNIT.values(), brief.scope):
            continue
        seen.add(key)
        ind = cat.indicators[f.indicator]
        who = {
            NATIONAL: "Toàn quốc" if lang == "vi" else "Nationwide",
            MINISTRIES: "Bộ, ngành" if lang == "vi" else "Ministries",
            LOCALITIES: "Địa phương" if lang == "vi" else "Localities",
        }.get(f.unit)
        who = who or (cat.units[f.unit].name_vi if f.unit in cat.units else f.unit)
        value = fmt_value(f.value, ind, lang)
        rows.append((ind.name(lang), who, f.period, value))
    if not rows:
        return
    header = ("Chỉ tiêu", "Phạm vi", "Kỳ", "Giá trị") if lang == "vi" else ("Indicator", "Scope", "Period", "Value")
    grid_table(doc, header, rows)


def official_document(
    lang: str, title: str, lines: Sequence[str], is_demo: bool, size: float = 12, margin_cm: float = 2
) -> DocxDocument:
    """A new document headed as an official one: the national motto, the title, the lines under it (scope,
    unit, period) and, for demo data, the demo marking; DejaVu Sans throughout, left margin 3 cm."""
    doc = Document()
    for section in doc.sections:
        section.left_margin, section.right_margin = Cm(3), Cm(margin_cm)
        section.top_margin, section.bottom_margin = Cm(margin_cm), Cm(margin_cm)
    _font(doc.styles["Normal"], size)
    motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" if lang == "vi" else "SOCIALIST REPUBLIC OF VIET NAM"
    para(doc, motto, size, True, True)
    freedom = "Độc lập - Tự do - Hạnh phúc" if lang == "vi" else "Independence - Freedom - Happiness"
    para(doc, freedom, size, True, True)
    para(doc, title, size + 2, True, True)
    for line in lines:
        para(doc, line, size, False, True, italic=True, space=size / 3)
    if is_demo:
        p = doc.add_paragraph()
        run = p.add_run("DỮ LIỆU MINH HỌA / DEMO DATA")
        _font(run, size - 1, True)
        run.font.color.rgb = RGBColor(0xD5, 0x5E, 0x00)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def grid_table(doc: DocxDocument, header: Sequence[str], rows: Sequence[Sequence[str]], size: float = 10) -> None:
    """A bordered table with a bold header row; every cell in the document's font."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(strip_controls(str(text))), size, True)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(strip_controls(str(text))), size)


def brief_docx(
    brief: Brief, sources: pd.DataFrame | None = None, with_charts: bool = True, cat: Catalog | None = None
) -> bytes:
    """The brief as .docx bytes: title, period, scope, sections, a table of figures, charts, source notes."""
    cat = cat or catalog()
    lang = brief.lang
    doc = official_document(lang, brief.title, [brief.scope_label], brief.is_demo)
    for part in brief.sections:
        para(doc, part.title, 12, True)
        for sentence in part.sentences:
            para(doc, sentence.text, 12)
    para(doc, "SỐ LIỆU CHÍNH" if lang == "vi" else "KEY FIGURES", 12, True)
    _figures_table(doc, brief, cat)
    if with_charts:
        for title, fig in brief_charts(brief, cat):
            is_map = any(isinstance(trace, go.Choropleth) for trace in fig.data)
            png = fig_png(fig, MAP_PX, MAP_PX) if is_map else fig_png(fig)
            if png is None:
                para(doc, f"[{title}: không vẽ được biểu đồ vì máy chủ không có trình duyệt Chromium]", 10, italic=True)
                continue
            doc.add_picture(io.BytesIO(png), width=Cm(MAP_CM if is_map else 16))
            if is_map:
                era = parse_period(brief.period).province_era
                para(doc, t("map_note", lang, era=era), 9, italic=True)
    if sources is not None and not sources.empty:
        para(doc, "NGUỒN SỐ LIỆU" if lang == "vi" else "SOURCES", 12, True)
        for r in sources.itertuples():
            when = fmt_date(pd.Timestamp(str(r.uploaded_at)).to_pydatetime(), lang)
            para(doc, f"{r.file_name} (#{r.id}), {r.uploaded_by}, {when}", 10)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
