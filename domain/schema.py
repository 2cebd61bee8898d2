"""The one schema every loader's output (and the demo) passes before anything is stored.

An observation frame has one row per (indicator, unit, period, sector) with a float value; ``sector`` is
``""`` where the figure is not per sector (an empty string, not NULL, so keys compare equal everywhere).
Provenance (``sheet``, ``row``, ``column``) says where in the original file the figure stood.
All failures are collected at once (``lazy=True``) and turned into :class:`ReportError` records.
"""

from __future__ import annotations

import math

import pandas as pd
import pandera.pandas as pa

from domain.catalog import Catalog
from domain.errors import ReportError
from domain.periods import is_period_code

KEY = ["indicator", "unit", "period", "sector"]


def empty_observations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": pd.Series([], dtype="object"),
            "unit": pd.Series([], dtype="object"),
            "period": pd.Series([], dtype="object"),
            "sector": pd.Series([], dtype="object"),
            "value": pd.Series([], dtype="float64"),
            "sheet": pd.Series([], dtype="object"),
            "row": pd.Series([], dtype="Int64"),
            "column": pd.Series([], dtype="object"),
        }
    )


def observation_schema(cat: Catalog) -> pa.DataFrameSchema:
    counts = {i.id for i in cat.indicators.values() if i.kind == "count"}
    bounded = {i.id for i in cat.indicators.values() if i.kind in ("rate", "score") and i.unit == "%"}

    def counts_whole(df: pd.DataFrame) -> pd.Series:
        is_count = df["indicator"].isin(counts)
        v = df["value"]
        return ~is_count | ((v >= 0) & (v == v.round()))

    def rates_in_range(df: pd.DataFrame) -> pd.Series:
        is_pct = df["indicator"].isin(bounded)
        v = df["value"]
        return ~is_pct | ((v >= 0) & (v <= 100))

    return pa.DataFrameSchema(
        {
            "indicator": pa.Column(str, pa.Check.isin(sorted(cat.indicators))),
            "unit": pa.Column(str, pa.Check.isin(sorted(cat.units))),
            "period": pa.Column(str, pa.Check(lambda s: s.map(is_period_code), element_wise=False)),
            "sector": pa.Column(str, pa.Check.isin(["", *sorted(cat.sectors)])),
            "value": pa.Column(float, pa.Check(lambda s: s.map(math.isfinite), element_wise=False)),
        },
        checks=[
            pa.Check(counts_whole, name="counts are whole non-negative numbers"),
            pa.Check(rates_in_range, name="percentages lie between 0 and 100"),
        ],
        unique=KEY,
        strict=False,
        coerce=False,
    )


def validate_observations(df: pd.DataFrame, cat: Catalog, file: str | None = None) -> list[ReportError]:
    """Every schema failure as a located error; an empty list means the frame may be stored."""
    try:
        observation_schema(cat).validate(df[[c for c in df.columns]], lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _to_errors(exc.failure_cases, df, file)
    return []


def _to_errors(failures: pd.DataFrame, df: pd.DataFrame, file: str | None) -> list[ReportError]:
    errors: list[ReportError] = []
    for rec in failures.to_dict("records"):
        idx = rec.get("index")
        where: dict[str, object] = {}
        if idx is not None and not (isinstance(idx, float) and math.isnan(idx)) and idx in df.index:
            row = df.loc[idx]
            where = {
                "sheet": row.get("sheet") if isinstance(row.get("sheet"), str) else None,
                "row": int(row["row"]) if "row" in row and pd.notna(row["row"]) else None,
                "column": row.get("column") if isinstance(row.get("column"), str) else None,
            }
        check = str(rec.get("check"))
        col = rec.get("column")
        case = rec.get("failure_case")
        errors.append(
            ReportError(
                message_vi=f"Dữ liệu không hợp lệ ({col}: {case}): {check}",
                message_en=f"Invalid data ({col}: {case}): {check}",
                file=file,
                sheet=where.get("sheet"),  # type: ignore[arg-type]
                row=where.get("row"),  # type: ignore[arg-type]
                column=where.get("column"),  # type: ignore[arg-type]
            )
        )
    return errors
