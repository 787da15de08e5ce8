"""Glue for prose: numbers reach the text as pre-formatted Dutch strings, and notes for editions."""

from __future__ import annotations

import re

from IPython.display import Markdown

from lib import claims, data, fmt


class Markup(str):
    """Markdown that lib built on purpose (a cross-reference): glued and shown without escaping.

    Only :meth:`lib.chapter.Chapter.ref` and :func:`compose` make it; any other text is escaped.
    """


def compose(*parts: str) -> Markup:
    """One piece of Markdown from text and markup: plain strings are escaped, Markup kept."""
    return Markup("".join(p if isinstance(p, Markup) else fmt.md_escape(p) for p in parts))


def put(key: str, text: str) -> None:
    """Glue ``text`` (already formatted) under ``key`` for ``{glue:md}`key``` in the chapter.

    Plain text is escaped (data never becomes markup); :class:`Markup` is glued as it is.
    """
    from myst_nb import glue

    glue(key, Markdown(text if isinstance(text, Markup) else fmt.md_escape(text)), display=False)


def put_all(values: dict[str, str]) -> None:
    for key, text in values.items():
        put(key, text)


def stated(row: dict) -> str:
    """A text number as the source states it, e.g. ``bijna 30%`` or ``meer dan 600``."""
    decimals = 0 if float(row["waarde"]).is_integer() else 1
    return fmt.stated(row["waarde"], row["eenheid"], row["precisie"], decimals)


def text_numbers(chapter: int) -> dict[str, dict]:
    """The numbers the source states in the running text of ``chapter``, by id."""
    df = data.load(f"tekstcijfers_h{chapter}")
    return {r["id"]: r for r in df.to_dict("records")}


NUMBER_WORDS = ("nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen",
                "tien", "elf", "twaalf")


def count(n: float | int, singular: str = "", plural: str = "") -> str:
    """A count as Dutch prose writes it: small whole numbers in words (``twee``), larger ones in
    digits (``1.746``); with a noun, singular or plural to match (``één groepsgesprek``)."""
    whole = int(n)
    if whole != n:
        raise ValueError(f"count: {n!r} is geen geheel getal")
    text = NUMBER_WORDS[whole] if 0 <= whole < len(NUMBER_WORDS) else fmt.number(whole)
    noun = singular if whole == 1 else plural
    return f"{text} {noun}" if noun else text


SECTOR_LABELS = {"po": "po", "vo": "vo", "mbo": "mbo", "totaal": "Totaal",
                 "combi": "combinatie van sectoren"}


def sector_label(code: str) -> str:
    """How a table shows a sector code (``totaal`` → ``Totaal``, ``combi`` → words)."""
    return SECTOR_LABELS.get(code, code)


