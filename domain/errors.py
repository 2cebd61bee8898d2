"""The one error shape every layer reports: where in which file, in Vietnamese and in English."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class ReportError:
    """A refusal or warning about a report, located as a person would look for it in Excel.

    ``row`` is the 1-based row Excel shows (for CSV the 1-based line), ``column`` the Excel letter,
    ``sheet`` the sheet name; any of them is ``None`` when the problem is about the whole file.
    """

    message_vi: str
    message_en: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi

    def where(self, lang: str = "vi") -> str:
        """'Sheet Biểu 1, row 12, column D' in the chosen language; empty for whole-file problems."""
        words = {"vi": ("Trang", "dòng", "cột"), "en": ("Sheet", "row", "column")}["en" if lang == "en" else "vi"]
        parts = []
        if self.sheet:
            parts.append(f"{words[0]} {self.sheet}")
        if self.row is not None:
            parts.append(f"{words[1]} {self.row}")
        if self.column:
            parts.append(f"{words[2]} {self.column}")
        return ", ".join(parts)

    def as_json(self) -> dict[str, Any]:
        """The check contract's shape: sheet, row, column, message (Vietnamese) plus message_en and file."""
        d = asdict(self)
        return {
            "sheet": d["sheet"],
            "row": d["row"],
            "column": d["column"],
            "message": d["message_vi"],
            "message_en": d["message_en"],
            "file": d["file"],
        }
