"""The built-in rules, one module per rule; each rule's page is
``rules/<CODE>-<name>.md`` at the top of the repository (shipped inside the
package as ``journeylint.catalogue``)."""
from __future__ import annotations

import importlib
import pkgutil


def builtin_rules():
    """Every built-in rule (the ``builtin`` entry point of ``journeylint.rules``)."""
    from ..api import Rule

    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("jl"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(v for v in vars(module).values() if isinstance(v, Rule))
    return found
