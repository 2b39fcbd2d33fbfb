"""Merge per-document results into one graph.

The merge does not depend on the order of the results: every collection is keyed
and sorted before it reaches the graph, so the same corpus gives the same graph
whether documents were processed in one process, many, or from the cache.

Between two entities there is at most one edge: a typed relation (role, located_in,
part_of, runs) when the text gives one, carrying the number of sentences that name
both as ``cooccurrences``; otherwise a ``co_occurs`` edge weighted by that number.
Gephi merges parallel edges on import, so one edge per pair keeps every column true.
"""
from __future__ import annotations

import itertools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import networkx as nx

from .layout import MAP_KEYS, Ends, Shape, links_of_arrays
from .models import DocResult, Record

__all__ = ["Assembler", "assemble", "entity_identity"]


def entity_identity(doc_id: str, key: str, attrs: dict) -> str:
    """What makes two entities of different documents (by ``Entity.key`` and attributes)
    the same node."""
    if key.startswith("place:") and attrs.get("adcode"):
        return f"place:#{attrs['adcode']}"
    if attrs.get("anonymised"):
        return f"{key}@{doc_id}"  # 高某 of one article is not 高某 of another
    return key


# the ids of the documents that name a node or an edge: a sorted tuple while there is one
# (most edges are named by one document, and a tuple of one takes a fifth of a set's
# memory), a set once more are added, and a sorted tuple again as a kept merge holds them
# (see ``Assembler.state``)
DocumentIds = set[str] | tuple[str, ...]


def _sorted_ids(documents: DocumentIds) -> tuple[str, ...]:
    """The ids in order, sorted only if they are a set."""
    return documents if type(documents) is tuple else tuple(sorted(documents))


@dataclass(slots=True)
class _Node:
    type: str
    names: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # written form -> mentions
    documents: DocumentIds = ()
    mentions: int = 0
    attrs: dict = field(default_factory=dict)

    def label(self) -> str:
        """The most complete name: longest, then most mentioned, then first in order."""
        if len(self.names) == 1:  # most nodes
            return next(iter(self.names))
        return min(self.names, key=lambda n: (-len(n), -self.names[n], n))


@dataclass(slots=True)
class _Edge:
    relation: str
    weight: int = 0
    documents: DocumentIds = ()
    evidence: str = ""
    evidence_doc: str = ""
    title: str = ""
    titles: set[str] | tuple[()] = ()  # a set once there is one: few edges have titles


def _with_document(documents: DocumentIds, doc_id: str) -> DocumentIds:
    """``documents`` with ``doc_id`` added: a tuple of one for the first, else a set
    (changed in place, or made of the tuple)."""
    if type(documents) is set:
        documents.add(doc_id)
        return documents
    if not documents:
        return (doc_id,)
    return documents if doc_id in documents else {*documents, doc_id}


def _add_title(edge: _Edge, title: str) -> None:
    if type(edge.titles) is not set:
        edge.titles = set(edge.titles)
    edge.titles.add(title)


def _without_document(documents: DocumentIds, doc_id: str) -> DocumentIds:
    """``documents`` without ``doc_id`` (a set changed in place, or a new tuple)."""
    if type(documents) is set:
        documents.discard(doc_id)
        return documents
    return tuple(d for d in documents if d != doc_id)


Place = tuple[bool, tuple[str, str]]  # where ``_add`` keeps an edge (``_edge_place``)


def _edge_place(relation: str, head: str, tail: str) -> Place:
    """Where ``_add`` keeps an edge: whether among the co-occurrences (which pair their
    ends in order), and the pair."""
    if relation == "co_occurs":
        return True, (head, tail) if head < tail else (tail, head)
    return False, (head, tail)


@dataclass
class _Lost:
    """What taking documents out of a merge cleared, to be found in the others (``Assembler.remove``)."""

    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # identity -> forms, as aliases
    attributes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # identity -> attributes
    edges: dict[Place, bool] = field(default_factory=dict)  # edge -> whether its titles go too


