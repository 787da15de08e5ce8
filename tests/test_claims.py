"""The claim scan (lib.claims) and guards (ch.holds): a sentence whose typed words depend on data
is glued, guarded or exempt with a reason, and a guard that no longer holds stops the run naming
the sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib import chapter, claims, paths

TEMPLATES = sorted(paths.chapters_dir().glob("*.md"))

HEAD = "---\nkernelspec:\n  name: python3\n---\n\n"


def _template(tmp_path: Path, body: str, name: str = "05-proef.md") -> Path:
    folder = tmp_path / "book" / "chapters"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def _cell(code: str) -> str:
    return f"```{{code-cell}} ipython3\n:tags: [remove-cell]\n\n{code}\n```\n\n"


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.name for t in TEMPLATES])
def test_every_claim_in_the_templates_is_glued_guarded_or_exempt(template):
    found = [str(p) for p in claims.scan(template)]
    assert not found, "\n".join(found)


def test_a_planted_unguarded_claim_is_found(tmp_path):
    t = _template(tmp_path, "## 5.1 Proef\n\nDe meeste respondenten zijn tevreden.\n")
    [problem] = claims.scan(t)
    assert "meeste" in problem.message
    assert "De meeste respondenten zijn tevreden." in problem.message
    assert problem.line == 8 and problem.section == "5.1 Proef"


def test_a_guard_in_the_same_section_covers_the_sentence(tmp_path):
    body = ("## 5.1 Proef\n\n" + _cell('ch.holds("meeste respondenten", share > 50, share=share)')
            + "De meeste respondenten zijn tevreden.\n")
    assert claims.scan(_template(tmp_path, body)) == []


def test_a_guard_in_another_section_does_not(tmp_path):
    body = ("## 5.1 Proef\n\n" + _cell('ch.holds("meeste respondenten", share > 50)')
            + "## 5.2 Verder\n\nDe meeste respondenten zijn tevreden.\n")
    found = [p.message for p in claims.scan(_template(tmp_path, body))]
    assert any("bewering zonder bewaking" in m for m in found)
    assert any("staat in geen zin" in m for m in found)  # the guard points at nothing


def test_a_glued_word_is_computed_but_a_typed_connective_beside_glue_is_a_claim(tmp_path):
    glued = "## 5.1 Proef\n\nVan de respondenten is {glue:md}`aandeel` tevreden.\n"
    assert claims.scan(_template(tmp_path, glued)) == []
    typed = "## 5.1 Proef\n\nHet po scoort {glue:md}`po`, maar het vo {glue:md}`vo`.\n"
    [problem] = claims.scan(_template(tmp_path, typed, "05-b.md"))
    assert "(maar)" in problem.message


def test_an_exemption_needs_a_fragment_and_a_reason(tmp_path):
    ok = ('## 5.1 Proef\n\n% vast: "alle sectoren" -- de drie sectoren van het onderzoek\n\n'
          "Het onderzoek gaat over alle sectoren.\n")
    assert claims.scan(_template(tmp_path, ok)) == []
    bad = "## 5.1 Proef\n\n% vast: alle sectoren\n\nHet onderzoek gaat over alle sectoren.\n"
    found = [p.message for p in claims.scan(_template(tmp_path, bad, "05-b.md"))]
    assert any("vrijstelling zonder fragment of reden" in m for m in found)


def test_a_whole_section_exemption_is_refused_where_the_section_uses_data(tmp_path):
    ok = ("## 2.1 Literatuur\n\n% vast: paragraaf -- samenvatting van literatuur, geen cijfers\n\n"
          "Eerder onderzoek vond vooral weinig samenhang.\n")
    assert claims.scan(_template(tmp_path, ok)) == []
    bad = ("## 2.1 Literatuur\n\n% vast: paragraaf -- literatuur\n\n"
           "Volgens {glue:md}`bron` zijn de meeste scholen tevreden.\n")
    found = [p.message for p in claims.scan(_template(tmp_path, bad, "05-b.md"))]
    assert any("rekent of lijmt waarden" in m for m in found)


def test_sentences_split_at_full_stops_but_not_after_abbreviations():
    assert claims.sentences("Dat is zo. Het vo bv. ook. ⟨⟩ is hoger.") == [
        "Dat is zo.", "Het vo bv. ook.", "⟨⟩ is hoger."]


def test_a_failing_guard_names_chapter_section_sentence_and_values(tmp_path, monkeypatch):
    body = ("(h5-1)=\n## 5.1 Proef\n\n" + _cell('ch.holds("geen meerderheid", share <= 50)')
            + "Tevreden is {glue:md}`aandeel`: geen meerderheid van de respondenten.\n")
    _template(tmp_path, body)
    monkeypatch.setenv("SOP_ROOT", str(tmp_path))
    ch = chapter.Chapter(5, "po")
    ch.holds("geen meerderheid", True, aandeel=48)
    with pytest.raises(claims.ClaimError) as err:
        ch.holds("geen meerderheid", 52 <= 50, aandeel=52)
    message = str(err.value)
    assert "hoofdstuk 5, editie po" in message
    assert "5.1 Proef" in message
    assert "geen meerderheid van de respondenten." in message
    assert "aandeel = 52" in message
    assert ch.guards == 2
