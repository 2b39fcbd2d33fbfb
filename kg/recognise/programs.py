"""Programs: named initiatives, as news Chinese writes them.

- 《》 titles of laws, regulations and policy documents (《信访工作条例》 -> 信访工作条例;
  a trailing （试行） is dropped);
- quoted names followed by a head word, maybe after a short description
  (“调解+心理服务”模式, “治乱化积”三年攻坚专项行动, “和事茶社”“邻和小栈”等……平台): the
  name is what stands in the quotes, the shortest form that still names it;
- quoted formulas joined by + (“网格+调解”) and quoted numbers (“12337”举报平台);
- unquoted names ending in a strong head after the verb that introduces them
  (建立健全快递寄递禁毒协作联席会议制度, 自打假治劣专项行动以来).

Quoted ordinary words (“红色”平台) and slogans without a head stay out. A name that is
only a role noun (“信息员”制度) keeps its head: 信息员制度.
"""
from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from ..lexicon import package_words
from ..models import Mention, Sentence
from .wordcut import frequency

if TYPE_CHECKING:
    from . import Context

__all__ = ["find", "document_name"]

_BOOK = re.compile(r"《([^《》]{2,60})》")
_QUOTE = re.compile(r"[“‘\"]([^“”‘’\"。；！？]{2,30})[”’\"]")
_TRIAL = re.compile(r"[（(](?:试行|暂行|修订|修正|草案|征求意见稿)[）)]$")
_LIST_GLUE = re.compile(r"(?:、|和|与|及|以及)?$")
_CJK_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{1,18}")
# heads that end the title of a document in 《》
_DOCUMENT_HEADS = (
    "法 条例 办法 规定 意见 方案 通知 决定 纲要 规划 计划 制度 细则 准则 规则 公约 协定 框架 标准 规范 手册 "
    "指南 决议 宣言 守则 章程 清单 机制 体系 措施 条款 协议 备忘录 实施意见 指导意见 工作规则 工作规定"
).split()
_ROLE_NOUN_END = ("员", "人", "者", "长", "官")
# what quoted names of units end with (“润西”志愿服务队 names a team, not a program)
_UNIT_END = ("队", "室", "中心", "所", "局", "委", "组", "团", "会", "式")
# a description between a quoted name and its head is a noun phrase: no verbs, no prepositions
_NOT_IN_DESCRIPTION = re.compile(r"[在是为对把向让使将从被了着于]|开展|实现|进行")
# words that end a quoted name and make it a program by themselves (“一站工作法”, “枫桥经验”)
_NAME_ENDS = ("经验", "框架", "战略", "工程", "工作法", "机制", "行动", "计划", "平台", "模式", "体系", "制度",
              "活动", "项目", "热线", "方案", "工作室", "品牌", "大会战", "基金")
# heads after which a quoted name ending in a unit word is still a program: an arrangement or a model
# to build (“院落某某会”制度, “某某式派出所”创建), not the unit itself
_MODEL_HEADS = ("制度", "模式", "机制", "经验", "品牌", "创建")
# what a quoted name is joined to when it is a mechanism put together with another (与“某某”相结合)
_JOINED = re.compile(r"(?:相?结合|融合|衔接|联动)")
# modifiers that stand before an unquoted name without being part of it
_LEADING_MODIFIERS = re.compile(r"^(?:新一轮|新一届|本轮|此次|本次|今年|全年|各类|各项|一系列|[\u4e00-\u9fff]{0,6}化)")
# verbs and words after which an unquoted program name starts
_INTRODUCERS = (
    "建立健全 探索建立 建立完善 建立 健全 完善 开展 推进 实施 出台 制定 依托 通过 打造 探索 宣传 推行 创新 "
    "深化 落实 启动 构建 纳入 参与 加入 部署 组织 举办 召开 持续 深入 扎实 全面 积极 加强 成立 提高 围绕 "
    "自 在 以 的 和 与 及 了 对 把 将"
).split()
# heads strong enough to name a program without quotes
_STRONG_HEADS = (
    "专项行动 专项斗争 专项整治行动 攻坚行动 攻坚战 大会战 联席会议制度 联席会议机制 联调机制 信息共享平台 "
    "服务平台 防控体系 工作法 示范城市"
).split()
# verbs after which a quoted name is something run (落实“两到位一反馈”, 创建“党员示范岗”)
_RUN_VERBS = ("落实", "实行", "推行", "创建", "打造", "构建", "开展", "实施", "启动", "推出", "举办", "采取", "创新",
              "推进", "深化", "设立")
