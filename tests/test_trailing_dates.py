"""A citation's date is looked for in its last words only: what is found
there is what a search of the whole citation finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.importers.common import _TRAILING_DATE, _last_words, citation_source

WORDS = [
    "Dawn",
    "June",
    "3",
    "3,",
    "2011",
    "2011-06-03",
    "June 3, 2011",
    "3 June 2011",
    "Sept. 30 2011",
]
JOINERS = [" ", "  ", ", ", "; ", ",", ";", "."]


@st.composite
def citations(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=8))
    text = ""
    for word in words:
        text += draw(st.sampled_from(JOINERS)) + word if text else word
    return text


@settings(max_examples=400, deadline=None)
@given(text=citations())
def test_the_date_found_in_the_last_words_is_the_one_in_the_whole_citation(text: str) -> None:
    rest = " ".join(text.split()).strip(" .,;")
    whole, tail = _TRAILING_DATE.search(rest), _TRAILING_DATE.search(rest, _last_words(rest))
    assert (whole and (whole.span(), whole.groupdict())) == (
        tail and (tail.span(), tail.groupdict())
    )
    citation_source(text or "x")  # and the citation is read either way
