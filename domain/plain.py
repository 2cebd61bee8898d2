"""Sender-written text (file, sheet and account names, headers) made safe to show, store and export.

Shown: as plain text, every Markdown character escaped (a file name cannot place a link or an image).
Exported or stored: without control characters (one in a file name broke every workbook and the brief).
Stored: no longer than its column, cut at the end, keeping a file name's extension.
"""

from __future__ import annotations

import re

#: C0 controls except tab, newline and carriage return, DEL and the C1 controls: openpyxl, python-docx
#: and XML refuse most of them, and none belongs in a name.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Every ASCII punctuation character may be backslash-escaped in CommonMark; Streamlit adds ``:`` directives
#: (``:red[…]``, ``:material/…:``) and ``$`` for LaTeX, both covered.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=\"'^%@])")


def strip_controls(text: str) -> str:
    """``text`` without control characters (tab, newline and carriage return kept)."""
    return _CONTROLS.sub("", text)


def one_line(text: str) -> str:
    """A name on one line: control characters removed, line breaks and tabs made spaces."""
    return re.sub(r"[\t\r\n]+", " ", strip_controls(text))


def md_plain(text: str) -> str:
    """``text`` shown literally by ``st.markdown``/``st.caption``/labels: Markdown characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", strip_controls(text))


def fit(text: str, limit: int, *, keep_suffix: bool = False) -> str:
    """``text`` on one line and at most ``limit`` characters; a file name keeps its extension."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    if keep_suffix and "." in text[-12:]:
        stem, dot, suffix = text.rpartition(".")
        return stem[: max(1, limit - len(suffix) - 2)] + "…" + dot + suffix
    return text[: limit - 1] + "…"
