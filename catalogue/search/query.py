"""The one query language of the catalogue's search, parsed once and compiled for each database.

    dementia carers          every word (English stemming: "carers" finds "carer")
    "time bank"              a phrase: the words side by side
    -london                  leave out cases mentioning London (also on its own: every case without it)
    peer OR befriending      either word (OR binds the two words beside it: `a b OR c` is a AND (b OR c))
    shed*                    words starting with "shed"

Words are split as both full-text engines split them (letters and digits; "co-production" is the phrase
"co production"); PostgreSQL's English stop words ("the", "and" ...) are left out on both, so both look for the
same words. `compile_fts5` gives an SQLite FTS5 MATCH expression, `compile_tsquery` the text of a PostgreSQL
`to_tsquery('catalogue_search', ...)`: every word is quoted, so nothing typed is read as an operator by either engine.
Parsing never fails: what cannot be used is dropped and said in `problems`, and `canonical` is what was
searched for.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

# PostgreSQL 15's english.stop, which the `catalogue_search` configuration (english's stop words, migration
# 0014) drops from documents and queries.
_STOP_TEXT = """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
hers herself it its itself they them their theirs themselves what which who whom this that these those am is are
was were be been being have has had having do does did doing a an the and but if or because as until while of
at by for with about against between into through during before after above below to from up down in out on off
over under again further then once here there when where why how all any both each few more most other some
such no nor not only own same so than too very s t can will just don should now"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
OR_WORDS = frozenset({"or", "|"})
MIN_PREFIX = 2  # "a*" would match most of the catalogue's words


