"""`python -m mppsite.compile_templates`: compile the built-in templates with the package
(render.compile_builtin), as `make` does once mppsite is installed or changed."""

from .render import compile_builtin

if __name__ == "__main__":
    print(f"{compile_builtin()} built-in templates compiled")
