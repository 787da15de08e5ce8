"""Wording helpers for prose: a computed value set against the value the source states."""

from __future__ import annotations

from lib import prose


def test_versus_names_rounding_only_when_it_is_rounding():
    # 2598 / 7703 = 33,73%: the source's 34% is that value rounded
    assert prose.versus(100 * 2598 / 7703, 34, percent=True) == "de bron rondt dat af op 34%"
    # 248 / 71 = 3,49 rounds to 3, so the source's "vier" is another number, not a rounding
    assert prose.versus(248 / 71, 4, erratum="E-4-3") == "de bron noemt 4 (erratum E-4-3)"
    assert prose.versus(248 / 71, 4) == "de bron noemt 4"


def test_versus_agrees_when_both_read_the_same():
    assert prose.versus(3.04, 3.0) == "zoals de bron ook zegt"
    assert prose.versus(8.5, 8.5) == "zoals de bron ook zegt"
    # 8,46 shows as 8,5 at one decimal, the source's precision: the same number
    assert prose.versus(8.46, 8.5) == "zoals de bron ook zegt"
    assert prose.versus(8.3, 8.5) == "de bron noemt 8,5"
