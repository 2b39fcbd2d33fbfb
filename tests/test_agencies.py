"""Agencies: name boundaries read from the head word leftwards, chains of units,
party organs, national abbreviations, and generic references that are no names."""
from __future__ import annotations

import pytest

from kg.models import Sentence
from kg.recognise import agencies


@pytest.fixture
def find(context):
    def run(text: str) -> dict[str, dict]:
        return {m.name: m.attrs for m in agencies.find(Sentence(0, 0, len(text), text), context)}

    return run


def test_place_prefixed_name_stops_at_the_verb_before_it(find):
    assert set(find("市民王某来到长沙市反诈中心求助。")) == {"长沙市反诈中心"}


def test_every_unit_of_a_chain_is_a_mention(find):
    found = find("湖南省长沙市公安局交警支队高速二大队民警巡逻。")
    assert set(found) == {"湖南省长沙市公安局", "湖南省长沙市公安局交警支队", "湖南省长沙市公安局交警支队高速二大队"}


def test_short_form_keeps_its_level(find):
    found = find("他陪同市妇联对市总工会开展调研。")
    assert found["市妇联"]["_short"] == "市"
    assert found["市总工会"]["_short"] == "市"


def test_party_committee_and_its_organ(find):
    found = find("攸县县委政法委召开会议。")
    assert {"攸县县委", "攸县县委政法委"} <= set(found)
    found = find("株洲市委政法委召开会议。")
    assert {"株洲市委", "株洲市委政法委"} <= set(found)


@pytest.mark.parametrize("text, name", [
    ("据九江市卫生健康委介绍，全市已完成改造。", "九江市卫生健康委"),
    ("赣州市住房城乡建设委近日发文。", "赣州市住房城乡建设委"),
    ("萍乡市发展改革委牵头编制规划。", "萍乡市发展改革委"),
    ("九江市第一人民医院开展义诊。", "九江市第一人民医院"),  # an ordinal anywhere in the name
    ("南昌大学第二附属医院专家介绍。", "南昌大学第二附属医院"),
])
def test_commissions_named_short_and_numbered_units_are_agencies(find, text, name):
    assert name in find(text)


def test_national_abbreviation_is_found_as_written(find):
    assert "国家药监局" in find("国家药监局发布通告。")


def test_generic_references_are_bare(find):
    found = find("有关部门和派出所民警、各级药品监管部门到场。")
    assert all(attrs.get("_bare") and not attrs.get("_named") for attrs in found.values())


def test_common_words_ending_like_heads_are_no_agencies(find):
    assert find("党员干部要服务发展大局，形成新格局，部署工作。") == {}


def test_company_with_a_proper_name_names_itself(find):
    assert find("工人在恒达公司上班。")["恒达公司"].get("_named")
    # jieba glues the preposition to the unknown name: 在鑫宇 -> 鑫宇
    assert find("工人在鑫宇公司上班。")["鑫宇公司"].get("_named")
    assert find("他在华岳物流有限公司工作。")["华岳物流有限公司"].get("_named")


def test_verb_before_a_bare_name_is_cut(find):
    found = find("当天成立反诈中心。")
    assert set(found) == {"反诈中心"}
    assert not found["反诈中心"].get("_named")


def test_newspaper_is_no_agency(extract_text):
    result = extract_text("本报讯 近日，记者走访了长沙市。")
    assert [e for e in result.entities if e.type == "agency"] == []


def test_head_that_begins_a_post_title_is_no_agency(find):
    assert set(find("株洲市公安局交警支队党委委员王某说。")) == {"株洲市公安局", "株洲市公安局交警支队"}


def test_head_glued_to_a_title_by_jieba(find):
    assert "株洲市法院" in find("株洲市法院院长主持会议。")


def test_this_agency_before_a_unit(find):
    assert find("案件移送该院第二检察部。")["第二检察部"]["_this"] == "院"


def test_central_organ_names_itself(find):
    assert find("中央农办开展督察。")["中央农办"].get("_named")


def test_proper_name_with_a_numeral_is_kept(find):
    assert "四海化工公司" in find("在四海化工公司设置柜台。")


def test_a_post_ends_a_name(find):
    assert "国务院总理作政府" not in find("国务院总理作政府工作报告。")


def test_national_name_after_a_foreign_country(find):
    assert "美国国务院" in find("美国国务院发言人表示。")


def test_name_words_that_look_like_determiners_or_numbers(find):
    # 全 opens 全市 but also names; 五金 is a word, not a number
    assert "株洲市全顺五金制品有限公司" in find("株洲市全顺五金制品有限公司扩大生产。")


