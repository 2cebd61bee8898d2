"""Tải báo cáo lên: read, check, preview, then publish in one transaction (secretariat)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import ui
from charts.tables import changes_table, column_meaning, columns_table, errors_table, observations_table
from charts.workflow import preview_figure
from domain.catalog import catalog
from domain.i18n import t
from domain.periods import parse_period, recent_periods
from domain.plain import md_plain
from loaders.columns import ColumnReport, choice_targets
from loaders.isolate import run_limited
from loaders.logs import setup_logging
from loaders.safety import default_max_bytes
from reports.annotate import annotate, annotated_name
from reports.templates import template_b, template_c
from store.workflow import Prepared, prepare, publish, uploadable_units

setup_logging()  # tracebacks of failed reads reach the server log with their reference id
ctx = ui.page_setup("secretariat")
cat = catalog()
lg = ctx.lang
st.title(t("nav_upload", lg))
st.caption(t("upload_intro", lg))
cap_mb = default_max_bytes() // (1024 * 1024)
st.caption(t("upload_cap", lg, mb=cap_mb))

with st.expander(t("upload_options", lg)):
    known = set(ui.available_periods(ctx.token)) | set(recent_periods())
    periods = ["", *sorted(known, key=lambda c: parse_period(c).end, reverse=True)]
    period = st.selectbox(
        t("period", lg),
        periods,
        key="upload_period",
        format_func=lambda c: parse_period(c).label(lg) if c else t("upload_period_from_file", lg),
    )
    allowed = uploadable_units(ctx.user, cat)
    unit = st.selectbox(
        t("wf_col_unit", lg),
        ["", *allowed],
        key="upload_unit",
        format_func=lambda u: cat.units[u].name_vi if u else t("upload_unit_from_file", lg),
    )

files = st.file_uploader(
    t("upload_files", lg),
    type=["xlsx", "xls", "xlsm", "xlsb", "ods", "csv", "txt"],
    accept_multiple_files=True,
    key="upload_files",
)


def choice_label(target: str, col: ColumnReport) -> str:
    """A choice in a column's list: "not decided", an indicator (with the reader's score when suggested)
    or "not data"."""
    if not target:
        return t("upload_choice_none", lg)
    if target == "@ignore":
        return t("upload_choice_ignore", lg)
    scores = dict(col.suggestions)
    name = column_meaning(cat, target, lg)
    return t("upload_choice_suggested", lg, name=name, score=f"{scores[target]:.0f}") if target in scores else name


def column_choices(prefix: str) -> dict[str, str]:
    """This file's decisions so far, from the column widgets ("Sheet!D" → target)."""
    return {
        k.removeprefix(prefix): v
        for k, v in st.session_state.items()
        if isinstance(k, str) and k.startswith(prefix) and v
    }


def column_map(prepared: Prepared) -> None:
    """What each column of the file was read as, and how sure the reader is."""
    if prepared.result.columns:
        st.caption(t("upload_columns", lg))
        st.dataframe(columns_table(prepared.result.columns, cat, lg), hide_index=True, width="stretch")


def decide_columns(prepared: Prepared, prefix: str) -> None:
    """One choice per column of figures that is unread or already decided by the person."""
    open_cols = [c for c in prepared.result.columns if c.unread_numbers or c.how == "user"]
    if not open_cols:
        return
    if prepared.result.undecided:
        st.warning(t("upload_undecided", lg, n=len(prepared.result.undecided)))
    for c in open_cols:
        options: list[str] = ["", *choice_targets(c, cat)]

        def label(target: str, col: ColumnReport = c) -> str:
            return choice_label(target, col)

        st.selectbox(
            t("upload_column_choice", lg, column=c.column, header=md_plain(c.header) or "—", n=c.numbers),
            options,
            key=f"{prefix}{c.sheet or ''}!{c.column}",
            format_func=label,
        )


