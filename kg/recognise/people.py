"""People: names found by the cues that news Chinese puts around them.

A name is a surname (kg/lexicons/surnames.txt, compound_surnames.txt) and one or
two more characters, or a transliterated foreign name. It is only taken where a cue
makes it a person:

- by-lines and credits: 本报记者 方静, □本报通讯员 韩小雅 张婧, 记者余东海 实习生张若兰,
  （刘文涛、林海燕） after the dateline, a lone （王世明） or □王世明 line, 张三 摄,
  page and web credits (责任编辑：高某　美术编辑：李某);
- a post or a person noun before it: 政治处主任邱明, 部长吉尔顿, 村民黄树林, and the
  names listed after one post (人民陪审员张某某、李某);
- a post after it: 江泽民主席, 张三同志;
- a speech verb after it at the start of a clause or after a noun for a person:
  罗小义说, 王平坦言, 列车员赵某某说;
- a transliterated name with a middle dot (安东尼奥·古特雷斯, 让-皮埃尔·某某, 某某·汗), without
  the post before it;
- with no title, as public NER gold marks them: a bare name opening a clause and doing
  something (王明昨天在某地会见, 今天上午王明出席), names listed with 、 and closed by
  等/三人/同志 (某甲、某乙、某丙三人获得), the person put into a post (增补某某为副主席,
  由某某担任) or met (会见了某某一行), two Tibetan given-name syllables (kg/lexicons/
  tibetan_names.txt), a post and a name parted by a space in captions (县委副书记 某某：).
  These weak cues refuse any candidate jieba knows as a common word (杨柳, 陈述, 秦岭).

How long a name is, whether it is plausible, and the names that need no cue of their own
(dotted and Tibetan names, by-line tokens) are read in ``names``.
"""
from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from ..lexicon import package_words, word_pattern
from ..models import Mention, Sentence
from .names import (
    CJK, NAME_ENDS, dotted_names, follower_at, foreign_length, name_length, plausible_name, surname_length,
    tibetan_names, token_names,
)
from .wordcut import boundaries, cut, frequency, word_tag

if TYPE_CHECKING:
    from . import Context

__all__ = ["find"]

