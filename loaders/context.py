"""What every shape reader shares while reading one file: the catalogue, the user's answers, the findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from domain.catalog import Catalog
from domain.errors import ReportError
from domain.names import NameResolver
from domain.periods import Period

if TYPE_CHECKING:
    from loaders.readers import Sheet

MAX_ERRORS = 200  # enough to fix a file; a broken million-row export should not print a million lines


@dataclass
class Context:
    file: str
    cat: Catalog
    names: NameResolver
    user_period: Period | None = None
    user_unit: str | None = None
    errors: list[ReportError] = field(default_factory=list)
    warnings: list[ReportError] = field(default_factory=list)
    records: list[dict[str, object]] = field(default_factory=list)
    columns: list[Any] = field(default_factory=list)  # loaders.columns.ColumnReport, one per column read
    rules: Any = None  # loaders.headers.ColumnRules: people's decisions on columns, or None

    def error(self, vi: str, en: str, sheet: str | None = None, row: int | None = None, col: str | None = None) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(ReportError(vi, en, self.file, sheet, row, col))
        elif len(self.errors) == MAX_ERRORS:
            self.errors.append(
                ReportError(
                    f"Còn nhiều lỗi khác; chỉ liệt kê {MAX_ERRORS} lỗi đầu tiên.",
                    f"More errors follow; only the first {MAX_ERRORS} are listed.",
                    self.file,
                )
            )

    def warn(self, vi: str, en: str, sheet: str | None = None, row: int | None = None, col: str | None = None) -> None:
        if len(self.warnings) < MAX_ERRORS:
            self.warnings.append(ReportError(vi, en, self.file, sheet, row, col))

    def error_at(self, vi: str, en: str, sheet: Sheet, r: int, col: str | None = None) -> None:
        """An error at row index ``r`` of ``sheet``, named as the sender sees it (sheet name, Excel row)."""
        self.error(vi, en, sheet.name, sheet.row_number(r), col)

    def warn_at(self, vi: str, en: str, sheet: Sheet, r: int, col: str | None = None) -> None:
        """A warning at row index ``r`` of ``sheet``, named as the sender sees it (sheet name, Excel row)."""
        self.warn(vi, en, sheet.name, sheet.row_number(r), col)

    def add(
        self,
        indicator: str,
        unit: str,
        period: str,
        sector: str,
        value: float,
        sheet: str | None,
        row: int | None,
        col: str | None,
    ) -> None:
        self.records.append(
            {
                "indicator": indicator,
                "unit": unit,
                "period": period,
                "sector": sector,
                "value": float(value),
                "sheet": sheet,
                "row": row,
                "column": col,
            }
        )
