"""The lessons, as Jupyter notebooks: this folder is `chainrule.notebooks` in the wheel, so that
`chainrule lessons DIR` can copy them to a folder of the learner's. Nothing here is Python to import."""
