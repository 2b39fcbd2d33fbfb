"""Programs: 《》 documents, quoted names with head words, strong unquoted heads; and what stays out."""
from __future__ import annotations

import pytest

from kg.models import Sentence
from kg.recognise import programs


def names(text: str, context) -> list[str]:
    return [m.name for m in programs.find(Sentence(0, 0, len(text), text), context)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("该局开展《安全生产条例》宣传活动。", ["安全生产条例"]),
        ("制定《某某区网格管理办法（试行）》。", ["某某区网格管理办法"]),
        ("印发《关于做好冬季防火工作的通知》。", ["关于做好冬季防火工作的通知"]),
        ("出台《某市社会治理工作“共建计划”实施方案》。", ["共建计划"]),
        ("积极探索“调解+心理服务”模式。", ["调解+心理服务"]),
        ("提前完成“治乱化积”三年攻坚专项行动。", ["治乱化积"]),
        ("对辅警实行‘五定三包’网格化勤务。", ["五定三包"]),
        ("开展“冬日走访 守护平安”活动。", ["冬日走访守护平安"]),
        ("发挥“和事茶社”“邻和小栈”等镇街层面的矛盾纠纷处理平台作用。", ["和事茶社", "邻和小栈"]),
        ("设立“信息员”制度。", ["信息员制度"]),
        ("举办“红色文化+普法”，传承红色基因。", ["红色文化+普法"]),
        ("践行新时代“枫桥经验”。", ["枫桥经验"]),
        ("将化解积案作为“作风提升年”工作的重要内容。", ["作风提升年"]),
        ("严格落实“两到位一反馈”，服务基层。", ["两到位一反馈"]),
        ("全面推进“信易融”工作，助力企业。", ["信易融"]),
        ("完成了“12337”举报平台信访件办理。", ["12337"]),
        ("群众可拨打12345市长热线反映问题。", ["12345"]),
        ("建立健全快递寄递禁毒协作联席会议制度。", ["快递寄递禁毒协作联席会议制度"]),
        ("自打假治劣专项行动以来，破获案件13起。", ["打假治劣专项行动"]),
    ],
)
def test_programs(text, expected, context):
    assert names(text, context) == expected


@pytest.mark.parametrize(
    "text",
    [
        "秉承“像管理民警一样管理辅警”理念。",  # a slogan without a head word
        "搭建社会治理“红色”平台。",  # an ordinary word in quotes
        "他是这里的“常客”。",
        "实现所有村居“全覆盖”。",
        "推行“线上+线下”服务。",  # a short formula of two common words
        "打造“润西”志愿服务队。",  # a team is a unit, not a program
        "开展禁毒宣传活动。",  # a generic activity
        "乙县成立了治超大会战指挥部。",  # the head word inside a unit's name
        "全市有260个治理微网格。",
        "坚持“警力跟着警情走”，提升效能。",  # a slogan, not after a verb of running things
        "确保实现“事结、心解、人和”。",
        "做好“两节”工作。",  # 做好 is no verb of running a named thing
        "阅读《方案》全文。",  # refers back to a document named before
        "他订阅了《人民日报》。",  # a newspaper, not a policy document
    ],
)
def test_no_program(text, context):
    assert names(text, context) == []


def test_leading_modifier_is_not_part_of_the_name(context):
    assert names("新一轮治超三年大会战以来，成效明显。", context) == ["治超三年大会战"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("推行“县院+乡院+村室”一体化管理模式。", ["县院+乡院+村室"]),  # a description before the head
        ("实施“一村一档、一户一长”管理制度。", ["一村一档、一户一长"]),  # two head words; 长 is no role noun here
        ("该站推出“一窗通关”服务。", ["一窗通关"]),  # a name that 服务 makes a program
        ("两家单位深化“银企互信”合作。", ["银企互信"]),
        ("首届东亚生态农业论坛在某市开幕。", ["东亚生态农业论坛"]),  # an event named with its ordinal
        ("第五届某某国际茶业博览会开幕。", ["某某国际茶业博览会"]),
    ],
)
def test_programs_in_other_styles(text, expected, context):
    assert names(text, context) == expected


@pytest.mark.parametrize(
    "text",
    [
        "为群众提供“一对一”服务。",  # manner phrases before 服务
        "提供“全天候”服务。",
        "推行“保姆式”服务。",
        "第十四届全国人民代表大会第二次会议开幕。",  # a standing body, not an event
    ],
)
def test_no_program_in_other_styles(text, context):
    assert names(text, context) == []


def test_games_named_by_their_host_city(context):
    assert names("全力服务保障2022年北京冬奥会。", context) == ["北京冬奥会"]
    assert names("参加奥运会的运动员。", context) == []  # no host city: the games in general


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("该县推行“楼栋恳谈会”制度。", ["楼栋恳谈会"]),  # a unit word inside, an arrangement after
        ("该局深化“红旗式司法所”创建。", ["红旗式司法所"]),
        ("该镇把调解室与“文明积分站”结合起来。", ["文明积分站"]),  # joined to another mechanism
        ("区住建局推行“楼长制”，效果明显。", ["楼长制"]),  # a system of responsibility
        ("该组织将设立“海洋清洁基金”。", ["海洋清洁基金"]),
        ("该区推出“科创贷”金融产品。", ["科创贷"]),
        ("请拨打96999防骗预警专线。", ["96999"]),
        ("2025杭州国际数字贸易博览会开幕。", ["杭州国际数字贸易博览会"]),  # a fair named with its year
        ("办好第五届中国（某市）国际农业博览会。", ["中国（某市）国际农业博览会"]),
    ],
)
def test_unit_words_models_funds_and_fairs(text, expected, context):
    assert names(text, context) == expected


@pytest.mark.parametrize(
    "text",
    [
        "该县“议事会”成员共十人。",  # a quoted unit with no head
        "他与“老朋友”结合得很好。",  # a short ordinary word joined to something
        "2024年全国工作会议召开。",  # a year before a meeting, no fair
    ],
)
def test_no_program_in_units_and_meetings(text, context):
    assert names(text, context) == []
