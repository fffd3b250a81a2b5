"""Where rules come from: the entry-point group ``journeylint.rules`` (the
built-in rules register there too, so every run exercises the plugin path)
and the ``plugins:`` named in the configuration (module names or .py files,
loaded only when named, never from the working directory by themselves)."""
from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types
from dataclasses import replace

from .api import Rule

ENTRY_POINT_GROUP = "journeylint.rules"
#: codes the engine itself reports; no rule may take them
RESERVED = {
    "JL000": "internal-error",
    "JL001": "invalid-journey",
    "JL002": "unknown-state",
    "JL005": "unused-suppression",
}


class PluginError(Exception):
    """A configured plugin cannot be loaded: a configuration error (exit 2)."""


class Registry:
    def __init__(self, rules: list[Rule], warnings: list[str] | None = None):
        self.rules = sorted(rules, key=lambda r: r.code)
        self.by_code = {r.code: r for r in self.rules}
        self.by_name = {r.name: r for r in self.rules}
        self.warnings = warnings or []

    def find(self, ref: str) -> Rule | None:
        return self.by_code.get(ref.upper()) or self.by_name.get(ref)

    def matching(self, selector: str) -> list[Rule]:
        """Rules a selector names: a code, a name, or a code prefix (``JL1``)."""
        rule = self.find(selector)
        if rule is not None:
            return [rule]
        prefix = selector.upper()
        return [r for r in self.rules if r.code.startswith(prefix)] if prefix else []

    def known_ref(self, ref: str) -> bool:
        return bool(self.matching(ref)) or ref.upper() in RESERVED or ref in RESERVED.values()


def _rules_in(obj, origin: str) -> list[Rule]:
    """A Rule, an iterable of Rules, a function returning them, or a module."""
    if isinstance(obj, Rule):
        return [replace(obj, origin=origin) if obj.origin == "builtin" and origin != "builtin" else obj]
    if isinstance(obj, types.ModuleType):
        found = [v for v in vars(obj).values() if isinstance(v, Rule)]
        return [replace(r, origin=origin) if origin != "builtin" else r for r in found]
    if callable(obj):
        return _rules_in(obj(), origin)
    if isinstance(obj, (list, tuple, set, frozenset)):
        out = []
        for item in obj:
            out.extend(_rules_in(item, origin))
        return out
    raise TypeError(f"expected rules, got {type(obj).__name__}")


def _entry_points():
    from importlib.metadata import entry_points

    return sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: (ep.name != "builtin", ep.name))


def _load_plugin(spec: str, base_dir: str) -> list[Rule]:
    if spec.endswith(".py") or os.sep in spec or "/" in spec:
        path = spec if os.path.isabs(spec) else os.path.join(base_dir, spec)
        if not os.path.isfile(path):
            raise PluginError(f"plugin file {spec!r} not found (looked at {path})")
        module_name = "journeylint_plugin_" + os.path.splitext(os.path.basename(path))[0].replace("-", "_")
        spec_obj = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec_obj)
        sys.modules[module_name] = module
        spec_obj.loader.exec_module(module)
        return _rules_in(module, spec)
    module = importlib.import_module(spec)
    return _rules_in(module, spec)


def build_registry(plugins: list[str] = (), base_dir: str = ".") -> Registry:
    rules: list[Rule] = []
    warnings: list[str] = []
    for ep in _entry_points():
        try:
            rules.extend(_rules_in(ep.load(), "builtin" if ep.name == "builtin" else f"entry point {ep.name}"))
        except Exception as error:  # a broken installed package must not stop linting
            warnings.append(f"rule plugin {ep.name!r} ({ep.value}) could not be loaded: "
                            f"{type(error).__name__}: {error}")
    if not any(r.origin == "builtin" for r in rules):
        # running from a source tree without installed metadata
        from .rules import builtin_rules

        rules.extend(builtin_rules())
    for spec in plugins:
        try:
            rules.extend(_load_plugin(spec, base_dir))
        except PluginError:
            raise
        except Exception as error:
            raise PluginError(f"plugin {spec!r} could not be loaded: {type(error).__name__}: {error}") from None
    seen: dict[str, Rule] = {}
    names: dict[str, Rule] = {}
    for r in rules:
        if r.code in RESERVED and r.origin != "builtin":
            raise PluginError(f"rule {r.code} from {r.origin} uses a code journeylint reserves")
        if r.code in seen or r.name in names:
            other = seen.get(r.code) or names.get(r.name)
            if other.origin == r.origin and other is r:
                continue
            raise PluginError(
                f"rule {r.code} {r.name} from {r.origin} clashes with {other.code} {other.name} "
                f"from {other.origin}")
        seen[r.code] = r
        names[r.name] = r
    return Registry(list(seen.values()), warnings)
