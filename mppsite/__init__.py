"""mppsite: a static site generator for the public service malls (MPP) of Indonesia.

The build is a pipeline, one module per step:
load (files -> data with positions) -> validate (schema, cross-references) -> model (dataclasses)
-> render (Jinja2 templates) -> write (temporary folder, swapped in whole).
"""

__version__ = "0.1.0"
