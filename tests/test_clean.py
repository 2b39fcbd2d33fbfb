"""The cleaner rebuilds paragraphs from pasted PDF/OCR text; each rule pinned on a short text."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.clean import PARAGRAPH_KINDS, clean_text

# what XML 1.0 allows in text
_XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def paragraphs(raw: str) -> list[tuple[str, str]]:
    clean = clean_text(raw)
    return [(clean.text[p.start : p.end], p.kind) for p in clean.paragraphs]


def texts(raw: str) -> list[str]:
    return [text for text, _ in paragraphs(raw)]


# --- lines broken by the copy are joined back


def test_word_broken_across_lines_with_blank_lines_between_is_joined():
    raw = "\u3000\u3000本报讯 今年以来，青山县\n\n司法局成立调解室，化解纠纷三十起。"
    assert texts(raw) == ["本报讯 今年以来，青山县司法局成立调解室，化解纠纷三十起。"]


def test_sentence_end_at_line_end_closes_the_paragraph():
    raw = "\u3000\u3000青山县司法局成立调解室。\n\n\u3000\u3000调解员每天接待群众。"
    assert texts(raw) == ["青山县司法局成立调解室。", "调解员每天接待群众。"]


def test_line_starting_with_closing_quote_carries_on_the_paragraph():
    raw = "\u3000\u3000本报讯 “纠纷说开了。\n\n”村民林晓东说。"
    assert texts(raw) == ["本报讯 “纠纷说开了。”村民林晓东说。"]


def test_latin_words_split_across_lines_keep_a_space():
    raw = "\u3000\u3000会议使用the\n\nmeeting系统。"
    assert texts(raw) == ["会议使用the meeting系统。"]


def test_tv_transcript_keeps_one_paragraph_per_line():
    raw = (
        "本台消息（记者 林晓东 何平）今年以来，青山县检察院开展护企行动。\n"
        "【同期声】青山县检察院检察长 周明远：我们坚持依法平等保护。\n"
        "记者了解到，该院还开通了服务热线。"
    )
    assert texts(raw) == raw.split("\n")
    assert [kind for _, kind in paragraphs(raw)] == ["body", "body", "body"]


# --- spaces that copying put inside words


def test_letter_spaced_line_is_joined():
    raw = "\u3000\u3000今 年 以 来 ，全 县 案 件 同 比 下 降 两 成 。"
    assert texts(raw) == ["今年以来，全县案件同比下降两成。"]


def test_wider_gap_in_a_letter_spaced_line_is_kept():
    raw = "\u3000\u3000本报讯 记者林晓 通讯员周\n\n明 远  近 日 ，青 山 县 公 安 局 开 展 培 训 。"
    assert texts(raw) == ["本报讯 记者林晓 通讯员周明远 近日，青山县公安局开展培训。"]


def test_spaced_name_broken_across_lines_is_joined_in_prose():
    raw = "\u3000\u3000县公安局支队长林 晓 \n\n东介绍，支队开展了专项行动。"
    assert texts(raw) == ["县公安局支队长林晓东介绍，支队开展了专项行动。"]


def test_spaces_inside_numbers_and_before_punctuation_are_removed():
    raw = "\u3000\u3000全县共有调解员 3817 名 ，挽回损失 47 .5万元。"
    assert texts(raw) == ["全县共有调解员3817名，挽回损失47.5万元。"]


def test_full_width_digits_become_ascii_but_punctuation_stays_full_width():
    assert texts("\u3000\u3000２０２３年，青山县（试点）启动。") == ["2023年，青山县（试点）启动。"]


def test_full_width_indent_and_spaces_are_removed():
    assert texts("\u3000\u3000\u3000青山县召开会议。\u3000") == ["青山县召开会议。"]


# --- by-lines and credits


def test_byline_keeps_the_gap_between_names_and_joins_a_spaced_name():
    assert paragraphs("□\u3000本报记者   林晓东 吴 涛") == [("□ 本报记者 林晓东 吴涛", "byline")]


def test_byline_without_role_word_after_a_bullet():
    assert paragraphs("□ 林晓东 何 平") == [("□ 林晓东 何平", "byline")]


def test_byline_broken_after_the_role_word_is_joined_with_a_space():
    assert paragraphs("□\u3000本报记者\n\n林晓东 何平") == [("□ 本报记者 林晓东 何平", "byline")]


def test_two_bylines_on_one_line_keep_their_bullets_apart():
    assert texts("□ 本报记者 林晓东 □ 本报通讯员 何平") == ["□ 本报记者 林晓东 □ 本报通讯员 何平"]


def test_sentence_starting_with_reporter_is_not_a_byline():
    assert paragraphs("记者了解到，青山县将推广这一做法。") == [("记者了解到，青山县将推广这一做法。", "body")]


def test_dateline_byline_broken_after_a_name_keeps_a_space_before_the_text():
    raw = "\u3000\u3000本报讯 记者林晓东\n\n青山县公安局近日召开会议。"
    assert texts(raw) == ["本报讯 记者林晓东 青山县公安局近日召开会议。"]


def test_dateline_byline_broken_inside_a_name_is_joined_without_space():
    raw = "\u3000\u3000本报讯 记者林\n\n晓东 近日，青山县公安局召开会议。"
    assert texts(raw)[0].startswith("本报讯 记者林晓东 近日，")


def test_credit_in_brackets_on_its_own_line():
    raw = "\u3000\u3000青山县开展普法宣传活动。\n\n（林晓东）"
    assert paragraphs(raw) == [("青山县开展普法宣传活动。", "body"), ("（林晓东）", "credit")]


def test_credit_after_the_last_sentence_is_split_off():
    assert paragraphs("\u3000\u3000青山县开展普法宣传活动。 （林 晓）") == [
        ("青山县开展普法宣传活动。", "body"),
        ("（林晓）", "credit"),
    ]
    assert paragraphs("\u3000\u3000青山县开展普法宣传活动。 林晓东") == [
        ("青山县开展普法宣传活动。", "body"),
        ("林晓东", "credit"),
    ]


def test_bare_name_line_after_an_article_is_a_credit():
    raw = "\u3000\u3000青山县开展普法宣传活动。\n\n林晓东 何平\n\n白水县推行调解新模式"
    assert paragraphs(raw) == [
        ("青山县开展普法宣传活动。", "body"),
        ("林晓东 何平", "credit"),
        ("白水县推行调解新模式", "heading"),
    ]


def test_bare_name_line_at_the_top_is_not_a_credit():
    assert paragraphs("林晓东\n\n\u3000\u3000青山县开展普法宣传活动。")[0][1] != "credit"


def test_photo_caption_and_its_credit():
    raw = "\u3000\u3000图为调解员在村口为村民讲解法律。  本报记者 林晓东 摄"
    assert paragraphs(raw) == [("图为调解员在村口为村民讲解法律。", "caption"), ("本报记者 林晓东 摄", "credit")]


def test_photo_credit_glued_to_its_caption_is_split_off():
    raw = "青山县开展调解宣传活动,图为本报记者 林晓东 本报通讯员 何平 摄"
    assert paragraphs(raw) == [("青山县开展调解宣传活动,图为", "caption"), ("本报记者 林晓东 本报通讯员 何平 摄", "credit")]


# --- headings and page headers


def test_markdown_headings_lose_their_marks():
    raw = "# 青山县推行调解新模式\n\n## 调解进网格\n\n青山县司法局成立调解室，化解纠纷三十起。"
    assert paragraphs(raw) == [
        ("青山县推行调解新模式", "heading"),
        ("调解进网格", "subheading"),
        ("青山县司法局成立调解室，化解纠纷三十起。", "body"),
    ]


def test_consecutive_headline_lines_are_not_glued():
    raw = "青山县推行调解新模式\n一年化解纠纷三百余起\n□ 本报记者 林晓东\n\n\u3000\u3000本报讯 青山县司法局成立调解室。"
    assert paragraphs(raw) == [
        ("青山县推行调解新模式", "heading"),
        ("一年化解纠纷三百余起", "heading"),
        ("□ 本报记者 林晓东", "byline"),
        ("本报讯 青山县司法局成立调解室。", "body"),
    ]


def test_headline_with_a_gap_between_phrases_stands_alone_even_after_an_open_paragraph():
    raw = "青山县司法局会同有关部门通过走访座谈等方式收\n打通部门壁垒 搭建调解平台\n青山县妇联开展家庭调解。"
    assert paragraphs(raw)[1] == ("打通部门壁垒 搭建调解平台", "heading")


def test_numbered_subheadings_stand_alone():
    raw = "\u3000\u3000青山县召开会议。\n一、加强组织领导\n\u3000\u3000会议要求，抓好落实。\n（二）压实责任\n各乡镇要抓好落实。"
    assert paragraphs(raw) == [
        ("青山县召开会议。", "body"),
        ("一、加强组织领导", "subheading"),
        ("会议要求，抓好落实。", "body"),
        ("（二）压实责任", "subheading"),
        ("各乡镇要抓好落实。", "body"),
    ]
    # a numbered list in prose is not a heading
    assert paragraphs("1.加强领导，压实责任。")[0][1] == "body"


def test_speaker_label_on_its_own_line_joins_the_speech():
    raw = "本台消息（记者 林晓东）青山县召开会议。\n【同期声】\n青山县司法局局长 何平：我们要抓好落实。"
    assert texts(raw) == ["本台消息（记者 林晓东）青山县召开会议。", "【同期声】青山县司法局局长 何平：我们要抓好落实。"]


def test_page_header_is_marked():
    raw = "2024年3月5日\u3000星期二\u3000\u3000\u3000法治新闻\u3000\u3000\u3000第6版\n\n\u3000\u3000本报讯 青山县召开会议。"
    assert paragraphs(raw)[0] == ("2024年3月5日 星期二 法治新闻 第6版", "header")


COLUMN = (
    "\u3000\u3000青山县司法局近年来不断完善人民\n\n"
    "调解组织，全县已有四十余个村设立了\n\n"
    "调解室，村民遇到邻里矛盾可以就近求\n\n"
    "助，信访数量比前年减少了三成，乡村\n\n"
    "和睦。\n\n"
)


def test_short_unpunctuated_line_in_a_column_is_a_subheading():
    raw = COLUMN + "调解室开到村口\n\n" + COLUMN
    result = paragraphs(raw)
    assert ("调解室开到村口", "heading") in result
    assert len(result) == 3


def test_line_whose_last_word_runs_into_the_next_is_not_a_headline():
    # short and unpunctuated, but 工作 runs on from one line into the next
    raw = COLUMN + "基层调解是一项细致的工\n\n作，调解员要有耐心，也要懂法律，\n\n才能让双方信服。\n\n"
    result = paragraphs(raw)
    assert result[-1] == ("基层调解是一项细致的工作，调解员要有耐心，也要懂法律，才能让双方信服。", "body")


def test_narrow_headline_of_two_phrases_in_a_column():
    raw = COLUMN + "三级联动，织密调解网络\n\n青山县建立县乡村三级调解组织，每\n\n月研判一次矛盾纠纷。\n\n"
    assert ("三级联动，织密调解网络", "heading") in paragraphs(raw)


def test_headline_of_two_phrases_closing_on_a_quotation_mark_fills_the_column():
    raw = COLUMN + "强化源头治理，守好群众的“钱包”\n\n青山县公安局组织民警走进村组，讲解\n\n防骗知识。\n\n"
    assert ("强化源头治理，守好群众的“钱包”", "heading") in paragraphs(raw)
    # the same line carried on by the next one stays in its paragraph
    raw = COLUMN + "强化源头治理，守好群众的“钱包”\n\n，讲解防骗知识，组织民警走进村组。\n\n"
    assert paragraphs(raw)[-1][1] == "body"


def test_narrow_first_line_of_a_paragraph_with_a_comma_is_not_a_headline():
    raw = COLUMN + "普及防骗常识，护好老人的“钱\n\n包”。民警编印防骗手册，走进各个\n\n村组讲解。\n\n"
    assert paragraphs(raw)[-1] == ("普及防骗常识，护好老人的“钱包”。民警编印防骗手册，走进各个村组讲解。", "body")


# --- what never survives


def test_controls_surrogates_private_use_and_bom_are_dropped():
    raw = "\ufeff青\x00山\x07县\ud800召\ue000开\U000f0001会\x85议\uffff。"
    assert clean_text(raw).text == "青山县召开会议。"


def test_empty_and_blank_input():
    assert clean_text("").text == ""
    assert clean_text(" \n\u3000\n\t").paragraphs == []


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(exclude_categories=()),  # surrogates, controls, private use included
            st.sampled_from("\n\u3000 □（）。，“”#青山县林晓东"),
        ),
        max_size=200,
    )
)
def test_clean_text_never_fails_and_keeps_only_xml_text(raw):
    clean = clean_text(raw)
    assert not _XML_FORBIDDEN.search(clean.text)
    assert not re.search("[\ue000-\uf8ff\U000f0000-\U0010ffff]", clean.text)
    offset = 0
    for paragraph in clean.paragraphs:
        assert paragraph.kind in PARAGRAPH_KINDS
        assert paragraph.start == offset
        assert "\n" not in clean.text[paragraph.start : paragraph.end]
        offset = paragraph.end + 1
    assert "\n".join(clean.text[p.start : p.end] for p in clean.paragraphs) == clean.text


_PAGE_PIECES = st.sampled_from(
    ["\n", "\n\n", " ", "\u3000\u3000", "□ ", "本报讯 ", "记者", "青山县", "公安局", "。", "，", "”", "（林晓）", "# ", "摄"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PAGE_PIECES, max_size=40).map("".join))
def test_clean_text_never_fails_on_page_like_text(raw):
    clean = clean_text(raw)
    assert "\n".join(clean.text[p.start : p.end] for p in clean.paragraphs) == clean.text