def _placed(relations: Iterable[tuple], local: dict[str, str]) -> Iterator[tuple[Place, int, str, str]]:
    """The relations between two nodes of a document (``local``: its entity keys ->
    identities), each with where ``_add`` keeps its edge (``_edge_place``), its weight,
    evidence and title; as ``_add`` does, a relation of a node with itself is none."""
    for head, relation, tail, weight, evidence, title in relations:
        head, tail = local.get(head), local.get(tail)
        if head is not None and tail is not None and head != tail:
            yield _edge_place(relation, head, tail), weight, evidence, title


def _contents(result: DocResult | Record) -> tuple[str, Iterable[tuple], Iterable[tuple]]:
    """A result's document id, entities (type, name, aliases, mentions, attributes) and
    relations (head key, relation, tail key, weight, evidence, title), from a
    ``DocResult`` or its record."""
    if isinstance(result, DocResult):
        return (result.doc_id, ((e.type, e.name, e.aliases, e.mentions, e.attrs) for e in result.entities),
                ((r.head, r.relation, r.tail, r.weight, r.evidence, r.title) for r in result.relations))
    evidence = result["evidence"]
    return (result["doc_id"], result["entities"],
            ((head, relation, tail, weight, evidence[e], title) for head, relation, tail, weight, e, title in
             result["relations"]))


def _evidence_first(edge: _Edge, doc_id: str, evidence: str) -> None:
    # keep the evidence of the first document in sorted order: deterministic
    if evidence and (not edge.evidence or doc_id < edge.evidence_doc):
        edge.evidence, edge.evidence_doc = evidence, doc_id


