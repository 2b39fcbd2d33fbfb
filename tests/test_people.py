"""People: each cue on short sentences of our own, and what must not become a person."""
from __future__ import annotations

import pytest

from kg.models import Sentence
from kg.recognise import people


def names(text: str, context) -> list[str]:
    return [m.name for m in people.find(Sentence(0, 0, len(text), text), context)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("□本报记者 李明华", ["李明华"]),
        ("□本报通讯员 韩小雅 张静", ["韩小雅", "张静"]),
        ("本报讯 记者周文斌 实习生张若兰 近日，某市召开会议。", ["周文斌", "张若兰"]),
        ("本报讯 记者王丽 通讯员王柄又近日，某县开展活动。", ["王丽", "王柄又"]),
        ("□本报记者 孙立昊洋□本报通讯员 赵忠强", ["孙立昊洋", "赵忠强"]),
        ("本报南京12月1日电 （刘文涛、林海燕）前不久，当地举行仪式。", ["刘文涛", "林海燕"]),
        ("（王世明）", ["王世明"]),
        ("黎焕章", ["黎焕章"]),
        ("□倪迎春周伟", ["倪迎春", "周伟"]),
        ("图为本报记者 颜爱民 本报通讯员 涂晓明摄", ["颜爱民", "涂晓明"]),
    ],
)
def test_bylines_and_credits(text, expected, context):
    assert names(text, context) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("某市公安局交警支队党委委员、政治处主任邱明说。", ["邱明"]),
        ("某县公安局辅警赵星和同事例行巡逻。", ["赵星"]),
        ("某县检察院检察长傅到平任县禁毒委副主任。", ["傅到平"]),
        ("村民黄树林一大早就来到集市。", ["黄树林"]),
        ("县委书记孟凡雄通过接访约访倾听群众诉求。", ["孟凡雄"]),
        ("公司副总经理张微高兴地说。", ["张微"]),
        ("联合国秘书长古特雷斯发表讲话。", ["古特雷斯"]),
        ("某国总统克林顿举行会谈。", ["克林顿"]),
        ("某国环境部长吉尔博出席发布会。", ["吉尔博"]),
    ],
)
def test_posts_before_a_name(text, expected, context):
    assert names(text, context) == expected


def test_posts_after_a_name_and_speech_verbs(context):
    assert names("江泽民主席会见了李鹏总理和朱镕基副总理。", context) == ["江泽民", "李鹏", "朱镕基"]
    assert names("罗小义说，变化很大。", context) == ["罗小义"]
    assert names("安东尼奥·古特雷斯表示欢迎。", context) == ["安东尼奥·古特雷斯"]
    assert names("李鹏在讲话中强调，要加快发展。", context) == ["李鹏"]
    assert names("刘建华，男，45岁，系某公司职工。", context) == ["刘建华"]
    assert names("陈小平代表建议加强监管。", context) == ["陈小平"]


@pytest.mark.parametrize(
    "text",
    [
        "民警高度重视群众诉求。",  # a word after a post is no name
        "群众安全感、满意度显著提升。",
        "实现全县居民全覆盖。",
        "社区党员常态化入户走访。",
        "下一步将发挥主席国作用。",
        "权威发布 管好用活警务工作",  # a heading, not a by-line
        "党建引领",
        "市长和县长都来了。",
        "由县委常委、政法委书记担任组长。",
        "记者从公安部获悉，案件已告破。",  # a preposition after a by-line cue
        "记者来到现场",
        "记者于日前采访了当地群众。",
        "图为民警在走访群众（左一）。",
        "金融工作会议指出，要防范风险。",  # a clause that speaks but opens with no name
        "周边国家表示欢迎。",
        "来自各地的专家学者齐聚一堂。",  # a person noun before an idiom  # a position in a photo caption
    ],
)
def test_no_person(text, context):
    assert names(text, context) == []


def test_anonymised_people_are_dropped_downstream(extract_text):
    result = extract_text("某县公安局民警李某某说，高某已被处理。")
    assert not [e for e in result.entities if e.type == "person"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the third character of a name before a verb that often follows names
        ("区委常委、政法委书记李振华带队到某镇调研。", ["李振华"]),
        ("镇党委书记何德明陪同调研。", ["何德明"]),
        ("村党支部书记周立胜作交流发言。", ["周立胜"]),
        # a two-character name when the verb starts right after it
        ("副局长王明陪同调研。", ["王明"]),
        ("副局长王明调研时说。", ["王明"]),
        # a noun for a person glued before the name
        ("来自外地的乘客陈国栋说，很方便。", ["陈国栋"]),
        # posts of customs, ministries' departments and courts
        ("某海关关长韩立峰说，成效明显。", ["韩立峰"]),
        ("某部某司副司长沈晓岩表示欢迎。", ["沈晓岩"]),
        # several names after one post
        ("与人民陪审员邹国梁、罗丽组成合议庭。", ["邹国梁", "罗丽"]),
        # transliterated names with a middle dot, without the post or place before them
        ("某国外交部长约翰·斯密特出席。", ["约翰·斯密特"]),
        ("某组织驻某国代表安娜·罗西在会上表示欢迎。", ["安娜·罗西"]),
    ],
)
def test_names_in_other_styles(text, expected, context):
    assert names(text, context) == expected


def test_page_credits_are_by_lines(context):
    assert names("责任编辑：马丽　美术编辑：程刚", context) == ["马丽", "程刚"]
    assert names("（责任编辑：钟小林）", context) == ["钟小林"]


@pytest.mark.parametrize(
    "text",
    [
        "某海关关长表示欢迎。",  # a post without a name: 关 is no surname here
        "骗取多名老年人钱款共计百万元。",  # a noun after a person noun
        "民警走访居民、张家村村民。",  # a village after 、 is no listed name
    ],
)
def test_no_person_in_other_styles(text, context):
    assert names(text, context) == []