# last characters of nouns for people (旅客, 店员, 学者, 农民, 医师)
_PERSON_SUFFIX = frozenset("员者客民工生师户主友")
# by-lines (本报记者, 通讯员) and the credits of a page or web article (责任编辑：, 校对：)
_BYLINE_CUE = re.compile(
    r"(?:(?:本报|本台|本刊|新华社|人民日报|央视)?(?:首席|特约|见习|实习|摄影|驻\S{1,4})?(?:记者|通讯员|实习生)[\s：:]*"
    r"|(?:责任编辑|美术编辑|图片编辑|文字编辑|值班编辑|网络编辑|编辑|责编|校对|审核|审校|终审|复审|初审|统筹|策划|"
    r"监制|制图|摄影|摄像|主编|排版|版式设计|设计|视频|剪辑|撰稿|作者|来稿)\s*[：:]\s*)"
)
# every by-line cue holds one of these: sentences without them need no scan for cues
_BYLINE_WORD = re.compile(r"记者|通讯员|实习生|[：:]")
# the marks around a line of names (□刘志平, （王世明）)
_LINE_LEAD = re.compile(r"[\s□■◆●（(]*")
_SPACE = re.compile(r"\s")
_LINE_TAIL = re.compile(r"[\s□■◆●（）()]+$")
_CREDIT = re.compile(r"[（(]([^（）()]{2,40})[）)]")
_SEPARATORS = re.compile(r"[\s、，,□■◆●/]+")
_CLAUSE_START = frozenset("，。；：、“”‘’「」（）()!！?？\u3000 □■◆●")
# (no verb starts inside another, so no occurrence hides one that overlaps it)
_SPEECH = re.compile(r"说|表示|介绍|指出|认为|强调|告诉|坦言|透露|称|感慨|回忆|笑道|补充")
# posts written after a name in reports of state affairs (江泽民主席, 张三同志)
_POST_AFTER = tuple(
    "总书记 主席 总理 委员长 国务委员 总统 首相 外长 大使 部长 省长 市长 县长 区长 书记 "
    "局长 院长 检察长 主任 同志 教授 院士 司令员 政委 将军 委员 代表 老师 医生 律师 警官 先生 女士".split()
)
_POST_WORD = re.compile("|".join(_POST_AFTER))
_POST_AHEAD = re.compile("(?=(?:常务)?副?(?:" + "|".join(_POST_AFTER) + "))")  # where such a post is written
_CLAUSE = re.compile(r"[^，。；：！？!?;:“”\s]+")
# a clause that opens with a name and goes on to speak (江泽民在会见时说): verbs of saying
_SAYS = re.compile(r"说|表示|指出|强调|认为|介绍|告诉|坦言|透露|称|谈到|宣布|回答|提出")
# or is introduced (张三，男，45岁)
_SEX = re.compile(r"[，,](?:男|女)[，,]")
# what follows the bare name that opens a clause (王明昨天在某地会见, 王明荣获): time words,
# 在/于 and verbs of public action; the name needs no title then (as in NER gold)
_SUBJECT_NEXT = tuple(
    "昨天 今天 明天 前天 日前 近日 近期 最近 当天 当日 上午 下午 晚上 今年 去年 此前 随后 曾经 曾 已经 也 还 再次 首次 "
    "亲自 专程 一行 在 于 会见 会晤 接见 访问 出席 参加 指出 来到 获得 荣获 带领 率领 主持 当选 考察 调研 视察 看望 "
    "慰问 签署 致电 致信 发表 宣布 出任 担任 接受 抵达 前往 走访 逝世 去世 率团 率队 表示 强调 说".split()
)
# what may follow a bare name that opens a clause: an action, 等人, or a second name joined to it
# (two to four characters on from the clause's start, where a name of that length would end)
_AFTER_SUBJECT = re.compile("(?s:.{2,4})(?:" + "|".join((*_SUBJECT_NEXT, "等人", "和", "与", "同", "及")) + ")")
# verbs of meeting whose object is a person (会见了某某, 看望某某一行)
_MEETS = re.compile(r"(?:会见|会晤|接见|看望|探望|慰问|宴请|陪同|致电|致信|祝贺|采访)了?")
# what may follow the met person (，。、和 一行 时 并)
_MET_END = re.compile(r"[，。；、,;]|$|和|与|及|一行|等|时|并|夫妇")
# time words that may open a clause before its subject (今天上午某某在……会见)
_TIME_LEAD = re.compile(r"(?:今天|昨天|明天|前天|日前|近日|当天|同日|此前|随后|[0-9]{1,2}日)(?:上午|下午|晚上|晚间|凌晨)?"
                        r"|(?:上午|下午|晚上|晚间)")
# verbs whose object is a person put into a post or given an honour (增补某某为副主席, 授予某某称号)
_APPOINT = re.compile(r"(?:增补|任命|选举|推选|推举|提名|聘任|聘请|委任|授予|追授|追认|免去|撤销|由(?!于))")
# what joins two subjects (某甲和某乙昨天会见)
_PARTNER = re.compile(r"[和与同及]")
# the space between a post and a name in captions
_GAP = re.compile(r"[ \u3000]{1,2}")
_APPOINT_END = ("为", "担任", "同志", "称号", "荣誉", "的", "职务", "等")
# what closes a list of bare names (某甲、某乙、某丙三人获得, 某甲、某乙等)
_LIST_END = re.compile(r"(?:等|[二两三四五六七八九十]人|[二两三四五六七八九十]位|同志|分别|一起|共同|都|均|也|先后)")


def _cue_pattern(context: Context) -> re.Pattern:
    """Posts and nouns for people, after which a name is written; built once per context."""
    if "person_cues" not in context.cache:
        words = sorted(set(context.lexicon.titles) | set(package_words("person_nouns.txt")), key=lambda w: (-len(w), w))
        context.cache["person_cues"] = word_pattern(words)
    return context.cache["person_cues"]


