"""Frames laid out for people: column names in the reader's language, names instead of ids, formatted numbers.

Pure pandas (no Streamlit): the pages show these with ``st.dataframe`` and exports reuse them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import pandas as pd

from domain.catalog import Catalog, Indicator
from domain.errors import ReportError
from domain.fmt import fmt_date, fmt_delta, fmt_number, fmt_percent, fmt_value
from domain.i18n import t
from domain.periods import parse_period


def unit_name(cat: Catalog, unit: str) -> str:
    u = cat.units.get(unit)
    return u.name_vi if u else unit


def sector_name(cat: Catalog, sector: str) -> str:
    s = cat.sectors.get(sector)
    return s.name_vi if s else (sector or "–")


def indicator_name(cat: Catalog, indicator: str, lang: str) -> str:
    i = cat.indicators.get(indicator)
    return i.name(lang) if i else indicator


def errors_table(errors: Sequence[ReportError], lang: str) -> pd.DataFrame:
    """Where and what, as the upload page and the annotated workbook say it."""
    return pd.DataFrame(
        {
            t("col_sheet", lang): [e.sheet or "" for e in errors],
            t("col_row", lang): [str(e.row) if e.row is not None else "" for e in errors],
            t("col_column", lang): [e.column or "" for e in errors],
            t("col_message", lang): [e.message(lang) for e in errors],
        }
    )


def indicator_value(cat: Catalog, indicator: str, value: Any, lang: str) -> str:
    """A cell's figure formatted as its indicator's (an unknown indicator: a whole number)."""
    ind = cat.indicators.get(indicator)
    number = _number(value)
    return fmt_value(number, ind, lang) if ind is not None else fmt_number(number, 0, lang)


def observations_table(obs: pd.DataFrame, cat: Catalog, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("col_indicator", lang): [indicator_name(cat, i, lang) for i in obs["indicator"]],
            t("wf_col_unit", lang): [unit_name(cat, u) for u in obs["unit"]],
            t("col_period", lang): obs["period"].tolist(),
            t("col_sector", lang): [sector_name(cat, s) for s in obs["sector"]],
            t("col_value", lang): [
                indicator_value(cat, i, v, lang) for i, v in zip(obs["indicator"], obs["value"], strict=True)
            ],
            t("col_sheet", lang): obs["sheet"].fillna("").tolist() if "sheet" in obs else "",
            t("col_row", lang): [str(r) if pd.notna(r) else "" for r in obs["row"]] if "row" in obs else "",
        }
    )


def changes_table(changes: pd.DataFrame, cat: Catalog, lang: str) -> pd.DataFrame:
    def fmt(ind: str, v: float) -> str:
        return indicator_value(cat, ind, v, lang)

    return pd.DataFrame(
        {
            t("col_indicator", lang): [indicator_name(cat, i, lang) for i in changes["indicator"]],
            t("wf_col_unit", lang): [unit_name(cat, u) for u in changes["unit"]],
            t("col_period", lang): changes["period"].tolist(),
            t("col_sector", lang): [sector_name(cat, s) for s in changes["sector"]],
            t("col_old_value", lang): [
                fmt(i, v) for i, v in zip(changes["indicator"], changes["old_value"], strict=True)
            ],
            t("col_new_value", lang): [
                fmt(i, v) for i, v in zip(changes["indicator"], changes["new_value"], strict=True)
            ],
            t("wf_col_change", lang): [t(f"change_{c}", lang) for c in changes["change"]],
        }
    )


def uploads_table(uploads: pd.DataFrame, lang: str, cat: Catalog | None = None) -> pd.DataFrame:
    """The history's table: names instead of unit ids, shapes and statuses in words."""

    def units(text: str) -> str:
        ids = [x for x in str(text).split(",") if x]
        return _short_list(",".join(cat.units[u].label if cat and u in cat.units else u for u in ids))

    def shape(fmt: str) -> str:
        return t(f"format_{fmt}", lang) if fmt in ("demo", "published") else t("format_shape", lang, shape=fmt)

    return pd.DataFrame(
        {
            "#": uploads["id"].astype(int).tolist(),
            t("col_at", lang): [fmt_date(pd.Timestamp(x).to_pydatetime(), lang) for x in uploads["uploaded_at"]],
            t("col_by", lang): uploads["uploaded_by"].tolist(),
            t("col_file", lang): uploads["file_name"].tolist(),
            t("col_format", lang): [shape(f) for f in uploads["format"]],
            t("upload_units", lang): [units(u) for u in uploads["units"]],
            t("upload_periods", lang): uploads["periods"].tolist(),
            t("col_observations", lang): uploads["n_observations"].astype(int).tolist(),
            t("col_status", lang): [t(f"status_{s}", lang) for s in uploads["status"]],
        }
    )


