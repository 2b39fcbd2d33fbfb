"""jieba as kg loads it: its own dictionary and tags, read faster, changed the same way for every cut."""
from __future__ import annotations

import subprocess
import sys

import jieba
import pytest

from kg.clean import _cut as cleaning_cut
from kg.recognise import wordcut


def test_the_dictionary_is_jiebas_own_less_the_words_kg_forgets():
    wordcut.cut("南昌市人民政府")  # loads kg's jieba
    own = jieba.Tokenizer()
    own.initialize()
    assert own.FREQ.keys() == jieba.dt.FREQ.keys()
    forgotten = [word for word, count in jieba.dt.FREQ.items() if own.FREQ[word] != count]
    assert all(jieba.dt.FREQ[word] == 0 and word.startswith("中共") for word in forgotten)


def test_the_tags_are_those_jieba_posseg_reads():
    import jieba.posseg

    table = jieba.posseg.dt.word_tag_tab
    assert len(table) > 300_000
    assert all(wordcut.word_tag(word) == tag for word, tag in table.items())
    assert wordcut.word_tag("不是一个词语吧") is None


def test_cleaning_cuts_with_the_recognisers_dictionary():
    """Else a document's cleaning would depend on whether it came first in its process."""
    glued = [word for word, count in jieba.Tokenizer().gen_pfdict(jieba.dt.get_dict_file())[0].items()
             if count and word.startswith("中共") and wordcut.frequency(word) == 0]
    assert glued, "jieba lists words like 中共江西省委, which kg forgets"
    # a fresh process whose first cut is the cleaner's
    words = subprocess.run([sys.executable, "-c", "import sys; from kg.clean import _cut; print('|'.join(_cut(sys.argv[1])))",
                            glued[0] + "召开会议"], capture_output=True, text=True, check=True).stdout.strip().split("|")
    assert glued[0] not in words and "".join(words) == glued[0] + "召开会议"


# characters of every kind the two cutters could read differently: Chinese, ASCII letters and
# digits, jieba's block symbols (+#&._%-), spaces, Chinese and Western punctuation, rarer
# Chinese characters (extension A, compatibility, extension B), and other scripts
_MIXED = ("中国人民政府省委书记县长市区乡镇的了是在和与及一二三四五六十百万年月日"
          "abcXYZ0189+#&._%- \t\n\r\u3000\xa0，。！？：；（）“”‘’《》、·—…()[]\"'/"
          "\u3400\u9FD6\uF900\U00020000éＡ１①αБ\u200b\x1c")


def _mixed_texts(count: int, seed: int) -> list[str]:
    import random

    rnd = random.Random(seed)
    return ["".join(rnd.choice(_MIXED) for _ in range(rnd.randint(1, 16))) for _ in range(count)]


def test_the_fast_cutter_gives_jiebas_words():
    """rjieba cuts most text, jieba the rest: together they give the words of jieba.lcut."""
    pytest.importorskip("rjieba")
    wordcut.cut("南昌市人民政府")  # loads kg's jieba, its changes included
    glued = next(word for word, count in jieba.Tokenizer().gen_pfdict(jieba.dt.get_dict_file())[0].items()
                 if count and word.startswith("中共") and wordcut.frequency(word) == 0)
    texts = _mixed_texts(20_000, seed=6) + [
        glued + "召开全会，" + glued[2:] + "书记讲话", "COVID-19疫情在2020-2021年间", "增长3.5%，C++与C#",
        "阿卜杜拉·艾尼瓦尔说：“好。”\r\n  第二段\t继续", "㐀丙丁、𠀀甲乙", "ＡＢＣ１２３年",
    ]
    different = [text for text in texts if wordcut.segment(text) != jieba.lcut(text)]
    assert different == []
    assert wordcut._segmenter() is not jieba.lcut  # the fast cutter was the one tested


def test_the_dictionaries_load_again_after_they_were_let_go():
    """A process that let go of them (its workers have them) cuts as before if it comes to."""
    text = "中共江西省委召开会议，赵亮和同事出席。"
    before = (wordcut.cut(text), wordcut.segment(text), wordcut.frequency("会议"), wordcut.word_tag("会议"))
    wordcut.unload()
    assert wordcut._loaded.cache_info().currsize == 0 and not jieba.dt.FREQ
    assert (wordcut.cut(text), wordcut.segment(text), wordcut.frequency("会议"), wordcut.word_tag("会议")) == before
    assert "中共江西省委" not in before[0]  # the party is cut from its committee after loading again, too