# heads that name a program only right after a quoted name (see _weak_head)
_WEAK_HEADS = ("服务", "合作", "贷款")
# quoted manner phrases: 一对一, 面对面, 零距离, 全天候, 保姆式, 标准化
_MANNER = re.compile(r"^(.)对\1$|^[零全无多]|[式型化]$|^(?:一条龙|一站式|点对点|面对面|心连心|手拉手)$")
# named events without quotes: an ordinal, a name, an event word (首届某某合作论坛, 第十届某某博览会)
_EVENT = re.compile(
    r"(首届|第[一二三四五六七八九十百零〇0-9]{1,4}届)([\u4e00-\u9fffA-Za-z0-9·—\-（）()]{2,24}?"
    r"(?:论坛|峰会|博览会|交易会|展览会|研讨会|年会|大会|运动会|艺术节|文化节|旅游节|电影节|音乐节|大赛|锦标赛|马拉松))"
)
# fairs and forums named with their year (2024某某国际某某博览会): the name follows the year
_YEAR_EVENT = re.compile(
    r"(?<![0-9])(20[0-9]{2}年?)([\u4e00-\u9fff（）()]{2,20}?(?:国际|全球|世界|中国|亚洲)[\u4e00-\u9fff]{0,12}?"
    r"(?:博览会|交易会|展览会|论坛|峰会|艺术节|文化节|旅游节|电影节|音乐节|马拉松))"
)
# games and fairs named by their host city (广州亚运会, 北京冬奥会): named events without quotes
# (the event words alone are a quick test before the slower pattern)
_HOSTED_EVENT = re.compile(r"亚运会|亚残运会|奥运会|冬奥会|残奥会|冬残奥会|全运会|大运会|世运会|世博会|园博会|花博会")
_HOSTED = re.compile(rf"([\u4e00-\u9fff]{{2,3}}?)({_HOSTED_EVENT.pattern})")
_UNIT_WORDS = ("指挥部", "办公室", "领导小组", "工作组", "中心", "专班")
_NUMBERED = re.compile(r"(?<![0-9A-Za-z.])([0-9]{3,5})(?![个名人户余万元件起次家所年月日])([\u4e00-\u9fff]{0,8}?)(热线|平台|专线)")


@functools.lru_cache(maxsize=1)
def _heads() -> tuple[str, ...]:
    return package_words("program_heads.txt")


@functools.lru_cache(maxsize=1)
def _strong_head_pattern() -> re.Pattern:
    heads = "|".join(sorted(map(re.escape, _STRONG_HEADS), key=len, reverse=True))
    return re.compile(rf"(?:{heads})")


def document_name(title: str) -> str:
    """The name of a document from its title in 《》: no （试行）, no quotes, no spaces."""
    return re.sub(r"[\s“”‘’\"]", "", _TRIAL.sub("", title))


def _head_phrase(text: str, pos: int) -> str:
    """The description and head word written right after a quoted name, or ''."""
    if text.startswith(("APP", "App", "app"), pos):
        return "APP"
    run = _CJK_RUN.match(text, pos)
    if not run:
        return ""
    words = run.group(0)
    if words.startswith("等"):
        tail = re.match(r"[\u4e00-\u9fff]{1,24}", text[pos:])
        words = tail.group(0) if tail else words
    # the phrase ends with the head word that ends first, after a description that may stand there
    end = min((k + len(head) for k, head in _heads_written(words)
               if not _NOT_IN_DESCRIPTION.search(words[:k]) and ("的" not in words[:k] or words.startswith("等"))),
              default=0)
    best = words[:end]
    second = ""
    if best and words.startswith(_heads(), end):  # one test for all heads before looking for which one
        second = next(h for h in _heads() if words.startswith(h, end))
    return best + second  # 管理制度, 工作机制: a second head word belongs to the phrase