def admonition(kind: str, title: str, text: str) -> Markdown:
    """A MyST admonition (``note``, ``important`` …) with escaped title and text."""
    return Markdown(f"```{{admonition}} {fmt.md_escape(title)}\n:class: {kind}\n\n"
                    f"{fmt.md_escape(text)}\n```\n")


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (up to a full stop before a space and a capital or a
    digit; not after the usual abbreviations): ``Tabel 6.1 splitst niet naar sector.``."""
    parts = claims.sentences(" ".join(text.split()))
    return parts[0] if parts else text


def no_sector_split(dataset: str, sector: str) -> Markdown | None:
    """In a sector edition: say plainly that the source publishes no split for ``dataset``."""
    data.validate_sector(sector)
    if sector == "alle" or data.has_sector_split(dataset):
        return None
    note = data.schema(dataset).sector_note
    return admonition("note", f"Geen uitsplitsing naar sector ({data.SECTOR_NAMES[sector]})",
                      f"{note} De cijfers hieronder gelden voor alle sectoren samen.")


def errata_order(ids: list[str], places: list[str]) -> list[int]:
    """Positions of errata in reading order: by chapter (the samenvatting, ``E-0-``, first), then
    by the first section, table or figure number in ``locatie`` (§4.3.1 before Tabel 4.4), then by
    erratum number."""
    def key(i: int) -> tuple:
        chapter, nr = (int(x) for x in ids[i].split("-")[1:3])
        m = re.search(r"(?:§|Tabel |Figuur )(\d+(?:\.\d+)*)", places[i])
        where = tuple(int(x) for x in m.group(1).split(".")) if m else ()
        return chapter, where, nr
    return sorted(range(len(ids)), key=key)


CHAPTER_NAMES = {0: "Samenvatting"}


def errata_for(ids: tuple[str, ...], by_chapter: bool = False) -> Markdown:
    """The errata named in ``ids`` as a list in reading order (:func:`errata_order`): an exact id
    (``E-0-1``) or a prefix ending in ``-`` (``E-4-`` for all errata of chapter 4).
    ``by_chapter``: a bold line per chapter ("Samenvatting", "Hoofdstuk 4") above its errata.

    Each erratum's numbers come from its check (:func:`lib.errata.render`); an erratum whose check
    no longer stands raises :class:`lib.errata.ErratumError` ("E-x-y geldt niet meer: …")."""
    from lib import errata  # at call time: lib.errata imports this module

    df = errata.register()
    rows = df[df["id"].map(lambda i: errata.matches(i, ids))].reset_index(drop=True)
    order = errata_order(list(rows["id"]), list(rows["locatie"]))
    lines, current = [], None
    for r in rows.iloc[order].itertuples():
        bevinding, afhandeling = errata.render(r._asdict())
        chapter = int(r.id.split("-")[1])
        if by_chapter and chapter != current:
            current = chapter
            name = CHAPTER_NAMES.get(chapter, f"Hoofdstuk {chapter}")
            lines.append(f"{chr(10) if lines else ''}**{name}**\n")
        lines.append(f"- **{fmt.md_escape(r.id)}** ({fmt.md_escape(r.locatie)}): "
                     f"{fmt.md_escape(bevinding)} {fmt.md_escape(afhandeling)}")
    return Markdown("\n".join(lines) + "\n")


def errata_box(ids: tuple[str, ...]) -> Markdown:
    """The errata ``ids`` of one chapter as a closed box to put under the chapter's opening: the
    title counts them, the body is :func:`errata_for`. The chapter then ends on what it found, not
    on its corrections; the PDF prints the box open (``lib.print_pdf``). Nothing when no erratum
    matches."""
    listed = errata_for(ids).data
    n = sum(1 for line in listed.splitlines() if line.startswith("- "))
    if not n:
        return Markdown("")
    places = count(n, "plaats", "plaatsen")
    # a plain <details> (HTML blocks around Markdown, blank lines between): a sphinx-design
    # dropdown would bring 60 kB of style sheet and script to every chapter's first paint
    return Markdown(
        '<details class="sop-errata">\n'
        f"<summary>Verbeterd ten opzichte van het rapport uit 2021 ({places})</summary>\n\n"
        "Het rapport uit 2021 zegt hier iets anders dan zijn eigen tabellen, of zijn cijfers "
        "tellen niet op. Dit rapport volgt de cijfers; per plaats staat hieronder wat er "
        "afwijkt en hoe dit rapport ermee omgaat. Bijlage B zet alle plaatsen op een rij.\n\n"
        f"{listed}\n</details>\n")


def versus(computed: float, source: float, *, percent: bool = False, decimals: int = 1,
           erratum: str | None = None) -> str:
    """How a value this book computes relates to the value the source states.

    ``de bron rondt dat af op 34%`` only when the computed value really rounds to it;
    ``zoals de bron ook zegt`` when both read the same; otherwise ``de bron noemt 4`` (with the
    erratum that documents the difference).
    """
    show = fmt.pct if percent else fmt.number
    src_decimals = 0 if float(source).is_integer() else 1
    theirs = show(source, src_decimals)
    if show(computed, decimals) == show(source, decimals):
        return "zoals de bron ook zegt"
    if show(computed, src_decimals) == theirs:
        return f"de bron rondt dat af op {theirs}"
    return f"de bron noemt {theirs}" + (f" (erratum {erratum})" if erratum else "")