def _mention(sentence: Sentence, start: int, end: int, cue: str) -> Mention:
    return Mention("person", sentence.text[start:end], sentence.start + start, sentence.start + end,
                   sentence.index, attrs={"cue": cue})


def _cued_token(token: str, context: Context) -> list[tuple[int, int]]:
    """A name standing alone right after 记者 that is also the short form of a county name."""
    if not 2 <= len(token) <= 3 or not surname_length(token, 0, context) or frequency(token) >= 1000:
        return []
    places = context.gazetteer.lookup(token)
    if not places or any(place.name == token for place in places):
        return []
    return [(0, len(token))]


def _byline_names(text: str, pos: int, context: Context, strict: bool = False,
                  cued: bool = False) -> list[tuple[int, int]]:
    """Names listed from ``pos`` on (王明辉 李凯文, 朱旭东 金晓晴), the last one maybe run into prose."""
    out: list[tuple[int, int]] = []
    while pos < len(text):
        token_end = pos
        while token_end < len(text) and CJK.match(text[token_end]):
            token_end += 1
        token = text[pos:token_end]
        whole = token_names(token, context, strict) if token_end == len(text) or not CJK.match(text[token_end]) else []
        if not whole and cued and not out and (token_end == len(text) or text[token_end] in "）)、 \u3000"):
            whole = _cued_token(token, context)
        if whole:
            out.extend((pos + a, pos + b) for a, b in whole)
        else:
            length = name_length(text, pos, context, strict)
            if length and (not out or len(token) > length):
                out.append((pos, pos + length))
            return out
        sep = _SEPARATORS.match(text, token_end)
        if not sep:
            return out
        pos = sep.end()
        if _BYLINE_CUE.match(text, pos):
            return out
    return out


def _bylines(text: str, context: Context) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in _BYLINE_CUE.finditer(text) if _BYLINE_WORD.search(text) else ():
        spans.extend(_byline_names(text, m.end(), context, cued="记者" in m.group(0)))
    # a line that holds nothing but names (黎焕章 / □刘志平 / 崔东明 张川 / 焦玉菲 翁晓军……)
    lead = _LINE_LEAD.match(text).end()
    body = _LINE_TAIL.sub("", text)
    tokens: list[str] = []
    if len(body) - lead <= 16 or _SPACE.search(text, lead):  # a long line without a space holds prose
        tokens = [t for t in _SEPARATORS.split(body[lead:]) if t]
    if tokens and len(body) - lead <= 16 and all(token_names(t, context) for t in tokens):
        spans.extend(_byline_names(body, lead, context, strict=True))
    elif len(tokens) > 1 and text[lead + len(tokens[0]) : lead + len(tokens[0]) + 1].isspace():
        if len(tokens[0]) <= 3 and token_names(tokens[0], context):
            spans.extend(_byline_names(text, lead, context, strict=True))
    for m in _CREDIT.finditer(text):  # （刘文涛、林海燕）, （记者陈支平）, （王世明）
        cue = _BYLINE_CUE.match(m.group(1))
        parts = [t for t in _SEPARATORS.split(_BYLINE_CUE.sub(" ", m.group(1))) if t]
        if parts and all(token_names(t, context, strict=False) for t in parts):
            spans.extend(_byline_names(text, m.start(1) + (cue.end() if cue else 0), context))
    return spans


def _listed_after(text: str, end: int, context: Context) -> list[tuple[int, int]]:
    """Names listed after one post with 、 (人民陪审员张某某、李某): each ends where a name may end."""
    spans = []
    while text[end : end + 1] == "、":
        i = end + 1
        length = name_length(text, i, context)
        after = i + length
        if not length or not (follower_at(text, after) or length in boundaries(text[i : i + 10])):
            break
        spans.append((i, after))
        end = after
    return spans


