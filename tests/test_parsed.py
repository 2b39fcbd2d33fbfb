"""The word table the place and agency recognisers read, and the gazetteer's name scan."""
from kg.gazetteer import load_gazetteer
from kg.models import Sentence
from kg.pagelines import _width
from kg.recognise.parsed import parse
from kg.recognise.places import _scan_divisions


def _parsed(text: str):
    return parse(Sentence(0, 0, len(text), text))


def test_words_cover_the_sentence_and_word_at_finds_the_word_of_each_character():
    p = _parsed("长沙市公安局召开会议。")
    assert p.words[0][0] == 0 and p.words[-1][1] == len(p.text)
    assert all(a[1] == b[0] for a, b in zip(p.words, p.words[1:]))
    for start, end in p.words:
        for offset in range(start, end):
            assert p.word_at(offset) == (start, end)
    assert p.bounds == {0, len(p.text)} | {start for start, _ in p.words}


def test_word_at_outside_the_sentence_is_the_character_alone():
    p = _parsed("会议")
    assert p.word_at(-1) == (-1, 0)
    assert p.word_at(2) == (2, 3)
    assert _parsed("").word_at(0) == (0, 1)


def test_scan_takes_the_longest_name_and_goes_on_after_it():
    p = _parsed("湖南省长沙市岳麓区今天召开会议")
    names = [c.name for c in _scan_divisions(p, load_gazetteer())]
    assert names[:3] == ["湖南省", "长沙市", "岳麓区"]


def test_gazetteer_prefixes_hold_every_start_of_every_name():
    gaz = load_gazetteer()
    assert "岳麓区" in gaz.names and {"岳", "岳麓", "岳麓区"} <= gaz.prefixes


def test_width_counts_ascii_and_narrow_punctuation_as_half_cells():
    assert _width("会议，abc") == 2 + 0.5 * 4
    assert _width("") == 0
