"""Claims in the prose: every sentence whose typed words depend on data is guarded or exempt.

A template's Markdown may state a claim in words that carry no digit: "geen meerderheid", "het
hoogst", "gestegen", "dat klopt niet". When the data change, a glued number changes and such a
word does not. This module finds those sentences (the *claim scan*, the twin of the digit scan)
and ties each to a condition the build evaluates:

- a **guard** in a code cell of the same section: ``ch.holds("geen meerderheid", share < 50,
  aandeel=share)``; its first argument is a fragment of the sentence, written as it stands in the
  Markdown. At run time a guard that does not hold stops the edition with chapter, section, the
  sentence and the values (:class:`ClaimError`);
- an **exemption** for a sentence whose claim word does not depend on data ("alle sectoren",
  "geen uitsplitsing"), as a MyST comment in the same section::

      % vast: "alle drie de sectoren" -- de drie sectoren van het onderzoek, geen uitkomst

- or the word is **glued** (computed with its connective), so it is not typed at all.

Words inside a glue role are not seen by the scan: what is glued is computed. A typed contrastive
connective (``maar``, ``echter``, ``terwijl`` …) in a sentence with a glued value counts as a claim
too: if the glued value flips, the contrast may no longer hold.

``python -m lib.claims [template ...]`` prints every unguarded claim and exits 1 if there is one.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lib import paths

# Words whose truth depends on data (case-insensitive, whole words; multi-word phrases allowed).
CLAIM_WORDS: tuple[str, ...] = (
    r"meerderheid", r"minderheid", r"helft", r"meesten?", r"minsten?", r"hoogste?", r"laagste?",
    r"hoger", r"lager", r"grootste?", r"kleinste?", r"sterkste?", r"zwakste?", r"vaakst",
    r"vaker", r"minder vaak", r"meer dan", r"minder dan", r"groter", r"kleiner", r"gestegen",
    r"gedaald", r"stijg\w*", r"daal\w*", r"daling\w*", r"toegenomen", r"afgenomen", r"klopt",
    r"kloppen", r"significant\w*", r"toeval", r"aantoonbaar", r"verreweg", r"vrijwel",
    r"nagenoeg", r"alle", r"allemaal", r"iedereen", r"niemand", r"geen", r"nauwelijks",
    r"overwegend", r"duidelijk\w*", r"evenveel", r"even hoog", r"gelijk", r"dicht bij",
    r"boven", r"onder(?= de| het)", r"behalve", r"uitzondering\w*", r"enige", r"enkel\w*",
    r"weinig", r"veel",
)
# Typed connectives that assert a contrast or a surprise between glued values.
CONNECTIVES: tuple[str, ...] = (r"maar", r"echter", r"terwijl", r"daarentegen", r"toch",
                                r"juist")

_CLAIM = re.compile(r"(?<![\w-])(?:" + "|".join(CLAIM_WORDS) + r")(?![\w-])", re.IGNORECASE)
_CONNECTIVE = re.compile(r"(?<![\w-])(?:" + "|".join(CONNECTIVES) + r")(?![\w-])",
                         re.IGNORECASE)
_FENCE = re.compile(r"^(`{3,}|~{3,})\s*(\{[\w-]+\})?")
_CODE_FENCE = re.compile(r"^(`{3,}|~{3,})\{code-cell\}")
_HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")
_LABEL = re.compile(r"^\(([\w.:-]+)\)=\s*$")
_GLUE = re.compile(r"\{glue(?::\w+)?\}`([^`]*)`")
_ROLE = re.compile(r"\{(\w+)\}`([^`<]*?)(?:\s*<[^`]*>)?`")  # {ref}`tekst <label>` → tekst
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_GUARD = re.compile(r"\bch\.holds\(\s*(['\"])(.+?)\1", re.DOTALL)
_EXEMPT = re.compile(r"^%\s*vast:\s*\"([^\"]+)\"\s*(?:--|—|–|:)\s*(\S.*)$")
_WHOLE = re.compile(r"^%\s*vast:\s*paragraaf\s*(?:--|—|–|:)\s*(\S.*)$")
_ABBREVIATIONS = ("bv.", "bijv.", "o.a.", "d.w.z.", "m.a.w.", "n.g.", "max.", "min.", "resp.",
                  "vgl.", "zgn.", "incl.", "excl.", "ca.", "nr.", "e.d.", "t/m")
GLUE_MARK = "⟨⟩"  # where a glued value stood in a sentence


class ClaimError(AssertionError):
    """A guarded sentence no longer holds for the data: names chapter, section, sentence, values."""


@dataclass
class Section:
    """One section of a template: its heading and what it holds."""

    label: str | None
    heading: str
    line: int
    sentences: list[tuple[int, str]] = field(default_factory=list)  # (line, sentence)
    guards: list[tuple[int, str]] = field(default_factory=list)  # (line, fragment)
    exempt: list[tuple[int, str, str]] = field(default_factory=list)  # (line, fragment, why)
    code_cells: int = 0
    codes: list[str] = field(default_factory=list)  # the code cells' text, in order
    whole: tuple[int, str] | None = None  # (line, why): "% vast: paragraaf -- <reden>"


@dataclass(frozen=True)
class Problem:
    """An unguarded claim, a guard or exemption that matches no sentence, or a bad exemption."""

    template: Path
    line: int
    section: str
    message: str

    def __str__(self) -> str:
        return f"{_rel(self.template)}:{self.line} ({self.section}): {self.message}"


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.project_root()))
    except ValueError:
        return str(path)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _plain(text: str) -> str:
    """Prose as a reader sees its words: glue roles marked, role and link text kept."""
    text = _GLUE.sub(f" {GLUE_MARK} ", text)
    text = _ROLE.sub(lambda m: m.group(2), text)
    text = _LINK.sub(lambda m: m.group(1), text)
    return _norm(text.replace("**", "").replace("*", ""))


def sentences(paragraph: str) -> list[str]:
    """A paragraph split into sentences (at ``.``, ``?``, ``!`` or ``;`` before a space and a
    capital, a digit, a glued value or a bracket; not after the usual abbreviations)."""
    out, start = [], 0
    for m in re.finditer(r"[.?!;](?=\s+[A-Z⟨(‘'\"{\d])", paragraph):
        before = paragraph[start:m.end()]
        if any(before.endswith(a) for a in _ABBREVIATIONS):
            continue
        out.append(before.strip())
        start = m.end()
    rest = paragraph[start:].strip()
    if rest:
        out.append(rest)
    return out


def sections(template: Path) -> list[Section]:
    """The template cut into sections, with the sentences, guards and exemptions of each."""
    lines = template.read_text(encoding="utf-8").splitlines()
    i = 0
    if lines and lines[0].strip() == "---":
        i = next(j for j in range(1, len(lines)) if lines[j].strip() == "---") + 1
    found = [Section(None, "(begin)", i + 1)]
    label: str | None = None
    para: list[tuple[int, str]] = []

    def flush() -> None:
        if not para:
            return
        text = _plain(" ".join(t for _, t in para))
        for s in sentences(text):
            found[-1].sentences.append((para[0][0], s))
        para.clear()

    fence: str | None = None
    code: list[str] | None = None
    code_start = 0
    for n, line in enumerate(lines[i:], start=i + 1):
        if fence is not None:
            if line.strip() == fence:
                fence = None
                if code is not None:
                    for g in _GUARD.finditer("\n".join(code)):
                        found[-1].guards.append((code_start, _norm(g.group(2))))
                    found[-1].codes.append("\n".join(code))
                    code = None
                else:
                    flush()
                continue
            if code is not None:
                code.append(line)
            elif re.match(r"^:[\w-]+:", line):
                continue
            elif line.strip():
                para.append((n, line))
            else:
                flush()
            continue
        m = _FENCE.match(line)
        if m:
            flush()
            fence = m.group(1)
            if _CODE_FENCE.match(line):
                code, code_start = [], n
                found[-1].code_cells += 1
            continue
        if _LABEL.match(line):
            flush()
            label = _LABEL.match(line).group(1)
            continue
        h = _HEADING.match(line)
        if h:
            flush()
            found.append(Section(label, _norm(h.group(2)), n))
            label = None
            continue
        if line.startswith("%"):
            flush()
            e = _EXEMPT.match(line)
            w = _WHOLE.match(line)
            if w:
                found[-1].whole = (n, w.group(1).strip())
            elif e:
                found[-1].exempt.append((n, _norm(e.group(1)), e.group(2).strip()))
            elif re.match(r"^%\s*vast\b", line):
                found[-1].exempt.append((n, "", ""))
            continue
        if line.startswith("+++") or not line.strip():
            flush()
            continue
        para.append((n, line))
    flush()
    return found


def claim_words(sentence: str) -> list[str]:
    """The typed words of ``sentence`` that state a data-dependent claim."""
    words = [m.group() for m in _CLAIM.finditer(sentence)]
    if GLUE_MARK in sentence:
        words += [m.group() for m in _CONNECTIVE.finditer(sentence)]
    return words


def _covered(sentence: str, fragments: Iterable[str]) -> bool:
    s = _norm(sentence).lower()
    return any(f and f.lower() in s for f in fragments)


def scan(template: Path) -> list[Problem]:
    """Every unguarded claim of ``template``, and every guard or exemption that covers nothing."""
    problems: list[Problem] = []
    for sec in sections(template):
        fragments = [f for _, f in sec.guards] + [f for _, f, _ in sec.exempt]
        where = sec.heading
        for n, f, why in sec.exempt:
            if not f or not why:
                problems.append(Problem(template, n, where, "vrijstelling zonder fragment of "
                                        "reden; schrijf % vast: \"<woorden uit de zin>\" -- "
                                        "<waarom dit niet van data afhangt>"))
        if sec.whole is not None:
            glued = any(GLUE_MARK in s for _, s in sec.sentences)
            if glued or sec.code_cells:
                problems.append(Problem(template, sec.whole[0], where, "vrijstelling voor de hele "
                                        "paragraaf, maar de paragraaf rekent of lijmt waarden; "
                                        "bewaak of vrijstel de zinnen elk afzonderlijk"))
            continue
        for n, s in sec.sentences:
            words = claim_words(s)
            if words and not _covered(s, fragments):
                named = ", ".join(dict.fromkeys(w.lower() for w in words))
                problems.append(Problem(
                    template, n, where,
                    f"bewering zonder bewaking ({named}): \"{s}\" — lijm het woord, zet "
                    "ch.holds(\"<fragment>\", <voorwaarde>) in "
                    "een codecel van deze paragraaf, of verklaar het met % vast: \"<fragment>\" "
                    "-- <reden>"))
        texts = [_norm(s).lower() for _, s in sec.sentences]
        for n, f in [*sec.guards, *((n, f) for n, f, _ in sec.exempt if f)]:
            if not any(f.lower() in t for t in texts):
                problems.append(Problem(template, n, where, f"fragment \"{f}\" staat in geen zin "
                                        "van deze paragraaf (bewaking of vrijstelling wijst "
                                        "naar niets)"))
    return problems


def template_for(chapter: int) -> Path | None:
    """The template of chapter ``chapter`` (0 = samenvatting), if there is exactly one."""
    found = sorted(paths.chapters_dir().glob(f"{chapter:02d}-*.md"))
    return found[0] if len(found) == 1 else None


def locate(template: Path, fragment: str) -> tuple[str, str] | None:
    """(section heading, sentence) of the first sentence of ``template`` holding ``fragment``."""
    f = _norm(fragment).lower()
    for sec in sections(template):
        for _, s in sec.sentences:
            if f in _norm(s).lower():
                return sec.heading, s
    return None


def failed(chapter: int, sector: str, fragment: str, values: dict[str, object]) -> ClaimError:
    """The error for a guard that does not hold, naming where the sentence stands."""
    template = template_for(chapter)
    found = locate(template, fragment) if template else None
    name = "samenvatting" if chapter == 0 else f"hoofdstuk {chapter}"
    shown = ", ".join(f"{k} = {v}" for k, v in values.items()) or "(geen waarden opgegeven)"
    where = (f"{_rel(template)}, {found[0]}: \"{found[1]}\"" if template and found
             else f"zin met \"{fragment}\"")
    return ClaimError(f"Bewaakte zin klopt niet meer met de data ({name}, editie {sector}): "
                      f"{where}. Waarden: {shown}. Herschrijf de zin (of laat het woord uit de "
                      "data berekenen) en pas de bewaking aan.")


def templates(args: Iterable[str] = ()) -> list[Path]:
    """The templates named in ``args`` (files), else every chapter template."""
    chosen = [Path(a) for a in args]
    return chosen or sorted(paths.chapters_dir().glob("*.md"))


def problems(chosen: Iterable[Path] | None = None) -> Iterator[Problem]:
    for t in chosen if chosen is not None else templates():
        yield from scan(t)


def main(argv: list[str] | None = None) -> int:
    found = list(problems(templates(sys.argv[1:] if argv is None else argv)))
    for p in found:
        print(p)
    print(f"beweringenscan: {len(found)} probleem/problemen")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
