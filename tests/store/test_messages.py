"""What the secretariat reads after an upload: numbers grouped, the sentence's own commas left alone."""

from __future__ import annotations

import pytest

from store.uploads import IngestOutcome


@pytest.mark.parametrize(
    ("outcome", "vi", "en"),
    [
        (IngestOutcome("stored", 7, 12345), "Đã lưu lần tải #7: 12.345 số liệu.", "Stored upload #7: 12,345 figures."),
        (
            IngestOutcome("stored", 8, 1500, 1200, [3, 5]),
            "Đã lưu lần tải #8: 1.500 số liệu. Thay thế 1.200 số liệu của lần tải #3, #5.",
            "Stored upload #8: 1,500 figures. Superseded 1,200 figures of upload #3, #5.",
        ),
    ],
)
def test_outcome_messages_group_only_the_numbers(outcome: IngestOutcome, vi: str, en: str) -> None:
    assert outcome.message_vi == vi
    assert outcome.message_en == en