def _after_posts(text: str, context: Context, cue_ends: list[int], dotted: dict[int, int]) -> list[tuple[int, int]]:
    spans = []
    for i in cue_ends:
        if i >= len(text) or text[i] in NAME_ENDS:
            continue
        if i in dotted:  # 部长詹姆斯·某某: the whole dotted name
            spans.append((i, dotted[i]))
            continue
        length = name_length(text, i, context)
        foreign = foreign_length(text, i)
        if foreign >= 4 or (not length and not surname_length(text, i, context)):
            length = max(length, foreign)
        if length:
            spans.append((i, i + length))
            spans.extend(_listed_after(text, i + length, context))
    return spans


def _before_posts(text: str, context: Context) -> list[tuple[int, int]]:
    """A word of jieba's before a post (江泽民主席, 张三同志): posts are found first, then the word before each."""
    if not _POST_WORD.search(text):
        return []
    posts = [m.start() for m in _POST_AHEAD.finditer(text)]
    ends = list(itertools.accumulate(map(len, cut(text))))
    word_start = dict(zip(ends, [0, *ends[:-1]]))  # where the word that ends at an offset starts
    spans = []
    for end in posts:
        pos = word_start.get(end)
        word = text[pos:end] if pos is not None else ""
        if 2 <= len(word) <= 4 and plausible_name(word, context):
            if pos == 0 or not CJK.match(text[pos - 1]) or text[pos - 1] in NAME_ENDS or word_tag(word):
                spans.append((pos, end))
    return spans


def _person_word_before(text: str, i: int) -> bool:
    """A noun for a person ends right before ``i`` (旅客, 店员, 农民工): a name may follow it."""
    window = text[max(0, i - 6) : i]
    if not window or window[-1] not in _PERSON_SUFFIX or not any(
            (word_tag(window[k:]) or "").startswith("n") for k in range(len(window) - 1)):
        return False  # no such noun ends the window: no need to cut it
    words = cut(window)
    last = words[-1] if words else ""
    return len(last) >= 2 and last[-1] in _PERSON_SUFFIX and (word_tag(last) or "").startswith("n")


def _speakers(text: str, context: Context) -> list[tuple[int, int]]:
    spans = []
    for m in _SPEECH.finditer(text):
        j = m.start()
        for length in (3, 2, 4):
            i = j - length
            opens = i == 0 or (i > 0 and (text[i - 1] in _CLAUSE_START or _person_word_before(text, i)
                                          or (text[i - 1] in "据对向跟" and text[i - 2 : i - 1] in _CLAUSE_START | {""})))
            if i >= 0 and opens and plausible_name(text[i:j], context):
                spans.append((i, j))
                break
    return spans


def _clause_speakers(text: str, context: Context) -> list[tuple[int, int]]:
    """A name that opens a clause in which someone speaks (江泽民在会见时说, 张三，男，45岁)."""
    spans: list[tuple[int, int]] = []
    if not (_SAYS.search(text) or _SEX.search(text)):
        return spans  # nobody speaks or is introduced in the sentence
    for m in _CLAUSE.finditer(text):
        clause, i = m.group(0), m.start()
        speaks = _SAYS.search(clause, 2) or _SEX.match(text, m.end())
        if not speaks:
            continue
        length = name_length(text, i, context)
        if length and (length == len(clause) or cut(clause)[0] == clause[:length]):
            spans.append((i, i + length))
    return spans


# digits: a number (and spaces) right before a clause makes what follows counted (11 项功能)
_DIGITS = frozenset("0123456789０１２３４５６７８９")
# characters that end a surname-initial word of place, time or quantity (万人, 史上, 年内): never
# the last character of a bare name
_NOT_BARE_END = frozenset("人上下中里内外前后年月日时次家方")
# terms of address after a surname (周大爷, 李阿姨, 王师傅): a person, but no name
_ADDRESS = ("大爷", "大妈", "大娘", "大叔", "大哥", "大姐", "阿姨", "奶奶", "爷爷", "师傅", "老板", "婆婆", "嫂子")


