"""Pictures of computation graphs and training: Graphviz for graphs, matplotlib for plots.

viz reads graphs and what the engine recorded; it never changes them and never
re-derives maths.
"""
from .dot_program import GraphvizNotFound, configure, find_dot
from .graph import Graph, draw_graph, render, to_dot
from .grouping import GraphTooLarge
from .stepper import Stepper, save_stepper, stepper, stepper_html
from .training_step import save_training_step, training_step
from .playground import Playground, playground, save_playground
from . import plots
from chainrule.engine import Value as _Value
from .graph import small_graph_svg as _small_graph_svg

_Value.graph_svg = staticmethod(_small_graph_svg)  # a Value in a notebook shows its graph when it is small

try:  # any graphviz Digraph (the micrograd lecture's draw_dot too) renders with the program found, pip's included
    configure()
except GraphvizNotFound:  # said again, with the hint, when something is drawn
    pass

__all__ = ["draw_graph", "render", "to_dot", "Graph", "stepper", "Stepper", "save_stepper", "stepper_html", "training_step", "save_training_step",
           "playground", "save_playground", "Playground",
           "plots", "GraphTooLarge", "find_dot", "configure", "GraphvizNotFound"]