def test_known_name_must_end_a_word(find):
    assert "交通部" not in find("当地交通部门连夜除雪。")
    assert "交通部" in find("交通部发布通知。")


def test_sub_units_of_ministries_banks_and_procuratorates(find):
    assert "财政部预算司" in find("财政部预算司司长出席会议。")
    assert "最高人民检察院第四检察厅" in find("最高人民检察院第四检察厅厅长介绍。")
    assert "湖南银行岳麓支行" in find("湖南银行岳麓支行行长发言。")
    assert not find("司机开车送他回家。")


def test_customs_house_is_an_agency(find):
    assert "广州海关" in find("广州海关查获一批走私香烟。")


def test_conjunction_inside_a_name_that_reaches_a_place(find):
    assert "县人力资源和社会保障局" in find("会上，县人力资源和社会保障局通报情况。")
    assert "湖南省住房和城乡建设厅" in find("湖南省住房和城乡建设厅发布通知。")
    # two agencies joined by 和 stay two
    found = find("县公安局和市场监管局联合执法。")
    assert "县公安局" in found and not any("和" in name for name in found)


def test_youth_league_prefix_before_the_place(find):
    assert "共青团株洲市委员会" in find("共青团株洲市委员会举办活动。")


def test_committee_of_a_street_or_community_written_short(find):
    assert find("社区党委书记主持会议。")["社区党委"]["_short"] == "社区"
    assert find("街道党工委书记出席。")["街道党工委"]["_short"] == "街道"


def test_committee_inside_a_unit_is_part_of_a_post(find):
    assert set(find("株洲市公安局党委委员出席。")) == {"株洲市公安局"}
    assert "株洲市委办公室" in find("株洲市委办公室主任出席。")


def test_channels_and_plural_nouns_are_no_agencies(find):
    assert set(find("市民通过长沙银行手机银行缴费。")) == {"长沙银行"}
    assert not any(name.startswith("亚洲") for name in find("为二十个亚洲国家培训技术人员的培训中心。"))


def test_international_bodies_and_their_short_forms(context, find):
    assert "联合国儿童基金会" in find("联合国儿童基金会驻华代表发言。")
    assert context.lexicon.canonical("亚投行") == "亚洲基础设施投资银行"


def test_subordination_word_ends_a_name(find):
    found = find("广州海关所属黄埔海关查获一批香烟。")
    assert {"广州海关", "黄埔海关"} <= set(found)


def test_unit_listed_after_a_county_unit_is_the_countys(find):
    found = find("县住建局、县交通运输局、文旅局等单位参加会议。")
    assert found["文旅局"]["_short"] == "县"
    # a school listed with units is not one of them
    assert find("与株洲市委党校、湘江干部学院等开展合作。").get("湘江干部学院", {}).get("_short") is None


def test_ministry_written_glued_to_its_ministers_post(find):
    assert "澳大利亚农业与水资源部" in find("澳大利亚农业与水资源部长出席会议。")
    assert set(find("株洲市消防救援支队支队长介绍情况。")) == {"株洲市消防救援支队"}
    assert not find("副局长张某说。")


def test_commission_named_by_what_it_does(find):
    assert "市禁毒委" in find("市禁毒委副主任出席会议。")


def test_station_named_after_its_locality(find):
    assert find("民警来到柳溪边境检查站执勤。")["柳溪边境检查站"].get("_named")
    assert not find("群众到派出所报案。")


def test_office_stationed_abroad_is_a_unit_of_its_body(find):
    found = find("联合国儿童基金会驻泰国代表处负责人说。")
    assert "联合国儿童基金会驻泰国代表处" in found
    assert "中国驻泰国大使馆" in find("中国驻泰国大使馆发表声明。")


def test_number_before_a_one_character_head_is_a_count(find):
    assert not find("全县新建中小学12所。")


def test_conjunction_after_a_unit_joins_two_names(find):
    assert not any("和" in name for name in find("恒达集团总经理某某和长沙市公安局签约。"))


def test_the_party_committee_of_a_province_keeps_its_place(extract_text):
    """jieba lists 中共江西省委 as one word, which would hide the province."""
    result = extract_text("中共江西省委召开常委会会议。")
    assert {(e.type, e.name) for e in result.entities} == {("agency", "中共江西省委"), ("place", "江西省")}
    assert any(r.relation == "located_in" and r.head == "agency:中共江西省委" for r in result.relations)
