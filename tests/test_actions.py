"""role and runs on hand-made mentions, so that each rule is pinned apart from the recognisers."""
from __future__ import annotations

from kg.models import Entity, Mention, Sentence
from kg.relate import actions


def build(texts: list[str], spans: list[tuple[int, str, str, dict | None]], sections: list[int] | None = None):
    """Sentences from ``texts`` and mentions (sentence, type, written form, attrs) found in them."""
    sentences, pos = [], 0
    for k, t in enumerate(texts):
        sentences.append(Sentence(k, pos, pos + len(t), t, (sections or [0] * len(texts))[k]))
        pos += len(t) + 1
    mentions, seen = [], {}
    for index, kind, form, attrs in spans:
        s = sentences[index]
        at = s.text.find(form, seen.get((index, form), 0))
        seen[(index, form)] = at + 1
        mentions.append(Mention(kind, form, s.start + at, s.start + at + len(form), index, form, dict(attrs or {})))
    mentions.sort(key=lambda m: (m.start, m.end))
    entities = {}
    for m in mentions:
        entities.setdefault(m.key, Entity(m.type, m.name))
    return sentences, mentions, list(entities.values())


def roles(texts, spans, context, **kw):
    sentences, mentions, entities = build(texts, spans, **kw)
    return {(r.head, r.tail, r.title) for r in actions.roles(sentences, mentions, entities, context)}


def runs(texts, spans, context, **kw):
    sentences, mentions, entities = build(texts, spans, **kw)
    return {(r.head, r.tail) for r in actions.runs(sentences, mentions, entities, context)}


POST = {"cue": "post"}


def test_role_chain_gives_one_role_per_unit(context):
    text = "甲市公安局交警支队党委委员、政治处主任邱明说。"
    found = roles([text], [(0, "agency", "甲市公安局交警支队", None), (0, "person", "邱明", POST)], context)
    assert found == {("person:邱明", "agency:甲市公安局交警支队", "党委委员、政治处主任")}


def test_short_forms_in_a_chain_take_the_unit_before(context):
    text = "乙县委副书记、政法委书记、县禁毒委常务副主任栗太平表示。"
    sentences, mentions, entities = build([text], [(0, "agency", "乙县委", None), (0, "person", "栗太平", POST)])
    entities += [Entity("agency", "乙县政法委"), Entity("agency", "乙县禁毒委")]
    found = {(r.tail, r.title) for r in actions.roles(sentences, mentions, entities, context)}
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


def test_runs_by_the_subject_of_the_clause(context):
    text = "近年来，己县信访局积极探索“信访+心理服务”模式。"
    spans = [(0, "agency", "己县信访局", None), (0, "program", "信访+心理服务", None)]
    assert runs([text], spans, context) == {("agency:己县信访局", "program:信访+心理服务")}


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
    text = "河北省唐山市古冶区深化“大帮扶”行动。"
    spans = [(0, "place", "河北省", None), (0, "place", "唐山市", None), (0, "place", "古冶区", None),
             (0, "program", "大帮扶", None)]
    assert runs([text], spans, context) == {("place:古冶区", "program:大帮扶")}


def test_implicit_subject_carries_over_within_an_article_only(context):
    texts = ["壬镇积极探索信访工作新路子。", "采取“一线工作法”，化解积案。", "新标题", "推行“网格+信访”机制。"]
    spans = [(0, "place", "壬镇", None), (1, "program", "一线工作法", None), (3, "program", "网格+信访", None)]
    assert runs(texts, spans, context, sections=[0, 0, 1, 1]) == {("place:壬镇", "program:一线工作法")}


def test_reference_to_the_unit_named_before(context):
    texts = ["癸区司法局成立调解中心。", "同时，该局建立“律调对接”机制。"]
    spans = [(0, "agency", "癸区司法局", None), (1, "program", "律调对接", None)]
    assert runs(texts, spans, context) == {("agency:癸区司法局", "program:律调对接")}


def test_a_dateline_place_runs_nothing(context):
    text = "本报北京12月1日电 子市深入开展“织网扎根”工程。"
    spans = [(0, "place", "北京", None), (0, "place", "子市", None), (0, "program", "织网扎根", None)]
    assert runs([text], spans, context) == {("place:子市", "program:织网扎根")}


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