@functools.lru_cache(maxsize=1)
def _head_starts() -> re.Pattern:
    """Every place a head word is written, with the shortest head there (a lookahead finds overlapping ones)."""
    return re.compile("(?=(" + "|".join(map(re.escape, sorted(_heads(), key=len))) + "))")


def _heads_written(words: str) -> list[tuple[int, str]]:
    """(offset, head word) of each place in ``words`` where a head word starts, its shortest head:
    one regex scan instead of a search for every head word."""
    return [(m.start(), m.group(1)) for m in _head_starts().finditer(words)]


def _quoted_name(content: str, phrase: str) -> str:
    name = re.sub(r"\s", "", content)
    role_noun = len(name) <= 3 or frequency(name) > 0
    if name.endswith(_ROLE_NOUN_END) and role_noun and not re.search(r"[、+＋]", name) and phrase and not phrase.startswith("等"):
        return name + phrase  # “信息员”制度 -> 信息员制度 (but “一村一档、一户一长”制度 stays a name)
    return name


def _weak_head(text: str, pos: int, content: str) -> str:
    """A head that makes a program only right after a name of four or more characters
    that is no manner phrase (“一窗通关”服务, “银企互信”合作; not “一对一”服务, “全天候”服务)."""
    head = next((h for h in _WEAK_HEADS if text.startswith(h, pos)), "")
    name = re.sub(r"\s", "", content)
    if not head or len(name) < 4 or re.search(r"[+＋、，]", name) or _MANNER.search(name):
        return ""
    return head


def _acceptable(content: str, headed: bool, phrase: str = "") -> bool:
    """Whether quoted ``content`` names a program, given whether a head word follows it."""
    name = re.sub(r"\s", "", content)
    if len(name) < 2 or frequency(name) >= 1000:
        return False  # “红色”平台: an ordinary word, not a name
    if len(name) >= 3 and name.endswith("制") and headed:
        return True  # “某长制”, “包保责任制”: a system of responsibility
    if name.endswith(_UNIT_END) and phrase.endswith(_MODEL_HEADS):
        return True  # “院落某某会”制度: the name of an arrangement built on a unit
    if name.endswith(_UNIT_END) and not re.search(r"[+＋、]", name):
        return False  # “润西”志愿服务队 names a team; “县院+乡院+村室” is still a formula
    if "+" in name or "＋" in name:
        return headed or len(name) >= 6  # “线上+线下” alone is a phrase, “乡村振兴+普法” a name
    if len(name) >= 4 and name.endswith(_NAME_ENDS):
        return True
    if len(name) >= 4 and name.endswith("年") and not re.search(r"[0-9]", name):
        return True  # a named campaign year: “作风提升年”, “作风建设年”
    return headed


def _introduced(text: str, m: re.Match) -> bool:
    """A quoted name right after a verb of running things (落实“两到位一反馈”，推进“信易融”工作)."""
    name = m.group(1)
    if re.search(r"[、，,\s]", name) or not text[: m.start()].endswith(_RUN_VERBS):
        return False
    after = text[m.end() : m.end() + 2]
    shortest = 3 if name.endswith("制") else 4  # 推行“某长制”: a system of responsibility
    return (len(name) >= shortest and bool(re.match(r"[，。；,;]|$", after))) or (len(name) >= 3 and after == "工作")


def _joined(text: str, m: re.Match) -> bool:
    """A quoted name of four or more characters put together with another mechanism
    (把某某与“某某超市”结合起来, 和“某某”相衔接)."""
    name = m.group(1)
    return (len(name) >= 4 and not re.search(r"[、，,\s]", name) and text[: m.start()].endswith(("与", "和", "同"))
            and bool(_JOINED.match(text, m.end())))


