"""Resolution: one entity per real-world thing of a document, named by its most
complete written form; short forms completed by the article; generic ones dropped."""
from __future__ import annotations


def _entities(result, entity_type):
    return {e.name: e for e in result.entities if e.type == entity_type}


def test_place_prefixed_forms_of_one_agency_merge(extract_text):
    result = extract_text("湖南省长沙市岳麓区信访局成立工作室。岳麓区信访局接待群众。")
    agencies = _entities(result, "agency")
    assert list(agencies) == ["湖南省长沙市岳麓区信访局"]
    assert agencies["湖南省长沙市岳麓区信访局"].aliases == ["岳麓区信访局"]


def test_short_form_resolves_to_the_full_agency_of_the_article(extract_text):
    result = extract_text("株洲市公安局召开会议。会上，市公安局部署工作。")
    agencies = _entities(result, "agency")
    assert list(agencies) == ["株洲市公安局"]
    assert "市公安局" in agencies["株洲市公安局"].aliases


def test_short_form_completed_with_the_place_of_the_article(extract_text):
    result = extract_text("株洲市举办培训。市妇联派人授课。")
    agencies = _entities(result, "agency")
    assert list(agencies) == ["株洲市妇联"]
    assert agencies["株洲市妇联"].aliases == ["市妇联"]


def test_county_committee_completed_with_the_county_as_written(extract_text):
    result = extract_text("峨边县开展禁毒宣传。县委高度重视。")
    assert "峨边县委" in _entities(result, "agency")


def test_short_form_takes_the_place_of_its_own_article(extract_text):
    text = "本报讯 株洲市举办培训。\n\n本报讯 市妇联派人授课，湘潭市领导出席。"
    agencies = _entities(extract_text(text), "agency")
    assert list(agencies) == ["湘潭市妇联"]


def test_bare_unit_resolves_to_the_unit_of_the_article(extract_text):
    result = extract_text("长沙市公安局交警支队开展整治。交警支队民警上路执勤。")
    agencies = _entities(result, "agency")
    assert "交警支队" not in agencies
    assert "交警支队" in agencies["长沙市公安局交警支队"].aliases


def test_generic_references_are_dropped(extract_text):
    result = extract_text("有关部门和派出所民警到场，各级药品监管部门加强监管。")
    assert _entities(result, "agency") == {}


def test_abbreviation_and_full_name_written_in_one_document_merge(extract_text):
    result = extract_text("国家药品监督管理局发布公告。国家药监局提醒公众。")
    agencies = _entities(result, "agency")
    assert list(agencies) == ["国家药品监督管理局"]
    assert agencies["国家药品监督管理局"].aliases == ["国家药监局"]


def test_abbreviation_alone_keeps_its_written_form(extract_text):
    assert list(_entities(extract_text("国家药监局提醒公众。"), "agency")) == ["国家药监局"]


def test_long_official_form_and_usual_form_merge(extract_text):
    result = extract_text("攸县人民检察院办理案件。攸县检察院检察官介绍。")
    assert list(_entities(result, "agency")) == ["攸县人民检察院"]


def test_private_attributes_do_not_reach_entities(extract_text):
    result = extract_text("株洲市举办培训。市妇联派人授课。")
    assert all(not k.startswith("_") for e in result.entities for k in e.attrs)


def test_unit_after_this_agency_is_named_with_it(extract_text):
    result = extract_text("株洲市人民检察院办理案件。案件移送该院第二检察部。")
    agencies = _entities(result, "agency")
    assert "株洲市人民检察院第二检察部" in agencies
    part_of = {(r.head, r.tail) for r in result.relations if r.relation == "part_of"}
    assert ("agency:株洲市人民检察院第二检察部", "agency:株洲市人民检察院") in part_of


def test_abbreviated_unit_under_the_same_place_merges(extract_text):
    result = extract_text("株洲市公安局辅警管理支队召开会议。株洲市公安局辅警支队部署工作。")
    agencies = _entities(result, "agency")
    assert "株洲市公安局辅警支队" in agencies["株洲市公安局辅警管理支队"].aliases


def test_abbreviation_rule():
    from kg.resolve import is_abbreviation

    assert is_abbreviation("公安局辅警支队", "公安局辅警管理支队")
    assert not is_abbreviation("委", "委政法委")
    assert not is_abbreviation("交警支队", "交通警察支队")


def test_street_written_without_its_suffix_is_the_street(extract_text):
    result = extract_text("株洲市荷塘区月塘街道开展宣传。月塘司法所提供咨询。")
    located = {(r.head, r.tail) for r in result.relations if r.relation == "located_in"}
    assert ("agency:月塘司法所", "place:月塘街道") in located
    assert "月塘" in _entities(result, "place")["月塘街道"].aliases


def test_office_and_its_short_form_merge(extract_text):
    result = extract_text("株洲市荷塘区综合治理办公室开展活动。荷塘区综合治理办发放资料。")
    assert list(_entities(result, "agency")) == ["株洲市荷塘区综合治理办公室"]


def test_short_form_in_an_article_about_a_county_level_city(extract_text):
    result = extract_text("浏阳市举行招商大会。市发展和改革局局长介绍项目，市委副书记讲话。")
    agencies = _entities(result, "agency")
    assert {"浏阳市委", "浏阳市发展和改革局"} <= set(agencies)


def test_community_committee_completed_with_the_community_of_the_article(extract_text):
    result = extract_text("桃李社区开展义诊。社区党委书记带队入户。")
    assert "桃李社区党委" in _entities(result, "agency")


def test_national_organ_after_a_country_is_located_in_it(extract_text):
    result = extract_text("中国商务部副部长出席开幕式。")
    located = {(r.head, r.tail) for r in result.relations if r.relation == "located_in"}
    assert ("agency:中国商务部", "place:中国") in located
