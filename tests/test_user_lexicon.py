"""A user extends the lexicons through config.yaml: their own names and aliases."""
from __future__ import annotations

from kg.config import load_config
from kg.extract import extract, make_context
from kg.models import Document


def build_config(tmp_path):
    (tmp_path / "people.txt").write_text("# our own list\n欧阳青禾\n", encoding="utf-8")
    (tmp_path / "programs.txt").write_text("晨曦护苗\n", encoding="utf-8")
    (tmp_path / "aliases.txt").write_text("晨曦护苗\t护苗行动|晨曦项目\n", encoding="utf-8")
    (tmp_path / "config.yaml").write_text(
        "lexicons:\n  people: [people.txt]\n  programs: [programs.txt]\n  aliases: [aliases.txt]\n",
        encoding="utf-8",
    )
    return load_config(tmp_path / "config.yaml")


def run(config, text):
    return extract(Document("a.txt", "a.txt", text), make_context(config), config)


def test_listed_names_are_found_with_their_type(tmp_path):
    config = build_config(tmp_path)
    result = run(config, "欧阳青禾参加了晨曦护苗的启动仪式。")
    found = {(e.type, e.name) for e in result.entities}
    assert ("person", "欧阳青禾") in found
    assert ("program", "晨曦护苗") in found


def test_aliases_join_their_canonical_entity(tmp_path):
    config = build_config(tmp_path)
    result = run(config, "晨曦护苗覆盖全市。晨曦项目今年扩大到农村学校。")
    programs = [e for e in result.entities if e.type == "program"]
    assert [(p.name, p.aliases, p.mentions) for p in programs] == [("晨曦护苗", ["晨曦项目"], 2)]


def test_stopwords_are_never_extracted(tmp_path):
    (tmp_path / "stop.txt").write_text("晨曦护苗\n", encoding="utf-8")
    (tmp_path / "programs.txt").write_text("晨曦护苗\n", encoding="utf-8")
    (tmp_path / "config.yaml").write_text(
        "lexicons:\n  programs: [programs.txt]\n  stopwords: [stop.txt]\n", encoding="utf-8"
    )
    config = load_config(tmp_path / "config.yaml")
    result = run(config, "晨曦护苗覆盖全市。")
    assert all(e.name != "晨曦护苗" for e in result.entities)


def test_a_second_lexicon_in_the_same_process_is_not_served_stale_names(tmp_path):
    (tmp_path / "one").mkdir()
    first = build_config(tmp_path / "one")
    assert ("person", "欧阳青禾") in {(e.type, e.name) for e in run(first, "欧阳青禾到场。").entities}
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "people.txt").write_text("司马云舒\n", encoding="utf-8")
    (tmp_path / "two" / "config.yaml").write_text("lexicons:\n  people: [people.txt]\n", encoding="utf-8")
    second = load_config(tmp_path / "two" / "config.yaml")
    names = {(e.type, e.name) for e in run(second, "司马云舒和欧阳青禾到场。").entities}
    assert ("person", "司马云舒") in names