def _bare_name(name: str, context: Context) -> bool:
    """A name with no title or speech cue: plausible, and no word jieba knows as anything but a
    well-known person's full name (秦岭, 杨柳, 陈述 carry jieba's nr tag but are words)."""
    if not plausible_name(name, context) or name[-1] in _NOT_BARE_END or name.endswith(_ADDRESS):
        return False
    if len(name) == 3 and word_tag(name[1:]) == "n" and frequency(name[1:]) >= 5000:
        return False  # 项功能, 片区域: a measure word or a character before a common noun
    return len(name) > 2 or frequency(name) < 100 or word_tag(name) in ("nrfg", "nrt")


def _opens_with(rest: str, words: tuple[str, ...]) -> bool:
    """``rest`` opens with one of ``words`` as a whole jieba word (在 in 在北京, not 在 of 在建)."""
    if not rest or not (rest[:1] in ("在", "于") or rest.startswith(words)):
        return False
    first = cut(rest[:8])[0]
    return first in words or (rest[:1] in ("在", "于") and len(first) == 1)


def _clause_subjects(text: str, context: Context) -> list[tuple[int, int]]:
    """A bare name that opens a clause and does something (王明昨天在某地会见, 王明荣获).

    The name must be one jieba word or a surname and a word jieba does not know, and
    no common word: the strict test of :func:`plausible_name` guards 高度重视, 安全感.
    """
    spans = []
    for m in _CLAUSE.finditer(text):
        i = m.start()
        if i > 0 and (text[i - 1] not in _CLAUSE_START or text[:i].rstrip()[-1:] in _DIGITS):
            continue  # 11 项功能: a measure word after a number
        lead = _TIME_LEAD.match(text, i)
        if lead and lead.end() < m.end() and lead.end() - i in boundaries(text[i : i + 12]):
            i = lead.end()  # 今天上午某某在……: the subject after a time word
        if not surname_length(text, i, context) or not _AFTER_SUBJECT.match(text, i):
            continue  # no surname, or no action after a name of any length: no need to read the name
        length = name_length(text, i, context)
        if not length or length > len(m.group(0)) or not _bare_name(text[i : i + length], context):
            continue
        rest = text[i + length : m.end()]
        if _opens_with(rest, _SUBJECT_NEXT) or rest.startswith("等人"):
            subjects = [(i, i + length)]
        else:  # 某甲和某乙昨天会见: two subjects joined
            j = i + length + 1
            other = name_length(text, j, context) if _PARTNER.match(rest) else 0
            joined = other and _bare_name(text[j : j + other], context) and _opens_with(text[j + other : m.end()],
                                                                                       _SUBJECT_NEXT)
            subjects = [(i, i + length), (j, j + other)] if joined else []
        if subjects and length in boundaries(text[i : i + 10]):  # the (first) name is one word of its own
            spans += subjects
    return spans


def _name_lists(text: str, context: Context) -> list[tuple[int, int]]:
    """Bare names listed with 、 and closed by 等, 三人, 同志 or an action (某甲、某乙、某丙三人获得)."""
    spans = []
    if "、" not in text:
        return spans
    for m in _CLAUSE.finditer(text):
        clause = m.group(0)
        parts = clause.split("、")
        if len(parts) < 2:
            continue
        heads = parts[:-1]
        lead = _listed_first(parts[0], context)
        if lead:
            heads = [parts[0][-lead:], *heads[1:]]
        if not all(2 <= len(p) <= 4 and plausible_name(p, context) for p in heads):
            continue
        strong = sum(_bare_name(p, context) for p in heads)
        if strong < len(heads) and (strong < 2 or not all(_bare_name(p, context) or (word_tag(p) or "nr")[:2] == "nr"
                                                          for p in heads)):
            continue  # 某甲、某乙、朱某等: a name jieba also knows as a word only among other names
        last_start = m.start() + len(clause) - len(parts[-1])
        length = next((n for n in (3, 2, 4) if _LIST_END.match(text, last_start + n)
                       and text[last_start + n - 1] not in NAME_ENDS and plausible_name(text[last_start : last_start + n], context)), 0)
        length = length or name_length(text, last_start, context)
        last = text[last_start : last_start + length]
        if length and not _bare_name(last, context) and (strong < 2 or (word_tag(last) or "nr")[:2] != "nr"):
            continue
        rest = text[last_start + length : m.end()]
        if not length or not (not rest or _LIST_END.match(rest) or _opens_with(rest, _SUBJECT_NEXT)):
            continue
        pos = m.start() + len(parts[0]) - len(heads[0])
        for p in heads:
            spans.append((pos, pos + len(p)))
            pos += len(p) + 1
        spans.append((last_start, last_start + length))
    return spans


