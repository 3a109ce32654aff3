"""The history page's word-level diff: what changed is marked, everything is escaped, long runs are shortened."""

from __future__ import annotations

from catalogue.admin.worddiff import value_change, word_diff


def test_an_inserted_word_is_marked_and_the_rest_kept():
    assert word_diff("a b c", "a b new c") == "a b <ins>new </ins>c"


def test_a_removed_word_is_marked():
    assert word_diff("a b c", "a c") == "a <del>b </del>c"


def test_a_rewritten_phrase_reads_as_one_change():
    assert word_diff("keep one two keep", "keep three four keep") == "keep <del>one two</del><ins>three four</ins> keep"


def test_every_piece_is_escaped():
    diff = word_diff("<b>old</b> & x", "<i>new</i> & x")
    assert diff == "<del>&lt;b&gt;old&lt;/b&gt;</del><ins>&lt;i&gt;new&lt;/i&gt;</ins> &amp; x"
    assert value_change("<a>", None) == "<del>&lt;a&gt;</del> → <ins>(empty)</ins>"


def test_long_unchanged_runs_are_shortened_around_the_change():
    words = [f"w{n}" for n in range(200)]
    diff = word_diff(" ".join(words), " ".join([*words[:100], "NEW", *words[100:]]))
    assert "<ins>NEW </ins>" in diff
    assert diff.startswith("…") and diff.endswith("…")
    assert "w94" in diff and "w105" in diff and "w50 " not in diff and "w150" not in diff


def test_from_and_to_empty():
    assert word_diff("", "Added.") == "<del>(empty)</del><ins>Added.</ins>"
    assert word_diff("Gone.", "") == "<del>Gone.</del><ins>(empty)</ins>"


def test_a_change_of_spacing_only_is_said_in_words():
    assert word_diff("One.\r\nTwo.", "One.\nTwo.") == "<ins>(only spaces or line breaks changed)</ins>"
