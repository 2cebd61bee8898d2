"""Lịch sử tải lên: every upload, its original file, differences between revisions, rollback (admin)."""

from __future__ import annotations

from functools import partial

import streamlit as st

import ui
from charts.tables import changes_table, observations_table, uploads_table
from domain.catalog import catalog
from domain.i18n import t
from store.history import (
    diff_uploads,
    original_file,
    rollback_upload,
    undo_rollback,
    upload_in_scope,
    upload_observations,
)
from store.queries import uploads_frame
from store.retention import purge_personal_originals, retention_days, set_retention_days
from store.users import check_session

ctx = ui.page_setup("secretariat")
cat = catalog()
lg = ctx.lang
st.title(t("nav_history", lg))
st.caption(t("history_intro", lg))
flash = st.session_state.pop("history_flash", None)  # set before st.rerun(), which would drop a st.success
if flash:
    st.success(flash)

uploads = uploads_frame(ctx.engine)
# A scoped secretariat sees only its own units' uploads: their originals hold applicants' personal data.
uploads = uploads[[upload_in_scope(str(u or ""), ctx.user, cat) for u in uploads["units"]]]
if uploads.empty:
    st.info(t("history_no_uploads", lg))
    st.stop()
st.dataframe(uploads_table(uploads, lg, cat), hide_index=True, width="stretch", height=300)

ids = uploads["id"].astype(int).tolist()
labels = {int(r.id): f"#{int(r.id)} · {r.file_name} · {r.uploaded_by}" for r in uploads.itertuples()}
chosen = ui.url_widget(st.selectbox, t("history_pick", lg), ids, "upload", ids[0], format_func=labels.__getitem__)
row = uploads.set_index("id").loc[chosen]


def _original_now(upload_id: int, token: object) -> bytes:
    """The original, read when the button is clicked (a short-lived link, not one held all session) and only
    while the session that clicked is still live and may see the upload."""
    user = check_session(ctx.engine, token) if isinstance(token, str) else ctx.user
    found = original_file(ctx.engine, upload_id, user) if user is not None else None
    return found[1] if found is not None else b""


original = original_file(ctx.engine, chosen, ctx.user)
if original is None and bool(row["personal_data"]):
    st.caption(t("history_purged", lg))
if original is not None:
    st.download_button(
        t("history_download", lg),
        partial(_original_now, chosen, st.session_state.get("session_token")),
        file_name=original[0],
        key="history_original",
    )

obs = upload_observations(ctx.engine, chosen)
obs = obs.rename(columns={"col": "column"})
st.dataframe(observations_table(obs, cat, lg), hide_index=True, width="stretch", height=260)

others = [i for i in ids if i != chosen]
if others:
    other = st.selectbox(t("history_compare", lg), others, format_func=labels.__getitem__, key="history_other")
    old, new = (other, chosen) if other < chosen else (chosen, other)
    diff = diff_uploads(ctx.engine, old, new)
    diff = diff[diff["change"] != "same"]
    st.caption(f"#{old} → #{new}")
    st.dataframe(changes_table(diff, cat, lg), hide_index=True, width="stretch")

if not ctx.user.has_role("admin"):
    st.caption(t("history_admin_only", lg))
elif row["status"] == "rolled_back":
    if st.button(t("history_undo", lg), key="history_undo"):
        undo_rollback(ctx.engine, chosen, by=ctx.user.name)
        st.session_state["history_flash"] = t("history_restored", lg, id=chosen)
        st.rerun()
elif st.button(t("history_rollback", lg), type="primary", key="history_rollback"):
    n = rollback_upload(ctx.engine, chosen, by=ctx.user.name)
    st.session_state["history_flash"] = t("history_rolled_back", lg, id=chosen, n=n)
    st.rerun()

if bool(row["is_demo"]):
    st.caption(t("history_demo_note", lg))

if ctx.user.has_role("admin"):
    with st.expander(t("retention_title", lg)):
        st.caption(t("retention_intro", lg))
        kept = retention_days(ctx.engine)
        days = st.number_input(t("retention_days", lg), 1, 3650, kept or 365, step=1, key="retention_days")
        if st.button(t("retention_save", lg), key="retention_save"):
            set_retention_days(ctx.engine, int(days), by=ctx.user.name)
            st.session_state["history_flash"] = t("retention_saved", lg, days=int(days))
            st.rerun()
        if kept is not None and st.button(t("retention_purge", lg), key="retention_purge"):
            purged = purge_personal_originals(ctx.engine, by=ctx.user.name)
            st.session_state["history_flash"] = t("retention_purged", lg, n=len(purged.upload_ids), days=kept)
            st.rerun()
