"""runs on hand-made mentions, so that each rule is pinned apart from the recognisers."""
from __future__ import annotations

import random

import pytest

from kg.relate import roles
from kg.relate import runs as runs_rules

from .handmade import POST, build


def find_runs(sentences, mentions, entities, context):
    role_relations = roles.find(sentences, mentions, entities, context)
    return runs_rules.find(sentences, mentions, entities, context, role_relations)


def runs(texts, spans, context, **kw):
    sentences, mentions, entities = build(texts, spans, **kw)
    return {(r.head, r.tail) for r in find_runs(sentences, mentions, entities, context)}


def test_runs_by_the_subject_of_the_clause(context):
    text = "近年来，己县信访局积极探索“调解+心理服务”模式。"
    spans = [(0, "agency", "己县信访局", None), (0, "program", "调解+心理服务", None)]
    assert runs([text], spans, context) == {("agency:己县信访局", "program:调解+心理服务")}


def test_runs_not_by_a_unit_after_a_preposition(context):
    text = "庚县公安局在辛市公安局支持下，开展“清风”专项行动。"
    spans = [(0, "agency", "庚县公安局", None), (0, "agency", "辛市公安局", None), (0, "program", "清风", None)]
    assert runs([text], spans, context) == {("agency:庚县公安局", "program:清风")}


def test_runs_by_coordinated_units(context):
    text = "2017年，最高人民法院、司法部出台《关于开展调解试点工作的意见》。"
    spans = [(0, "agency", "最高人民法院", None), (0, "agency", "司法部", None),
             (0, "program", "关于开展调解试点工作的意见", None)]
    assert runs([text], spans, context) == {("agency:最高人民法院", "program:关于开展调解试点工作的意见"),
                                            ("agency:司法部", "program:关于开展调解试点工作的意见")}


def test_a_written_hierarchy_acts_through_its_last_place(context):
    text = "河南省洛阳市西工区深化“大帮扶”行动。"
    spans = [(0, "place", "河南省", None), (0, "place", "洛阳市", None), (0, "place", "西工区", None),
             (0, "program", "大帮扶", None)]
    assert runs([text], spans, context) == {("place:西工区", "program:大帮扶")}


def test_implicit_subject_carries_over_within_an_article_only(context):
    texts = ["壬镇积极探索信访工作新路子。", "采取“一站工作法”，化解积案。", "新标题", "推行“网格+调解”机制。"]
    spans = [(0, "place", "壬镇", None), (1, "program", "一站工作法", None), (3, "program", "网格+调解", None)]
    assert runs(texts, spans, context, sections=[0, 0, 1, 1]) == {("place:壬镇", "program:一站工作法")}


def test_reference_to_the_unit_named_before(context):
    texts = ["癸区司法局成立调解中心。", "同时，该局建立“律所调解”机制。"]
    spans = [(0, "agency", "癸区司法局", None), (1, "program", "律所调解", None)]
    assert runs(texts, spans, context) == {("agency:癸区司法局", "program:律所调解")}


def test_a_dateline_place_runs_nothing(context):
    text = "本报北京12月1日电 子市深入开展“织网固本”工程。"
    spans = [(0, "place", "北京", None), (0, "place", "子市", None), (0, "program", "织网固本", None)]
    assert runs([text], spans, context) == {("place:子市", "program:织网固本")}


def test_the_unit_written_before_a_name_owns_it(context):
    text = "甲区税务局严格落实国家税务总局“纵横贯通”工作机制。"
    spans = [(0, "agency", "甲区税务局", None), (0, "agency", "国家税务总局", None), (0, "program", "纵横贯通", None)]
    assert runs([text], spans, context) == {("agency:甲区税务局", "program:纵横贯通"),
                                            ("agency:国家税务总局", "program:纵横贯通")}


def test_subject_after_a_bracketed_credit(context):
    text = "本报北京12月1日电 （记者陈平）丑市深入开展“织网”工程。"
    spans = [(0, "place", "北京", None), (0, "place", "丑市", None), (0, "program", "织网", None)]
    assert runs([text], spans, context) == {("place:丑市", "program:织网")}


def test_people_as_subject_take_no_unit_from_before(context):
    texts = ["寅市召开会议。", "“我们将认真落实《信访工作条例》，”他说。", "他们把“希望工程”当作事业。"]
    spans = [(0, "place", "寅市", None), (1, "program", "信访工作条例", None), (2, "program", "希望工程", None)]
    assert runs(texts, spans, context) == set()


