"""Dutch formatting of numbers, percentages, comparisons and lists, for prose, tables and glue.

Rounding is half-up (``2,345`` → ``2,35``), as readers expect; Babel alone would round half-to-even.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "nl_NL"
NOT_PUBLISHED = "n.g."  # niet gepubliceerd: shown in tables where the source gives no value


def round_half_up(x: float | int | Decimal, decimals: int = 0) -> Decimal:
    """``x`` rounded half away from zero, as printed: ``round_half_up(14.5)`` → ``15``.

    The float is read as its shortest decimal form (``str``), so ``2.345`` is 2.345, not the
    binary 2.34499…; pass a Decimal to round the result of a calculation exactly.
    """
    q = Decimal(1).scaleb(-decimals)
    return Decimal(str(x)).quantize(q, rounding=ROUND_HALF_UP)


def is_missing(x: object) -> bool:
    """Is ``x`` a missing value (None, NaN of any float type, ``pd.NA``, ``NaT``)?

    Only scalars can be missing: a list or array is a value, never "missing".
    """
    if x is None:
        return True
    if not pd.api.types.is_scalar(x):
        return False
    return bool(pd.isna(x))


def number(x: float | int | Decimal, decimals: int = 0) -> str:
    """``1746`` → ``1.746``; ``3.375, 2`` → ``3,38``; ``-0.5`` → ``-1`` (half away from zero)."""
    if is_missing(x):
        return NOT_PUBLISHED
    d = round_half_up(x, decimals)
    if d == 0:
        d = abs(d)  # no "-0"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(d, format=pattern, locale=LOCALE, decimal_quantization=True)


def pct(x: float | int, decimals: int = 0) -> str:
    """A percentage (0–100 scale) as ``54%`` or ``37,5%``."""
    if is_missing(x):
        return NOT_PUBLISHED
    return f"{number(x, decimals)}%"


def score(x: float) -> str:
    """A mean score on a rating scale as the tables print it, two decimals: ``3.575`` → ``3,58``."""
    return number(x, 2)


def pct_points(diff: float, decimals: int = 0) -> str:
    """The size of a difference of percentages: ``-4`` → ``4 procentpunt`` (no sign: the sentence
    says which way)."""
    return f"{number(abs(diff), decimals)} procentpunt"


def share(part: float, whole: float, decimals: int = 0) -> str:
    """``part`` of ``whole`` as a percentage: ``share(71, 110)`` → ``65%``."""
    if whole == 0:
        raise ValueError(f"share: aandeel van een totaal 0 bestaat niet (deel {part}, totaal 0)")
    return pct(100.0 * part / whole, decimals)


def pvalue(p: float) -> str:
    """A p-value as readers of Dutch reports see it: ``p < 0,001``, ``p = 0,031``, ``p = 0,31``.

    Three decimals below 0,1 (so a value just under 0,05 never reads as ``0,05``), two above.
    """
    if is_missing(p) or not 0 <= p <= 1:
        raise ValueError(f"pvalue: een p-waarde ligt tussen 0 en 1, kreeg {p!r}")
    if p < 0.001:
        return "p < 0,001"
    return f"p = {number(p, 3 if p < 0.1 else 2)}"


def pvalue_cell(p: float) -> str:
    """A p-value for a table cell whose header says ``p``: ``0,031`` or ``< 0,001``."""
    return pvalue(p).removeprefix("p = ").removeprefix("p ")


def verdict_cell(reject: bool) -> str:
    """:func:`verdict` for a table cell: ``groter dan toeval`` or ``niet aangetoond``."""
    return "groter dan toeval" if reject else "niet aangetoond"


PRECISION_WORDS = {
    "exact": "",
    "afgerond": "",
    "circa": "ongeveer ",
    "bijna": "bijna ",
    "ruim": "ruim ",
    "meer_dan": "meer dan ",
    "minder_dan": "minder dan ",
}


def stated(value: float, unit: str, precision: str, decimals: int = 0) -> str:
    """A value as the source states it: ``stated(30, 'procent', 'bijna')`` → ``bijna 30%``."""
    if precision not in PRECISION_WORDS:
        raise ValueError(f"onbekende precisie {precision!r}; bekend: {sorted(PRECISION_WORDS)}")
    core = {
        "procent": lambda v: pct(v, decimals),
        "procentpunt": lambda v: f"{number(v, decimals)} procentpunt",
        "euro": lambda v: f"€ {number(v, decimals)}",
        "jaar": lambda v: f"{number(v, decimals)} jaar",
    }.get(unit, lambda v: number(v, decimals))(value)
    return PRECISION_WORDS[precision] + core


def compare(a: float, b: float, tolerance: float = 0.0, *, higher: str = "hoger",
            lower: str = "lager", same: str = "even hoog") -> str:
    """The word for ``a`` relative to ``b``: ``hoger``, ``lager`` or ``even hoog``."""
    if abs(a - b) <= tolerance:
        return same
    return higher if a > b else lower


def change(before: float, after: float, tolerance: float = 0.0) -> str:
    """The word for a change over time: ``gestegen``, ``gedaald`` or ``gelijk gebleven``."""
    return compare(after, before, tolerance, higher="gestegen", lower="gedaald",
                   same="gelijk gebleven")


def change_pct(before: float, after: float, first: int, last: int) -> str:
    """A percentage over time, for ``Het aandeel … {}``: ``is gedaald van 74% (2017) naar 70%
    (2020)``, or ``is gelijk gebleven op 70% (2017 en 2020)``."""
    word = change(before, after)
    if word == "gelijk gebleven":
        return f"is gelijk gebleven op {pct(after)} ({first} en {last})"
    return f"is {word} van {pct(before)} ({first}) naar {pct(after)} ({last})"


def rank_word(values: Mapping[str, float], key: str, tolerance: float = 1e-9) -> str:
    """Where ``values[key]`` stands among ``values``: ``het hoogst``, ``het laagst`` or
    ``tussen de andere in`` (a shared first place counts as the highest)."""
    if values[key] >= max(values.values()) - tolerance:
        return "het hoogst"
    if values[key] <= min(values.values()) + tolerance:
        return "het laagst"
    return "tussen de andere in"


def date(iso: str) -> str:
    """``2026-11-30`` → ``30 november 2026`` (Babel, Dutch); ValueError for anything else."""
    return format_date(dt.date.fromisoformat(iso), format="d MMMM y", locale=LOCALE)


def join(parts: Iterable[object]) -> str:
    """A Dutch enumeration: ``a``, ``a en b``, ``a, b en c`` (each part as ``str``)."""
    words = [str(p) for p in parts]
    if not words:
        raise ValueError("join: niets om op te sommen")
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>$:^%-])")
_MD_ORDERED_LIST = re.compile(r"^(\s*\d+)\.(?=\s|$)")  # "1. " at the start: ")" is escaped anyway


def md_escape(text: object) -> str:
    """Text from data made safe for Markdown/MyST: markup characters escaped, HTML as entities.

    ``<img src=x onerror=alert(1)>`` stays literal text in HTML and LaTeX output. ``%`` is
    escaped (at the start of a line it begins a MyST comment), and so is the ``.`` of a leading
    ``1.`` (an ordered list).
    """
    s = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = s.replace("\r", " ").replace("\n", " ")
    # escape markdown punctuation, but not the '&' of the entities created above (and not ';', '#'
    # inside them: '#' only matters at line start, handled by the escape as well)
    out = []
    for part in re.split(r"(&(?:amp|lt|gt);)", s):
        out.append(part if part in ("&amp;", "&lt;", "&gt;") else _MD_SPECIAL.sub(r"\\\1", part))
    return _MD_ORDERED_LIST.sub(r"\1\\.", "".join(out))
