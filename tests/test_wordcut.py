"""jieba as kg loads it: its own dictionary and tags, read faster, changed the same way for every cut."""
from __future__ import annotations

import subprocess
import sys

import jieba

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
