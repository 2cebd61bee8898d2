"""The meeting brief: the period's figures written up as an official would write them.

Deterministic: templates and rules, no language model. Every number in the text is a :class:`Fig`, taken
by :func:`pick` from the same view frame the dashboard shows and carrying the key it was read from, so a
test can check each figure against the store. Nothing numeric is typed into a template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis.targets import pick_target
from domain.catalog import Catalog, catalog
from domain.fmt import fmt_delta, fmt_number, fmt_percent, fmt_value
from domain.kpi import DIGITAL_RATES
from domain.periods import Period, parse_period
from domain.rebase import GROUP_UNIT
from store.db import Engine
from store.history import completeness
from store.queries import has_demo, view_frame

BRIEF_INDICATORS = (
    "staff_reduced",
    "staff_reduced_civil_servants",
    "staff_reduced_public_employees",
    "procedures_cut",
    "dossiers_received",
    "dossiers_resolved",
    "dossiers_resolved_late",
    "dossiers_pending_overdue",
    "on_time_rate",
    "late_rate",
    *DIGITAL_RATES,
    "satisfaction_rate",
    "index766",
    "par_index",
    "sipas",
)
#: Late dossiers are "concentrated" when the named sectors together hold more than this share of them.
CONCENTRATION = 0.5
#: A sector is named when it alone holds at least this share of late dossiers (at most three are named).
NAMED_SHARE = 0.10
MAX_NAMED_SECTORS = 3


@dataclass(frozen=True)
class Fig:
    """One number of the brief and the key it came from (unit may be a group: VN, @ministries, @localities)."""

    indicator: str
    unit: str
    period: str
    sector: str
    value: float
    view: str = "as-reported"


@dataclass
class Sentence:
    text: str
    figures: list[Fig] = field(default_factory=list)


@dataclass
class Section:
    title: str
    sentences: list[Sentence] = field(default_factory=list)
    table: pd.DataFrame | None = None


@dataclass
class Brief:
    title: str
    period: str
    scope: str
    scope_label: str
    lang: str
    sections: list[Section]
    is_demo: bool
    #: The headline rate of every province of the period's era (unit, code, name, value) for the national
    #: map; empty for a unit's brief.
    map_values: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def text(self) -> str:
        lines = [self.title, self.scope_label, ""]
        for s in self.sections:
            lines.append(s.title)
            lines += [x.text for x in s.sentences]
            lines.append("")
        return "\n".join(lines)

    @property
    def figures(self) -> list[Fig]:
        return [f for s in self.sections for x in s.sentences for f in x.figures]


W = {
    "vi": {
        "title": "BÁO CÁO TÓM TẮT KẾT QUẢ CẢI CÁCH HÀNH CHÍNH",
        "scope_national": "Phạm vi: toàn quốc",
        "scope_unit": "Phạm vi: {name}",
        "s_staff": "I. CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC",
        "s_tthc": "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
        "s_digital": "III. XÂY DỰNG, PHÁT TRIỂN CHÍNH PHỦ ĐIỆN TỬ, CHÍNH PHỦ SỐ",
        "s_units": "IV. ĐƠN VỊ DẪN ĐẦU VÀ ĐƠN VỊ CÒN HẠN CHẾ",
        "s_reporting": "V. TÌNH HÌNH BÁO CÁO",
        "s_caveats": "LƯU Ý VỀ SỐ LIỆU",
        "staff_split": (
            "Kết quả thực hiện tinh giản biên chế {period}: tổng số là {total} người (trong đó, bộ, "
            "ngành là {ministries} người, địa phương là {localities} người)."
        ),
        "staff_total": "Kết quả thực hiện tinh giản biên chế {period}: tổng số là {total} người.",
        "staff_change": "So với cùng kỳ năm {year} ({prev} người), số biên chế tinh giản {direction} {delta} người.",
        "staff_parts": "Trong đó, công chức {civil} người, viên chức {public} người.",
        "up": "tăng",
        "down": "giảm",
        "same": "không đổi",
        "dossiers": (
            "Tổng số hồ sơ tiếp nhận là {received} hồ sơ; đã giải quyết {resolved} hồ sơ, trong đó "
            "{late} hồ sơ giải quyết quá hạn."
        ),
        "on_time": "Tỷ lệ hồ sơ giải quyết đúng hạn đạt {rate}{change}.",
        "change_pp": " ({delta} so với cùng kỳ năm {year})",
        "late_sectors": (
            "Tình trạng chậm muộn, trễ hẹn trong giải quyết hồ sơ TTHC tập trung chủ yếu vào các "
            "lĩnh vực: {sectors}, chiếm {share} số hồ sơ quá hạn."
        ),
        "late_sectors_spread": "Hồ sơ quá hạn phân tán ở nhiều lĩnh vực; nhiều nhất là {sectors}.",
        "sector_share": "{name} ({share})",
        "overdue": "Số hồ sơ đang giải quyết đã quá hạn là {n} hồ sơ.",
        "target_met": "{name} đạt {value}, đạt chỉ tiêu {op} {target} theo {instrument}.",
        "target_not_met": "{name} đạt {value}, chưa đạt chỉ tiêu {op} {target} theo {instrument}.",
        "no_target": "{name} đạt {value}.",
        "best": "Đơn vị có tỷ lệ giải quyết hồ sơ đúng hạn cao nhất: {units}.",
        "weakest": "Đơn vị có tỷ lệ giải quyết hồ sơ đúng hạn thấp nhất: {units}.",
        "improved": "Đơn vị cải thiện nhiều nhất so với cùng kỳ: {units}.",
        "unit_item": "{name} ({value})",
        "complete": "Đã có {submitted}/{expected} đơn vị gửi báo cáo kỳ này ({rate}).",
        "missing": "Các đơn vị chưa gửi báo cáo: {units}.",
        "missing_many": "Các đơn vị chưa gửi báo cáo: {units} và {more} đơn vị khác.",
        "caveat_demo": "Số liệu trong báo cáo này là dữ liệu minh họa, không phải số liệu báo cáo thật.",
        "caveat_rates": "Các tỷ lệ được tính lại từ số hồ sơ (tử số, mẫu số) của các đơn vị.",
        "caveat_era": (
            "Kỳ báo cáo thuộc giai đoạn {era} tỉnh, thành phố; số liệu theo địa giới hành chính tại thời điểm báo cáo."
        ),
        "caveat_missing": "Số liệu tổng hợp chưa gồm các đơn vị chưa gửi báo cáo.",
        "caveat_compare_provinces": "Kỳ so sánh đã quy đổi về 34 tỉnh theo địa giới hiện nay.",
        "caveat_compare_ministries": "Kỳ so sánh đã quy đổi về 17 bộ, cơ quan theo cơ cấu Chính phủ từ 1/3/2025.",
        "no_data": "Chưa có số liệu cho kỳ này.",
    },
    "en": {
        "title": "SUMMARY REPORT ON ADMINISTRATIVE REFORM RESULTS",
        "scope_national": "Scope: nationwide",
        "scope_unit": "Scope: {name}",
        "s_staff": "I. REFORM OF THE STATE ADMINISTRATIVE APPARATUS",
        "s_tthc": "II. ADMINISTRATIVE PROCEDURE REFORM",
        "s_digital": "III. E-GOVERNMENT AND DIGITAL GOVERNMENT",
        "s_units": "IV. LEADING AND LAGGING UNITS",
        "s_reporting": "V. REPORTING",
        "s_caveats": "NOTES ON THE DATA",
        "staff_split": (
            "Staff reductions, {period}: {total} in all ({ministries} in ministries and {localities} in localities)."
        ),
        "staff_total": "Staff reductions, {period}: {total} in all.",
        "staff_change": "Compared with the same period of {year} ({prev}), reductions {direction} by {delta}.",
        "staff_parts": "Of these, {civil} civil servants and {public} public employees.",
        "up": "rose",
        "down": "fell",
        "same": "were unchanged",
        "dossiers": "{received} dossiers were received and {resolved} resolved, {late} of them late.",
        "on_time": "The on-time resolution rate was {rate}{change}.",
        "change_pp": " ({delta} on the same period of {year})",
        "late_sectors": "Late dossiers are concentrated in {sectors}, which hold {share} of all late dossiers.",
        "late_sectors_spread": "Late dossiers are spread across many sectors; most are in {sectors}.",
        "sector_share": "{name} ({share})",
        "overdue": "{n} pending dossiers are past their due date.",
        "target_met": "{name}: {value}, meeting the target of {op} {target} set by {instrument}.",
        "target_not_met": "{name}: {value}, short of the target of {op} {target} set by {instrument}.",
        "no_target": "{name}: {value}.",
        "best": "Highest on-time rates: {units}.",
        "weakest": "Lowest on-time rates: {units}.",
        "improved": "Most improved on the same period last year: {units}.",
        "unit_item": "{name} ({value})",
        "complete": "{submitted} of {expected} units have reported for this period ({rate}).",
        "missing": "Units that have not reported: {units}.",
        "missing_many": "Units that have not reported: {units} and {more} others.",
        "caveat_demo": "The figures in this brief are demo data, not real reports.",
        "caveat_rates": "Rates are recomputed from the units' dossier counts (numerators and denominators).",
        "caveat_era": "The period belongs to the {era}-province era; figures follow the boundaries of that time.",
        "caveat_missing": "Totals exclude units that have not reported.",
        "caveat_compare_provinces": "The comparison period is re-based to today's 34 provinces.",
        "caveat_compare_ministries": "The comparison period is re-based to the 17 ministries and agencies in place "
        "since 1/3/2025.",
        "no_data": "No figures for this period yet.",
    },
}


@dataclass(frozen=True)
class Figures:
    """The brief's view frame and its figures by key (indicator, unit, period, sector), indexed once.

    A brief reads some forty numbers; finding each by comparing every row's four keys cost more than the
    rest of the brief together."""

    rows: pd.DataFrame
    by_key: dict[tuple[str, str, str, str], float]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Figures:
        keys = zip(frame["indicator"], frame["unit"], frame["period"], frame["sector"], strict=True)
        by_key: dict[tuple[str, str, str, str], float] = {}
        for key, value in zip(keys, frame["value"], strict=True):
            by_key.setdefault((str(key[0]), str(key[1]), str(key[2]), str(key[3])), value)  # the first row wins
        return cls(frame, by_key)


def pick(figs: Figures, indicator: str, unit: str, period: str, sector: str = "") -> Fig | None:
    """The one way a number enters the brief: read from the view frame, with its key."""
    value = figs.by_key.get((indicator, unit, period, sector))
    if value is None or pd.isna(value):
        return None
    return Fig(indicator, unit, period, sector, float(value))


def _n(f: Fig, lang: str) -> str:
    return fmt_number(f.value, 0, lang)


def _p(f: Fig, lang: str) -> str:
    return fmt_percent(f.value, 1, lang)


def _sector_name(cat: Catalog, sector: str, lang: str, first: bool) -> str:
    """Sector names are common nouns: only the first of a Vietnamese list keeps its capital."""
    name = cat.sectors[sector].name(lang) if sector in cat.sectors else sector
    return name if first or lang == "en" else name.lower()


def brief_frame(engine: Engine, period: str) -> pd.DataFrame:
    """The figures a brief for ``period`` reads: its indicators for the period and the same period a year
    earlier, as reported; last year's figures of another era re-based onto the units of the period (said in
    the caveats)."""
    p = parse_period(period)
    return view_frame(engine, BRIEF_INDICATORS, [period, p.last_year().code], onto=p.end)


def build_brief(
    engine: Engine, period: str, scope: str = "national", lang: str = "vi", cat: Catalog | None = None
) -> Brief:
    """The brief for ``period`` and ``scope`` ('national' or a unit id), read from the store."""
    cat = cat or catalog()
    return write_brief(
        brief_frame(engine, period), completeness(engine, period, cat), has_demo(engine), period, scope, lang, cat
    )


def write_brief(
    frame: pd.DataFrame,
    board: pd.DataFrame,
    demo: bool,
    period: str,
    scope: str = "national",
    lang: str = "vi",
    cat: Catalog | None = None,
) -> Brief:
    """The brief from what :func:`build_brief` reads: :func:`brief_frame`, the period's reporting board
    (:func:`store.history.completeness`) and whether demo figures are stored. No database: a cache can
    hold the inputs (shared by every scope and language of a period) and write each brief from them."""
    cat = cat or catalog()
    w = W["en" if lang == "en" else "vi"]
    p = parse_period(period)
    prev = p.last_year()
    me = "VN" if scope == "national" else scope
    figs = Figures.of(frame)
    sections = [
        _staff(figs, me, p, prev, w, lang, scope),
        _tthc(figs, me, p, prev, w, lang, cat),
        _digital(figs, me, p, w, lang, cat),
    ]
    if scope == "national":
        sections.append(_units(figs, p, prev, w, lang, cat))
        sections.append(_reporting(board, w, lang))
    sections.append(_caveats(p, w, demo, prev))
    sections = [s for s in sections if s.sentences]
    label = w["scope_national"] if scope == "national" else w["scope_unit"].format(name=cat.units[scope].name_vi)
    title = f"{w['title']} {p.label(lang).upper()}"
    return Brief(title, period, scope, label, lang, sections, demo, _map_values(figs, p, cat, scope))


#: The rate the brief's national map colours the provinces by.
MAP_INDICATOR = "on_time_rate"


def _map_values(frame: Figures, p: Period, cat: Catalog, scope: str) -> pd.DataFrame:
    """Each province's headline rate for the national map (codes as the GeoJSON's feature ids)."""
    if scope != "national":
        return pd.DataFrame(columns=["unit", "code", "name", "value"])
    rows = frame.rows[
        (frame.rows["indicator"] == MAP_INDICATOR) & (frame.rows["period"] == p.code) & (frame.rows["sector"] == "")
    ]
    provinces = {u.id: u for u in cat.provinces(p.province_era)}
    rows = rows[rows["unit"].isin(list(provinces))]
    return pd.DataFrame({
        "unit": rows["unit"].tolist(),
        "code": [provinces[u].code for u in rows["unit"]],
        "name": [provinces[u].label for u in rows["unit"]],
        "value": rows["value"].astype(float).tolist(),
    })  # fmt: skip


def _staff(frame: Figures, me: str, p: Period, prev: Period, w: dict[str, str], lang: str, scope: str) -> Section:
    sec = Section(w["s_staff"])
    total = pick(frame, "staff_reduced", me, p.code)
    if total is None:
        return sec
    ministries = pick(frame, "staff_reduced", GROUP_UNIT["ministries"], p.code)
    localities = pick(frame, "staff_reduced", GROUP_UNIT["localities"], p.code)
    if scope == "national" and ministries and localities:
        sec.sentences.append(
            Sentence(
                w["staff_split"].format(
                    period=p.label(lang).lower() if lang == "vi" else p.label(lang),
                    total=_n(total, lang),
                    ministries=_n(ministries, lang),
                    localities=_n(localities, lang),
                ),
                [total, ministries, localities],
            )
        )
    else:
        sec.sentences.append(
            Sentence(
                w["staff_total"].format(
                    period=p.label(lang).lower() if lang == "vi" else p.label(lang), total=_n(total, lang)
                ),
                [total],
            )
        )
    civil = pick(frame, "staff_reduced_civil_servants", me, p.code)
    public = pick(frame, "staff_reduced_public_employees", me, p.code)
    if civil and public:
        sec.sentences.append(
            Sentence(w["staff_parts"].format(civil=_n(civil, lang), public=_n(public, lang)), [civil, public])
        )
    before = pick(frame, "staff_reduced", me, prev.code)
    if before is not None:
        delta = total.value - before.value
        direction = w["up"] if delta > 0 else (w["down"] if delta < 0 else w["same"])
        sec.sentences.append(
            Sentence(
                w["staff_change"].format(
                    year=prev.year, prev=_n(before, lang), direction=direction, delta=fmt_number(abs(delta), 0, lang)
                ),
                [before, total],
            )
        )
    return sec


def _tthc(frame: Figures, me: str, p: Period, prev: Period, w: dict[str, str], lang: str, cat: Catalog) -> Section:
    sec = Section(w["s_tthc"])
    received = pick(frame, "dossiers_received", me, p.code)
    resolved = pick(frame, "dossiers_resolved", me, p.code)
    late = pick(frame, "dossiers_resolved_late", me, p.code)
    if received and resolved and late:
        sec.sentences.append(
            Sentence(
                w["dossiers"].format(received=_n(received, lang), resolved=_n(resolved, lang), late=_n(late, lang)),
                [received, resolved, late],
            )
        )
    rate = pick(frame, "on_time_rate", me, p.code)
    if rate:
        before = pick(frame, "on_time_rate", me, prev.code)
        change = ""
        figs = [rate]
        if before:
            delta = fmt_delta(rate.value - before.value, cat.indicators["on_time_rate"], lang)
            change = w["change_pp"].format(delta=delta, year=prev.year)
            figs.append(before)
        sec.sentences.append(Sentence(w["on_time"].format(rate=_p(rate, lang), change=change), figs))
    if late and late.value > 0:
        sentence = _late_sectors(frame, me, p, late, w, lang, cat)
        if sentence:
            sec.sentences.append(sentence)
    overdue = pick(frame, "dossiers_pending_overdue", me, p.code)
    if overdue:
        sec.sentences.append(Sentence(w["overdue"].format(n=_n(overdue, lang)), [overdue]))
    return sec


def _late_sectors(
    frame: Figures, me: str, p: Period, total: Fig, w: dict[str, str], lang: str, cat: Catalog
) -> Sentence | None:
    """Name the sectors that each hold a large share of late dossiers (≥ 10%, at most three), with shares.

    When they hold most late dossiers together the text says late dossiers concentrate there (as the
    committee's reports do); otherwise it says late dossiers are spread and names the largest.
    """
    rows = frame.rows[
        (frame.rows["indicator"] == "dossiers_resolved_late")
        & (frame.rows["unit"] == me)
        & (frame.rows["period"] == p.code)
        & (frame.rows["sector"] != "")
    ].sort_values("value", ascending=False)
    if rows.empty:
        return None
    figs: list[Fig] = []
    share = 0.0
    for sector in rows["sector"]:
        f = pick(frame, "dossiers_resolved_late", me, p.code, sector)
        if f is None:
            continue
        if figs and f.value / total.value < NAMED_SHARE:
            break
        figs.append(f)
        share += f.value / total.value
        if len(figs) == MAX_NAMED_SECTORS:
            break
    names = [
        w["sector_share"].format(
            name=_sector_name(cat, f.sector, lang, i == 0), share=fmt_percent(100 * f.value / total.value, 1, lang)
        )
        for i, f in enumerate(figs)
    ]
    joined = ", ".join(names)
    key = "late_sectors" if share > CONCENTRATION else "late_sectors_spread"
    return Sentence(w[key].format(sectors=joined, share=fmt_percent(100 * share, 1, lang)), [*figs, total])


DIGITAL = (
    *DIGITAL_RATES,
    "satisfaction_rate",
)


def _digital(frame: Figures, me: str, p: Period, w: dict[str, str], lang: str, cat: Catalog) -> Section:
    sec = Section(w["s_digital"])
    for indicator in DIGITAL:
        f = pick(frame, indicator, me, p.code)
        if f is None:
            continue
        ind = cat.indicators[indicator]
        tg = pick_target(cat, indicator, p.year)  # the cards' rule, so the brief never names another target
        name = ind.name(lang)
        value = fmt_value(f.value, ind, lang)
        if tg is None:
            sec.sentences.append(Sentence(w["no_target"].format(name=name, value=value), [f]))
            continue
        key = "target_met" if tg.met(f.value) else "target_not_met"
        sec.sentences.append(
            Sentence(
                w[key].format(
                    name=name,
                    value=value,
                    op="≥" if tg.op == ">=" else "≤",
                    target=fmt_percent(tg.value, 0, lang),
                    instrument=tg.instrument,
                ),
                [f],
            )
        )
    return sec


def _ranked(frame: Figures, indicator: str, period: str, units: Sequence[str]) -> pd.DataFrame:
    rows = frame.rows[
        (frame.rows["indicator"] == indicator)
        & (frame.rows["period"] == period)
        & (frame.rows["sector"] == "")
        & frame.rows["unit"].isin(list(units))
    ]
    return rows.sort_values(["value", "unit"], ascending=[False, True])


def _units(frame: Figures, p: Period, prev: Period, w: dict[str, str], lang: str, cat: Catalog) -> Section:
    sec = Section(w["s_units"])
    provinces = [u.id for u in cat.provinces(p.province_era)]
    ranked = _ranked(frame, "on_time_rate", p.code, provinces)
    if ranked.empty:
        return sec

    def items(units: Sequence[str], period: str) -> tuple[str, list[Fig]]:
        figs = [f for f in (pick(frame, "on_time_rate", u, period) for u in units) if f]
        text = ", ".join(w["unit_item"].format(name=cat.units[f.unit].name_vi, value=_p(f, lang)) for f in figs)
        return text, figs

    text, figs = items(ranked["unit"].head(3).tolist(), p.code)
    sec.sentences.append(Sentence(w["best"].format(units=text), figs))
    text, figs = items(ranked["unit"].tail(3).tolist()[::-1], p.code)
    sec.sentences.append(Sentence(w["weakest"].format(units=text), figs))
    before = _ranked(frame, "on_time_rate", prev.code, provinces).set_index("unit")["value"]
    now = ranked.set_index("unit")["value"]
    gain = (now - before).dropna().sort_values(ascending=False)
    if not gain.empty:
        figs = []
        parts = []
        for unit in gain.index[:3]:
            a, b = pick(frame, "on_time_rate", unit, prev.code), pick(frame, "on_time_rate", unit, p.code)
            if a and b:
                figs += [a, b]
                gain_text = fmt_delta(b.value - a.value, cat.indicators["on_time_rate"], lang)
                parts.append(w["unit_item"].format(name=cat.units[unit].name_vi, value=gain_text))
        if parts:
            sec.sentences.append(Sentence(w["improved"].format(units=", ".join(parts)), figs))
    return sec


def _reporting(board: pd.DataFrame, w: dict[str, str], lang: str) -> Section:
    sec = Section(w["s_reporting"])
    missing = board[board["status"] == "missing"]
    submitted = len(board) - len(missing)
    sec.sentences.append(
        Sentence(
            w["complete"].format(
                submitted=fmt_number(submitted, 0, lang),
                expected=fmt_number(len(board), 0, lang),
                rate=fmt_percent(100 * submitted / len(board), 1, lang),
            )
        )
    )
    if not missing.empty:
        names = missing["name"].tolist()
        if len(names) <= 10:
            sec.sentences.append(Sentence(w["missing"].format(units=", ".join(names))))
        else:
            sec.sentences.append(
                Sentence(
                    w["missing_many"].format(units=", ".join(names[:10]), more=fmt_number(len(names) - 10, 0, lang))
                )
            )
    return sec


def _caveats(p: Period, w: dict[str, str], demo: bool, prev: Period | None = None) -> Section:
    sec = Section(w["s_caveats"])
    if demo:
        sec.sentences.append(Sentence(w["caveat_demo"]))
    sec.sentences.append(Sentence(w["caveat_rates"]))
    sec.sentences.append(Sentence(w["caveat_era"].format(era=p.province_era)))
    if prev is not None and prev.province_era != p.province_era:
        sec.sentences.append(Sentence(w["caveat_compare_provinces"]))
    if prev is not None and prev.ministry_era != p.ministry_era:
        sec.sentences.append(Sentence(w["caveat_compare_ministries"]))
    sec.sentences.append(Sentence(w["caveat_missing"]))
    return sec
