"""`python -m mppsite.compile_templates`: compile the built-in templates with the package
(render.compile_builtin), and the schema (schema_compiled.compile_builtin), as `make` does once
mppsite is installed or changed."""

from . import schema_compiled
from .render import compile_builtin

if __name__ == "__main__":
    print(f"{compile_builtin()} built-in templates compiled")
    try:
        print(f"{schema_compiled.compile_builtin()} kinds of item: schema compiled")
    except schema_compiled.NotPortable as err:  # the build then checks everything with pydantic
        print(f"schema not compiled: it needs pydantic to run {err}")
