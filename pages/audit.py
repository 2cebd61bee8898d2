"""Nhật ký hệ thống: sign-ins, uploads, rollbacks and account changes (admin)."""

from __future__ import annotations

import streamlit as st

import ui
from charts.export import XLSX_MIME, to_xlsx_bytes
from domain.fmt import fmt_date
from domain.i18n import t
from store.history import audit_frame

ctx = ui.open_page("audit")
lg = ctx.lang
st.caption(t("audit_intro", lg))
log = audit_frame(ctx.engine)


def action_label(code: str) -> str:
    """The action in words (``audit_action_<code>``); an unknown code is shown as it is."""
    label = t(f"audit_action_{code}", lg)
    return code if label == f"audit_action_{code}" else label


shown = log.assign(
    at=[fmt_date(x.to_pydatetime(), lg) for x in log["at"]], action=[action_label(a) for a in log["action"]]
).rename(
    columns={
        "at": t("col_at", lg),
        "actor": t("col_actor", lg),
        "action": t("col_action", lg),
        "target": t("col_target", lg),
        "detail": t("col_detail", lg),
    }
)
st.dataframe(shown.drop(columns=["id"]), hide_index=True, width="stretch", height=520)
st.download_button(
    t("audit_export", lg),
    to_xlsx_bytes(log.assign(at=log["at"].astype(str)), title=t("nav_audit", lg)),
    file_name="nhat_ky.xlsx",
    key="audit_export",
    mime=XLSX_MIME,
)
