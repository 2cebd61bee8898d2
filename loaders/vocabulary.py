"""What a column header means, by its words: an open vocabulary matched after normalisation.

Senders word the same figure in many ways ("Số hồ sơ đã xử lý xong", "Hồ sơ đã giải quyết", "Resolved").
Each header and each known phrase (catalogue names, ``data/header_aliases.csv``) is reduced to its *content
words*: diacritics folded, bracketed units dropped, synonyms made one spelling and filler words ("số",
"tổng số", "trong đó", "hồ sơ") removed — all listed in ``data/header_vocabulary.csv``. Equal content
words are a sure match. Otherwise rapidfuzz scores the closeness: a near-equal wording (a typo) is still
read, a weaker one is only a *suggestion* that a person confirms, never a silent guess. So "Số hồ sơ tiếp
nhận mới trong kỳ" (an extra word, "mới") is offered as "received", not read as it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from domain.catalog import DATA_DIR, Catalog, catalog
from domain.text import words

_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_FOOTNOTE = re.compile(r"(\s*\*+|\s*\(\s*\*+\s*\))+$")

#: How a meaning was found, in the ``columns[].how`` vocabulary of ``check --json``.
HOW_CATALOGUE = "catalogue"
HOW_ALIAS = "alias"
HOW_SIMILAR = "similarity"
HOW_LEARNED = "learned"
HOW_USER = "user"
HOW_CONTENT = "content"  # a label column recognised by the names it holds


@dataclass(frozen=True)
class Match:
    """A header's reading: ``target`` is an indicator id, ``@role``, ``@ignore`` or None (unread)."""

    target: str | None
    how: str | None
    score: float
    suggestions: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class _Rules:
    synonyms: tuple[tuple[re.Pattern[str], str], ...]
    fillers: re.Pattern[str]
    confident: float
    suggest: float
    n_suggestions: int


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    syn: list[tuple[str, str]] = []
    fill: list[str] = []
    thresholds: dict[str, float] = {}
    with (DATA_DIR / "header_vocabulary.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            phrase = words(row["phrase"])
            if row["kind"] == "synonym":
                syn.append((phrase, words(row["replacement"])))
            elif row["kind"] == "filler":
                fill.append(phrase)
            elif row["kind"] == "threshold":
                thresholds[row["phrase"].strip()] = float(row["replacement"])
    syn.sort(key=lambda p: -len(p[0]))  # the longest phrase first: "nhan qua mang" before "qua mang"
    fill.sort(key=len, reverse=True)
    patterns = tuple((re.compile(rf"(?<![a-z0-9]){re.escape(a)}(?![a-z0-9])"), b) for a, b in syn)
    fillers = re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(f) for f in fill) + r")(?![a-z0-9])")
    return _Rules(patterns, fillers, thresholds["confident"], thresholds["suggest"], int(thresholds["suggestions"]))


def strip_footnote(text: str) -> str:
    """'Hà Nội (*)', 'Hà Nội*' → 'Hà Nội': marks that refer to notes below a table."""
    return _FOOTNOTE.sub("", text).strip()


@lru_cache(maxsize=16384)
def content(text: str) -> str:
    """The content words of a header, sorted: what two wordings of one figure have in common."""
    w = words(_BRACKETS.sub(" ", strip_footnote(str(text))))
    rules = _rules()
    for pattern, repl in rules.synonyms:
        w = pattern.sub(repl, w)
    w = rules.fillers.sub(" ", w)
    return " ".join(sorted(set(w.split())))


def header_key(text: str) -> str:
    """The key a learned mapping is stored under: the header's content words (all levels of it)."""
    return content(text)