for f in files or []:
    content = f.getvalue()
    base_key = f"{f.name}::{len(content)}::{hash(content)}::{period}::{unit}"
    prefix = f"colmap::{base_key}::"
    choices = column_choices(prefix)
    cache_key = f"prepared::{base_key}::{sorted(choices.items())}"
    prepared: Prepared | None = st.session_state.get(cache_key)
    if prepared is None:
        with st.status(t("upload_reading", lg, name=f.name), expanded=False) as status:
            st.write(
                t("upload_step_read", lg) + " · " + t("upload_step_check", lg) + " · " + t("upload_step_compare", lg)
            )
            prepared = prepare(ctx.engine, f.name, content, ctx.user, cat, period or None, unit or None, choices)
            status.update(
                label=t(
                    "upload_read_done",
                    lg,
                    name=md_plain(f.name),
                    n=len(prepared.result.observations),
                    e=len(prepared.errors),
                    w=len(prepared.result.warnings),
                ),
                state="error" if prepared.errors else "complete",
            )
        st.session_state[cache_key] = prepared

    st.subheader(md_plain(f.name))
    result = prepared.result
    obs = result.observations
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("upload_shape", lg), result.format or "–")
    c2.metric(t("upload_units", lg), obs["unit"].nunique() if not obs.empty else 0)
    period_labels = [parse_period(c).label(lg) for c in sorted(obs["period"].unique())] if not obs.empty else ["–"]
    c3.metric(t("upload_periods", lg), ", ".join(period_labels))
    c4.metric(t("upload_count", lg), len(obs))

    if prepared.errors:
        st.error(t("upload_refused", lg, n=len(prepared.errors)))
        st.dataframe(errors_table(prepared.errors, lg), hide_index=True, width="stretch")
        if result.errors:  # a refusal for scope alone has nothing to mark in the file
            # Built only when the button is pressed, once, from the stored result and within the parsing limits.
            built: dict[str, bytes] = st.session_state.setdefault(f"annotated::{cache_key}", {})

            def annotated(
                built: dict[str, bytes] = built,
                name: str = f.name,
                content: bytes = content,
                prepared: Prepared = prepared,
            ) -> bytes:
                if "xlsx" not in built:
                    errors, warnings = prepared.errors, prepared.result.warnings
                    status_, marked = run_limited(annotate, name, content, errors, warnings)
                    built["xlsx"] = marked if status_ == "ok" else annotate(name + ".list", b"", errors, warnings)
                return built["xlsx"]

            st.download_button(
                t("upload_annotated", lg),
                annotated,
                file_name=annotated_name(f.name),
                key=f"annotated_{cache_key}",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        column_map(prepared)  # what each column was read as, under the reasons for the refusal
        continue
    column_map(prepared)  # first, above the figures
    decide_columns(prepared, prefix)
    if result.warnings:
        st.warning(t("upload_warnings", lg))
        st.dataframe(errors_table(result.warnings, lg), hide_index=True, width="stretch")
    if prepared.duplicate_of is not None:
        st.info(t("upload_duplicate", lg, id=prepared.duplicate_of))
        continue

    st.dataframe(observations_table(obs, cat, lg), hide_index=True, width="stretch", height=260)
    fig = preview_figure(obs, cat, lg)
    if fig is not None:
        st.plotly_chart(fig, key=f"preview_{cache_key}", config=ui.PLOTLY_CONFIG)

    changes = prepared.changes
    if changes.empty:
        st.info(t("upload_new", lg))
    else:
        uploads_list = ", ".join(f"#{int(u)}" for u in sorted(changes["upload_id"].dropna().unique()))
        st.warning(
            t(
                "upload_supersedes",
                lg,
                n=len(changes),
                uploads=uploads_list,
                changed=int((changes["change"] == "changed").sum()),
            )
        )
        st.dataframe(changes_table(changes, cat, lg), hide_index=True, width="stretch")

    if prepared.undecided:
        st.caption(t("upload_publish_blocked", lg))
    if f"published::{cache_key}" not in st.session_state and st.button(
        t("upload_publish", lg, name=md_plain(f.name)),
        type="primary",
        key=f"publish_{cache_key}",
        disabled=not prepared.can_publish,
    ):
        st.session_state[f"published::{cache_key}"] = publish(ctx.engine, prepared, ctx.user)
    outcome = st.session_state.get(f"published::{cache_key}")
    if outcome is not None:  # the file is never read again after it is published
        st.success(md_plain(outcome.message_vi if lg == "vi" else outcome.message_en))
        if prepared.decisions():
            st.info(t("upload_learned", lg, n=len(prepared.decisions())))

st.divider()
st.subheader(t("upload_templates", lg))
t1, t2 = st.columns(2)
template_periods = recent_periods()
ended = [c for c in template_periods if parse_period(c).end < dt.date.today()]
template_periods = [*ended, *(c for c in template_periods if c not in ended)]  # the last finished period first
template_period = t1.selectbox(
    t("upload_template_period", lg),
    template_periods,
    key="template_period",
    format_func=lambda c: parse_period(c).label(lg),
)
tp = parse_period(template_period)
era_units = [u for u in allowed if cat.units[u].valid_on(tp.end)]
template_unit = t2.selectbox(
    t("upload_template_unit", lg), era_units, key="template_unit", format_func=lambda u: cat.units[u].name_vi
)
t1.download_button(
    t("upload_template_b", lg),
    template_b(cat, tp),
    file_name=f"bieu_tong_hop_{tp.code}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="template_b",
)
if template_unit:
    t2.download_button(
        t("upload_template_c", lg),
        template_c(cat, tp, template_unit),
        file_name=f"bieu_linh_vuc_{template_unit}_{tp.code}.xlsx",
        key="template_c",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