def _quoted(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of quoted programs; a list of quoted names shares the head after the last."""
    out: list[tuple[int, int, str]] = []
    group: list[re.Match] = []
    matches = list(_QUOTE.finditer(text))
    for k, m in enumerate(matches):
        group.append(m)
        nxt = matches[k + 1] if k + 1 < len(matches) else None
        if nxt and _LIST_GLUE.fullmatch(text[m.end() : nxt.start()]) and nxt.start() - m.end() <= 2:
            continue
        phrase = _head_phrase(text, m.end()) or (_weak_head(text, m.end(), m.group(1)) if len(group) == 1 else "")
        for g in group:
            headed = bool(phrase) or (len(group) == 1 and (_introduced(text, g) or _joined(text, g)))
            if _acceptable(g.group(1), headed, phrase if g is m else ""):
                end = m.end() + len(phrase) if g is m and phrase else g.end()
                out.append((g.start(), end, _quoted_name(g.group(1), phrase if g is m else "")))
        group = []
    return out


def _books(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _BOOK.finditer(text):
        title = m.group(1)
        inner = _QUOTE.search(title)
        if inner and inner.group(1).endswith(_heads()):
            out.append((m.start(), m.end(), re.sub(r"\s", "", inner.group(1))))
            continue
        name = document_name(title)
        if len(name) <= 3 and name in _DOCUMENT_HEADS + list(_heads()):
            continue  # 《方案》: refers back to a document named before
        if name.endswith(tuple(_DOCUMENT_HEADS)) or name.startswith("关于") or inner:
            out.append((m.start(), m.end(), name))
    return out


def _unquoted(text: str, taken: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out = []
    for m in _strong_head_pattern().finditer(text):
        if any(a <= m.start() < b for a, b, _ in taken):
            continue
        start = m.start()
        while start > 0 and re.match(r"[\u4e00-\u9fff0-9]", text[start - 1]) and m.end() - start < 24:
            start -= 1
        name = text[start : m.end()]
        cut_at = max((name.rfind(w) + len(w) for w in _INTRODUCERS if name.rfind(w) >= 0
                      and name.rfind(w) + len(w) <= m.start() - start), default=0)
        name = name[cut_at:]
        modifier = _LEADING_MODIFIERS.match(name[: -len(m.group(0))])
        if modifier and len(name) - modifier.end() - len(m.group(0)) >= 2:
            cut_at += modifier.end()
            name = name[modifier.end() :]
        if re.match(r"[\u4e00-\u9fff]", text[m.end() : m.end() + 1]) and text[m.end() :].startswith(_UNIT_WORDS):
            continue  # 治超大会战指挥部: the head word is inside a unit's name
        if len(name) - len(m.group(0)) >= 2 and len(name) >= 6:
            out.append((start + cut_at, m.end(), name))
    return out


def _events(text: str) -> list[tuple[int, int, str]]:
    """Named events written with their ordinal (首届某某论坛): the name is what follows the ordinal."""
    # 第十四届全国人民代表大会 is a standing body, not an event
    found = [(m.start(), m.end(), m.group(2)) for m in _EVENT.finditer(text) if not m.group(2).endswith("代表大会")]
    return found + [(m.start(), m.end(), m.group(2)) for m in _YEAR_EVENT.finditer(text)
                    if not any(a < m.end() and m.start() < b for a, b, _ in found)]


def _hosted_events(text: str, context: Context) -> list[tuple[int, int, str]]:
    """Games and fairs named by their host city (广州亚运会); the city must be a known place."""
    out = []
    for m in _HOSTED.finditer(text) if _HOSTED_EVENT.search(text) else ():
        for k in range(m.start(1), m.end(1) - 1):  # the shortest place before the event word
            if context.gazetteer.lookup(text[k : m.end(1)]):
                out.append((k, m.end(), text[k : m.end()]))
                break
    return out


def find(sentence: Sentence, context: Context) -> list[Mention]:
    text = sentence.text
    spans = _books(text)
    spans += [s for s in _quoted(text) if not any(a <= s[0] < b for a, b, _ in spans)]
    for event in _events(text) + _hosted_events(text, context):
        if not any(a < event[1] and event[0] < b for a, b, _ in spans):
            spans.append(event)
    spans += _unquoted(text, spans)
    for m in _NUMBERED.finditer(text):  # 12345政务服务热线, 12315投诉平台
        if not any(a < m.end() and m.start() < b for a, b, _ in spans):
            # a short description (市长热线) leaves the number as the name; a long one is part of it
            # a 专线 is known by its number whatever the description (a police warning line)
            short = len(m.group(2)) <= 2 or m.group(3) == "专线"
            spans.append((m.start(), m.end(), m.group(1) if short else m.group(0)))
    return [
        Mention("program", name, sentence.start + a, sentence.start + b, sentence.index)
        for a, b, name in sorted(spans)
    ]
