"""Synthetic Chinese news articles for the benchmark, with a world that grows.

Articles read like local government news: a headline, a by-line, then paragraphs
in which officials of agencies of real divisions (from ``kg.gazetteer``) speak,
run programs and work with other agencies. People and programs are invented;
divisions are real. Each new article mostly reuses the people, agencies and
programs already in the world (popular ones more often) and sometimes brings new
ones, so the number of distinct entities grows with the corpus the way it does in
a real archive: fast at first, then more slowly.

The same ``seed`` and ``count`` always give the same files.

Usage: python -m bench.generate OUT_DIR --count 3000 [--seed 0]
"""
from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.gazetteer import Division, load_gazetteer
from kg.lexicon import load_lexicon

__all__ = ["generate_articles", "write_corpus", "World"]

PER_FOLDER = 1000  # articles per sub-folder, as an archive sorted by month would be

# invented material: generic words of local news, no real people or programs
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉鹏宇浩然佳琪晓雪梅兰春海波红玉成林志远振东立新卫民德福永庆启荣金凤")
COUNTY_AGENCIES = ["公安局", "人民法院", "人民检察院", "司法局", "市场监督管理局", "生态环境局", "信访局",
                   "应急管理局", "卫生健康委员会", "教育局", "民政局", "人力资源和社会保障局", "政法委"]
CITY_AGENCIES = ["公安局", "中级人民法院", "人民检察院", "司法局", "市场监督管理局", "交通运输局", "住房和城乡建设局"]
TITLES = {"公安局": ["局长", "副局长", "政委"], "人民法院": ["院长", "副院长", "庭长"],
          "中级人民法院": ["院长", "副院长", "审判长"], "人民检察院": ["检察长", "副检察长", "检察官"],
          "政法委": ["书记", "副书记"], "卫生健康委员会": ["主任", "副主任"]}
DEFAULT_TITLES = ["局长", "副局长", "党组书记", "负责人"]
PROGRAM_WORDS = ["清风", "护航", "平安", "阳光", "暖心", "雷霆", "春雷", "净网", "蓝天", "利剑", "和美", "安居",
                 "惠民", "连心", "守护", "铸盾", "绿色", "智慧", "便民", "同心", "织网", "攻坚", "固本", "强基"]
PROGRAM_HEADS = ["专项行动", "工程", "行动", "工作法", "机制", "平台", "计划"]
TOPICS = ["矛盾纠纷化解", "安全生产", "食品安全", "营商环境", "乡村振兴", "社会治理", "电信诈骗防范", "生态保护",
          "未成年人保护", "养老服务", "消防安全", "扫黑除恶", "交通安全", "法律援助"]
HEADLINES = ["{place}：{program}让群众办事更省心", "{place}推进{topic}工作见实效", "{agency}多措并举抓好{topic}",
             "{place}{topic}迈出新步伐", "“{short}”背后的基层答卷", "{agency}开展{topic}集中宣传"]
FILLER = [
    "基层治理的关键在于把问题解决在萌芽状态",
    "下一步将继续压实责任，推动各项措施落地见效",
    "群众的获得感、幸福感、安全感进一步增强",
    "截至目前，已累计走访群众一万余人次，收集意见建议三百余条",
    "工作人员逐一登记、分类交办，确保件件有回音",
    "活动现场，不少群众围在展板前仔细阅读",
    "这一做法既减轻了基层负担，又提高了工作效率",
    "大家纷纷表示，身边的变化看得见、摸得着",
    "该项工作被列入年度重点任务清单，实行挂图作战",
    "通过以案释法，引导群众依法表达诉求",
]
SAYS = ["表示", "介绍", "告诉记者", "说", "指出"]


@dataclass
class Person:
    name: str
    agency: str
    title: str


@dataclass
class Local:
    """What the articles about one county have named so far."""

    people: list[Person] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    articles: int = 0


