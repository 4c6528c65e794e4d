"""`python build.py fmt`: every content file rewritten in one canonical form, so that the form
editor and staff typing by hand write the same bytes (issue 30). Above check, below cli: it
reads the schema's models to know each field's order and type, and load's parser to report a
file it cannot read exactly as `check` does."""