class Assembler:
    """Adds per-document results one at a time; ``graph()`` builds the graph of all so far.

    Only the merged nodes and edges are kept, not the results, so memory grows with
    the graph, not with the corpus. Results may come in any order (from the cache,
    from workers as they finish): every choice between documents is made by document
    id, never by arrival.
    """

    def __init__(self) -> None:
        self._nodes: dict[str, _Node] = {}
        self._typed: dict[tuple[str, str], _Edge] = {}
        self._cooc: dict[tuple[str, str], _Edge] = {}
        self._attr_source: dict[tuple[str, str], str] = {}  # (identity, attribute) -> doc id it came from
        self.documents = 0
        self._names: dict[str, tuple[str, str]] | None = None  # ``_node_names``, until the next add
        # the ends of every edge added to, taken from or found again since ``from_state``
        # (None for a merge begun empty): the others' edges are as the kept merge had them
        self.touched: set[str] | None = None

    def add(self, result: DocResult | Record) -> None:
        """Merge one document's result: a ``DocResult``, or its record
        (``DocResult.to_record``), as workers and the cache hand it over."""
        self._add(*_contents(result))

    def _add(self, doc_id: str, entities: Iterable[tuple], relations: Iterable[tuple]) -> None:
        """``entities``: (type, name, aliases, mentions, attributes) each; ``relations``:
        (head key, relation, tail key, weight, evidence, title) each."""
        self.documents += 1
        self._names = None
        nodes = self._nodes
        local: dict[str, str] = {}  # entity key in the document -> identity
        for kind, name, aliases, mentions, attrs in entities:
            key = f"{kind}:{name}"  # Entity.key, which relations name their ends by
            identity = local[key] = entity_identity(doc_id, key, attrs)
            node = nodes.get(identity)
            if node is None:
                node = nodes[identity] = _Node(kind)
            node.names[name] += mentions
            for alias in aliases:
                node.names.setdefault(alias, 0)
            node.documents = _with_document(node.documents, doc_id)
            node.mentions += mentions
            for attribute, value in attrs.items():
                self._set_attr(identity, node, attribute, value, doc_id)
        for head, relation, tail, weight, evidence, title in relations:
            head, tail = local.get(head), local.get(tail)
            if head is None or tail is None or head == tail:
                continue
            if self.touched is not None:
                self.touched.update((head, tail))
            if relation == "co_occurs":
                pair = (head, tail) if head < tail else (tail, head)
                edge = self._cooc.get(pair)
                if edge is None:
                    edge = self._cooc[pair] = _Edge("co_occurs")
            else:
                edge = self._typed.get((head, tail))
                if edge is None:
                    edge = self._typed[(head, tail)] = _Edge(relation)
                if title:
                    _add_title(edge, title)
            edge.weight += weight
            edge.documents = _with_document(edge.documents, doc_id)
            _evidence_first(edge, doc_id, evidence)

    def remove(self, results: Iterable[DocResult | Record],
               result_of: Callable[[str], DocResult | Record | None]) -> bool:
        """Take documents' results out of the merge, as they were added: a rebuild after
        articles were edited or deleted starts from the kept merge without them.

        Counts and document lists are undone. What a document taken out may have been
        the only one to give, or the first, is cleared and found again in the other
        documents of the same nodes and edges (``result_of(doc_id)``, from the cache): an
        alias that no mention names, an attribute's value or an edge's evidence it was
        the source of, an edge's titles. False when one of those results is missing: the
        merge is then not to be used.
        """
        lost = _Lost()
        for result in results:
            self._undo(*_contents(result), lost)
        again: set[str] = set()  # the documents that name what was cleared
        for identity in lost.names.keys() | lost.attributes.keys():
            if identity in self._nodes:
                again.update(self._nodes[identity].documents)
        for place in lost.edges:
            edge = self._edge_table(place[0]).get(place[1])
            if edge is not None:
                again.update(edge.documents)
        for doc_id in sorted(again):
            result = result_of(doc_id)
            if result is None:
                return False
            self._recount(*_contents(result), lost)
        return True

    def _undo(self, doc_id: str, entities: Iterable[tuple], relations: Iterable[tuple], lost: _Lost) -> None:
        """Undo ``_add`` of one document, noting in ``lost`` what is to be found again."""
        self.documents -= 1
        self._names = None
        nodes = self._nodes
        local: dict[str, str] = {}
        forms: dict[str, set[str]] = defaultdict(set)  # identity -> the names and aliases the document gave it
        for kind, name, aliases, mentions, attrs in entities:
            key = f"{kind}:{name}"
            identity = local[key] = entity_identity(doc_id, key, attrs)
            node = nodes[identity]
            node.names[name] -= mentions
            node.mentions -= mentions
            forms[identity].update((name, *aliases))
        for identity, given in forms.items():
            node = nodes[identity]
            node.documents = _without_document(node.documents, doc_id)
            if not node.documents:
                del nodes[identity]
                for attribute in node.attrs:
                    del self._attr_source[(identity, attribute)]
                continue
            for form in given:
                if not node.names.get(form):  # no mention left: an alias of other documents, or of none
                    node.names.pop(form, None)
                    lost.names[identity].add(form)
            for attribute in list(node.attrs):
                if self._attr_source[(identity, attribute)] == doc_id:
                    del node.attrs[attribute], self._attr_source[(identity, attribute)]
                    lost.attributes[identity].add(attribute)
        titled: dict[Place, bool] = {}  # edge -> whether the document titled it
        for place, weight, _, title in _placed(relations, local):
            if self.touched is not None:
                self.touched.update(place[1])
            self._edge_table(place[0])[place[1]].weight -= weight
            titled[place] = titled.get(place, False) or bool(title and not place[0])  # as _add: typed edges only
        for place, gave_title in titled.items():
            table = self._edge_table(place[0])
            edge = table[place[1]]
            edge.documents = _without_document(edge.documents, doc_id)
            if not edge.documents:
                del table[place[1]]
                continue
            if edge.evidence_doc == doc_id:
                edge.evidence = edge.evidence_doc = ""
                lost.edges[place] = lost.edges.get(place, False)
            if gave_title:
                edge.titles = ()
                lost.edges[place] = True

    def _recount(self, doc_id: str, entities: Iterable[tuple], relations: Iterable[tuple], lost: _Lost) -> None:
        """Add again, of one document that stays, only what ``_undo`` cleared."""
        local: dict[str, str] = {}
        for kind, name, aliases, mentions, attrs in entities:
            key = f"{kind}:{name}"
            identity = local[key] = entity_identity(doc_id, key, attrs)
            node = self._nodes.get(identity)
            if node is None:
                continue
            forms = lost.names.get(identity)
            if forms:
                for form in (name, *aliases):
                    if form in forms:
                        node.names.setdefault(form, 0)
            attributes = lost.attributes.get(identity)
            if attributes:
                for attribute, value in attrs.items():
                    if attribute in attributes:
                        self._set_attr(identity, node, attribute, value, doc_id)
        for place, _, evidence, title in _placed(relations, local):
            titles = lost.edges.get(place)
            edge = None if titles is None else self._edge_table(place[0]).get(place[1])
            if edge is None:
                continue
            _evidence_first(edge, doc_id, evidence)
            if titles and title:
                _add_title(edge, title)

    def _edge_table(self, cooccurrence: bool) -> dict[tuple[str, str], _Edge]:
        return self._cooc if cooccurrence else self._typed

    def state(self, size: int = 20_000) -> Iterator[tuple[str, object]]:
        """The merge tables as plain values (dicts, sets, tuples, strings, numbers), in
        parts of at most ``size`` entries, for ``from_state``: a rebuild that adds, edits or
        deletes a few articles starts from them (``kg.cache.save_merged``).

        Document ids are sorted into tuples as they go, in the tables too: a rebuild that
        adds an article sorts only those of the nodes and edges it touches (which become
        sets again), ``graph()`` does not sort them again, and a tuple takes a fraction of
        a set's memory.

        Nodes and edges come in the order ``graph()`` takes them (``_put_in_order``), and
        an edge is keyed by that order's number for its pair (``_pair_order``), not by its
        ends' identities: the nodes name them once, and a rebuild makes no string of its
        own for each end of each edge (60 MB at 10,000 articles).
        """
        yield "documents", self.documents
        by_ends = self._put_in_order()
        for part in _parts(self._nodes.items(), size):
            nodes = {}
            for identity, n in part:
                n.documents = _sorted_ids(n.documents)
                nodes[identity] = (n.type, dict(n.names), n.documents, n.mentions, n.attrs)
            yield "nodes", nodes
        for name, table in (("typed", self._typed), ("cooc", self._cooc)):
            for part in _parts(table.items(), size):
                edges = {}
                for pair, e in part:
                    e.documents = _sorted_ids(e.documents)
                    edges[by_ends(pair)] = (e.relation, e.weight, e.documents, e.evidence, e.evidence_doc, e.title,
                                            e.titles)
                yield name, edges
        for part in _parts(self._attr_source.items(), size):
            yield "sources", dict(part)

    @classmethod
    def from_state(cls, parts: Iterable[tuple[str, object]]) -> Assembler:
        """An assembler holding what ``state()`` gave: adding to it is adding to the original."""
        assembler = cls()
        assembler.touched = set()
        identities: list[str] = []  # in the order of the nodes, which come before the edges
        for name, value in parts:
            if name == "documents":
                assembler.documents = value
            elif name == "nodes":
                assembler._nodes.update((identity, _Node(kind, defaultdict(int, names), docs, mentions, attrs))
                                        for identity, (kind, names, docs, mentions, attrs) in value.items())
                identities += value
            elif name in ("typed", "cooc"):
                table = assembler._typed if name == "typed" else assembler._cooc
                n = len(identities)
                table.update(((identities[number // n], identities[number % n]), _Edge(*edge))
                             for number, edge in value.items())
            elif name == "sources":
                assembler._attr_source.update(value)
            else:
                raise ValueError(f"not a part of a merge: {name!r}")
        return assembler

    def _set_attr(self, identity: str, node: _Node, key: str, value, doc_id: str) -> None:
        """An attribute's value comes from the first document (by id) that gives it."""
        source = self._attr_source.get((identity, key))
        if key not in node.attrs or doc_id < source or (doc_id == source and str(value) < str(node.attrs[key])):
            node.attrs[key] = value
            self._attr_source[(identity, key)] = doc_id

    def _put_in_order(self) -> Callable[[tuple[str, str]], int]:
        """Order the tables as ``graph()`` takes them: nodes by identity, edges by their
        ends' identities (``_edge_rows``); the sort key of the edges' pairs.

        ``from_state`` then makes their objects in that order, and a rebuild walks them in
        the order they lie in memory, not scattered: 0.07 s against 0.55 s to visit the
        600,000 typed edges of 50,000 articles. A build that keeps its merge and then
        builds its graph sorts its edges in full once: ``graph()`` finds them in order.
        """
        names = self._node_names()  # in the order of the identities
        by_ends = _pair_order(names)
        self._nodes = {identity: self._nodes[identity] for identity in names}
        self._typed = {pair: self._typed[pair] for pair in sorted(self._typed, key=by_ends)}
        self._cooc = {pair: self._cooc[pair] for pair in sorted(self._cooc, key=by_ends)}
        return by_ends

    def _node_names(self) -> dict[str, tuple[str, str]]:
        """Each identity's node id (``type:label``, numbered when two nodes would share one)
        and label; kept for ``graph()`` when ``shape()`` asked first."""
        if self._names is None:
            names: dict[str, tuple[str, str]] = {}
            taken: set[str] = set()
            for identity in sorted(self._nodes):
                node = self._nodes[identity]
                label = node.label()
                node_id = f"{node.type}:{label}"
                n = 2
                while node_id in taken:
                    node_id, n = f"{node.type}:{label}#{n}", n + 1
                names[identity] = (node_id, label)
                taken.add(node_id)
            self._names = names
        return self._names

    def node_ids(self) -> dict[str, str]:
        """The node id in ``graph()`` of each identity that is not its own node id (most are)."""
        return {identity: node_id for identity, (node_id, _) in self._node_names().items() if node_id != identity}

    def edges_as_before(self, before: dict[str, str], touched_before: Iterable[str]) -> set[str]:
        """The node ids whose edges out, in ``graph()``, are what they were in a graph built
        from the kept merge this assembler started from (``from_state``) with other
        documents added to it or taken out: ``before`` is that graph's ``node_ids()``,
        ``touched_before`` its ``touched``.

        A node's edges out are as they were when none of them, nor of the edges into it,
        was touched since the kept merge in either build (a co-occurrence becomes part of
        a typed edge of either end), and when neither it nor any node they lead to was
        named otherwise (a new label, or a number after a label another node took). A
        node without edges out may be named as another node was before: it has nothing
        to copy. (``_recount`` touches nothing: it finds again what ``_undo`` touched.)"""
        if self.touched is None:
            return set()
        changed = self.touched.union(touched_before)
        names = self._node_names()
        renamed = {identity for identity, (node_id, _) in names.items() if before.get(identity, identity) != node_id}
        if renamed:
            changed |= renamed
            changed.update(head for table in (self._typed, self._cooc) for head, tail in table if tail in renamed)
        # a node new since the kept merge, or gone, has only touched edges
        return {node_id for identity, (node_id, _) in names.items() if identity not in changed}

    def shape(self, on_map: bool = True) -> Shape:
        """What the layout needs of ``graph()`` (the same as ``shape_of(self.graph(), on_map)``),
        without building the graph: another process can lay it out meanwhile."""
        names = self._node_names()
        order = sorted(node_id for node_id, _ in names.values())
        index = {node_id: i for i, node_id in enumerate(order)}
        at = {identity: index[node_id] for identity, (node_id, _) in names.items()}
        # a co-occurrence of a typed pair is its count
        pairs, weights = links_of_arrays(len(order), _ends(self._typed, at), _ends(self._cooc, at))
        where = {}
        for identity, node in self._nodes.items() if on_map else ():
            found = {"type": node.type}
            found.update((key, node.attrs[key]) for key in MAP_KEYS if key in node.attrs)
            where[at[identity]] = found
        return Shape(order, pairs, weights, where)

    def graph(self, release: bool = False) -> nx.DiGraph:
        """The graph of every result added so far.

        With ``release``, the merge tables are emptied while the graph is built, so that
        a large corpus holds one copy of its graph at a time, not two; the assembler is
        empty afterwards.
        """
        names = self._node_names()
        # with release, the tables themselves are emptied; otherwise copies of them
        nodes, typed, cooc = (self._nodes, self._typed, self._cooc) if release else (
            dict(self._nodes), dict(self._typed), dict(self._cooc))
        graph = nx.DiGraph()
        _add_nodes(graph, _node_rows(nodes, names))
        if release:
            self._attr_source.clear()
            self._names = None
        _add_edges(graph, _edge_rows(typed, cooc, names))
        graph.graph["documents"] = self.documents
        return graph


def _ends(table: dict[tuple[str, str], _Edge], at: dict[str, int]) -> Ends:
    """The edges of a table as arrays: their heads' and tails' numbers (``at``), their weights."""
    import numpy as np  # here: numpy takes 0.05 s to import, and only this needs it

    heads, tails = (np.fromiter(map(at.__getitem__, map(end, table)), np.int64, len(table))
                    for end in (operator.itemgetter(0), operator.itemgetter(1)))
    weights = np.fromiter(map(_weight, table.values()), np.float64, len(table))
    return heads, tails, weights


_weight = operator.attrgetter("weight")


def assemble(results: Iterable[DocResult]) -> nx.DiGraph:
    """The graph of all results (a convenience over ``Assembler``)."""
    assembler = Assembler()
    for result in results:
        assembler.add(result)
    return assembler.graph()


def _parts(items: Iterable, size: int) -> Iterator[list]:
    items = iter(items)
    while part := list(itertools.islice(items, size)):
        yield part


def _add_nodes(graph: nx.DiGraph, nodes: Iterable[tuple[str, dict]]) -> None:
    """``graph.add_nodes_from(nodes)`` for new nodes, each with a dict of its own, as
    ``_add_edges`` adds edges."""
    for node, attrs in nodes:
        graph._node[node] = attrs
        graph._succ[node] = {}
        graph._pred[node] = {}


def _add_edges(graph: nx.DiGraph, edges: Iterable[tuple[str, str, dict]]) -> None:
    """``graph.add_edges_from(edges)`` for new edges between nodes of the graph, each with
    a dict of its own: networkx's method checks both ends and copies each dict, two thirds
    of its time on a million edges. This fills the adjacency that networkx documents for
    subclasses (``_succ``, ``_pred``) the way it does, without either."""
    succ, pred = graph._succ, graph._pred
    for head, tail, attrs in edges:
        succ[head][tail] = pred[tail][head] = attrs


def _node_rows(nodes: dict[str, _Node], names: dict[str, tuple[str, str]]) -> Iterator[tuple[str, dict]]:
    """Each node's id and attributes, in the order of the identities (``names``'); a node is
    taken out of ``nodes`` as it goes."""
    for identity, (node_id, label) in names.items():
        node = nodes.pop(identity)
        yield node_id, {
            "label": label,
            "type": node.type,
            "aliases": "|".join(sorted(a for a in node.names if a != label)),
            "documents": "|".join(_sorted_ids(node.documents)),
            "mentions": node.mentions,
            **dict(sorted(node.attrs.items())),
        }


def _edge_rows(typed: dict[tuple[str, str], _Edge], cooc: dict[tuple[str, str], _Edge],
               names: dict[str, tuple[str, str]]) -> Iterator[tuple[str, str, dict]]:
    """The typed edges (each with the count of its pair's co-occurrences), then the other
    co-occurrences, each in the order of its ends' identities; an edge is taken out of its
    table as it goes. ``names``: ``Assembler._node_names()``, in the order of the identities."""
    by_ends = _pair_order(names)
    for table in (typed, cooc):
        for head, tail in sorted(table, key=by_ends):  # one pass for a table in order (``_put_in_order``)
            edge = table.pop((head, tail))
            if table is typed:
                together = cooc.pop((head, tail) if head < tail else (tail, head), None)
                cooccurrences = together.weight if together else 0
            else:
                cooccurrences = edge.weight
            yield names[head][0], names[tail][0], _edge_attrs(edge, cooccurrences)


def _pair_order(names: dict[str, tuple[str, str]]) -> Callable[[tuple[str, str]], int]:
    """The sort key of (head, tail) pairs of identities, by the order of ``names``: one
    number per pair, from its ends' ranks, which orders as the pairs themselves do (a
    million numbers sort twice as fast as pairs of strings)."""
    rank = {identity: i for i, identity in enumerate(names)}
    n = len(rank)
    return lambda pair: rank[pair[0]] * n + rank[pair[1]]


def _edge_attrs(edge: _Edge, cooccurrences: int) -> dict:
    return {
        "relation": edge.relation,
        "label": edge.relation,
        "weight": edge.weight,
        "documents": "|".join(_sorted_ids(edge.documents)),
        "evidence": edge.evidence,
        "title": "、".join(sorted(edge.titles)) if edge.titles else "",  # most have none: no sort
        "cooccurrences": cooccurrences,
    }
