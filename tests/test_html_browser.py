"""The HTML page in a real headless Chromium, opened from disk with the network off.

Needs Debian's chromium at /usr/bin/chromium (``.ci/run`` installs it, with a CJK font)
and the playwright package (the ``test`` extra); ``playwright install`` is not needed.
The sample-corpus test also saves the README's screenshot, docs/screenshot.png.
"""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest

from kg.config import Config
from kg.export.html import write_html
from kg.pipeline import build

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "docs" / "screenshot.png"

if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright: pip install -e '.[test]'")

pytestmark = pytest.mark.browser

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@dataclass
class Opened:
    """A page and everything it did that it should not have."""

    page: object
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def data(self) -> dict:
        return json.loads(self.js("document.getElementById('kg-data').textContent"))

    def visible_nodes(self) -> set[str]:
        keys = [n["key"] for n in self.data()["nodes"]]
        return {keys[i] for i in self.js("kg.network.body.nodeIndices")}

    def visible_relations(self) -> list[str]:
        return self.js("""() => {
            const data = JSON.parse(document.getElementById('kg-data').textContent);
            return kg.network.body.edgeIndices.map(id => data.edges[id].relation).sort();
        }""")

    def click_node(self, key: str) -> None:
        x, y = self.js("""key => {
            const data = JSON.parse(document.getElementById('kg-data').textContent);
            const id = data.nodes.find(n => n.key === key).id;
            const p = kg.network.canvasToDOM(kg.network.getPosition(id));
            return [p.x, p.y];
        }""", key)
        self.page.mouse.click(x, y)

    def details(self) -> str:
        return self.page.locator("#details-body").inner_text()

    def assert_clean(self) -> None:
        assert self.errors == [], "JavaScript errors"
        assert self.requests == [], "network requests"
        assert self.dialogs == [], "dialogs opened by the page"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    contexts = []

    def run(path: Path, width: int = 1280, height: int = 800) -> Opened:
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
        context.set_offline(True)
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page)
        page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
        page.on("console", lambda msg: opened.errors.append(msg.text) if msg.type == "error" else None)
        page.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))

        url = path.resolve().as_uri()

        def route(request_route):  # the page itself, and nothing else, not even another file
            if request_route.request.url == url:
                request_route.continue_()
            else:
                opened.requests.append(request_route.request.url)
                request_route.abort()

        page.route("**/*", route)
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)
        return opened

    yield run
    for context in contexts:
        context.close()


def quick_config() -> Config:
    """Only the page, in this process, without the cache."""
    config = Config()
    config.formats = ["html"]
    config.workers = 1
    config.cache.enabled = False
    return config


def workbench_graph() -> nx.DiGraph:
    """A small graph with aliases, every kind of node, typed and co-occurrence edges."""
    g = nx.DiGraph()
    nodes = {
        "agency:北京市公安局": ("北京市公安局", "agency", "北京公安|市公安局", 6),
        "agency:上海市公安局": ("上海市公安局", "agency", "", 2),
        "person:张伟": ("张伟", "person", "", 3),
        "place:北京市": ("北京市", "place", "北京", 4),
        "program:平安行动": ("平安行动", "program", "", 1),
    }
    for key, (label, kind, aliases, mentions) in nodes.items():
        g.add_node(key, label=label, type=kind, aliases=aliases, documents="a.txt", mentions=mentions)

    def edge(u, v, relation, weight, evidence, title=""):
        g.add_edge(u, v, relation=relation, label=relation, weight=weight, documents="a.txt", evidence=evidence,
                   title=title, cooccurrences=weight)

    edge("person:张伟", "agency:北京市公安局", "role", 1, "北京市公安局局长张伟介绍了情况。", "局长")
    edge("agency:北京市公安局", "place:北京市", "located_in", 2, "北京市公安局设在北京市。")
    edge("agency:北京市公安局", "program:平安行动", "runs", 1, "北京市公安局开展平安行动。")
    edge("agency:上海市公安局", "agency:北京市公安局", "co_occurs", 3, "上海市公安局与北京市公安局联合办案。")
    edge("person:张伟", "place:北京市", "co_occurs", 1, "张伟回到北京市。")
    return g