def test_runs_by_units_joined_to_the_subject(context):
    texts = ["在某省某市，甲市检察院与甲市应急管理局建立“检察+安监”协作机制。",
             "乙部将会同丙部建立“双清单”制度。",
             "丁局联合戊行深化“银企互信”合作。"]
    spans = [(0, "agency", "甲市检察院", None), (0, "agency", "甲市应急管理局", None), (0, "program", "检察+安监", None),
             (1, "agency", "乙部", None), (1, "agency", "丙部", None), (1, "program", "双清单", None),
             (2, "agency", "丁局", None), (2, "agency", "戊行", None), (2, "program", "银企互信", None)]
    assert runs(texts, spans, context) == {
        ("agency:甲市检察院", "program:检察+安监"), ("agency:甲市应急管理局", "program:检察+安监"),
        ("agency:乙部", "program:双清单"), ("agency:丙部", "program:双清单"),
        ("agency:丁局", "program:银企互信"), ("agency:戊行", "program:银企互信")}


def test_a_news_agency_in_a_dateline_is_no_subject(context):
    texts = ["新华社北京5月1日电（记者 王平）记者从某部获悉，相关工作进展顺利。", "文件部署实施“管网改造工程”。"]
    spans = [(0, "agency", "新华社", None), (0, "agency", "某部", None), (1, "program", "管网改造工程", None)]
    assert runs(texts, spans, context) == set()


def test_a_person_as_subject_stops_the_unit_before_but_an_official_speaks_for_the_place_of_the_lead(context):
    texts = ["甲县召开全县工作会议。", "县市场监管局开展“舌尖安全”专项行动。", "甲县委书记李国华强调，各部门要贯彻《某某法》。",
             "企业负责人王立新说，要用好“便企通”平台。"]
    spans = [(0, "place", "甲县", None), (1, "agency", "县市场监管局", None), (1, "program", "舌尖安全", None),
             (2, "agency", "甲县委", None), (2, "person", "李国华", POST), (2, "program", "某某法", None),
             (3, "person", "王立新", POST), (3, "program", "便企通", None)]
    assert runs(texts, spans, context) == {("agency:县市场监管局", "program:舌尖安全"), ("place:甲县", "program:某某法")}


def test_the_place_written_right_before_a_name_owns_it(context):
    text = "王明一行察看甲街道“邻里守望”机制的台账。"
    spans = [(0, "person", "王明", POST), (0, "place", "甲街道", None), (0, "program", "邻里守望", None)]
    assert runs([text], spans, context) == {("place:甲街道", "program:邻里守望")}


def test_a_bare_kind_of_unit_refers_back(context):
    texts = ["乙市消防救援支队支队长郭立介绍，今年以来，支队推行“一楼一档”模式。",
             "乙市妇联组织培训。", "会上，妇联积极开展“和美家庭”评选活动。"]
    spans = [(0, "agency", "乙市消防救援支队", None), (0, "person", "郭立", POST), (0, "program", "一楼一档", None),
             (1, "agency", "乙市妇联", None), (2, "program", "和美家庭", None)]
    assert runs(texts, spans, context) == {("agency:乙市消防救援支队", "program:一楼一档"),
                                           ("agency:乙市妇联", "program:和美家庭")}


def test_an_event_referred_back_is_run_by_its_hosts(context):
    texts = ["首届某某合作论坛在某地开幕。", "论坛期间，甲公司与乙公司签署协议。", "本届论坛由丙部和丁联盟共同主办。"]
    spans = [(0, "program", "某某合作论坛", None), (1, "agency", "甲公司", None), (1, "agency", "乙公司", None),
             (2, "agency", "丙部", None), (2, "agency", "丁联盟", None)]
    assert runs(texts, spans, context) == {("agency:丙部", "program:某某合作论坛"), ("agency:丁联盟", "program:某某合作论坛")}


def test_the_police_of_a_place_is_its_bureau(context):
    texts = ["近年来，甲市公安局加强队伍建设。", "甲市公安以完善“全警联防”机制为抓手，成立中心。"]
    sentences, mentions, entities = build(texts, [(0, "agency", "甲市公安局", None), (1, "place", "甲市", None),
                                                  (1, "program", "全警联防", None)])
    found = {(r.head, r.tail) for r in find_runs(sentences, mentions, entities, context)}
    assert found == {("agency:甲市公安局", "program:全警联防")}


