"""The words under charts and cards: unit names, a target's status in a sentence, the notes a chart needs.

Plain text from the catalogue and the interface strings (no widgets), so the same words appear on every page.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.targets import PROJECTION_YEARS, Assessment
from domain.catalog import Indicator, catalog
from domain.fmt import fmt_value
from domain.i18n import t
from domain.rebase import GROUP_UNIT


def unit_name(unit_id: str, lang: str) -> str:
    """The unit's chart label (:attr:`domain.catalog.Unit.label`); group rows by their translated group name."""
    groups = {unit: f"group_{group}" for group, unit in GROUP_UNIT.items()}
    if unit_id in groups:
        return t(groups[unit_id], lang)
    cat = catalog()
    return cat.units[unit_id].label if unit_id in cat.units else unit_id


def kind_groups(names: pd.DataFrame, lang: str) -> dict[str, str] | None:
    """Name → "Bộ, ngành" / "Địa phương" for a chart's rows (``unit``, ``name``) when they hold both kinds
    (the chart then draws each kind as its own block); None when they hold one kind only."""
    kind_of = {u.id: u.kind for u in catalog().units.values()}
    kinds = names["unit"].map(kind_of)
    if kinds.nunique() < 2:
        return None
    label = {"ministry": t("group_ministries", lang), "province": t("group_localities", lang)}
    ordered = names.assign(_k=kinds).sort_values("_k", key=lambda s: s.map({"ministry": 0, "province": 1}))
    return {str(n): label.get(str(k), "") for n, k in zip(ordered["name"], ordered["_k"], strict=True)}


def target_text(a: Assessment, ind: Indicator, lang: str) -> str:
    """'✅ Đạt chỉ tiêu ≥ 80% (năm 2025; Nghị quyết 76/NQ-CP)' plus the projection for a year ahead."""
    if a.target is None:
        return t("target_none", lang)
    tgt = a.target
    goal = f"{'≥' if tgt.op == '>=' else '≤'} {fmt_value(tgt.value, ind, lang)}"
    when = t("target_year", lang, year=tgt.year) if tgt.year else ""
    head = {
        "met": "✔ " + t("target_met", lang, goal=goal),
        "not_met": "✖ " + t("target_not_met", lang, goal=goal),
        "missing": t("target_missing", lang, goal=goal),
    }.get(a.status, "")
    text = f"{head} ({when}{'; ' if when else ''}{tgt.instrument})"
    if a.track:
        if a.projection is None:
            text += " · " + t("projection_unknown", lang)
        else:
            mark = "↗ " + t("on_track", lang) if a.track == "on_track" else "↘ " + t("off_track", lang)
            text += " · " + t(
                "projection",
                lang,
                year=a.projection.year,
                value=fmt_value(a.projection.value, ind, lang),
                status=mark,
                n=PROJECTION_YEARS,
            )
            if a.projection.bounded:
                text += " " + t("projection_bounded", lang)
    return text


def notes_for(frame: pd.DataFrame, lang: str, missing: Sequence[str] = (), period: str = "") -> list[str]:
    """Notes under a chart: re-based figures, directly reported rates, units without data.

    With ``period`` (the period shown), re-based figures of the other periods (the comparison, the trend)
    are said as such, once per unit kind ("Kỳ so sánh đã quy đổi về 34 tỉnh theo địa giới hiện nay").
    """
    out = []
    if "rebased" in frame and frame["rebased"].astype(bool).any():
        rebased = frame[frame["rebased"].astype(bool)]
        others = rebased[rebased["period"] != period] if period else rebased.iloc[0:0]
        if len(others) < len(rebased):
            out.append(t("note_rebased", lang))
        kind_of = {u.id: u.kind for u in catalog().units.values()}
        kinds = set(others["unit"].map(kind_of).dropna())
        out += [t(f"note_compare_rebased_{k}", lang) for k in ("province", "ministry") if k in kinds]
    if "note" in frame and frame["note"].eq("reported_rate").any():
        out.append(t("note_reported_rate", lang))
    if "note" in frame and frame["note"].eq("not_rebased").any():
        out.append(t("note_not_rebased", lang))
    if missing:
        names = ", ".join(unit_name(u, lang) for u in list(missing)[:12])
        more = len(missing) - 12
        out.append(t("note_missing_units", lang, n=len(missing), names=names + (f" (+{more})" if more > 0 else "")))
    return out