@pytest.fixture(scope="module")
def workbench(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("workbench") / "graph.html"
    write_html(workbench_graph(), path, title="工作台")
    return path


def test_sample_corpus_page_draws_offline_and_makes_the_screenshot(open_page, tmp_path):
    report = build([ROOT / "samples" / "articles"], quick_config(), tmp_path)
    graph = report.graph
    opened = open_page(tmp_path / "graph.html", 1400, 860)
    assert opened.js("kg.network.body.nodeIndices.length") == graph.number_of_nodes() > 20
    painted = opened.js("""() => {
        const canvas = document.querySelector('#graph canvas');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
        return inked;
    }""")
    assert painted > 5_000  # the canvas is drawn on, not blank
    opened.assert_clean()

    # the README's picture: the graph, with the most connected entity explained in the panel
    hub = max(graph.nodes, key=lambda n: (graph.degree(n), graph.nodes[n].get("mentions", 0), n))
    opened.page.fill("#search", graph.nodes[hub]["label"])
    opened.page.keyboard.press("Enter")
    opened.page.wait_for_selector("body[data-moving=false]", state="attached")  # the focus animation
    opened.page.locator("#search").blur()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    opened.page.screenshot(path=str(SCREENSHOT))
    opened.assert_clean()


def test_search_finds_a_node_by_alias_and_focuses_it(open_page, workbench):
    opened = open_page(workbench)
    opened.page.fill("#search", "公安局")
    candidates = opened.page.locator("#candidates li").all_inner_texts()
    assert any("北京市公安局" in c for c in candidates) and any("上海市公安局" in c for c in candidates)

    opened.page.fill("#search", "北京公安")  # an alias only
    first = opened.page.locator("#candidates li").first
    assert "北京市公安局" in first.inner_text() and "北京公安" in first.inner_text()
    first.click()
    assert opened.page.locator("#details-body h2").inner_text() == "北京市公安局"
    keys = [n["key"] for n in opened.data()["nodes"]]
    assert [keys[i] for i in opened.js("kg.network.getSelectedNodes()")] == ["agency:北京市公安局"]
    opened.assert_clean()


def test_type_filter_hides_that_type(open_page, workbench):
    opened = open_page(workbench)
    assert "person:张伟" in opened.visible_nodes()
    opened.page.locator("#type-filters input[data-name=person]").uncheck()
    assert "person:张伟" not in opened.visible_nodes()
    assert "role" not in opened.visible_relations()  # its edges go with it
    assert len(opened.visible_nodes()) == 4
    opened.page.locator("#type-filters input[data-name=person]").check()
    assert len(opened.visible_nodes()) == 5
    opened.assert_clean()


def test_relation_filter_and_cooccurrence_slider(open_page, workbench):
    opened = open_page(workbench)
    assert opened.visible_relations() == ["co_occurs", "co_occurs", "located_in", "role", "runs"]
    opened.page.locator("#relation-filters input[data-name=role]").uncheck()
    assert opened.visible_relations() == ["co_occurs", "co_occurs", "located_in", "runs"]
    opened.page.locator("#min-weight").fill("2")  # the weight-1 co-occurrence goes
    assert opened.visible_relations() == ["co_occurs", "located_in", "runs"]
    assert opened.page.locator("#min-weight-value").inner_text() == "2"
    opened.assert_clean()


def test_slider_starts_at_the_configured_weight(open_page, tmp_path):
    write_html(workbench_graph(), tmp_path / "graph.html", min_cooccurrence=2)
    opened = open_page(tmp_path / "graph.html")
    assert opened.page.locator("#min-weight-value").inner_text() == "2"
    assert opened.visible_relations() == ["co_occurs", "located_in", "role", "runs"]
    opened.assert_clean()


def test_clicking_a_node_explains_it_and_walks_the_graph(open_page, workbench):
    opened = open_page(workbench)
    opened.click_node("agency:北京市公安局")
    text = opened.details()
    for expected in ("北京市公安局", "agency", "北京公安", "市公安局", "6", "a.txt", "role", "located in", "runs",
                     "北京市公安局局长张伟介绍了情况。", "北京市公安局设在北京市。", "上海市公安局与北京市公安局联合办案。"):
        assert expected in text
    # neighbours highlighted, the rest faded: here every node is a neighbour, and only
    # the link between 张伟 and 北京市 is not one of this node's
    assert opened.js("Object.values(kg.network.body.nodes).map(n => n.options.opacity)") == [1] * 5
    faded = opened.js("""() => {
        const data = JSON.parse(document.getElementById('kg-data').textContent);
        return Object.values(kg.network.body.edges).filter(e => e.options.color.opacity < 1)
            .map(e => [data.nodes[e.fromId].label, data.nodes[e.toId].label]);
    }""")
    assert faded == [["张伟", "北京市"]]
    opened.page.locator("#details-body button.walk", has_text="张伟").first.click()
    assert opened.page.locator("#details-body h2").inner_text() == "张伟"
    assert "局长" in opened.details()
    opened.assert_clean()


def test_a_node_of_many_documents_names_the_first_and_counts_the_others(open_page, tmp_path):
    from kg.export.html import DOCUMENTS_SHOWN

    graph = workbench_graph()
    graph.nodes["place:北京市"]["documents"] = "|".join(f"{i:05d}.txt" for i in range(DOCUMENTS_SHOWN + 1234))
    write_html(graph, tmp_path / "graph.html")
    opened = open_page(tmp_path / "graph.html")
    opened.click_node("place:北京市")
    text = opened.details()
    assert "00000.txt" in text and f"{DOCUMENTS_SHOWN - 1:05d}.txt" in text and f"{DOCUMENTS_SHOWN:05d}.txt" not in text
    assert "… and 1,234 more: the GraphML file names them all" in text
    opened.assert_clean()


def test_clicking_an_edge_shows_relation_title_and_evidence(open_page, workbench):
    opened = open_page(workbench)
    x, y = opened.js("""() => {
        const data = JSON.parse(document.getElementById('kg-data').textContent);
        const e = data.edges.find(e => e.relation === 'role');
        const a = kg.network.getPosition(e.from), b = kg.network.getPosition(e.to);
        const p = kg.network.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});
        return [p.x, p.y];
    }""")
    opened.page.mouse.click(x, y)
    text = opened.details()
    for expected in ("role", "张伟", "北京市公安局", "局长", "北京市公安局局长张伟介绍了情况。", "a.txt"):
        assert expected in text
    opened.assert_clean()


def test_capped_page_says_so(open_page, tmp_path):
    write_html(workbench_graph(), tmp_path / "graph.html", max_nodes=2)
    opened = open_page(tmp_path / "graph.html")
    notice = opened.page.locator("#notice")
    assert notice.is_visible()
    assert "2 most connected of 5 entities" in notice.inner_text()
    assert opened.visible_nodes() == {"agency:北京市公安局", "place:北京市"}
    opened.assert_clean()


def test_page_with_capped_links_says_so(open_page, tmp_path):
    write_html(workbench_graph(), tmp_path / "graph.html", max_edges=4)
    opened = open_page(tmp_path / "graph.html")
    notice = opened.page.locator("#notice").inner_text()
    assert "Showing 4 of the 5 links, one for each entity first, then typed relations" in notice
    assert "raise html.max_edges" in notice
    assert "max_nodes" not in notice  # every node is shown
    assert opened.visible_relations() == ["co_occurs", "located_in", "role", "runs"]  # the lighter co-occurrence went
    opened.assert_clean()


def test_markup_in_an_article_stays_text(open_page, tmp_path):
    # markup in a sentence, and in a name (a program the user listed in a lexicon)
    name = "<svg/onload=alert(3)>平安行动"
    (tmp_path / "programs.txt").write_text(name + "\n", encoding="utf-8")
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text(
        f"北京市公安局启动{name}，北京市公安局局长张伟表示<img src=x onerror=alert(1)>要"
        "<script>alert(2)</script>做好工作。\n", encoding="utf-8")
    (tmp_path / "config.yaml").write_text(
        "formats: [graphml, html]\nworkers: 1\ncache: {enabled: false}\nlexicons: {programs: [programs.txt]}\n",
        encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kg", "build", str(articles), "-o", str(tmp_path / "out"),
                          "-c", str(tmp_path / "config.yaml")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    graph = nx.read_graphml(tmp_path / "out" / "graph.graphml")
    assert f"program:{name}" in graph  # kg carried the markup into the graph

    opened = open_page(tmp_path / "out" / "graph.html")
    opened.page.fill("#search", "平安行动")
    assert name in opened.page.locator("#candidates").text_content()
    opened.page.keyboard.press("Enter")
    assert opened.page.locator("#details-body h2").text_content() == name
    evidence = opened.page.locator("#details-body blockquote").all_text_contents()
    assert any("<img src=x onerror=alert(1)>要<script>alert(2)</script>" in quote for quote in evidence)
    opened.page.locator("#details-body button.walk", has_text="张伟").first.click()  # and a name in a link
    assert name in opened.page.locator("#details-body").text_content()

    assert opened.js("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
    scripts = opened.js(r"[...document.scripts].map(s => [s.type, /alert\([123]\)/.test(s.textContent)])")
    assert scripts == [["application/json", True], ["", False], ["", False]]
    opened.assert_clean()  # and no alert dialog opened


def test_empty_graph_opens(open_page, tmp_path):
    write_html(nx.DiGraph(), tmp_path / "graph.html")
    opened = open_page(tmp_path / "graph.html")
    assert opened.page.locator("#summary").inner_text() == "0 entities · 0 links"
    opened.assert_clean()
