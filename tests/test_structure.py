"""located_in and part_of: read from the written name, the written order and the article."""
from __future__ import annotations


def _typed(result, relation):
    return {(r.head.split(":", 1)[1], r.tail.split(":", 1)[1]) for r in result.relations if r.relation == relation}


def test_written_order_gives_the_nearest_parent_only(extract_text):
    part_of = _typed(extract_text("湖南省株洲市攸县青山镇柳树村开展活动。"), "part_of")
    assert part_of == {("株洲市", "湖南省"), ("攸县", "株洲市"), ("青山镇", "攸县"), ("柳树村", "青山镇")}


def test_divisions_named_apart_are_not_linked(extract_text):
    # true in the world, but the text does not place one inside the other
    result = extract_text("湖南省召开会议。株洲市代表发言。")
    assert _typed(result, "part_of") == set()


def test_short_name_after_its_parent(extract_text):
    assert _typed(extract_text("长沙岳麓推行新机制。"), "part_of") == {("岳麓", "长沙")}


def test_agency_chain(extract_text):
    result = extract_text("湖南省长沙市公安局交警支队高速二大队民警巡逻。")
    part_of = _typed(result, "part_of")
    located = _typed(result, "located_in")
    assert ("湖南省长沙市公安局交警支队", "湖南省长沙市公安局") in part_of
    assert ("湖南省长沙市公安局交警支队高速二大队", "湖南省长沙市公安局交警支队") in part_of
    # the most specific place only, sub-units too
    assert located == {
        ("湖南省长沙市公安局", "长沙市"),
        ("湖南省长沙市公安局交警支队", "长沙市"),
        ("湖南省长沙市公安局交警支队高速二大队", "长沙市"),
    }


def test_unit_named_after_a_place_below_its_parent(extract_text):
    result = extract_text("长沙市公安局岳麓区分局破获案件。")
    assert ("长沙市公安局岳麓区分局", "岳麓区") in _typed(result, "located_in")
    assert ("长沙市公安局岳麓区分局", "长沙市公安局") in _typed(result, "part_of")


def test_short_form_is_located_in_the_place_of_the_article(extract_text):
    result = extract_text("株洲市举办培训。市妇联派人授课。")
    assert _typed(result, "located_in") == {("株洲市妇联", "株洲市")}


def test_party_organ_is_part_of_the_committee(extract_text):
    result = extract_text("攸县县委高度重视。县政法委牵头落实。")
    assert _typed(result, "part_of") == {("攸县政法委", "攸县县委")}


def test_national_agency_has_no_place_from_inside_its_name(extract_text):
    result = extract_text("中国人民银行发布通知。")
    assert _typed(result, "located_in") == set()


def test_village_is_part_of_the_town_of_its_article(extract_text):
    result = extract_text("湖南省攸县青山镇推进治理。柳树村成立调解室。")
    assert ("柳树村", "青山镇") in _typed(result, "part_of")


def test_company_without_a_place_sits_in_the_county_of_its_article(extract_text):
    result = extract_text("湖南省攸县推进改革。恒达公司扩大生产。")
    assert ("恒达公司", "攸县") in _typed(result, "located_in")


def test_company_in_an_article_without_a_county_has_no_place(extract_text):
    result = extract_text("恒达公司扩大生产。")
    assert _typed(result, "located_in") == set()


def test_unit_after_a_word_of_subordination_is_part_of_the_agency(extract_text):
    result = extract_text("海关总署所属广州海关查获一批香烟。")
    assert ("广州海关", "海关总署") in _typed(result, "part_of")


def test_parent_named_in_another_sentence_is_not_stated(extract_text):
    # 攸县 lies in 株洲市, but only 湖南省 is written with it
    result = extract_text("株洲市代表发言。会议在湖南省攸县召开。")
    assert _typed(result, "part_of") == {("攸县", "湖南省")}


def test_parent_written_inside_one_agency_name(extract_text):
    result = extract_text("株洲市公安局攸县分局民警巡逻。")
    assert ("攸县", "株洲市") in _typed(result, "part_of")


def test_airport_is_part_of_the_city_in_its_name(extract_text):
    result = extract_text("成都边检在成都天府国际机场启用新平台。")
    assert ("成都天府国际机场", "成都") in _typed(result, "part_of")


def test_sub_unit_named_after_a_street_is_located_there(extract_text):
    result = extract_text("江岸区丹水池街道召开会议。江岸区人民法院丹水池人民法庭法官出席。")
    located = _typed(result, "located_in")
    assert ("江岸区人民法院丹水池人民法庭", "丹水池街道") in located
    assert ("江岸区人民法院", "江岸区") in located


def test_zone_named_after_a_city_is_part_of_it(extract_text):
    result = extract_text("无锡经济总量增长。无锡工业园区管委会发布规划。")
    assert ("无锡工业园区", "无锡") in _typed(result, "part_of")
    assert ("无锡工业园区管委会", "无锡工业园区") in _typed(result, "located_in")


def test_known_body_named_after_another_is_part_of_it(extract_text):
    result = extract_text("联合国和联合国儿童基金会发布报告。")
    assert ("联合国儿童基金会", "联合国") in _typed(result, "part_of")


def test_university_without_a_place_is_not_put_in_the_county_of_the_article(extract_text):
    result = extract_text("攸县召开会议。恒星大学专家作报告，恒达公司代表发言。")
    located = _typed(result, "located_in")
    assert ("恒达公司", "攸县") in located
    assert not any(head == "恒星大学" for head, _ in located)