@dataclass(frozen=True)
class Term:
    """A word, a prefix (`shed*`) or a phrase (several words side by side)."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def text(self) -> str:
        if len(self.words) > 1:
            return '"' + " ".join(self.words) + '"'
        return self.words[0] + ("*" if self.prefix else "")

    def fts5(self) -> str:
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")

    def tsquery(self) -> str:
        lexemes = [f"'{word}'" for word in self.words]
        if self.prefix:
            lexemes[-1] += ":*"
        return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"


@dataclass(frozen=True)
class ParsedQuery:
    required: tuple[tuple[Term, ...], ...] = ()  # each group: any of its terms (OR); every group must hold
    excluded: tuple[Term, ...] = ()  # none of these may appear
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        return not (self.required or self.excluded)

    @property
    def canonical(self) -> str:
        parts = [" OR ".join(term.text for term in group) for group in self.required]
        return " ".join(parts + ["-" + term.text for term in self.excluded])

    def without_group(self, index: int) -> ParsedQuery:
        return ParsedQuery(self.required[:index] + self.required[index + 1 :], self.excluded)

    def without_excluded(self, index: int) -> ParsedQuery:
        return ParsedQuery(self.required, self.excluded[:index] + self.excluded[index + 1 :])

    def fts5_required(self) -> str:
        """The FTS5 expression the wanted terms must match ("" when there are none)."""
        return " AND ".join(_group(group, " OR ", Term.fts5) for group in self.required)

    def fts5_excluded(self) -> str:
        """The FTS5 expression any excluded term matches ("" when there are none)."""
        return " OR ".join(term.fts5() for term in self.excluded)

    def compile_fts5(self) -> str:
        """One MATCH expression for a query with wanted terms (FTS5's NOT needs something on its left)."""
        required, excluded = self.fts5_required(), self.fts5_excluded()
        return f"({required}) NOT ({excluded})" if excluded else required

    def compile_tsquery(self) -> str:
        parts = [_group(group, " | ", Term.tsquery) for group in self.required]
        parts += [f"!{term.tsquery()}" for term in self.excluded]
        return " & ".join(parts)


def _group(group: tuple[Term, ...], joiner: str, render) -> str:
    return render(group[0]) if len(group) == 1 else "(" + joiner.join(render(t) for t in group) + ")"


def words_of(text: str) -> list[str]:
    """The words of `text` as the engines split it: runs of letters and digits, lower-cased."""
    words, current = [], []
    for ch in text:
        if ch.isalnum():
            current.append(ch)
        elif current:
            words.append("".join(current).lower())
            current = []
    if current:
        words.append("".join(current).lower())
    return words


def _clean(raw: str) -> tuple[str, bool]:
    """`raw` with control and format characters turned into spaces; whether there were any."""
    cleaned = "".join(" " if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"} else ch for ch in raw)
    return cleaned, cleaned != raw and cleaned.split() != raw.split()


def _tokens(text: str, problems: list[str]) -> list[tuple[str, str, bool]]:
    """(kind, text, negated) for each piece: kind is "word", "phrase" or "or"."""
    tokens, i, n = [], 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        start = i + 1 if negated else i
        if start < n and text[start] == '"':
            end = text.find('"', start + 1)
            if end == -1:
                problems.append("a quotation mark had no partner")
                end = n
            tokens.append(("phrase", text[start + 1 : end], negated))
            i = end + 1
            continue
        end = start
        while end < n and not text[end].isspace() and text[end] != '"':
            end += 1
        piece = text[start:end]
        if not negated and piece.lower() in OR_WORDS:
            tokens.append(("or", piece, False))
        else:
            tokens.append(("word", piece, negated))
        i = max(end, i + 1)
    return tokens


def _term(kind: str, text: str, problems: list[str]) -> Term | None:
    prefix = kind == "word" and text.rstrip("-").endswith("*")
    words = words_of(text)
    if kind == "phrase":
        while words and words[0] in STOP_WORDS:
            words.pop(0)
        while words and words[-1] in STOP_WORDS:
            words.pop()
    if not words:
        return None
    if len(words) == 1 and words[0] in STOP_WORDS:
        return None
    if prefix and len(words) == 1 and len(words[0]) < MIN_PREFIX:
        problems.append(f"a word ending in * needs at least {MIN_PREFIX} letters before it")
        return None
    return Term(tuple(words), prefix=prefix and len(words) == 1)


def _combine(items: list) -> tuple[list[list[Term]], list[Term], bool]:
    """The wanted groups (OR joins a word to the one before it), the excluded terms, and whether an OR was
    left without a word on each side."""
    required: list[list[Term]] = []
    excluded: list[Term] = []
    joining = False  # the last item was OR and the group before it can take another term
    stray_or = False
    for position, item in enumerate(items):
        if item == "or":
            previous = items[position - 1] if position else None
            joining = bool(required) and isinstance(previous, tuple) and previous[0] is not None and not previous[1]
            stray_or = stray_or or not joining
            continue
        term, negated = item
        if term is None:
            joining = False
        elif negated:
            stray_or = stray_or or joining
            if term not in excluded:
                excluded.append(term)
        elif joining:
            if term not in required[-1]:
                required[-1].append(term)
        elif [term] not in required:
            required.append([term])
        if term is not None:
            joining = False
    return required, excluded, stray_or


def parse(raw: str) -> ParsedQuery:
    """The query typed, read the same way for both databases. Never raises."""
    problems: list[str] = []
    text, had_controls = _clean(raw or "")
    if had_controls:
        problems.append("it held characters that cannot be searched for")
    items: list[tuple[Term | None, bool] | str] = []  # (term or None when dropped, negated) or "or"
    for kind, piece, negated in _tokens(text, problems):
        if kind == "or":
            items.append("or")
        else:
            items.append((_term(kind, piece, problems), negated))
    required, excluded, stray_or = _combine(items)
    if stray_or or (items and items[-1] == "or"):
        problems.append("OR needs a word on each side")
    groups = tuple(dict.fromkeys(tuple(group) for group in required))
    parsed = ParsedQuery(groups, tuple(excluded), tuple(dict.fromkeys(problems)))
    if parsed.is_empty and text.strip() and not problems:
        return ParsedQuery(problems=("it had no words to look for, only common words or signs",))
    return parsed
