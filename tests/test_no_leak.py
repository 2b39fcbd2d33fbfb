"""No rule, lexicon or test of kg names a person or program of the gold graphs.

Extraction must generalise: every rule is a rule of the language or the domain,
every lexicon general knowledge. This guard reads the gold files where they are
(the shared seed gold beside the repository, our own held-out sets) and fails when
one of their person or program names appears in kg/ or tests/. Words that are
general knowledge (national hotlines, nationwide campaigns, national laws) are
allowed; anonymised forms (高某) are not names.
"""
from __future__ import annotations

import json
import re

import pytest

from tests.conftest import ROOT

GENERAL_KNOWLEDGE = {
    "12345", "12337", "12309", "12315", "12345市长热线", "市长热线", "方案",
    "枫桥经验", "新时代枫桥经验", "信访工作条例", "扫黑除恶", "扫黑除恶专项斗争", "民法典", "河长制",
    "三调联动", "回头看", "家门口",
}
ANONYMISED = re.compile(r"某|先生|女士|^老.$|^小.$")


def gold_names() -> set[str]:
    files = sorted((ROOT.parent / "shared" / "gold").glob("*.json")) + sorted((ROOT / "eval").glob("*/gold/*.json"))
    names = set()
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        for entity in gold["entities"] + gold.get("optional", []):
            if entity["type"] in ("person", "program"):
                for name in [entity["name"], *entity.get("aliases", [])]:
                    if len(name) >= 2 and name not in GENERAL_KNOWLEDGE and not ANONYMISED.search(name):
                        names.add(name)
    return names


def test_no_gold_person_or_program_in_code_lexicons_or_tests():
    names = gold_names()
    if not names:
        pytest.skip("no gold files beside the repository")
    pattern = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))
    sources = [p for p in sorted((ROOT / "kg").rglob("*")) + sorted((ROOT / "tests").glob("*.py"))
               if p.is_file() and p.suffix in {".py", ".txt", ".tsv", ".js", ".html"} and p.name != "test_heldout.py"]
    leaks = []
    for path in sources:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in pattern.finditer(line):
                leaks.append(f"{path.relative_to(ROOT)}:{lineno}: {m.group(0)}")
    assert not leaks, "gold names in kg/ or tests/:\n" + "\n".join(leaks)
