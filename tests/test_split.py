"""Sentences and sections (articles) of a cleaned page, on short texts of our own."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.clean import clean_text
from kg.split import split_sentences


def sentences(raw: str):
    clean = clean_text(raw)
    return clean, split_sentences(clean)


def sections_of(raw: str) -> dict[str, int]:
    """The section of the sentence that starts with each text."""
    _, result = sentences(raw)
    return {s.text: s.section for s in result}


def section_starting(raw: str, prefix: str) -> int:
    return next(s.section for s in sentences(raw)[1] if s.text.startswith(prefix))


# --- sentences


def test_sentences_end_at_terminal_punctuation_with_closing_quotes():
    _, result = sentences("他说：“调解成功了。”随后离开。真的吗？是的！")
    assert [s.text for s in result] == ["他说：“调解成功了。”", "随后离开。", "真的吗？", "是的！"]


def test_sentence_offsets_index_the_cleaned_text():
    clean, result = sentences("\u3000\u3000本报讯 青山县\n\n召开会议。会议要求，\n\n抓好落实。\n\n\u3000\u3000会后，各乡镇传达了精神。")
    assert [s.text for s in result] == ["本报讯 青山县召开会议。", "会议要求，抓好落实。", "会后，各乡镇传达了精神。"]
    for s in result:
        assert clean.text[s.start : s.end] == s.text
    assert [s.index for s in result] == [0, 1, 2]


def test_very_long_unpunctuated_run_is_cut_at_commas():
    _, result = sentences("，".join(["青山县调解委员会化解纠纷"] * 60) + "。")
    assert len(result) > 1
    assert all(len(s.text) <= 300 for s in result)
    assert "".join(s.text for s in result) == "，".join(["青山县调解委员会化解纠纷"] * 60) + "。"


def test_page_header_gives_no_sentence():
    _, result = sentences("2024年3月5日\u3000星期二\u3000\u3000第6版\n\n\u3000\u3000本报讯 青山县召开会议。")
    assert [s.text for s in result] == ["本报讯 青山县召开会议。"]


# --- sections


def test_each_dateline_opens_an_article():
    raw = (
        "\u3000\u3000本报讯 青山县司法局成立调解室。\n\n\u3000\u3000调解员每天接待群众。\n\n"
        "\u3000\u3000本报北京3月5日电 记者林晓东 白水市公安局召开会议。"
    )
    found = sections_of(raw)
    assert found["本报讯 青山县司法局成立调解室。"] == found["调解员每天接待群众。"] == 0
    assert found["本报北京3月5日电 记者林晓东 白水市公安局召开会议。"] == 1


def test_subheading_inside_an_article_does_not_open_another():
    raw = (
        "青山县推行调解新模式\n□ 本报记者 林晓东\n\n\u3000\u3000青山县司法局成立调解室。\n\n"
        "调解进网格\n\n\u3000\u3000调解员每天走访网格，化解纠纷。"
    )
    found = sections_of(raw)
    assert set(found.values()) == {0}


def test_numbered_subheading_keeps_the_article_going_and_headline_still_splits():
    raw = (
        "\u3000\u3000本报讯 青山县召开调解工作会议，部署全年工作。\n一、加强组织领导\n"
        "\u3000\u3000会议要求各乡镇抓好落实。\n\n"
        "\u3000\u3000本报讯 白水市公安局走进校园宣传禁毒知识。\n\n"
        "白水市禁毒宣传进校园\n"
    )
    found = sections_of(raw)
    assert found["一、加强组织领导"] == found["会议要求各乡镇抓好落实。"] == 0
    # even when it repeats the words of the text above it
    raw = "\u3000\u3000本报讯 青山县召开调解工作会议。\n一、青山县召开调解工作会议\n\u3000\u3000各乡镇抓好落实。"
    assert set(sections_of(raw).values()) == {0}
    assert found["白水市禁毒宣传进校园"] == found["本报讯 白水市公安局走进校园宣传禁毒知识。"] == 1


def test_markdown_headline_opens_an_article_and_subheading_does_not():
    raw = (
        "# 青山县推行调解新模式\n\n青山县司法局成立调解室。\n\n## 调解进网格\n\n调解员每天走访网格。\n\n"
        "# 白水市开展禁毒宣传\n\n白水市公安局走进校园宣传禁毒知识。"
    )
    found = sections_of(raw)
    assert found["青山县推行调解新模式"] == found["调解进网格"] == found["调解员每天走访网格。"] == 0
    assert found["白水市开展禁毒宣传"] == found["白水市公安局走进校园宣传禁毒知识。"] == 1


def test_credit_closes_an_article_and_a_byline_opens_the_next():
    raw = (
        "\u3000\u3000本报讯 青山县开展普法宣传活动。\n\n（林晓东）\n\n"
        "□ 本报记者 何平\n\n\u3000\u3000近日，白水市公安局走进校园宣传禁毒知识。"
    )
    found = sections_of(raw)
    assert found["本报讯 青山县开展普法宣传活动。"] == found["（林晓东）"] == 0
    assert found["□ 本报记者 何平"] == found["近日，白水市公安局走进校园宣传禁毒知识。"] == 1


def test_byline_after_an_article_opens_the_next():
    raw = (
        "\u3000\u3000本报讯 青山县开展普法宣传活动。\n\n"
        "□ 本报记者 何平\n\n\u3000\u3000近日，白水市公安局走进校园宣传禁毒知识。"
    )
    assert section_starting(raw, "近日，白水市") == 1


def test_headline_printed_after_its_article_goes_with_it():
    raw = (
        "\u3000\u3000本报讯 青山县司法局近日建成县级调解中心，群众可一站办理调解事项。\n\n"
        "青山县建成县级调解中心\n\n"
        "\u3000\u3000本报讯 白水市公安局走进校园宣传禁毒知识。"
    )
    assert section_starting(raw, "青山县建成") == 0
    assert section_starting(raw, "本报讯 白水市") == 1


def test_headline_printed_before_its_article_goes_with_it():
    raw = (
        "\u3000\u3000本报讯 青山县司法局近日建成县级调解中心，群众可一站办理调解事项。\n\n"
        "白水市禁毒宣传进校园\n\n"
        "\u3000\u3000本报讯 白水市公安局走进校园宣传禁毒知识。"
    )
    assert section_starting(raw, "白水市禁毒") == section_starting(raw, "本报讯 白水市") == 1


def test_headlines_gathered_at_the_bottom_go_to_their_articles():
    raw = (
        "\u3000\u3000本报讯 青山县司法局近日建成县级调解中心，群众可一站办理调解事项。\n\n"
        "\u3000\u3000本报讯 白水市公安局走进校园宣传禁毒知识，发放宣传资料。\n\n"
        "白水市禁毒宣传进校园\n"
        "青山县建成县级调解中心\n"
    )
    assert section_starting(raw, "白水市禁毒") == 1
    assert section_starting(raw, "青山县建成") == 0


def test_photo_caption_is_an_article_of_its_own():
    raw = (
        "\u3000\u3000本报讯 青山县开展普法宣传活动。\n\n"
        "\u3000\u3000图为调解员在村口为村民讲解法律。  本报记者 林晓东 摄\n\n"
        "□ 本报记者 何平\n\n\u3000\u3000近日，白水市公安局走进校园宣传禁毒知识。"
    )
    found = sections_of(raw)
    assert found["图为调解员在村口为村民讲解法律。"] == found["本报记者 林晓东 摄"]
    assert len({found["本报讯 青山县开展普法宣传活动。"], found["图为调解员在村口为村民讲解法律。"],
                found["近日，白水市公安局走进校园宣传禁毒知识。"]}) == 3


def test_photo_caption_at_the_top_of_the_page_is_not_the_first_article():
    raw = (
        "图为调解员在村口为村民讲解法律。  本报记者 林晓东 摄\n"
        "青山县推行调解新模式\n\u3000\u3000本报讯 青山县司法局成立调解室。"
    )
    found = sections_of(raw)
    assert found["图为调解员在村口为村民讲解法律。"] == found["本报记者 林晓东 摄"]
    assert found["青山县推行调解新模式"] == found["本报讯 青山县司法局成立调解室。"]
    assert found["图为调解员在村口为村民讲解法律。"] != found["青山县推行调解新模式"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.characters(exclude_categories=()),  # surrogates, controls, private use included
            st.sampled_from(["\n", "\n\n", "\u3000\u3000", "本报讯 ", "□ 记者", "青山县", "。", "，", "（林晓）", "# "]),
        ),
        max_size=80,
    ).map("".join)
)
def test_split_never_fails_and_offsets_index_the_cleaned_text(raw):
    clean = clean_text(raw)
    result = split_sentences(clean)
    end = 0
    for i, s in enumerate(result):
        assert s.index == i
        assert s.text and s.text == clean.text[s.start : s.end]
        assert s.start >= end
        assert s.section >= 0
        end = s.end
