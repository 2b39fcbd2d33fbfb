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
        ("市委书记王强主持会议。", ["王强"]),  # jieba reads 主持会议 as one word
        ("副县长郑晓川出席会议并讲话。", ["郑晓川"]),
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


def test_the_editors_named_in_a_page_header_are_people(extract_text):
    page = "2024年3月5日　星期二　第3版　要闻　　责任编辑：孙立华　美术编辑：周晓明\n\n本报讯 近日，某市召开会议。"
    people = {e.name for e in extract_text(page).entities if e.type == "person"}
    assert people == {"孙立华", "周晓明"}


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
        ("副局长刘远在调研时说。", ["刘远"]),
    ],
)
def test_a_two_character_name_before_a_word_that_follows_names(text, expected, context):
    assert names(text, context) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("周海林昨天在南京会见了来访的代表团。", ["周海林"]),  # a bare name opening a clause, then an action
        ("据悉，何振宇荣获先进个人称号。", ["何振宇"]),
        ("许晓东、孔磊、梁佳三人获得表彰。", ["许晓东", "孔磊", "梁佳"]),  # a 、-list closed by 三人
        ("郑凯、邹明等同志出席。", ["郑凯", "邹明"]),
        ("出席会议的有贺立新、钱伟、孙晓东等。", ["贺立新", "钱伟", "孙晓东"]),  # a list after 有
        ("冯军和卢明昨天在上海会见了客人。", ["冯军", "卢明"]),  # two subjects joined by 和
        ("据蔡立明介绍，今年产量增长。", ["蔡立明"]),  # 据 + name + a verb of saying
        ("今天上午范建军在广州会见了客人。", ["范建军"]),  # a subject after a time word
        ("市长看望了姜海涛一行。", ["姜海涛"]),  # the person met
        ("由魏海洋担任组长。", ["魏海洋"]),
        ("省作协召开会议，增补钟毅为副主席。", ["钟毅"]),  # appointed to a post
        ("在那曲市，格桑多吉带领牧民搬迁。", ["格桑多吉"]),  # two Tibetan given-name syllables
        ("自治区副主席努尔古丽·买买提出席会议。", ["努尔古丽·买买提"]),  # Uyghur syllables after the dot
        ("某国总统纳赛尔·汗在首都会见客人。", ["纳赛尔·汗"]),  # a one-character last part
        ("某国总统让-保罗·马丁出席峰会。", ["让-保罗·马丁"]),  # a hyphenated first name
        ("外务大臣铃木一郎将访问东南亚。", ["铃木一郎"]),  # a Japanese two-character surname
        ("【现场声】某县县委书记 韦志坚：我们要把工作做实。", ["韦志坚"]),  # caption with a space
        ("某市人民政府市长 蒋立新", ["蒋立新"]),
    ],
)
def test_names_without_a_title_before_them(text, expected, context):
    assert names(text, context) == expected


@pytest.mark.parametrize(
    "text",
    [
        "高度、深度、广度都很重要。",  # common words that open with a surname character
        "张力、温度、湿度等指标。",
        "黄河在这里拐弯。",
        "文明在进步。",
        "安全在于防范。",
        "荣誉属于大家，干得也有劲儿。",
        "格桑花开满山坡。",  # one Tibetan syllable is no name
        "杨柳在风中摇摆。",  # a word jieba tags as a name but knows well
        "万人在广场集会。",  # a quantity, not a given name
        "桃子、李子、杏子等水果。",
        "授予先进集体称号。",
        "参加活动的有学生、老师等。",
        "高度和深度都在提升。",
        "由于张明的努力。",  # 由于 is no 由
        "上午高温在持续。",
        "看望了高龄老人。",
        "看望了周大爷。",  # a term of address, no name
    ],
)
def test_no_bare_name_in_ordinary_words(text, context):
    assert names(text, context) == []
