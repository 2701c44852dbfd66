"""The single place the version is written (pyproject.toml reads it from here).

importlib.metadata would cost every run a noticeable part of a warm build.
"""

__version__ = "0.1.0"
