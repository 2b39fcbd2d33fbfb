"""kg: knowledge graphs of people, agencies, places and programs from Chinese news."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "build", "load_config"]


def __getattr__(name: str):
    # keep `import kg` light: the pipeline (jieba, networkx, pyvis) loads on first use
    if name == "build":
        from .pipeline import build

        return build
    if name == "load_config":
        from .config import load_config

        return load_config
    raise AttributeError(name)
