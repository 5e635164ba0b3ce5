"""A name ending in a member word without a space before it ("X-MP") is kept, not a crash."""

from reader.core.entities.spans import clean_span


def test_a_member_word_joined_by_a_hyphen_is_not_cut_and_does_not_fail():
    text = "Shares of X-MP rose on Monday."
    start = text.index("X-MP")
    assert clean_span(text, start, start + 4) == (start, start + 4)
    text = "Labour MPs voted."
    assert clean_span(text, 0, len("Labour MPs")) == (0, len("Labour"))