def _short_list(text: str, n: int = 4) -> str:
    items = [x for x in str(text).split(",") if x]
    return ", ".join(items[:n]) + (f" … (+{len(items) - n})" if len(items) > n else "")


class ColumnLike(Protocol):
    """One line of a loader's column map (``loaders.columns.ColumnReport`` satisfies it)."""

    @property
    def sheet(self) -> str | None: ...
    @property
    def column(self) -> str: ...
    @property
    def header(self) -> str: ...
    @property
    def meaning(self) -> str | None: ...
    @property
    def how(self) -> str | None: ...
    @property
    def score(self) -> float: ...
    @property
    def numbers(self) -> int: ...


def column_meaning(cat: Catalog, meaning: str | None, lang: str) -> str:
    """What a column was read as, in words: an indicator's name, a role, "not data" or "not read"."""
    if meaning is None:
        return t("meaning_unread", lang)
    if meaning == "ignore":
        return t("meaning_ignore", lang)
    if meaning.startswith("@"):
        label = t(f"column_role_{meaning[1:]}", lang)
        return meaning[1:] if label == f"column_role_{meaning[1:]}" else label
    return indicator_name(cat, meaning, lang)


def columns_table(columns: Sequence[ColumnLike], cat: Catalog, lang: str) -> pd.DataFrame:
    """The upload preview's column map: letter, header as written, reading, how it was found, certainty."""
    return pd.DataFrame(
        {
            t("col_sheet", lang): [c.sheet or "" for c in columns],
            t("col_column", lang): [c.column for c in columns],
            t("col_header", lang): [c.header for c in columns],
            t("col_meaning", lang): [column_meaning(cat, c.meaning, lang) for c in columns],
            t("col_how", lang): [t(f"how_{c.how}", lang) if c.how else "" for c in columns],
            t("col_score", lang): [fmt_percent(c.score, 0, lang) if c.meaning else "" for c in columns],
            t("col_numbers", lang): [fmt_number(c.numbers, 0, lang) for c in columns],
        }
    )


def _scope_label(cat: Catalog, scope: str, lang: str) -> str:
    if scope == "*":
        return t("scope_everyone", lang)
    if scope.startswith("user:"):
        return t("scope_user", lang, name=scope.removeprefix("user:"))
    return unit_name(cat, scope)


def mappings_table(frame: pd.DataFrame, cat: Catalog, lang: str) -> pd.DataFrame:
    """Learned column mappings for the admin page: header as written, meaning, scope, who and when."""
    return pd.DataFrame(
        {
            "#": frame["id"].astype(int).tolist(),
            t("col_header", lang): frame["header"].tolist(),
            t("col_meaning", lang): [
                column_meaning(cat, "ignore" if x == "@ignore" else x, lang) for x in frame["target"]
            ],
            t("col_scope", lang): [_scope_label(cat, s, lang) for s in frame["scope"]],
            t("col_created", lang): [
                f"{b} · {fmt_date(pd.Timestamp(a).to_pydatetime(), lang)}"
                for b, a in zip(frame["created_by"], frame["created_at"], strict=True)
            ],
        }
    )


def _number(value: Any) -> float | None:
    """A frame cell as a float, or None when missing (NaN, NA)."""
    return None if pd.isna(value) else float(value)


def _cell(value: Any, ind: Indicator, lang: str) -> str:
    return fmt_value(_number(value), ind, lang)


def _delta_cell(value: Any, ind: Indicator, lang: str) -> str:
    return fmt_delta(_number(value), ind, lang)


