"""The grammar of a person's name: where a name written at a point of the text ends.

A Chinese name is a surname (kg/lexicons/surnames.txt, compound_surnames.txt) and one
or two more characters; a foreign one is a run of transliteration characters, parts
joined by a middle dot (安东尼奥·古特雷斯); a Tibetan one is two given-name syllables.
The cues that say a person is named there live in ``people``; this module only
answers how long a name is, whether it is plausible, and which tokens are names.

A name is three characters by default. It is two when the character after the
surname and one more starts a word that follows names (kg/lexicons/name_followers.txt,
王明陪同, 赵亮和同事) or an ordinary word (王明调研), unless three characters end just as
well before such a word (李振华带队, 张国庆说, 王秉又近日). jieba decides word boundaries.
"""
from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from ..lexicon import package_set, package_words, word_pattern
from .wordcut import boundaries, cut, dictionary_words, frequency, is_ordinary_word, word_tag

if TYPE_CHECKING:
    from . import Context

__all__ = ["CJK", "FOREIGN_CHARACTERS", "NAME_ENDS", "dotted_names", "ends_at", "follower_at", "foreign_length",
           "name_length", "plausible_name", "surname_length", "tibetan_names", "token_names"]

CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_ONLY = re.compile(r"[\u4e00-\u9fff]+")  # a name is written in Chinese characters only
# one character after a two-character name that cannot be its third character
NAME_ENDS = frozenset("和与及同说在向是也就都对把被将为从到了的等称讲曾还已并给跟于由则却便亦")
# surnames that are more often prepositions or adverbs (记者从公安部获悉, 记者于日前)
_FUNCTION_SURNAMES = frozenset("从于向和与同对把为将以及到自给跟由被让来常")
# words that follow a name (so the character before them ends it)
_FOLLOWERS = (
    "表示 介绍 指出 告诉 认为 强调 要求 坦言 透露 感慨 提出 带领 率领 主持 出席 参加 来到 深入 "
    "一行 同志 先生 女士 高兴 笑着 激动 一边 一大早 立即 正在 随即 当即 赶到 如是说"
).split()
# characters never found in a given name: they belong to places, units or grammar
_NOT_IN_NAME = frozenset("化副的了得着过是在和与及市县区省局委部镇乡村街路院厅办处科队站某们这那个么吗呢吧啊")
_NUMERALS = frozenset("一二三四五六七八九十")
# characters of transliterated foreign names (吉尔顿, 穆雷纳, 古特雷斯)
FOREIGN_CHARACTERS = frozenset(
    "阿埃艾安奥巴贝本比彼波伯布查达德迪蒂丁杜多厄恩法菲费芬弗福盖戈格古哈海汉赫亨霍吉加贾杰金卡凯坎考柯科克肯库"
    "奎拉莱兰朗劳勒雷里利莉列林琳卢鲁伦罗洛马玛迈麦曼梅门蒙米密莫姆穆纳娜内尼努诺欧帕佩彭皮普齐奇乔切萨塞桑森"
    "沙莎尚舍什斯松苏索塔泰坦特提托图瓦旺威韦维温沃乌西希谢休雅亚扬耶伊因英尤约扎泽詹兹佐尔博丝黛娅妮蕾卜杜"
    "茨霍默洪贡萨拉姆赛顿夫基宁廷娃诺耳兹蒂"
    "丽逊吐买提汗热孜"  # Uyghur names (古丽, 吐尔逊, 买买提, 热依拉) and 汗
)
_HYPHENS = "-‐－"
_DOT = "·•‧・"
_ANY_DOT = re.compile(f"[{_DOT}]")  # a quick test before the slower search for dotted names
_DOT_NAME = re.compile(rf"[\u4e00-\u9fff]{{1,8}}(?:[{_DOT}][\u4e00-\u9fff]{{1,8}})+")


def surname_length(text: str, i: int, context: Context) -> int:
    lex = context.lexicon
    if text[i : i + 2] in lex.compound_surnames:
        return 2
    return 1 if text[i : i + 1] in lex.surnames else 0


# how many answers of ``plausible_name`` a context keeps before it starts afresh
_PLAUSIBLE_MEMO_SIZE = 1 << 16


def plausible_name(name: str, context: Context, strict: bool = True) -> bool:
    """A surname and a given name of one to three characters that is no ordinary word or place.

    ``strict`` also refuses names whose characters read as common words (安全感, 国作用);
    by-lines, where a name is certain to stand, are not strict. The same candidates come
    back sentence after sentence (each cue asks again), so answers are kept per context.
    """
    memo = context.cache.setdefault("plausible_names", {})
    key = (name, strict)
    answer = memo.get(key)
    if answer is None:
        if len(memo) >= _PLAUSIBLE_MEMO_SIZE:
            memo.clear()  # a long build meets ever new candidates: keep the memory bounded
        answer = memo[key] = _plausible_name(name, context, strict)
    return answer


