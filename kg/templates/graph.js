/* kg's graph page: search, filters, and the panel that explains a node or an edge.
 *
 * Article text reaches the page only as data (the JSON element) and leaves it only
 * through textContent: nothing here writes markup built from data.
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var INK = "#1f2933", FADED_FONT = "#c3c8cd";
  var MAX_CANDIDATES = 30;
  var MAX_EVIDENCE = 40;
  var MAX_PER_GROUP = 60;

  var typeColour = {}, relationStyle = {}, typeOn = {}, relationOn = {};
  DATA.types.forEach(function (t) { typeColour[t.name] = t.colour; typeOn[t.name] = true; });
  DATA.relations.forEach(function (r) { relationStyle[r.name] = r; relationOn[r.name] = true; });
  var minWeight = DATA.cooccurrence.initial;

  // nodes and edges name their documents by index into DATA.documents (each id written once)
  function documentNames(item) { item.documents = item.documents.map(function (i) { return DATA.documents[i]; }); }
  DATA.nodes.forEach(documentNames);
  DATA.edges.forEach(documentNames);
  var nodeInfo = DATA.nodes, edgeInfo = DATA.edges;
  var big = edgeInfo.length > 4000 || nodeInfo.length > 1500;  // lighter drawing from here on
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

  // ---------- vis data: the node and edge records pyvis built, drawn as they are ----------
  var drawn = DATA.vis.nodes, baseEdges = DATA.vis.edges;  // the edges' colours, to come back to after fading
  var nodes = new vis.DataSet(drawn);
  var edges = new vis.DataSet(baseEdges.map(function (e) { return Object.assign({}, e); }));

  // An edge is shown when its relation is on, it is heavy enough, and both its ends are
  // shown; vis-network itself hides the edges of hidden nodes, so a type filter only
  // touches nodes, which keeps it quick.
  function edgeAllowed(e) {
    return relationOn[e.relation] && (e.relation !== "co_occurs" || e.weight >= minWeight);
  }
  function edgeShown(e) {
    return edgeAllowed(e) && typeOn[nodeInfo[e.from].type] && typeOn[nodeInfo[e.to].type];
  }
  // filters hide items rather than remove them: vis-network keeps their state, and is quicker
  var nodeShown = nodeInfo.map(function () { return true; });
  var edgeAllowedNow = edgeInfo.map(function () { return true; });
  var edgeOn = edgeInfo.map(function () { return true; });
  function applyFilters() {
    var nodeChanges = [], edgeChanges = [];
    nodeInfo.forEach(function (n) {
      var on = typeOn[n.type];
      if (on !== nodeShown[n.id]) { nodeShown[n.id] = on; nodeChanges.push({ id: n.id, hidden: !on }); }
    });
    edgeInfo.forEach(function (e) {
      var allowed = edgeAllowed(e);
      if (allowed !== edgeAllowedNow[e.id]) {
        edgeAllowedNow[e.id] = allowed;
        edgeChanges.push({ id: e.id, hidden: !allowed });
      }
      edgeOn[e.id] = edgeShown(e);
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
  }
  applyFilters();  // the slider may start above 1

  var options = {
    autoResize: true,
    nodes: {
      borderWidth: 1, borderWidthSelected: 3,
      font: { face: getComputedStyle(document.body).fontFamily, size: 14, color: INK, strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { enabled: false, drawThreshold: big ? 8 : 5 } }  // names once readable
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
      stabilization: { enabled: true, iterations: nodeInfo.length > 500 ? 150 : 400, updateInterval: 50 }
    }
  };
  var network = new vis.Network($("graph"), { nodes: nodes, edges: edges }, options);
  window.kg = { network: network };  // for the tests, and for the curious, from the console

  // fit the graph into the part of the window that the controls do not cover
  function fitBesideControls() {
    var pos = network.getPositions(), ids = Object.keys(pos);
    if (!ids.length) return;
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    ids.forEach(function (id) {
      var p = pos[id], r = drawn[id].size;
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
  if (DATA.positioned || !nodeInfo.length) {
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
  var nodesCapped = DATA.total.nodes > nodeInfo.length, edgesCapped = DATA.among_kept.edges > edgeInfo.length;
  if (nodesCapped || edgesCapped) {
    var shown = [], keys = [], notice = $("notice");
    if (nodesCapped) {
      shown.push("the " + nodeInfo.length.toLocaleString("en") + " most connected of " +
        plural(DATA.total.nodes, "entity", "entities") + " (" + plural(DATA.total.edges, "link", "links") + ")");
      keys.push("html.max_nodes");
    }
    if (edgesCapped) {
      shown.push(edgeInfo.length.toLocaleString("en") + " of the " + plural(DATA.among_kept.edges, "link", "links") +
        (nodesCapped ? " among them" : "") + ", one for each entity first, then typed relations, then the heaviest co-occurrences");
      keys.push("html.max_edges");
    }
    notice.textContent = "Showing " + shown.join(" and ") + ". The GraphML file has them all; raise " +
      keys.join(" or ") + " to show more.";
    notice.hidden = false;
  }

  // ---------- highlight: the selection and its neighbours, the rest faded ----------
  // Fading is one global option, so that a click stays quick on a graph of thousands;
  // the few items drawn at full strength carry their own values, and keep them (vis
  // cannot unset an item's value), so every item ever set is kept up to date.
  var FADED = { nodes: { opacity: 0.2, font: { color: FADED_FONT } }, edges: { color: { opacity: 0.12 } } };
  var CLEAR = { nodes: { opacity: 1, font: { color: INK } }, edges: { color: { opacity: 1 } } };
  var setNodes = {}, setEdges = {}, faded = false;
  function nodeLook(id, strong) {
    return strong ? { id: id, opacity: 1, font: { color: INK } } :
      { id: id, opacity: FADED.nodes.opacity, font: { color: FADED_FONT } };
  }
  function edgeLook(id, strong) {
    var opacity = strong ? 1 : FADED.edges.color.opacity;
    return { id: id, color: Object.assign({}, baseEdges[id].color, { opacity: opacity }) };
  }
  function relight(nodeIds, edgeIds, fade) {
    var strongN = {}, strongE = {};
    nodeIds.forEach(function (id) { strongN[id] = setNodes[id] = true; });
    edgeIds.forEach(function (id) { strongE[id] = setEdges[id] = true; });
    nodes.update(Object.keys(setNodes).map(function (id) { return nodeLook(Number(id), !fade || strongN[id]); }));
    edges.update(Object.keys(setEdges).map(function (id) { return edgeLook(Number(id), !fade || strongE[id]); }));
  }
  function highlight(nodeIds, edgeIds) {
    if (!faded) network.setOptions(FADED);
    relight(nodeIds, edgeIds, true);
    faded = true;
  }
  function unhighlight() {
    if (!faded) return;
    relight([], [], false);
    network.setOptions(CLEAR);
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
  // the page names an item's first documents only (html.py's DOCUMENTS_SHOWN): say how many it has
  function documentList(item) {
    if (!item.documents.length) return "—";
    var list = listOf(item.documents);
    if (item.more_documents) {
      list.append(el("li", "more", "… and " + item.more_documents.toLocaleString("en") +
        " more: the GraphML file names them all"));
    }
    return list;
  }
  function documentNote(item) {
    return item.documents.join(", ") + (item.more_documents ? ", …" : "");
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
    if (edge.documents.length) parts.push(documentNote(edge));
    return parts.join(" · ");
  }
  function byStrength(a, b) { return b.weight - a.weight || a.id - b.id; }

  function showNode(id) {
    var n = nodeInfo[id];
    var dot = el("span", "dot");
    dot.style.background = typeColour[n.type];
    var body = heading(n.label, n.type, dot);
    var dl = el("dl");
    field(dl, "mentions", n.mentions);
    if (n.aliases.length) field(dl, "also", listOf(n.aliases));
    field(dl, "documents", documentList(n));
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
    field(dl, "documents", documentList(e));
    body.append(dl);
    if (e.evidence >= 0) {
      body.append(el("h3", null, "evidence"));
      body.append(evidenceBlock(e, documentNote(e)));
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
    if (move && kind === "node") focusNeighbourhood(id, near);
  }
  // centre the node in the free part of the window, zoomed so that its neighbours show
  function focusNeighbourhood(id, near) {
    var free = freeArea(), at = network.getPosition(id), reachX = 60, reachY = 60;
    near.forEach(function (other) {
      var p = network.getPosition(other);
      reachX = Math.max(reachX, Math.abs(p.x - at.x) + 90);  // half a label beyond the node
      reachY = Math.max(reachY, Math.abs(p.y - at.y) + 40);
    });
    var scale = Math.min(free.width / 2 / reachX, free.height / 2 / reachY);
    document.body.dataset.moving = "true";
    network.focus(id, { scale: Math.min(1.5, Math.max(0.6, scale)), offset: { x: free.offset, y: 0 },
                        animation: { duration: 450 } });
  }
  // the part of the window that the panels leave free, and how far its middle is from the window's
  function freeArea() {
    var width = $("graph").clientWidth, height = $("graph").clientHeight;
    if (width < 760) return { width: width, height: height, offset: 0 };
    var left = $("controls").getBoundingClientRect().right;
    var right = $("details").hidden ? width : $("details").getBoundingClientRect().left;
    return { width: right - left, height: height, offset: (left + right) / 2 - width / 2 };
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
      dot.style.background = typeColour[n.type];
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
