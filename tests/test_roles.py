"""role on hand-made mentions, so that each rule is pinned apart from the recognisers."""
from __future__ import annotations

from kg.models import Entity
from kg.relate import roles as role_rules

from .handmade import POST, build

BYLINE = {"cue": "byline"}


def roles(texts, spans, context, **kw):
    sentences, mentions, entities = build(texts, spans, **kw)
    return {(r.head, r.tail, r.title) for r in role_rules.find(sentences, mentions, entities, context)}


def test_role_chain_gives_one_role_per_unit(context):
    text = "甲市公安局交警支队党委委员、政治处主任邱明说。"
    found = roles([text], [(0, "agency", "甲市公安局交警支队", None), (0, "person", "邱明", POST)], context)
    assert found == {("person:邱明", "agency:甲市公安局交警支队", "党委委员、政治处主任")}


def test_short_forms_in_a_chain_take_the_unit_before(context):
    text = "乙县委副书记、政法委书记、县禁毒委常务副主任栗太平表示。"
    sentences, mentions, entities = build([text], [(0, "agency", "乙县委", None), (0, "person", "栗太平", POST)])
    entities += [Entity("agency", "乙县政法委"), Entity("agency", "乙县禁毒委")]
    found = {(r.tail, r.title) for r in role_rules.find(sentences, mentions, entities, context)}
    assert found == {("agency:乙县委", "副书记"), ("agency:乙县政法委", "书记"), ("agency:乙县禁毒委", "常务副主任")}


def test_title_that_ends_in_the_unit_name(context):
    text = "丙镇党委书记徐平说。"
    found = roles([text], [(0, "agency", "丙镇党委", None), (0, "person", "徐平", POST)], context)
    assert found == {("person:徐平", "agency:丙镇党委", "书记")}


def test_appointment_after_the_name(context):
    text = "会上，丙县公安局局长王伟任县禁毒委副主任。"
    spans = [(0, "agency", "丙县公安局", None), (0, "person", "王伟", POST), (0, "agency", "县禁毒委", None)]
    found = roles([text], spans, context)
    assert ("person:王伟", "agency:县禁毒委", "副主任") in found
    assert ("person:王伟", "agency:丙县公安局", "局长") in found


def test_staff_title_falls_back_to_the_unit_named_last(context):
    text = "群众来到丁市反诈中心，向辅警施道平送上锦旗。"
    found = roles([text], [(0, "agency", "丁市反诈中心", None), (0, "person", "施道平", POST)], context)
    assert found == {("person:施道平", "agency:丁市反诈中心", "辅警")}


def test_no_role_for_reporters_and_person_nouns(context):
    assert roles(["戊县公安局讯 记者万平"], [(0, "agency", "戊县公安局", None),
                                          (0, "person", "万平", {"cue": "byline"})], context) == set()
    assert roles(["戊县公安局附近，村民黄树平说。"], [(0, "agency", "戊县公安局", None),
                                               (0, "person", "黄树平", POST)], context) == set()


def test_head_of_government_belongs_to_the_government_not_the_party_committee(context):
    text = "县委副书记、县长林国富出席会议，副县长、县公安局局长钱立新主持会议。"
    sentences, mentions, entities = build([text], [(0, "agency", "县委", None), (0, "person", "林国富", POST),
                                                   (0, "agency", "县公安局", None), (0, "person", "钱立新", POST)])
    for m in mentions:
        m.canonical = {"县委": "甲县委", "县公安局": "甲县公安局"}.get(m.name, m.canonical)
    entities = [Entity("agency", "甲县委"), Entity("agency", "甲县人民政府"), Entity("agency", "甲县公安局"),
                Entity("person", "林国富"), Entity("person", "钱立新")]
    found = {(r.head, r.tail, r.title) for r in role_rules.find(sentences, mentions, entities, context)}
    assert found == {("person:林国富", "agency:甲县委", "副书记"), ("person:林国富", "agency:甲县人民政府", "县长"),
                     ("person:钱立新", "agency:甲县人民政府", "副县长"), ("person:钱立新", "agency:甲县公安局", "局长")}


