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
