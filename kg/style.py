"""Colours and styles shared by every view of the graph (HTML legend, GraphML r/g/b, GEXF viz)."""
from __future__ import annotations

__all__ = ["TYPE_COLOURS", "UNKNOWN_COLOUR", "RELATION_STYLES", "hex_to_rgb"]

# Tableau 10: distinct for the common kinds of colour blindness
TYPE_COLOURS = {
    "person": "#e15759",
    "agency": "#4e79a7",
    "place": "#59a14f",
    "program": "#f28e2b",
}
UNKNOWN_COLOUR = "#9d9d9d"  # a node or relation of a type not listed here

RELATION_STYLES = {
    "role": {"color": "#b07aa1", "dashes": False, "width": 2},
    "located_in": {"color": "#76b7b2", "dashes": False, "width": 2},
    "part_of": {"color": "#9c755f", "dashes": False, "width": 2},
    "runs": {"color": "#edc948", "dashes": False, "width": 2},
    "co_occurs": {"color": "#cccccc", "dashes": True, "width": 1},
}


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)
