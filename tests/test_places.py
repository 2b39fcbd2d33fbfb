"""Places: divisions tied to the gazetteer, short names only where they are places,
towns and villages by their suffixes, and the words that must not become places."""
from __future__ import annotations

import random

import pytest

from kg.gazetteer import load_gazetteer
from kg.models import Sentence
from kg.recognise import places


@pytest.fixture
def find(context):
    def run(text: str) -> dict[str, dict]:
        return {m.name: m.attrs for m in places.find(Sentence(0, 0, len(text), text), context)}

    return run


def test_full_names_carry_gazetteer_attributes(find):
    found = find("湖南省长沙市岳麓区开展活动。")
    assert list(found) == ["湖南省", "长沙市", "岳麓区"]
    assert found["岳麓区"]["adcode"] == "430104"
    assert found["岳麓区"]["level"] == "county"
    assert found["岳麓区"]["parent"] == "长沙市"
    assert 28 < found["岳麓区"]["latitude"] < 29


def test_short_name_after_its_parent_is_a_place(find):
    assert find("长沙岳麓推行新机制。")["岳麓"]["adcode"] == "430104"


def test_short_name_with_its_level_character(find):
    # 峨边彝族自治县 is written 峨边县 in running text
    assert find("峨边县开展宣传。")["峨边县"]["adcode"] == "511132"


def test_common_words_that_are_county_short_names_are_not_places(find):
    # 公安, 资源, 平安 are short names of counties (公安县, 资源县, 平安区)
    assert find("公安机关整合资源，守护一方平安。") == {}


def test_two_character_county_inside_a_word_is_not_a_place(find):
    assert "任县" not in find("他担任县委书记。")


def test_ambiguous_names_stand_only_after_a_division(find):
    assert "高新区" not in find("高新区企业很多。")
    assert "高新区" in find("成立于长沙市高新区。")


def test_a_zone_after_a_county_short_name_is_one_place(find):
    found = find("常熟经济技术开发区今年新引进项目。")
    assert found["常熟经济技术开发区"]["level"] == "zone"
    assert "常熟" not in found  # the short name alone is still no place
    assert find("全省开发区建设加快。") == {}


def test_not_places(find):
    assert find("全国各地都有，当地群众说。") == {}


def test_towns_villages_and_communities_by_suffix(find):
    found = find("湖南省攸县青山镇柳树村和桂花社区都在推进乡村振兴。")
    assert found["青山镇"]["level"] == "town"
    assert found["柳树村"]["level"] == "village"
    assert found["桂花社区"]["level"] == "community"
    assert "乡村" not in found and "推进乡村" not in found


def test_a_verb_before_a_suffix_is_no_place(find):
    found = find("要聚焦村级治理，依托乡镇力量，优化农村环境。")
    assert not any(name.endswith(("村", "乡", "镇")) for name in found)


def test_compound_named_after_its_road_is_one_place(find):
    found = find("走进湖南省株洲市桃园路小区。")
    assert found["桃园路小区"]["level"] == "compound"
    assert "桃园路" not in found


def test_road_then_compound(find):
    found = find("走进湖南省株洲市桃园路海棠小区。")
    assert found["桃园路"]["level"] == "road"
    assert found["海棠小区"]["level"] == "compound"


def test_foreign_country_and_city(find):
    found = find("代表团访问了日本东京。")
    assert found["日本"]["level"] == "country"
    assert found["东京"]["parent"] == "日本"


def test_ambiguous_division_resolved_by_the_document(extract_text):
    result = extract_text("吉林省长春市朝阳区召开会议。朝阳区干部参加。")
    chaoyang = next(e for e in result.entities if e.name == "朝阳区")
    assert chaoyang.attrs["adcode"] == "220104"  # the one in 长春, not the one in 北京


def test_short_and_full_name_are_one_entity(extract_text):
    result = extract_text("长沙岳麓推行新机制。湖南省长沙市岳麓区信访局成立工作室。")
    places_found = {e.name: e.aliases for e in result.entities if e.type == "place"}
    assert places_found["岳麓区"] == ["岳麓"]


def test_prefecture_short_name_stands_alone_unless_it_is_an_ordinary_word(find):
    assert find("他从洛阳赶来。")["洛阳"]["adcode"] == "410300"
    assert find("欢迎各位来宾。") == {}  # 来宾 is also a prefecture's short name


def test_country_inside_an_agency_name(find):
    assert find("中国气象局发布预报。")["中国"]["level"] == "country"


def test_ambiguous_name_is_not_made_by_adding_a_level(find):
    # 老城 is the short name of 老城区 (洛阳); 老城区 alone is any old town
    assert find("老城区越来越美。") == {}