def _plausible_name(name: str, context: Context, strict: bool) -> bool:
    if not 2 <= len(name) <= 5 or not _CJK_ONLY.fullmatch(name):
        return False
    s = surname_length(name, 0, context)
    if not s or not 1 <= len(name) - s <= 3:
        return False
    if any(c in _NOT_IN_NAME for c in name[s:]) or all(c in _NUMERALS for c in name[s:]):
        return False  # 左一, 王二: a position in a photo caption, a numbered person
    if is_ordinary_word(name, 5 if strict and len(name) == 2 else 20):
        return False
    if s == 1 and len(name) >= 3 and frequency(name[:2]) >= 3000:
        return False  # 来到现场, 高兴地: a common word, even in a by-line
    if strict and s == 1 and (len(name) > 3 or (len(name) == 3 and is_ordinary_word(name[:2], 100)
                                                and word_tag(name[:2]) != "ns")):  # 秦国良: an old state's name
        return False  # four characters after a one-character surname only in by-lines (孙立浩洋)
    if strict and s == 1 and len(name) >= 3 and (frequency(name[:2]) >= 1000 or _is_verb(name[1:])):
        # 安全感, 权威发布, 国作用: the surname character opens or precedes a common word
        return False
    return not context.gazetteer.lookup(name)


def _is_verb(word: str) -> bool:
    tag = word_tag(word) or ""
    return tag[:1] == "v" and frequency(word) >= 1000


@functools.lru_cache(maxsize=1)
def _followers() -> frozenset[str]:
    return package_set("name_followers.txt") | frozenset(_FOLLOWERS)


@functools.lru_cache(maxsize=1)
def _follower_lengths() -> tuple[int, ...]:
    """The follower words' lengths, longest first: ``follower_at`` looks each up rather than scanning every word."""
    return tuple(sorted({len(w) for w in _followers() if w}, reverse=True))


def follower_at(text: str, j: int) -> int:
    """How strongly text[j:] reads as what follows a name: 9 at the end of the run of
    Chinese, else the length of the follower word written there (陪同, 说), else 0.

    A follower word counts only where jieba also ends a word after it, or cuts a longer
    word that opens with it (主持会议, 出席会议): 强调 counts in 强调了 but not in 强调研.
    """
    if j >= len(text) or not CJK.match(text[j]):
        return 9
    ahead = text[j : j + 8]
    followers = _followers()
    written = [n for n in _follower_lengths() if n <= len(ahead) and ahead[:n] in followers]
    if written:  # jieba is asked only where a follower word is written
        ends, first = boundaries(ahead), len(cut(ahead)[0])
        longest = next((n for n in written if n in ends or n < first), 0)
        if longest:
            return longest
    return 1 if text[j] in NAME_ENDS else 0


def ends_at(text: str, j: int) -> bool:
    """True when a name may end just before offset j."""
    return bool(follower_at(text, j))


def _may_open_with_ordinary_word(window: str, longer_than: int, min_freq: int = 20) -> bool:
    """Whether a cut of ``window`` may open with an ordinary word longer than ``longer_than``.

    Only a dictionary word that the window starts with can be one, so most windows
    need no cut to answer no.
    """
    return any(len(w) > longer_than and is_ordinary_word(w, min_freq) for w in dictionary_words(window))


def _given_name_length(text: str, i: int, s: int) -> int:
    """One or two characters after the surname: what follows each reading decides.

    Two characters (a three-character name) is the default; one only when the
    character after it is a word that follows names (王明陪同, 王明和同事) or opens an
    ordinary word (王明调研), and two characters would not end before such a word
    just as well (张国庆说, 何德明陪同).
    """
    j2, j3 = i + s + 1, i + s + 2
    if j2 >= len(text) or not CJK.match(text[j2]) or text[j2] in _NOT_IN_NAME:
        return 1
    if follower_at(text, j2):
        return 1  # 王明说, 王明和同事, 王明陪同, 王明在调研时 (not 王明在)
    if follower_at(text, j3):
        return 2  # 张国庆说, 何德明陪同
    window = text[j2 : j2 + 8]
    if not _may_open_with_ordinary_word(window, 1):
        return 2
    first = cut(window)[0]
    return 1 if len(first) >= 2 and is_ordinary_word(first) else 2