def ranking_table(table: pd.DataFrame, ind: Indicator, period_label: str, base_label: str, lang: str) -> pd.DataFrame:
    """A :func:`analysis.frames.change_table` (with names) as shown: rank, unit, both periods and the change."""
    return pd.DataFrame(
        {
            t("col_rank", lang): table["rank"],
            t("col_unit", lang): table["name"],
            period_label: [_cell(v, ind, lang) for v in table["value"]],
            base_label: [_cell(v, ind, lang) for v in table["base_value"]],
            t("col_change", lang): [_delta_cell(v, ind, lang) for v in table["change"]],
        }
    )


def indicator_columns(wide: pd.DataFrame, cat: Catalog, names: dict[str, str], lang: str) -> pd.DataFrame:
    """A unit × indicator table as shown: the unit's name, then each indicator by name, formatted in its unit."""
    shown = pd.DataFrame({t("col_unit", lang): [names.get(u, u) for u in wide.index]})
    for col in wide.columns:
        i = cat.indicator(col)
        shown[i.name(lang)] = [_cell(v, i, lang) for v in wide[col]]
    return shown


def profile_table(profile: pd.DataFrame, cat: Catalog, lang: str, area_label: str) -> pd.DataFrame:
    """A unit's :func:`analysis.profile.unit_profile` as shown: indicator, value, rank of n, the area's and the
    nation's value, the target and whether it is met."""
    # No-break spaces: a narrow column breaks "≥ 80,0%" or "✖ Chưa đạt" only between words of the status.
    marks = {
        "met": "✔\u00a0" + t("profile_met", lang),
        "not_met": "✖\u00a0" + t("profile_not_met", lang),
        "no_target": "",
    }
    rows = []
    for r in profile.itertuples():
        ind = cat.indicator(str(r.indicator))
        goal, place, among = _number(r.target_value), _number(r.rank), _number(r.n)
        target = "" if goal is None else f"{'≥' if r.target_op == '>=' else '≤'}\u00a0{fmt_value(goal, ind, lang)}"
        rank = "" if place is None or among is None else f"{int(place)}/{int(among)}"
        rows.append({
            t("indicator", lang): ind.name(lang),
            t("profile_value", lang): _cell(r.value, ind, lang),
            t("col_rank", lang): rank,
            area_label: _cell(r.region_value, ind, lang),
            t("group_national", lang): _cell(r.national_value, ind, lang),
            t("target_short", lang): target,
            t("profile_status", lang): marks.get(str(r.status), ""),
        })  # fmt: skip
    return pd.DataFrame(rows)


def record_table(record: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A unit's :func:`analysis.profile.reporting_record` as shown: period, status, first upload, deadline,
    uploads and revisions ("–" where nothing was sent)."""

    def when(value: Any) -> str:
        if value is None or pd.isna(value):
            return "–"
        return fmt_date(value.to_pydatetime() if isinstance(value, pd.Timestamp) else value, lang)

    rows = []
    for r in record.to_dict("records"):
        sent = int(r["uploads"]) > 0
        rows.append({
            t("col_period", lang): parse_period(str(r["period"])).label(lang),
            t("col_status", lang): t(f"status_{r['status']}", lang) if r["status"] else "–",
            t("col_first_upload", lang): when(r["first_at"]),
            t("col_deadline", lang): when(r["deadline"]),
            t("col_uploads", lang): fmt_number(int(r["uploads"]), 0, lang) if sent else "–",
            t("col_revisions", lang): fmt_number(int(r["revisions"]), 0, lang) if sent else "–",
        })  # fmt: skip
    return pd.DataFrame(rows)


def profile_url(unit: str, period: str = "") -> str:
    """The link to a unit's profile, relative (so it holds behind a path prefix): 'profile?unit=VN34-86…'."""
    return f"profile?unit={unit}" + (f"&period={period}" if period else "")


def with_profile_links(shown: pd.DataFrame, units: Sequence[str], period: str, column: str) -> pd.DataFrame:
    """A shown table whose rows are ``units`` (in order) with ``column`` holding each row's profile link."""
    return shown.assign(**{column: [profile_url(str(u), period) for u in units]})
