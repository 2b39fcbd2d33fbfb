/* kg's graph page: search, filters, and the panel that explains a node or an edge.
 *
 * Article text reaches the page only as data (the JSON element) and leaves it only
 * through textContent: nothing here writes markup built from data.
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var FADED_NODE = { background: "#eceef0", border: "#e0e3e6" };
  var FADED_EDGE = "rgba(200, 205, 210, 0.25)";
  var MAX_CANDIDATES = 30;
  var MAX_EVIDENCE = 40;
  var MAX_PER_GROUP = 60;

  var typeColour = {}, relationStyle = {}, typeOn = {}, relationOn = {};
  DATA.types.forEach(function (t) { typeColour[t.name] = t.colour; typeOn[t.name] = true; });
  DATA.relations.forEach(function (r) { relationStyle[r.name] = r; relationOn[r.name] = true; });
  var minWeight = DATA.cooccurrence.initial;

  var nodeInfo = DATA.nodes, edgeInfo = DATA.edges;
  var incident = nodeInfo.map(function () { return []; });
  edgeInfo.forEach(function (e) { incident[e.from].push(e); incident[e.to].push(e); });

  // ---------- small DOM helpers: text only ----------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function $(id) { return document.getElementById(id); }
  function relationName(name) { return name.replace(/_/g, " "); }
  function plural(n, one, many) { return n.toLocaleString("en") + " " + (n === 1 ? one : many); }

  // ---------- vis data ----------
  function visNode(n) {
    var colour = typeColour[n.type] || "#9d9d9d";
    var node = {
      id: n.id, label: n.label, size: n.size, shape: "dot",
      color: { background: colour, border: colour, highlight: { background: colour, border: "#1f2933" },
               hover: { background: colour, border: "#1f2933" } },
      font: { color: "#1f2933" }
    };
    if (DATA.positioned) { node.x = n.x; node.y = n.y; }
    return node;
  }
  function visEdge(e) {
    var style = relationStyle[e.relation];
    var width = style.width;
    if (e.relation === "co_occurs") width += Math.min(3, Math.log2(e.weight));
    return {
      id: e.id, from: e.from, to: e.to, width: width, dashes: style.dashes,
      color: { color: style.color, highlight: style.color, hover: style.color, inherit: false },
      arrows: { to: { enabled: style.directed, scaleFactor: 0.6 } }
    };
  }
  var baseNodes = nodeInfo.map(visNode), baseEdges = edgeInfo.map(visEdge);
  var nodes = new vis.DataSet(baseNodes.map(function (n) { return Object.assign({}, n); }));
  var edges = new vis.DataSet(baseEdges.map(function (e) { return Object.assign({}, e); }));

  function edgeShown(e) {
    return relationOn[e.relation] && typeOn[nodeInfo[e.from].type] && typeOn[nodeInfo[e.to].type] &&
      (e.relation !== "co_occurs" || e.weight >= minWeight);
  }
  // filters hide items rather than remove them: vis-network keeps their state, and is quicker
  var nodeShown = nodeInfo.map(function () { return true; });
  var edgeOn = edgeInfo.map(function () { return true; });
  function applyFilters() {
    var nodeChanges = [], edgeChanges = [];
    nodeInfo.forEach(function (n) {
      var on = typeOn[n.type];
      if (on !== nodeShown[n.id]) { nodeShown[n.id] = on; nodeChanges.push({ id: n.id, hidden: !on }); }
    });
    edgeInfo.forEach(function (e) {
      var on = edgeShown(e);
      if (on !== edgeOn[e.id]) { edgeOn[e.id] = on; edgeChanges.push({ id: e.id, hidden: !on }); }
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
  }
  function visibleNodeIds() { return nodeInfo.filter(function (n) { return nodeShown[n.id]; }).map(function (n) { return n.id; }); }
  function visibleEdgeIds() { return edgeInfo.filter(function (e) { return edgeOn[e.id]; }).map(function (e) { return e.id; }); }

  var big = edgeInfo.length > 4000 || nodeInfo.length > 1500;
  var options = {
    autoResize: true,
    nodes: {
      borderWidth: 1, borderWidthSelected: 3,
      font: { face: DATA.font, size: 14, strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { enabled: false } }
    },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.5 },
    interaction: {
      hover: !big, tooltipDelay: 3600000, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
      multiselect: false, navigationButtons: false, keyboard: false
    },
    layout: { randomSeed: 7, improvedLayout: !DATA.positioned && nodeInfo.length <= 200 },
    physics: DATA.positioned ? false : {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 90, avoidOverlap: 0.4 },
      stabilization: { enabled: true, iterations: 400, updateInterval: 50, fit: true }
    }
  };
  var network = new vis.Network($("graph"), { nodes: nodes, edges: edges }, options);
  // for tests, and for the curious from the console
  window.kg = { network: network, visibleNodeIds: visibleNodeIds, visibleEdgeIds: visibleEdgeIds };

  // fit the graph into the part of the window that the controls do not cover
  function fitBesideControls() {
    var pos = network.getPositions(), ids = Object.keys(pos);
    if (!ids.length) return;
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    ids.forEach(function (id) {
      var p = pos[id], r = nodeInfo[id].size;
      minX = Math.min(minX, p.x - r); maxX = Math.max(maxX, p.x + r);
      minY = Math.min(minY, p.y - r); maxY = Math.max(maxY, p.y + r + 18);  // the label sits below
    });
    var width = $("graph").clientWidth, height = $("graph").clientHeight;
    var left = $("controls").getBoundingClientRect().right + 12;
    if (width < 760 || left > width / 2) left = 0;
    var scale = Math.min((width - left - 48) / (maxX - minX + 120), (height - 48) / (maxY - minY), 1.5);
    network.moveTo({ position: { x: (minX + maxX) / 2 - left / 2 / scale, y: (minY + maxY) / 2 }, scale: scale });
  }
  function settled() {
    fitBesideControls();
    $("loading").hidden = true;
    document.body.dataset.ready = "true";
  }
  if (DATA.positioned) {
    network.once("afterDrawing", settled);
  } else {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      settled();
    });
  }

  // ---------- summary and notice ----------
  $("summary").textContent = plural(nodeInfo.length, "entity", "entities") + " · " +
    plural(edgeInfo.length, "link", "links");
  if (DATA.total.nodes > nodeInfo.length) {
    var notice = $("notice");
    notice.textContent = "Showing the " + nodeInfo.length.toLocaleString("en") + " most connected of " +
      plural(DATA.total.nodes, "entity", "entities") + " (" + plural(DATA.total.edges, "link", "links") +
      "). The GraphML file has them all; raise html.max_nodes to show more.";
    notice.hidden = false;
  }

  // ---------- highlight: the selection and its neighbours, the rest faded ----------
  var faded = false;
  function highlight(nodeIds, edgeIds) {
    var keepN = {}, keepE = {};
    nodeIds.forEach(function (id) { keepN[id] = true; });
    edgeIds.forEach(function (id) { keepE[id] = true; });
    nodes.update(baseNodes.map(function (n) {
      return keepN[n.id] ? { id: n.id, color: n.color, font: n.font } :
        { id: n.id, color: FADED_NODE, font: { color: "#c3c8cd" } };
    }));
    edges.update(baseEdges.map(function (e) {
      return keepE[e.id] ? { id: e.id, color: e.color } :
        { id: e.id, color: { color: FADED_EDGE, highlight: FADED_EDGE, hover: FADED_EDGE, inherit: false } };
    }));
    faded = true;
  }
  function unhighlight() {
    if (!faded) return;
    nodes.update(baseNodes.map(function (n) { return { id: n.id, color: n.color, font: n.font }; }));
    edges.update(baseEdges.map(function (e) { return { id: e.id, color: e.color }; }));
    faded = false;
  }

  // ---------- filters ----------
  function refresh() {
    applyFilters();
    var selected = current;
    if (selected && selected.kind === "node" && !typeOn[nodeInfo[selected.id].type]) clearSelection();
    else if (selected && selected.kind === "edge" && !edgeShown(edgeInfo[selected.id])) clearSelection();
    else if (selected) select(selected.kind, selected.id, false);
  }
  function filterRow(list, checked, swatch, name, count, onChange) {
    var li = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox";
    box.checked = checked;
    box.dataset.name = name;
    box.addEventListener("change", function () { onChange(box.checked); });
    label.append(box, swatch, el("span", "name", relationName(name)), el("span", "count", count));
    li.append(label);
    list.append(li);
    return box;
  }
  var typeBoxes = {};
  DATA.types.forEach(function (t) {
    var dot = el("span", "dot");
    dot.style.background = t.colour;
    typeBoxes[t.name] = filterRow($("type-filters"), true, dot, t.name, t.count, function (on) {
      typeOn[t.name] = on;
      refresh();
    });
  });
  DATA.relations.forEach(function (r) {
    var stroke = el("span", r.dashes ? "stroke dashed" : "stroke");
    stroke.style.borderTopColor = r.color;
    filterRow($("relation-filters"), true, stroke, r.name, r.count, function (on) {
      relationOn[r.name] = on;
      refresh();
    });
  });
  var slider = $("min-weight");
  slider.max = String(Math.max(1, DATA.cooccurrence.max));
  slider.value = String(minWeight);
  slider.disabled = DATA.cooccurrence.max <= 1;
  $("min-weight-value").textContent = String(minWeight);
  slider.addEventListener("input", function () {
    minWeight = Number(slider.value);
    $("min-weight-value").textContent = String(minWeight);
    refresh();
  });
  $("collapse").addEventListener("click", function () {
    var collapsed = $("controls").classList.toggle("collapsed");
    $("collapse").textContent = collapsed ? "+" : "–";
    $("collapse").setAttribute("aria-expanded", String(!collapsed));
  });

  // ---------- selection and the details panel ----------
  var current = null;  // {kind: "node"|"edge", id}

  function showType(type) {
    if (typeOn[type] === false) {
      typeOn[type] = true;
      typeBoxes[type].checked = true;
      applyFilters();
    }
  }
  function walkButton(nodeId) {
    var b = el("button", "walk", nodeInfo[nodeId].label);
    b.type = "button";
    b.title = nodeInfo[nodeId].type;
    b.addEventListener("click", function () { focusNode(nodeId); });
    return b;
  }
  function field(dl, name, value) {
    dl.append(el("dt", null, name));
    var dd = el("dd");
    if (value instanceof Node) dd.append(value); else dd.textContent = String(value);
    dl.append(dd);
  }
  function listOf(items) {
    var ul = el("ul");
    items.forEach(function (item) { ul.append(el("li", null, item)); });
    return ul;
  }
  function heading(title, kindText, kindSwatch) {
    var body = $("details-body");
    body.replaceChildren();
    body.append(el("h2", null, title));
    var kind = el("div", "kind");
    if (kindSwatch) kind.append(kindSwatch);
    kind.append(el("span", null, kindText));
    body.append(kind);
    return body;
  }
  function evidenceBlock(edge, note) {
    var q = el("blockquote", "evidence", DATA.sentences[edge.evidence]);
    q.append(el("span", "meta", note));
    return q;
  }
  function otherEnd(edge, id) { return edge.from === id ? edge.to : edge.from; }
  function edgeNote(edge) {
    var parts = [relationName(edge.relation)];
    if (edge.title) parts.push(edge.title);
    parts.push(nodeInfo[edge.from].label + (relationStyle[edge.relation].directed ? " → " : " — ") +
      nodeInfo[edge.to].label);
    if (edge.documents.length) parts.push(edge.documents.join(", "));
    return parts.join(" · ");
  }
  function byStrength(a, b) { return b.weight - a.weight || a.id - b.id; }

  function showNode(id) {
    var n = nodeInfo[id];
    var dot = el("span", "dot");
    dot.style.background = typeColour[n.type] || "#9d9d9d";
    var body = heading(n.label, n.type, dot);
    var dl = el("dl");
    field(dl, "mentions", n.mentions);
    if (n.aliases.length) field(dl, "also", listOf(n.aliases));
    field(dl, "documents", n.documents.length ? listOf(n.documents) : "—");
    body.append(dl);

    var mine = incident[id].slice().sort(byStrength);
    DATA.relations.forEach(function (r) {
      var group = mine.filter(function (e) { return e.relation === r.name; });
      if (!group.length) return;
      body.append(el("h3", null, relationName(r.name) + " (" + group.length + ")"));
      var ul = el("ul", "relations");
      group.slice(0, MAX_PER_GROUP).forEach(function (e) {
        var li = el("li");
        var arrow = !r.directed ? "—" : (e.from === id ? "→" : "←");
        li.append(el("span", "arrow", arrow), walkButton(otherEnd(e, id)));
        var extra = [];
        if (e.title) extra.push(e.title);
        if (e.weight > 1) extra.push("×" + e.weight);
        if (extra.length) li.append(el("span", "meta", " " + extra.join(" · ")));
        ul.append(li);
      });
      if (group.length > MAX_PER_GROUP) ul.append(el("li", "more", (group.length - MAX_PER_GROUP) + " more"));
      body.append(ul);
    });

    // evidence: typed relations first, then the strongest co-occurrences; each sentence once
    var seen = {}, quoted = [];
    var typedFirst = mine.filter(function (e) { return e.relation !== "co_occurs"; })
      .concat(mine.filter(function (e) { return e.relation === "co_occurs"; }));
    typedFirst.forEach(function (e) {
      if (e.evidence < 0 || seen[e.evidence]) return;
      seen[e.evidence] = true;
      quoted.push(e);
    });
    if (quoted.length) {
      body.append(el("h3", null, "evidence (" + quoted.length + ")"));
      quoted.slice(0, MAX_EVIDENCE).forEach(function (e) { body.append(evidenceBlock(e, edgeNote(e))); });
      if (quoted.length > MAX_EVIDENCE) body.append(el("p", "more", (quoted.length - MAX_EVIDENCE) + " more sentences"));
    }
  }

  function showEdge(id) {
    var e = edgeInfo[id], style = relationStyle[e.relation];
    var stroke = el("span", style.dashes ? "stroke dashed" : "stroke");
    stroke.style.borderTopColor = style.color;
    var body = heading(relationName(e.relation), style.directed ? "relation" : "same sentence", stroke);
    var dl = el("dl");
    field(dl, style.directed ? "from" : "between", walkButton(e.from));
    field(dl, style.directed ? "to" : "and", walkButton(e.to));
    if (e.title) field(dl, "title", e.title);
    field(dl, "weight", e.weight);
    if (e.relation !== "co_occurs") field(dl, "sentences naming both", e.cooccurrences);
    field(dl, "documents", e.documents.length ? listOf(e.documents) : "—");
    body.append(dl);
    if (e.evidence >= 0) {
      body.append(el("h3", null, "evidence"));
      body.append(evidenceBlock(e, e.documents.join(", ")));
    }
  }

  function select(kind, id, move) {
    current = { kind: kind, id: id };
    if (kind === "node") {
      var near = [id], links = [];
      incident[id].forEach(function (e) {
        if (!edgeOn[e.id]) return;
        links.push(e.id);
        near.push(otherEnd(e, id));
      });
      highlight(near, links);
      network.selectNodes([id], false);
      showNode(id);
    } else {
      var e = edgeInfo[id];
      highlight([e.from, e.to], [id]);
      network.selectEdges([id]);
      showEdge(id);
    }
    $("details").hidden = false;
    $("details").scrollTop = 0;
    document.body.dataset.selected = kind + ":" + id;
    if (move && kind === "node") {
      document.body.dataset.moving = "true";
      network.focus(id, { scale: Math.max(network.getScale(), 1.1), offset: freeCentreOffset(),
                          animation: { duration: 450 } });
    }
  }
  // where the middle of the window not covered by the two panels is, from the window's middle
  function freeCentreOffset() {
    var width = $("graph").clientWidth;
    if (width < 760) return { x: 0, y: 0 };
    var left = $("controls").getBoundingClientRect().right;
    var right = $("details").hidden ? width : $("details").getBoundingClientRect().left;
    return { x: (left + right) / 2 - width / 2, y: 0 };
  }
  function clearSelection() {
    current = null;
    unhighlight();
    network.unselectAll();
    $("details").hidden = true;
    delete document.body.dataset.selected;
  }
  function focusNode(id) {
    showType(nodeInfo[id].type);
    select("node", id, true);
  }

  network.on("animationFinished", function () { document.body.dataset.moving = "false"; });
  network.on("click", function (params) {
    if (params.nodes.length) select("node", params.nodes[0], false);
    else if (params.edges.length) select("edge", params.edges[0], false);
    else clearSelection();
  });
  $("close-details").addEventListener("click", clearSelection);
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && document.activeElement !== $("search")) clearSelection();
  });

  // ---------- search: names and aliases ----------
  var search = $("search"), candidates = $("candidates"), active = -1;
  var searchable = nodeInfo.map(function (n) {
    return { id: n.id, label: n.label.toLowerCase(), aliases: n.aliases.map(function (a) { return a.toLowerCase(); }) };
  });

  function findNodes(query) {
    var q = query.trim().toLowerCase(), hits = [];
    if (!q) return hits;
    searchable.forEach(function (s) {
      var score = -1, via = null;
      if (s.label === q) score = 0;
      else if (s.label.indexOf(q) === 0) score = 1;
      else if (s.label.indexOf(q) > 0) score = 2;
      for (var i = 0; i < s.aliases.length && score !== 0; i++) {
        var a = s.aliases[i];
        var aScore = a === q ? 0.5 : a.indexOf(q) === 0 ? 3 : a.indexOf(q) > 0 ? 4 : -1;
        if (aScore >= 0 && (score < 0 || aScore < score)) { score = aScore; via = nodeInfo[s.id].aliases[i]; }
      }
      if (score >= 0) hits.push({ id: s.id, score: score, via: via });
    });
    hits.sort(function (a, b) {
      return a.score - b.score || nodeInfo[b.id].mentions - nodeInfo[a.id].mentions || a.id - b.id;
    });
    return hits;
  }
  function setActive(i) {
    var items = candidates.querySelectorAll("li[data-id]");
    if (!items.length) return;
    active = (i + items.length) % items.length;
    items.forEach(function (li, j) { li.setAttribute("aria-selected", String(j === active)); });
    items[active].scrollIntoView({ block: "nearest" });
  }
  function choose(id) {
    candidates.hidden = true;
    search.value = nodeInfo[id].label;
    focusNode(id);
  }
  function showCandidates() {
    var hits = findNodes(search.value);
    candidates.replaceChildren();
    active = -1;
    if (!search.value.trim()) { candidates.hidden = true; return; }
    if (!hits.length) candidates.append(el("li", "none", "no entity of that name"));
    hits.slice(0, MAX_CANDIDATES).forEach(function (h) {
      var n = nodeInfo[h.id], li = el("li");
      li.dataset.id = String(h.id);
      li.setAttribute("role", "option");
      var dot = el("span", "dot");
      dot.style.background = typeColour[n.type] || "#9d9d9d";
      li.append(dot, el("span", "label", n.label));
      li.append(el("span", "sub", h.via ? n.type + " · also " + h.via : n.type));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(h.id); });
      candidates.append(li);
    });
    if (hits.length > MAX_CANDIDATES) candidates.append(el("li", "none", (hits.length - MAX_CANDIDATES) + " more: type more of the name"));
    candidates.hidden = false;
  }
  search.addEventListener("input", showCandidates);
  search.addEventListener("focus", function () { if (search.value.trim()) showCandidates(); });
  search.addEventListener("blur", function () { candidates.hidden = true; });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { ev.preventDefault(); setActive(active + 1); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); setActive(active - 1); }
    else if (ev.key === "Enter") {
      var items = candidates.querySelectorAll("li[data-id]");
      if (items.length) choose(Number(items[Math.max(active, 0)].dataset.id));
    } else if (ev.key === "Escape") { search.value = ""; candidates.hidden = true; }
  });
})();