def test_names_listed_after_one_post_share_it(context):
    text = "乙区法院刑事审判庭庭长吴清担任审判长，与人民陪审员邹国梁、罗丽组成合议庭。"
    spans = [(0, "agency", "乙区法院", None), (0, "agency", "乙区法院刑事审判庭", None), (0, "person", "吴清", POST),
             (0, "person", "邹国梁", POST), (0, "person", "罗丽", POST)]
    found = roles([text], spans, context)
    assert ("person:邹国梁", "agency:乙区法院", "人民陪审员") in found
    assert ("person:罗丽", "agency:乙区法院", "人民陪审员") in found


def test_a_short_form_of_another_level_gives_no_role(context):
    text = "县法院院长王之平任县禁毒委副主任。"
    sentences, mentions, entities = build([text], [(0, "agency", "县法院", None), (0, "person", "王之平", POST)])
    mentions[0].canonical = "丙区人民法院"  # read as a district's court named elsewhere
    entities = [Entity("agency", "丙区人民法院", ["县法院"]), Entity("person", "王之平")]
    assert [r for r in role_rules.find(sentences, mentions, entities, context)] == []


def test_a_chain_does_not_reach_across_another_person(context):
    text = "丁某某任县禁毒委主任，县委常委、县公安局局长王伟平任副主任。"
    spans = [(0, "person", "丁某某", POST), (0, "agency", "县禁毒委", None), (0, "agency", "县委", None),
             (0, "agency", "县公安局", None), (0, "person", "王伟平", POST)]
    found = roles([text], spans, context)
    assert ("person:王伟平", "agency:县委", "常委") in found
    assert not [f for f in found if f[0] == "person:王伟平" and f[2] == "主任"]


def test_a_short_form_in_a_chain_of_another_level_gives_no_role(context):
    text = "县委副书记、政法委书记李春华介绍。"
    sentences, mentions, entities = build([text], [(0, "agency", "县委", None), (0, "agency", "政法委", None),
                                                   (0, "person", "李春华", POST)])
    mentions[0].canonical, mentions[1].canonical = "戊县委", "某省委政法委"
    entities = [Entity("agency", "戊县委", ["县委"]), Entity("agency", "某省委政法委", ["政法委"]), Entity("person", "李春华")]
    found = {(r.tail, r.title) for r in role_rules.find(sentences, mentions, entities, context)}
    assert found == {("agency:戊县委", "副书记")}


def test_the_author_works_at_the_unit_named_after_the_article(context):
    texts = ["□ 刘志平", "社会治理是一项系统工作。", "（作者单位：甲县委改革办）"]
    spans = [(0, "person", "刘志平", {"cue": "byline"}), (2, "agency", "甲县委改革办", None)]
    assert roles(texts, spans, context) == {("person:刘志平", "agency:甲县委改革办", "作者")}
    reporter = ["□ 本报记者 刘志平", "社会治理是一项系统工作。", "（作者单位：甲县委改革办）"]
    assert roles(reporter, spans, context) == set()


def test_a_post_abroad_and_a_member_of_a_unit(context):
    texts = ["某国际组织驻某国代表安娜·罗西在论坛上表示欢迎。", "志愿者代表、某大学法学院学生李小娜说，希望更多同学参与。"]
    spans = [(0, "agency", "某国际组织", None), (0, "person", "安娜·罗西", POST),
             (1, "agency", "某大学", None), (1, "agency", "某大学法学院", None), (1, "person", "李小娜", POST)]
    assert roles(texts, spans, context) == {("person:安娜·罗西", "agency:某国际组织", "驻某国代表"),
                                            ("person:李小娜", "agency:某大学法学院", "学生")}


def test_a_post_and_a_name_parted_by_a_space(context):
    text = "【同期声】丁县委副书记 韦志坚：我们要把工作做实。"
    found = roles([text], [(0, "agency", "丁县委", None), (0, "person", "韦志坚", POST)], context)
    assert found == {("person:韦志坚", "agency:丁县委", "副书记")}


