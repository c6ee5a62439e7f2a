"""What Graphviz itself reads from our DOT: nodes, clusters and edges with their attributes."""
import json

from chainrule.viz.layout import run_layout


def read_dot(source: str) -> dict:
    """The laid-out graph as Graphviz's JSON reads it:
    {"graph": attrs, "nodes": {name: attrs}, "clusters": {name: attrs + "members"}, "edges": [(tail, head, attrs)]}."""
    laid = json.loads(run_layout(source, "json"))
    objects = laid.get("objects", [])
    subgraphs = [o for o in objects if "nodes" in o or "subgraphs" in o or "edges" in o]
    node_list = [o for o in objects if o not in subgraphs]
    by_id = {o["_gvid"]: o["name"] for o in node_list}
    nodes = {o["name"]: o for o in node_list}
    clusters = {s["name"]: dict(s, members={by_id[i] for i in s.get("nodes", [])}) for s in subgraphs
                if s["name"].startswith("cluster")}
    edges = [(by_id[e["tail"]], by_id[e["head"]], e) for e in laid.get("edges", [])]
    return {"graph": laid, "nodes": nodes, "clusters": clusters, "edges": edges}