class Vocabulary:
    """Every known phrase by its content words, built once per catalogue."""

    def __init__(self, cat: Catalog):
        self.cat = cat
        self.exact: dict[str, tuple[str, str]] = {}  # content → (target, how)
        phrases: dict[str, str] = {}
        for ind in cat.indicators.values():
            for name in (ind.name_vi, ind.name_en, ind.id.replace("_", " ")):
                self._add(name, ind.id, HOW_CATALOGUE, phrases)
        with (DATA_DIR / "header_aliases.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                self._add(row["header"].replace("|", " "), row["target"].strip(), HOW_ALIAS, phrases)
        self._choices = list(phrases)
        self._fuzzy: dict[str, Match] = {}
        self._targets = [phrases[p] for p in self._choices]

    def _add(self, phrase: str, target: str, how: str, phrases: dict[str, str]) -> None:
        c = content(phrase)
        if not c:
            return
        self.exact.setdefault(c, (target, how))
        if not target.startswith("@"):
            phrases.setdefault(c, target)  # only indicators are ever suggested; roles are read or not

    def sure(self, text: str) -> tuple[str, str] | None:
        """(target, how) when the header's content words equal a known phrase's; cheap, no fuzzy scoring."""
        c = content(text)
        return self.exact.get(c) if c else None

    def match(self, text: str) -> Match:
        """The reading of one header: sure, near-equal (read), or ranked suggestions (unread)."""
        found = self.sure(text)
        if found:
            return Match(found[0], found[1], 100.0)
        c = content(text)
        if not c or not self._choices:
            return Match(None, None, 0.0)
        if c not in self._fuzzy:  # a form repeats its wordings across columns and sheets: score each once
            if len(self._fuzzy) > 4096:
                self._fuzzy.clear()
            self._fuzzy[c] = self._score(c)
        return self._fuzzy[c]

    def _score(self, c: str) -> Match:
        """Fuzzy reading of content words that equal no known phrase."""
        rules = _rules()
        ranked: dict[str, float] = {}
        limit = rules.n_suggestions * 2
        hits = process.extract(c, self._choices, scorer=fuzz.token_sort_ratio, limit=limit)
        for _choice, score, idx in hits:
            target = self._targets[idx]
            ranked[target] = max(ranked.get(target, 0.0), round(float(score), 1))
        # shared words, in C first; only the few best are weighed by how much of both wordings they cover
        for choice, _score, idx in process.extract(c, self._choices, scorer=fuzz.token_set_ratio, limit=limit):
            target = self._targets[idx]
            ranked[target] = max(ranked.get(target, 0.0), round(_partial_score(c, choice), 1))
        best = sorted(ranked.items(), key=lambda kv: -kv[1])
        if best:
            top = best[0][0]
            pairs = zip(self._choices, self._targets, strict=True)
            strict = max(fuzz.token_sort_ratio(c, p) for p, t in pairs if t == top)
            if strict >= rules.confident:
                return Match(top, HOW_SIMILAR, round(float(strict), 1))
        suggestions = tuple((t, s) for t, s in best if s >= rules.suggest)[: rules.n_suggestions]
        return Match(None, None, suggestions[0][1] if suggestions else 0.0, suggestions)


def _partial_score(a: str, b: str) -> float:
    """Shared words weigh, scaled by how much of both wordings they cover: a header that says more or less
    than a phrase ("tiếp nhận mới" against "tiếp nhận") ranks high but never reaches "sure"."""
    wa, wb = set(a.split()), set(b.split())
    cover = len(wa & wb) / len(wa | wb) if wa | wb else 0.0
    return float(fuzz.token_set_ratio(a, b)) * (0.5 + 0.4 * cover)


@lru_cache(maxsize=4)
def _vocabulary(cat_id: int) -> Vocabulary:
    del cat_id
    return Vocabulary(catalog())


def vocabulary(cat: Catalog | None = None) -> Vocabulary:
    """The vocabulary of the app's catalogue (built once), or a fresh one for a test catalogue."""
    if cat is None or cat is catalog():
        return _vocabulary(id(catalog()))
    return Vocabulary(cat)