@dataclass
class World:
    """Everything the articles so far have named, county by county.

    An article is about one county (popular counties far more often) and names
    mostly that county's people, agencies and programs, now and then someone from
    elsewhere. The chance of a new name falls as a county is written about more.
    """

    rng: random.Random
    counties: list[Division]
    by_code: dict[str, Division]
    surnames: list[str]
    local: dict[str, Local] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)

    @classmethod
    def create(cls, seed: int) -> World:
        gazetteer = load_gazetteer()
        rng = random.Random(seed)
        counties = [d for d in gazetteer.by_code.values() if d.level == "county" and d.parent in gazetteer.by_code]
        rng.shuffle(counties)  # the shuffled order is the popularity order
        surnames = sorted(load_lexicon().surnames)
        return cls(rng, counties, gazetteer.by_code, surnames)

    def popular(self, items: list):
        """An item of ``items``, the early (popular) ones far more often: a Zipf-like draw."""
        return items[int(len(items) * self.rng.random() ** 3)]

    def pools(self, county: Division) -> Local:
        if self.rng.random() < 0.1 and self.local:  # a visitor from another county
            return self.local[self.popular(sorted(self.local))]
        return self.local.setdefault(county.adcode, Local())

    def _is_new(self, pool: list, local: Local) -> bool:
        return not pool or self.rng.random() < 0.5 / (1 + local.articles / 5) ** 0.7 + 0.01

    def agency(self, county: Division) -> str:
        local = self.local.setdefault(county.adcode, Local())
        if self._is_new(local.agencies, local):
            if self.rng.random() < 0.75:
                name = county.name + self.rng.choice(COUNTY_AGENCIES)
            else:
                name = self.by_code[county.parent].name + self.rng.choice(CITY_AGENCIES)
            if name not in local.agencies:
                local.agencies.append(name)
            return name
        return self.popular(local.agencies)

    def person(self, county: Division) -> Person:
        local = self.pools(county)
        if self._is_new(local.people, local):
            local = self.local.setdefault(county.adcode, Local())
            agency = self.agency(county)
            kind = next((k for k in sorted(TITLES, key=len, reverse=True) if agency.endswith(k)), "")
            title = self.rng.choice(TITLES.get(kind, DEFAULT_TITLES))
            name = self.rng.choice(self.surnames) + "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2, 2))))
            if name in self.names:
                return self.popular(local.people) if local.people else Person(name, agency, title)
            self.names.add(name)
            person = Person(name, agency, title)
            local.people.append(person)
            return person
        return self.popular(local.people)

    def program(self, county: Division) -> str:
        local = self.pools(county)
        if self._is_new(local.programs, local):
            local = self.local.setdefault(county.adcode, Local())
            if self.rng.random() < 0.3:
                name = f"《{county.name}{self.rng.choice(TOPICS)}办法》"
            else:
                words = self.rng.sample(PROGRAM_WORDS, 2)
                name = f"“{words[0]}{words[1]}”{self.rng.choice(PROGRAM_HEADS)}"
            if name not in local.programs:
                local.programs.append(name)
            return name
        return self.popular(local.programs)


def _number(rng: random.Random) -> str:
    return str(rng.randint(12, 4800))


def _carry_out(program: str) -> str:
    return ("贯彻落实" if program.startswith("《") else "开展") + program


def _sentence(world: World, county: Division) -> str:
    rng = world.rng
    kind = rng.random()
    if kind < 0.4:
        return rng.choice(FILLER) + "。"
    if kind < 0.6:
        p = world.person(county)
        return f"{p.agency}{p.title}{p.name}{rng.choice(SAYS)}，{rng.choice(FILLER)}。"
    if kind < 0.72:
        city = world.by_code[county.parent]
        province = world.by_code.get(city.parent)
        where = (province.name if province and province != city else "") + city.name + county.name
        return f"近日，在{where}，{world.agency(county)}召开{rng.choice(TOPICS)}推进会，部署{world.program(county)}。"
    if kind < 0.86:
        a, b = world.agency(county), world.agency(county)
        together = a if a == b else f"{a}联合{b}"
        return (f"据了解，{together}{_carry_out(world.program(county))}，"
                f"共受理各类事项{_number(rng)}件，办结率达百分之{rng.randint(80, 99)}。")
    p, q = world.person(county), world.person(county)
    if p == q:
        return f"{p.name}多次到{county.name}的村（社区）走访。"
    return f"{p.name}和{q.agency}{q.title}{q.name}一起走访了{county.name}的{rng.randint(3, 30)}个村（社区）。"


def _article(world: World) -> str:
    rng = world.rng
    county = world.popular(world.counties)
    program = world.program(county)
    headline = rng.choice(HEADLINES).format(
        place=county.name, program=program, topic=rng.choice(TOPICS), agency=world.agency(county),
        short=rng.choice(PROGRAM_WORDS) + rng.choice(PROGRAM_WORDS))
    reporter = rng.choice(world.surnames) + "".join(rng.choices(GIVEN, k=2))
    lines = [headline, "", f"□ 本报记者 {reporter}", ""]
    for _ in range(rng.randint(6, 10)):
        lines.append("\u3000\u3000" + "".join(_sentence(world, county) for _ in range(rng.randint(3, 6))))
    world.local.setdefault(county.adcode, Local()).articles += 1
    return "\n".join(lines) + "\n"


def generate_articles(count: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """(relative file name, text) of the first ``count`` articles of the world ``seed``."""
    world = World.create(seed)
    for i in range(count):
        yield f"{i // PER_FOLDER:03d}/article_{i:07d}.txt", _article(world)


def write_corpus(folder: str | Path, count: int, seed: int = 0) -> Path:
    """Write the articles under ``folder``; an existing complete corpus is kept as it is."""
    folder = Path(folder)
    done = folder / ".complete"
    if done.is_file() and done.read_text() == f"{count} {seed}":
        return folder
    for name, text in generate_articles(count, seed):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    done.write_text(f"{count} {seed}")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_corpus(args.out_dir, args.count, args.seed)
    print(f"wrote {args.count} articles to {args.out_dir}")


if __name__ == "__main__":
    main()