def name_length(text: str, i: int, context: Context, strict: bool = True) -> int:
    """Length of the Chinese name starting at text[i], or 0 when none does."""
    s = surname_length(text, i, context)
    if not s:
        return 0
    shortest, longest = s + 1, s + 2
    # jieba cuts the text at i only where its dictionary has a word there that could refuse the name
    window = text[i : i + 10]
    preposition = text[i] in _FUNCTION_SURNAMES and _may_open_with_ordinary_word(window[1:], 1)
    if preposition or _may_open_with_ordinary_word(window, longest, 1):
        words = cut(window)
        if words[0] in _FUNCTION_SURNAMES and len(words) > 1 and len(words[1]) >= 2 and is_ordinary_word(words[1]):
            return 0  # 从|公安部, 于|日前: the "surname" is a preposition before a word
        if len(words[0]) > longest and is_ordinary_word(words[0], 1):
            return 0  # 齐聚一堂, 高新技术: the "name" would be cut out of a longer word
    length = s + _given_name_length(text, i, s)
    name = text[i : i + length]
    if len(name) == length and plausible_name(name, context, strict):
        return length
    if length == longest and plausible_name(text[i : i + shortest], context, strict) and (
        ends_at(text, i + shortest) or len(cut(text[i + shortest : i + shortest + 8])[0]) >= 2
    ):
        return shortest
    return 0


def foreign_length(text: str, i: int) -> int:
    """Length of a transliterated name at text[i] (吉尔顿, 古特雷斯), 0 when none."""
    j = i
    while j < len(text) and j - i < 6 and text[j] in FOREIGN_CHARACTERS:
        j += 1
    while j - i >= 2:
        if ends_at(text, j) or j - i in boundaries(text[i : i + 10]):
            return j - i
        j -= 1
    return 0


def token_names(token: str, context: Context, strict: bool = True) -> list[tuple[int, int]]:
    """Names that make up a whole by-line token: one name, or two written together."""
    if token.endswith("摄") and 3 <= len(token) <= 6 and plausible_name(token[:-1], context, strict):
        return [(0, len(token) - 1)]  # photo credit, 张三摄
    if 2 <= len(token) <= 5 and plausible_name(token, context, strict):
        return [(0, len(token))]
    for cut_at in (2, 3):
        a, b = token[:cut_at], token[cut_at:]
        if 2 <= len(b) <= 3 and plausible_name(a, context, strict) and plausible_name(b, context, strict):
            return [(0, cut_at), (cut_at, len(token))]
    return []


def dotted_names(text: str, cue_ends: set[int]) -> dict[int, int]:
    """Transliterated names written with a middle dot (安东尼奥·古特雷斯), start -> end.

    Each part is a run of transliteration characters: the first part stops at a post
    or a word before it (驻某国代表安娜·罗西 -> 安娜·罗西), the last at the first
    character that no transliteration uses (古特雷斯表示 -> 古特雷斯). ``cue_ends`` are where
    posts and person nouns end in the text.
    """
    out: dict[int, int] = {}
    if not _ANY_DOT.search(text):
        return out
    for m in _DOT_NAME.finditer(text):
        first_dot = next(k for k in range(m.start(), m.end()) if text[k] in _DOT)
        start = first_dot
        while start > m.start() and first_dot - start < 6 and start not in cue_ends and (
            text[start - 1] in FOREIGN_CHARACTERS or (start - 2 >= m.start() and text[start - 2] in FOREIGN_CHARACTERS
                                            and start - 1 not in cue_ends)
        ):
            start -= 1  # one character outside the list between two inside it: 安东尼奥
        if m.start() >= 2 and text[m.start() - 1] in _HYPHENS and CJK.match(text[m.start() - 2]):
            hyphen = m.start() - 1  # 让-皮埃尔: a hyphenated first name, back to the post before it
            start = hyphen
            while start > 0 and CJK.match(text[start - 1]) and hyphen - start < 3 and start not in cue_ends:
                start -= 1
        last_dot = max(k for k in range(m.start(), m.end()) if text[k] in _DOT)
        end = last_dot + 1
        while end < m.end() and text[end] in FOREIGN_CHARACTERS and end - last_dot <= 6:
            end += 1
        if end - last_dot == 2 and not ends_at(text, end):
            end = last_dot + 1  # a one-character last part (某某·汗) only where the name clearly ends
        if first_dot - start >= 1 and end - last_dot >= 2:
            out[start] = end
    return out


@functools.lru_cache(maxsize=1)
def _tibetan_syllables() -> frozenset[str]:
    return package_set("tibetan_names.txt")


@functools.lru_cache(maxsize=1)
def _two_syllables() -> re.Pattern:
    """Two syllables written together: a sentence without them holds no Tibetan name."""
    syllable = word_pattern(package_words("tibetan_names.txt")).pattern
    return re.compile(f"(?:{syllable})(?:{syllable})")


def tibetan_names(text: str) -> list[tuple[int, int]]:
    """Tibetan names: two given-name syllables written together (次仁多吉 style), no surname."""
    if not _two_syllables().search(text):
        return []
    syllables = _tibetan_syllables()
    spans, i = [], 0
    while i + 4 <= len(text):
        if text[i : i + 2] in syllables and text[i + 2 : i + 4] in syllables and (
            i == 0 or text[i - 1 : i + 1] not in syllables
        ):
            spans.append((i, i + 4))
            i += 4
        else:
            i += 1
    return spans