def test_the_sub_unit_after_suoshu_acts(context):
    text = "在某市，甲海关所属乙海关联合丙检查站开展“清边”联合行动。"
    spans = [(0, "agency", "甲海关", None), (0, "agency", "乙海关", None), (0, "agency", "丙检查站", None),
             (0, "program", "清边", None)]
    assert runs([text], spans, context) == {("agency:乙海关", "program:清边"), ("agency:丙检查站", "program:清边")}


def test_supporting_or_joining_is_not_running(context):
    texts = ["甲乡持续抓实信访化解，全面护航乙市亚运会。", "甲乡组织群众参加“健康讲堂”活动。"]
    spans = [(0, "place", "甲乡", None), (0, "program", "乙市亚运会", None),
             (1, "place", "甲乡", None), (1, "program", "健康讲堂", None)]
    assert runs(texts, spans, context) == set()


def test_units_that_develop_together_and_a_product_referred_back(context):
    texts = ["某区推出“惠企贷”金融产品。", "该产品由甲银行、乙银行联合开发。"]
    spans = [(0, "place", "某区", None), (0, "program", "惠企贷", None),
             (1, "agency", "甲银行", None), (1, "agency", "乙银行", None)]
    found = runs(texts, spans, context)
    assert {("agency:甲银行", "program:惠企贷"), ("agency:乙银行", "program:惠企贷")} <= found


def test_supporting_a_plan_is_not_running_it(context):
    text = "某国支持加快推进《某某改革方案》。"
    assert runs([text], [(0, "place", "某国", None), (0, "program", "某某改革方案", None)], context) == set()


def test_the_government_is_the_subject_of_its_work_report(context):
    texts = ["政府工作报告", "某市人民政府市长 韩磊", "市公安局开展“平安行动”。", "办好第五届某某博览会。"]
    spans = [(1, "agency", "某市人民政府", None), (1, "person", "韩磊", POST), (2, "agency", "市公安局", None),
             (2, "program", "平安行动", None), (3, "program", "某某博览会", None)]
    found = runs(texts, spans, context)
    assert ("agency:某市人民政府", "program:某某博览会") in found
    assert ("agency:市公安局", "program:某某博览会") not in found


def test_a_number_to_call_takes_no_runner_from_before(context):
    texts = ["某县公安局开展“反诈宣传周”活动。", "如遇可疑情况，请及时拨打96999专线。"]
    spans = [(0, "agency", "某县公安局", None), (0, "program", "反诈宣传周", None), (1, "program", "96999", None)]
    assert runs(texts, spans, context) == {("agency:某县公安局", "program:反诈宣传周")}


def test_the_police_of_a_district_is_the_branch_of_the_city_bureau(context):
    texts = ["某市公安局己区分局成立。", "近期，己区公安正在开展“反诈进校园”活动。"]
    sentences, mentions, entities = build(texts, [(0, "agency", "某市公安局己区分局", None), (1, "place", "己区", None),
                                                  (1, "program", "反诈进校园", None)])
    found = {(r.head, r.tail) for r in find_runs(sentences, mentions, entities, context)}
    assert ("agency:某市公安局己区分局", "program:反诈进校园") in found


def test_a_program_written_again_with_its_head_but_no_quotes(context):
    texts = ["某县推行“楼栋恳谈会”制度。", "某州委组织部在全州推广楼栋恳谈会制度。"]
    spans = [(0, "place", "某县", None), (0, "program", "楼栋恳谈会", None), (1, "agency", "某州委组织部", None)]
    found = runs(texts, spans, context)
    assert found == {("place:某县", "program:楼栋恳谈会"), ("agency:某州委组织部", "program:楼栋恳谈会")}


@pytest.mark.parametrize("count", [5, 64, 65, 400])
def test_the_names_a_sentence_holds_are_those_trying_each_name_finds(count):
    """Few names are each tried on the sentence; many are filed by their first two
    characters: either way the names found, and their order, are the same."""
    rng = random.Random(count)
    alphabet = "甲乙丙丁戊己庚辛"
    names = sorted({"".join(rng.choices(alphabet, k=rng.randint(2, 4))) for _ in range(count * 3)})[:count]
    article = runs_rules._ArticleNames(names)
    for _ in range(500):
        text = "".join(rng.choices(alphabet + "，。", k=rng.randint(0, 40)))
        assert article.within(text) == [n for n in names if n in text]