def test_second_stem_word_only_when_it_is_a_place_name(find):
    found = find("活动在株洲市西湖矿山公园举行。")
    assert "西湖矿山公园" in found


def test_person_then_ren_county_is_a_post(extract_text):
    # 张建国任县应急管理局局长: 任 is "serves as", not the county 任县
    result = extract_text("会上，副县长张建国任县应急管理局局长。")
    assert not any(e.name == "任县" for e in result.entities)


def test_county_that_became_a_city(find):
    # the table still lists 宁乡县, which became 宁乡市
    assert find("湖南省宁乡市开展活动。")["宁乡市"]["adcode"] == "430124"


def test_ordinary_word_then_city_short_form_is_no_city(find):
    assert "会同市" not in find("交警支队会同市交通运输局开展整治。")


def test_street_named_after_a_road_is_one_place(find):
    found = find("湖南省株洲市荷塘区新阳路街道开展活动。")
    assert found["新阳路街道"]["level"] == "street"
    assert "新阳路" not in found


def test_rivers_and_lakes_by_their_place_words(find):
    assert find("渔民在洞庭湖捕鱼。")["洞庭湖"]["level"] == "lake"
    # a park named after a river is one place
    found = find("市民在洞庭湖公园散步。")
    assert "洞庭湖公园" in found and "洞庭湖" not in found


def test_airport_takes_the_city_written_before_it(find):
    found = find("旅客在成都天府国际机场候机。")
    assert found["成都天府国际机场"]["level"] == "airport"
    assert found["成都天府国际机场"]["_within"] == "成都"


def test_street_named_by_an_ordinary_noun(find):
    assert "桂园街道" in find("在桂园街道开展活动。")
    assert not any(name.endswith("街道") for name in find("清扫城市街道。"))


def test_rare_first_character_stays_in_the_name(find):
    assert "丹水池街道" in find("在武汉市江岸区丹水池街道走访。")


def test_suffix_glued_to_the_next_name(find):
    found = find("在青山区龙溪镇明珠小区演练。")
    assert {"龙溪镇", "明珠小区"} <= set(found)


def test_foreign_regions_and_capitals(find):
    assert find("在英国肯特郡参观。")["肯特郡"]["level"] == "region"
    assert find("他在雅加达会见代表。")["雅加达"]["parent"] == "印度尼西亚"


def test_zone_after_a_short_name_is_one_name(find):
    assert find("郑州新区：服务月月办。")["郑州新区"]["level"] == "zone"
    assert "高新区" in find("长沙市高新区开展活动。")


def test_town_cut_apart_elsewhere_in_the_document(context):
    text = "会议在白沙埠镇召开。白沙埠镇长林村村民发言。"
    first, second = text.split("。", 1)
    sentences = [Sentence(0, 0, len(first) + 1, first + "。"), Sentence(1, len(first) + 1, len(text), second)]
    parsed = [places.parse(s) for s in sentences]
    names = [m.name for m in places.find_all(parsed, context) if m.sentence == 1]
    assert names == ["白沙埠镇", "长林村"]


def test_short_name_of_an_autonomous_division():
    from kg.gazetteer import short_name

    assert short_name("湘西土家族苗族自治州") == "湘西"
    assert short_name("黔东南苗族侗族自治州") == "黔东南"
    assert short_name("长白朝鲜族自治县") == "长白"


def test_any_character_between_a_division_and_a_town_name(find):
    assert "三桃源镇" in find("在湖南省攸县三桃源镇调研。")
    assert not any(name.startswith("各") for name in find("攸县各乡镇召开会议。"))


def test_bridge_named_on_its_river(find):
    assert find("游客在洞庭湖断桥拍照。")["洞庭湖断桥"]["level"] == "bridge"
    assert not find("他走过一座石桥。")


def test_the_written_divisions_below_each_division_are_counted_once_per_document():
    """``Gazetteer.below`` counts, for each division, the written ones it is an ancestor of,
    as ``choose`` once counted them name by name."""
    gaz = load_gazetteer()
    rng = random.Random(3)
    written = set(rng.sample(sorted(gaz.by_code), 400))
    below = gaz.below(written)
    ancestors = {code: gaz.ancestors(gaz.by_code[code]) for code in written}
    some = rng.sample(sorted(gaz.by_code.values(), key=lambda d: d.adcode), 300)
    for division in some + [a for code in sorted(written) for a in ancestors[code]]:
        assert below[division.adcode] == sum(1 for code in written if division in ancestors[code])
    assert max(below.values()) > 1
