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
        ("□本报通讯员 韩小雅 张婧", ["韩小雅", "张婧"]),
        ("本报讯 记者周文斌 实习生张若兰 近日，某市召开会议。", ["周文斌", "张若兰"]),
        ("本报讯 记者王丽 通讯员王秉又近日，某县开展活动。", ["王丽", "王秉又"]),
        ("□本报记者 孙立浩洋□本报通讯员 赵忠强", ["孙立浩洋", "赵忠强"]),
        ("本报杭州12月1日电 （刘文涛、林海燕）前不久，当地举行仪式。", ["刘文涛", "林海燕"]),
        ("（王世明）", ["王世明"]),
        ("黎焕章", ["黎焕章"]),
        ("□倪迎春周炜", ["倪迎春", "周炜"]),
        ("图为本报记者 颜爱民 本报通讯员 涂晓明摄", ["颜爱民", "涂晓明"]),
    ],
)
def test_bylines_and_credits(text, expected, context):
    assert names(text, context) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("某市公安局交警支队党委委员、政治处主任邱明说。", ["邱明"]),
        ("某县公安局辅警赵亮和同事例行巡逻。", ["赵亮"]),
        ("某县检察院检察长祁到远任县禁毒委副主任。", ["祁到远"]),
        ("村民黄树林一大早就来到集市。", ["黄树林"]),
        ("县委书记孟凡林通过接访约访倾听群众诉求。", ["孟凡林"]),
        ("公司副总经理张蔚高兴地说。", ["张蔚"]),
        ("联合国秘书长古特雷斯发表讲话。", ["古特雷斯"]),
        ("某国总统克林顿举行会谈。", ["克林顿"]),
        ("某国环境部长吉尔顿出席发布会。", ["吉尔顿"]),
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
        ("市委常委李振华带队检查防汛工作。", ["李振华"]),
        ("镇长何德明陪同检查。", ["何德明"]),
        ("村委会主任周立胜作典型发言。", ["周立胜"]),
        # a two-character name when the verb starts right after it
        ("副局长王明陪同调研。", ["王明"]),
        ("副局长王明调研时说。", ["王明"]),
        # a noun for a person glued before the name
        ("候车的乘客陈国栋说，车次多了。", ["陈国栋"]),
        # posts of customs, ministries' departments and courts
        ("某海关关长韩立峰说，成效明显。", ["韩立峰"]),
        ("某部某司副司长沈晓岩表示欢迎。", ["沈晓岩"]),
        # several names after one post
        ("书记员邹国梁、罗丽负责记录。", ["邹国梁", "罗丽"]),
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


def test_a_noun_for_a_person_before_a_speaker(context):
    # nouns outside the word list, recognised by their last character and tag
    assert names("车上的列车员赵明华说，很方便。", context) == ["赵明华"]
    assert names("现场的农民工张国庆说，很好。", context) == ["张国庆"]


def test_a_name_that_opens_with_the_name_of_an_old_state(context):
    assert names("书记员秦国良记录。", context) == ["秦国良"]
    assert names("主任金山区的代表发言。", context) == []  # a district, not a name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("局长肖华作表态发言。", ["肖华"]),  # 作 follows the name even when another verb follows 作
        ("副局长刘洋在调研时说。", ["刘洋"]),
    ],
)
def test_a_two_character_name_before_a_word_that_follows_names(text, expected, context):
    assert names(text, context) == expected
