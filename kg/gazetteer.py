"""China's administrative divisions, from the `cpca` package's table.

cpca ships the 3,500 province, prefecture and county divisions with their area
codes and coordinates (MIT licence). We read its CSV directly instead of importing
cpca, which would pull in pandas and cost a second at start-up.
"""
from __future__ import annotations

import csv
import functools
import importlib.resources
import importlib.util
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Division", "Gazetteer", "load_gazetteer", "short_name", "division_attrs"]

# longest first: the suffix removed to make the short name used in running text
_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区",
    "自治州", "自治县", "自治旗", "地区", "林区", "特区",
    "省", "市", "县", "区", "盟", "旗",
)
# China's ethnic groups, as they are written inside autonomous divisions' names (长白朝鲜族自治县)
_ETHNIC_GROUPS = tuple(sorted((
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
    "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 "
    "裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各").split(), key=len, reverse=True))
# rows that are not real divisions (市辖区 of a municipality and the like)
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
LEVELS = {1: "province", 2: "prefecture", 3: "county"}
_RANK = {"province": 1, "prefecture": 2, "county": 3}


@dataclass(frozen=True)
class Division:
    adcode: str  # six digits
    name: str  # official full name, e.g. 岳麓区
    level: str  # province | prefecture | county
    parent: str  # adcode of the parent division, "" for provinces
    longitude: float
    latitude: float


def short_name(name: str) -> str:
    """岳麓区 -> 岳麓, 新疆维吾尔自治区 -> 新疆; "" when too short to stand alone."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            # ethnic autonomous names: 恩施土家族苗族自治州 -> 恩施, 长白朝鲜族自治县 -> 长白
            if "族" in stem:
                stem = _strip_ethnic_groups(stem)
            return stem if len(stem) >= 2 else ""
    return ""


def _strip_ethnic_groups(stem: str) -> str:
    """The place part of an autonomous name: the stem before its first ethnic group (X族)."""
    for i in range(2, len(stem)):
        if any(stem.startswith(group + "族", i) for group in _ETHNIC_GROUPS):
            return stem[:i]
    return stem


def _level(code: str) -> int:
    if code[2:] == "0000":
        return 1
    if code[4:] == "00":
        return 2
    return 3


def division_attrs(division: Division, gazetteer: Gazetteer) -> dict[str, str | float]:
    """What a place node carries for Gephi and maps: level, code, coordinates, parent name."""
    parent = gazetteer.parent(division)
    return {
        "level": division.level,
        "adcode": division.adcode,
        "longitude": division.longitude,
        "latitude": division.latitude,
        "parent": parent.name if parent else "",
    }


class Gazetteer:
    """Look divisions up by full or short name; walk up to their parents.

    Besides cpca's Chinese divisions it knows the countries, large foreign cities and
    world regions of ``lexicons/world_places.tsv`` (``foreign``: name -> country, ""
    for a country or region; ``foreign_level``: country, city or region).
    """

    def __init__(self, divisions: list[Division], foreign: dict[str, tuple[str, str]] | None = None):
        self.foreign = {name: country for name, (country, _) in (foreign or {}).items()}
        self.foreign_level = {name: level for name, (_, level) in (foreign or {}).items()}
        self.by_code = {d.adcode: d for d in divisions}
        self.by_name: dict[str, list[Division]] = {}
        for d in divisions:
            self.by_name.setdefault(d.name, []).append(d)
        self.by_short: dict[str, list[Division]] = {}
        for d in divisions:
            short = short_name(d.name)
            if short and short not in self.by_name:
                self.by_short.setdefault(short, []).append(d)

        names = [*self.by_name, *self.by_short, *self.foreign]
        # every name it knows, and every start of one: a scan stops as soon as no name goes on
        self.names = frozenset(names)
        self.prefixes = frozenset(n[:k] for n in names for k in range(1, len(n) + 1))

    def below(self, written: set[str]) -> Counter[str]:
        """How many of the ``written`` adcodes lie under each division, for ``choose``:
        counted once per document, not once per name to choose for."""
        under: Counter[str] = Counter()
        for code in written:
            d = self.by_code.get(code)
            if d is not None:
                under.update(a.adcode for a in self.ancestors(d))
        return under

    def choose(self, candidates: list[Division], written: set[str], below: Counter[str]) -> Division | None:
        """The one division a name denotes, using the other divisions written nearby.

        朝阳区 is in Beijing and in Changchun: the candidate with an ancestor (or a
        descendant) among ``written`` adcodes wins; a lone candidate wins outright.
        ``below`` is ``self.below(written)``.
        """
        if len(candidates) == 1:
            return candidates[0]
        own = [d for d in candidates if d.adcode in written]
        if len(own) == 1:
            return own[0]
        scored = []
        for d in candidates:
            related = {a.adcode for a in self.ancestors(d)}
            scored.append((len(related & written) + below[d.adcode], d))
        best = max(h for h, _ in scored)
        winners = [d for h, d in scored if h == best]
        if len(winners) > 1:
            # a short name said alone means the higher division (长沙: the city, not 长沙县)
            top = min(_RANK[d.level] for d in winners)
            winners = [d for d in winners if _RANK[d.level] == top]
        return winners[0] if len(winners) == 1 else None

    def lookup(self, name: str) -> list[Division]:
        """Divisions a written name may denote: exact full names first, then short names."""
        return self.by_name.get(name) or self.by_short.get(name, [])

    def parent(self, division: Division) -> Division | None:
        return self.by_code.get(division.parent)

    def ancestors(self, division: Division) -> list[Division]:
        out, current = [], self.parent(division)
        while current is not None:
            out.append(current)
            current = self.parent(current)
        return out


def _cpca_table() -> Path:
    """cpca's table of divisions, found without importing cpca: its import builds cpca's own
    address matcher (through the deprecated pkg_resources), a fifth of a second kg does not use."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("cpca is not installed: pip install cpca")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    divisions = []
    with _cpca_table().open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["adcode"][:6]
            if row["name"] in _PLACEHOLDERS:
                continue
            level = _level(code)
            if level == 1:
                parent = ""
            elif level == 2:
                parent = code[:2] + "0000"
            else:
                parent = code[:4] + "00"
            divisions.append(
                Division(code, row["name"], LEVELS[level], parent,
                         float(row["longitude"] or 0), float(row["latitude"] or 0))
            )
    # county-level divisions directly under a province (省直辖) or a municipality
    # whose prefecture row does not exist hang on the province
    codes = {d.adcode for d in divisions}
    divisions = [
        d if not d.parent or d.parent in codes else Division(
            d.adcode, d.name, d.level, d.adcode[:2] + "0000", d.longitude, d.latitude)
        for d in divisions
    ]
    divisions.sort(key=lambda d: d.adcode)
    return Gazetteer(divisions, _foreign_places())


def _foreign_places() -> dict[str, tuple[str, str]]:
    """name -> (country it lies in, level) from world_places.tsv."""
    text = (importlib.resources.files("kg") / "lexicons" / "world_places.tsv").read_text(encoding="utf-8")
    out: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            name, country, level = (line.split("\t") + ["", ""])[:3]
            level = level.strip() or ("city" if country.strip() else "country")
            out[name.strip()] = (country.strip(), level)
    return out
