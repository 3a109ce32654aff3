"""A change to a value as the history page shows it: text as a word-level diff, anything else as old -> new.

Every piece of text is HTML-escaped before it is marked up (an editor's "<script>" stays text); only the <ins>
and <del> marks themselves are markup. Long runs of unchanged words are shortened around the changes, so a word
inserted mid-paragraph of a long text is easy to find.
"""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

TOKENS = re.compile(r"\s+|\S+")  # words and the spaces between them, so joining the tokens gives the text back
CONTEXT = 12  # tokens (about six words) of unchanged text kept on each side of a change
MAX_TOKENS = 20_000  # beyond this (about 10,000 words a side) text is compared line by line, to bound the work
EMPTY = "(empty)"
SPACING_ONLY = "(only spaces or line breaks changed)"


def word_diff(old: str, new: str) -> SafeString:
    """`old` changed to `new`, words removed in <del>, words added in <ins>, all of it escaped."""
    if old != new and old.split() == new.split():
        return format_html("<ins>{}</ins>", SPACING_ONLY)  # else the change would be invisible
    before, after = TOKENS.findall(old), TOKENS.findall(new)
    if len(before) > MAX_TOKENS or len(after) > MAX_TOKENS:
        before, after = old.splitlines(keepends=True), new.splitlines(keepends=True)
    if not before and not after:
        return mark_safe("")
    pieces = []
    opcodes = _joined(difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes(), before)
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            pieces.append(_unchanged(before[i1:i2], first=index == 0, last=index == len(opcodes) - 1))
            continue
        if i2 > i1:
            pieces.append(format_html("<del>{}</del>", "".join(before[i1:i2])))
        if j2 > j1:
            pieces.append(format_html("<ins>{}</ins>", "".join(after[j1:j2])))
    if not before:
        pieces.insert(0, format_html("<del>{}</del>", EMPTY))
    if not after:
        pieces.append(format_html("<ins>{}</ins>", EMPTY))
    return mark_safe("".join(pieces))  # noqa: S308 - each piece is escaped above


def _joined(opcodes: list[tuple], before: list[str]) -> list[tuple]:
    """Changes apart only by the space between two words are shown as one change (<del>a b</del><ins>c d</ins>,
    not <del>a</del><ins>c</ins> <del>b</del><ins>d</ins>), which reads far better when a sentence is rewritten."""
    joined: list[tuple] = []
    for opcode in opcodes:
        tag, i1, i2, _j1, j2 = opcode
        spaces_only = tag == "equal" and all(token.isspace() for token in before[i1:i2])
        if joined and joined[-1][0] != "equal" and (tag != "equal" or spaces_only):
            _, start_i, _, start_j, _ = joined[-1]
            joined[-1] = ("replace", start_i, i2, start_j, j2)
        else:
            joined.append(opcode)
    return joined


def _unchanged(tokens: list[str], *, first: bool, last: bool) -> str:
    """A run of unchanged text, escaped; when long, only its ends next to a change are kept, the rest an ellipsis."""
    keep_start = 0 if first else CONTEXT
    keep_end = 0 if last else CONTEXT
    if (first and last) or len(tokens) <= keep_start + keep_end + CONTEXT:
        return escape("".join(tokens))
    start = escape("".join(tokens[:keep_start]))
    end = escape("".join(tokens[len(tokens) - keep_end :]))
    return f"{start}…{end}"


def value_change(old, new) -> SafeString:
    """A change to a value that is not text (a number, a date, a region, a list of conditions)."""
    return format_html("<del>{}</del> → <ins>{}</ins>", shown(old), shown(new))


def shown(value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(sorted(map(str, value))) or EMPTY
    return str(value)
