"""Whatever text an article holds, the cleaner, the recognisers and the exporters do not fail,
and the GraphML stays strict XML that reads back."""
from __future__ import annotations

import io
import json
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.assemble import assemble
from kg.clean import clean_text
from kg.config import FORMATS, Config
from kg.export import atomic_write, xml_text
from kg.export.graphml import write_graphml
from kg.extract import extract
from kg.layout import decorate
from kg.models import Document
from kg.pipeline import write_outputs
from kg.read import decode

# pieces of news that make the recognisers fire, and the characters that break XML and HTML
FRAGMENTS = [
    "北京市", "海淀区", "公安局", "人民法院", "委员会", "局长", "副主任", "张伟", "李明", "说", "表示",
    "召开会议", "。", "，", "、", "“", "”", "《", "》", "\n", "\n\n", "\u3000", " ", "#", "本报讯",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&amp;", "]]>", '"', "'",
    "\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800", "\udfff", "\ue000", "\uf8ff", "\ufffe", "\uffff",
    "\U000f0000", "\U0010fffd", "\u202e", "\u200b", "\ufeff", "\r", "\r\n",
]
HAZARDS = st.characters(categories=["Cc", "Cs", "Co", "Cf", "Zl", "Zp"])
ANY_CHAR = st.characters(exclude_categories=())  # every code point, surrogates included
TEXT = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(FRAGMENTS), st.text(ANY_CHAR, max_size=4), HAZARDS),
    max_size=40,
).map("".join)

EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEWER = settings(EXAMPLES, max_examples=30)  # a whole build and five exports per example


def extract_one(text: str, config: Config, context, doc_id: str = "a.txt"):
    return extract(Document(doc_id, doc_id, text), context, config)


def graphml_bytes(graph: nx.DiGraph) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "graph.graphml"
        write_graphml(graph, path)
        return path.read_bytes()


@EXAMPLES
@given(TEXT)
def test_cleaner_never_fails_and_drops_what_xml_forbids(text):
    clean = clean_text(text)
    assert xml_text(clean.text) == clean.text
    for paragraph in clean.paragraphs:
        assert 0 <= paragraph.start <= paragraph.end <= len(clean.text)


@FEWER
@given(TEXT, st.booleans())
def test_extraction_and_every_export_of_any_text(context, text, simplify):
    config = Config(traditional_to_simplified=simplify, formats=list(FORMATS))
    graph = decorate(assemble([extract_one(text, config, context)]), config)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        written = write_outputs(graph, out, config)  # graphml, html, gexf, csv, json
        assert sorted(Path(p).name for p in written) == sorted(p.name for p in out.iterdir())
        data = (out / "graph.graphml").read_bytes()
        ET.fromstring(data)  # strict XML: no control characters, no lone surrogates
        ET.parse(out / "graph.gexf")
        json.loads((out / "graph.json").read_text(encoding="utf-8"))
        page = (out / "graph.html").read_text(encoding="utf-8")
    back = nx.read_graphml(io.BytesIO(data))
    assert sorted(back.nodes) == sorted(graph.nodes)
    for node, attrs in back.nodes(data=True):
        assert xml_text(node) == node and xml_text(attrs["label"]) == attrs["label"]
    assert back.number_of_edges() == graph.number_of_edges()
    assert "\x00" not in page and "<script>alert" not in page and "<img src=x" not in page


@EXAMPLES
@given(st.dictionaries(st.sampled_from(["label", "evidence", "documents", "title"]), st.text(ANY_CHAR), min_size=1))
def test_graphml_writer_survives_hostile_attribute_values(attrs):
    # whatever reaches the writer, even past the cleaner, the file is valid XML
    graph = nx.DiGraph()
    graph.add_node("person:甲", type="person", **{k: v for k, v in attrs.items()})
    graph.add_node("agency:乙", type="agency", label="乙")
    graph.add_edge("person:甲", "agency:乙", relation="role", **attrs)
    data = graphml_bytes(graph)
    ET.fromstring(data)
    back = nx.read_graphml(io.BytesIO(data))
    assert back.number_of_nodes() == 2 and back.number_of_edges() == 1


@EXAMPLES
@given(st.binary(max_size=300))
def test_decoding_any_bytes_gives_text_or_none(data):
    text = decode(data)
    assert text is None or isinstance(text, str)


@EXAMPLES
@given(st.text(ANY_CHAR, max_size=50))
def test_atomic_write_leaves_the_file_or_nothing(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.txt"
        path.write_text("before", encoding="utf-8")
        try:
            with atomic_write(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        except UnicodeEncodeError:  # a lone surrogate cannot be written: the old file stays
            assert path.read_text(encoding="utf-8") == "before"
        else:
            assert path.read_bytes().decode("utf-8") == text
        assert [p.name for p in Path(folder).iterdir()] == ["out.txt"]