def test_a_reporter_of_a_named_outlet_but_not_of_benbao(context):
    text = "某省电视台记者何静从现场发回报道。"
    found = roles([text], [(0, "agency", "某省电视台", None), (0, "person", "何静", BYLINE)], context)
    assert found == {("person:何静", "agency:某省电视台", "记者")}
    text = "本报记者 何静"
    assert roles([text], [(0, "person", "何静", BYLINE)], context) == set()


def test_a_post_of_the_unit_before_de_and_a_compound_post(context):
    text = "某市人民医院的医生宋洁为老人做了手术。"
    found = roles([text], [(0, "agency", "某市人民医院", None), (0, "person", "宋洁", POST)], context)
    assert found == {("person:宋洁", "agency:某市人民医院", "医生")}
    text = "联合国秘书长特使约翰·史密斯抵达。"
    found = roles([text], [(0, "agency", "联合国", None), (0, "person", "约翰·史密斯", POST)], context)
    assert found == {("person:约翰·史密斯", "agency:联合国", "秘书长特使")}


def test_a_post_given_by_a_meeting_and_an_election(context):
    text = "某省作家协会今天召开会议，增补韩磊为副主席。"
    found = roles([text], [(0, "agency", "某省作家协会", None), (0, "person", "韩磊", {"cue": "appointed"})], context)
    assert found == {("person:韩磊", "agency:某省作家协会", "副主席")}
    text = "韩磊当选为某省医学会副会长。"
    found = roles([text], [(0, "person", "韩磊", {"cue": "subject"}), (0, "agency", "某省医学会", None)], context)
    assert found == {("person:韩磊", "agency:某省医学会", "副会长")}
    text = "韩磊为群众办实事。"
    assert roles([text], [(0, "person", "韩磊", {"cue": "subject"})], context) == set()


def test_a_post_of_the_kind_of_a_unit_named_before(context):
    texts = ["戊县某某镇派出所开展宣传。", "所长龚平提醒群众注意。", "公司董事长龚平表示。"]
    spans = [(0, "agency", "戊县某某镇派出所", None), (1, "person", "龚平", POST), (2, "person", "龚平", POST)]
    assert roles(texts, spans, context) == {("person:龚平", "agency:戊县某某镇派出所", "所长")}
    texts = ["甲公司与乙公司签约。", "甲局和乙局到场。", "局长龚平表示。"]
    spans = [(0, "agency", "甲公司", None), (0, "agency", "乙公司", None), (1, "agency", "甲局", None),
             (1, "agency", "乙局", None), (2, "person", "龚平", POST)]
    assert roles(texts, spans, context) == set()  # two units of that kind: none is certain


def test_a_post_named_by_the_field_of_the_unit_before_it(context):
    text = "某国外务省6日宣布，外务大臣田中一郎将访问。"
    found = roles([text], [(0, "agency", "某国外务省", None), (0, "person", "田中一郎", POST)], context)
    assert found == {("person:田中一郎", "agency:某国外务省", "外务大臣")}
    text = "某国外务省和某国外务部会谈，外务大臣田中一郎出席。"  # two units of that field: none is certain
    spans = [(0, "agency", "某国外务省", None), (0, "agency", "某国外务部", None), (0, "person", "田中一郎", POST)]
    assert roles([text], spans, context) == set()


def test_people_listed_with_their_posts_share_the_post_given_after_the_last(context):
    text = "甲县公安局局长邹平，甲县法院院长钟明任甲县禁毒委副主任。"
    spans = [(0, "agency", "甲县公安局", None), (0, "person", "邹平", POST), (0, "agency", "甲县法院", None),
             (0, "person", "钟明", POST), (0, "agency", "甲县禁毒委", None)]
    found = roles([text], spans, context)
    assert {("person:邹平", "agency:甲县禁毒委", "副主任"), ("person:钟明", "agency:甲县禁毒委", "副主任"),
            ("person:邹平", "agency:甲县公安局", "局长")} <= found
    text = "甲县公安局局长邹平说，钟明任甲县禁毒委副主任。"  # a clause between: no sharing
    spans = [(0, "agency", "甲县公安局", None), (0, "person", "邹平", POST), (0, "person", "钟明", POST),
             (0, "agency", "甲县禁毒委", None)]
    assert ("person:邹平", "agency:甲县禁毒委", "副主任") not in roles([text], spans, context)