def _met(text: str, context: Context) -> list[tuple[int, int]]:
    """The person met, visited or greeted (会见了某某一行, 看望某某): a bare name after the verb."""
    spans = []
    for m in _MEETS.finditer(text):
        i = m.end()
        length = name_length(text, i, context)
        if length and _bare_name(text[i : i + length], context) and _MET_END.match(text, i + length) \
                and length in boundaries(text[i : i + 10]):
            spans.append((i, i + length))
    return spans


def _listed_first(part: str, context: Context) -> int:
    """Length of a name that ends ``part`` after 有, 是, 由 or 为 (出席会议的有某甲), 0 when none."""
    for n in (3, 2):
        if len(part) > n + 1 and part[-n - 1] in "有是由为" and (len(part) - n) in boundaries(part) \
                and _bare_name(part[-n:], context):
            return n
    return 0


def _appointed(text: str, context: Context) -> list[tuple[int, int]]:
    """The person a post or an honour is given to (增补某某为副主席, 授予某某称号)."""
    spans = []
    for m in _APPOINT.finditer(text):
        i = m.end()
        length = name_length(text, i, context)
        if length and text[i + length :].startswith(_APPOINT_END):
            spans.append((i, i + length))
    return spans


def _spaced_posts(text: str, cue_ends: list[int], context: Context) -> list[tuple[int, int]]:
    """Captions and signatures that put a space between post and name (县委副书记 某某：, 市长 某某)."""
    spans = []
    for end in cue_ends:
        gap = _GAP.match(text, end)
        if not gap:
            continue
        i = gap.end()
        j = i
        while j < len(text) and CJK.match(text[j]) and j - i < 4:
            j += 1
        if (j == len(text) or text[j] in "：:（( \u3000\n") and 2 <= j - i <= 4 and token_names(text[i:j], context):
            spans.append((i, j))
    return spans


def find(sentence: Sentence, context: Context) -> list[Mention]:
    text = sentence.text
    found: dict[tuple[int, int], str] = {}
    cue_ends = [m.end() for m in _cue_pattern(context).finditer(text)]  # posts, person nouns
    dotted = dotted_names(text, set(cue_ends))
    for cue, spans in (
        ("byline", _bylines(text, context)),
        ("post", _after_posts(text, context, cue_ends, dotted)),
        ("post_after", _before_posts(text, context)),
        ("speech", _speakers(text, context)),
        ("speech", _clause_speakers(text, context)),
    ):
        for span in spans:
            found.setdefault(span, cue)
    for start, end in dotted.items():
        found.setdefault((start, end), "foreign")
    for cue, spans in (  # cues with no title: never over a name found above
        ("tibetan", tibetan_names(text)),
        ("post", _spaced_posts(text, cue_ends, context)),
        ("appointed", _appointed(text, context)),
        ("met", _met(text, context)),
        ("list", _name_lists(text, context)),
        ("subject", _clause_subjects(text, context)),
    ):
        for a, b in spans:
            if not any(a < y and x < b for x, y in found):
                found[(a, b)] = cue
    return [_mention(sentence, a, b, cue) for (a, b), cue in sorted(found.items())]
