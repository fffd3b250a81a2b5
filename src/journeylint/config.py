"""Configuration: files, profiles, and the rule set they resolve to.

Where it comes from, first found wins: ``--config FILE``; else, from the
current directory up, ``journeylint.yaml``, ``.journeylint.yaml`` or a
``pyproject.toml`` with ``[tool.journeylint]``. Every mistake in it is a
:class:`ConfigError` with file, line and column (exit code 2).
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from importlib import resources

from .findings import Severity
from .loading import Limits
from .loading.durations import describe
from .loading.yamlreader import YMap, YSeq, compose_documents

CONFIG_FILES = ("journeylint.yaml", ".journeylint.yaml")
TOP_KEYS = ("extends", "select", "extend_select", "ignore", "rules", "plugins", "include",
            "exclude", "fail_on", "limits", "description", "title", "source", "status")
PROFILE_ONLY_KEYS = ("description", "title", "source", "status")
LIMIT_KEYS = ("max_file_size", "max_depth", "max_alias_nodes")
MAX_DEPTH_CEILING = 500
MAX_FILE_SIZE_CEILING = 1024 ** 3
DEFAULT_INCLUDE = ("*.yaml", "*.yml")


class ConfigError(Exception):
    def __init__(self, message: str, file: str | None = None, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message, self.file, self.line, self.column = message, file, line, column

    def __str__(self):
        if not self.file:
            return self.message
        where = _shown(self.file)
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        return f"{where}: {self.message}"


@dataclass
class Marked:
    """A configuration value with where it was written."""

    value: object
    file: str | None
    line: int | None = None
    column: int | None = None

    def error(self, message) -> ConfigError:
        return ConfigError(message, self.file, self.line, self.column)


@dataclass
class Layer:
    """One configuration file or profile, before resolution."""

    name: str
    file: str | None
    base_dir: str
    values: dict = field(default_factory=dict)   # key -> Marked

    def get(self, key, default=None):
        marked = self.values.get(key)
        return marked.value if marked is not None else default


@dataclass
class RuleSet:
    """What the engine runs: enabled rules with their severity and options."""

    enabled: dict        # code -> Rule
    severity: dict       # code -> Severity
    options: dict        # code -> dict
    switched_off: set    # codes switched off by the configuration (JL005 exemptions)


@dataclass
class Config:
    layers: list[Layer]
    source: str | None
    base_dir: str
    plugins: list[str] = field(default_factory=list)
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    fail_on: Severity | None = None
    limits: Limits = Limits()


# -- reading files ---------------------------------------------------------------

def read_layer(path: str, name: str | None = None) -> Layer:
    try:
        with open(path, "rb") as handle:
            data = handle.read(1024 * 1024 + 1)
    except OSError as error:
        raise ConfigError(f"cannot read configuration: {error.strerror or error}", path) from None
    if len(data) > 1024 * 1024:
        raise ConfigError("configuration file is larger than 1 MB", path)
    if os.path.basename(path) == "pyproject.toml":
        return _read_pyproject(path, data)
    documents, problem = compose_documents(data, max_depth=32, max_alias_nodes=10_000)
    if problem is not None:
        raise ConfigError(problem.message, path, problem.line, problem.column)
    if len(documents) > 1:
        raise ConfigError("a configuration file holds one YAML document", path, documents[1].line, documents[1].column)
    root = documents[0].root if documents else None
    if root is None:
        root = YMap()
        root.line = root.column = 1
        root.key_marks, root.value_marks, root.flow = {}, {}, False
    if not isinstance(root, YMap):
        raise ConfigError(f"the configuration must be a mapping of settings, not {describe(root)}", path, 1, 1)
    layer = Layer(name or path, path, os.path.dirname(os.path.abspath(path)))
    for key, value in root.items():
        line, column = root.key_position(key)
        layer.values[key] = Marked(value, path, *root.value_position(key))
        if key not in TOP_KEYS:
            raise ConfigError(_unknown("setting", key, TOP_KEYS), path, line, column)
    return layer


def _read_pyproject(path, data) -> Layer:
    import tomllib

    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read pyproject.toml: {error}", path) from None
    tool = document.get("tool", {})
    section = tool.get("journeylint", {}) if isinstance(tool, dict) else {}
    if not isinstance(section, dict):
        raise ConfigError("[tool.journeylint] must be a table", path)
    layer = Layer(path, path, os.path.dirname(os.path.abspath(path)))
    text = data.decode("utf-8")
    for key, value in section.items():
        line = _toml_line(text, key)
        key_norm = key.replace("-", "_")
        if key_norm not in TOP_KEYS:
            raise ConfigError(_unknown("setting", key, TOP_KEYS) + " in [tool.journeylint]", path, line, 1)
        layer.values[key_norm] = Marked(value, path, line, 1)
    return layer


def _toml_line(text, key):
    """The line of ``key`` inside [tool.journeylint], for error messages."""
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.startswith("[tool.journeylint")
            if inside and stripped.rstrip("]").endswith("." + key):
                return number
            continue
        if inside and stripped.split("=", 1)[0].strip().strip('"') == key:
            return number
    return None


def _shown(path: str) -> str:
    """A configuration path as the user would type it (relative when below the working directory)."""
    if path in ("--profile", "command line") or not os.path.isabs(path):
        return path
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _unknown(what, name, known, where: str = "") -> str:
    message = f"unknown {what} '{name}'{where}"
    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return message + (f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(known)})")


def find_config_file(start_dir: str) -> str | None:
    directory = os.path.abspath(start_dir)
    while True:
        for name in CONFIG_FILES:
            candidate = os.path.join(directory, name)
            # a broken link or a directory by that name is reported when
            # read, never passed over for a configuration further up
            if os.path.lexists(candidate):
                return candidate
        pyproject = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(pyproject) and _has_tool_section(pyproject):
            return pyproject
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_tool_section(path) -> bool:
    try:
        with open(path, "rb") as handle:
            return b"[tool.journeylint" in handle.read(1024 * 1024)
    except OSError:
        return False


# -- profiles ----------------------------------------------------------------

def profiles_dir():
    return resources.files("journeylint.catalogue").joinpath("profiles")


def available_profiles() -> dict[str, str]:
    """Built-in profile name -> its YAML file path."""
    out = {}
    directory = profiles_dir()
    if directory.is_dir():
        for entry in directory.iterdir():
            if entry.name.endswith(".yaml"):
                out[entry.name[:-5]] = str(entry)
    return dict(sorted(out.items()))


def load_profile(ref: Marked, base_dir: str) -> Layer:
    name = ref.value
    if not isinstance(name, str) or not name:
        raise ref.error(f"'extends' entries must be profile names or files, not {describe(name)}")
    if name.endswith((".yaml", ".yml")) or "/" in name:
        path = name if os.path.isabs(name) else os.path.join(base_dir, name)
        if not os.path.isfile(path):
            raise ref.error(f"profile file '{name}' not found")
        return read_layer(path)
    profiles = available_profiles()
    if name not in profiles:
        raise ref.error(_unknown("profile", name, list(profiles)))
    return read_layer(profiles[name], name=name)


# -- loading a configuration ---------------------------------------------------------

def load_config(config_path: str | None = None, cwd: str = ".", extra_profiles=()) -> Config:
    """The configuration in force, with its profiles read (not yet resolved
    against the rules, which may come from plugins it names)."""
    if config_path is not None:
        if not os.path.exists(config_path) or os.path.isdir(config_path):
            raise ConfigError(f"configuration file '{config_path}' not found")
        source = config_path
    else:
        source = find_config_file(cwd)
    if source is not None:
        top = read_layer(source)
    else:
        top = Layer("defaults", None, os.path.abspath(cwd))
    layers = _expand(top, seen=())
    for name in extra_profiles:
        # a path on the command line is relative to where the command runs
        layers.extend(_expand(load_profile(Marked(name, "--profile"), os.path.abspath(cwd)), seen=()))
    config = Config(layers=layers, source=source, base_dir=top.base_dir)
    _read_settings(config, top)
    return config


def _expand(layer: Layer, seen) -> list[Layer]:
    """The layer with everything it extends before it, depth first."""
    key = layer.file or layer.name
    if key in seen:
        raise ConfigError(f"profiles extend each other in a circle: {' -> '.join(seen + (key,))}", layer.file)
    out = []
    extends = layer.values.get("extends")
    if extends is not None:
        items = extends.value if isinstance(extends.value, list) else [extends.value]
        listed = isinstance(extends.value, YSeq)
        for i, item in enumerate(items):
            mark = extends.value.position(i) if listed else (extends.line, extends.column)
            ref = Marked(item, extends.file, *mark)
            out.extend(_expand(load_profile(ref, layer.base_dir), seen + (key,)))
    out.append(layer)
    return out


def _str_list(marked: Marked, what: str) -> list[tuple[str, Marked]]:
    value = marked.value
    if isinstance(value, str):
        return [(value, marked)]
    if not isinstance(value, list):
        raise marked.error(f"'{what}' must be a list of {'rules' if what != 'plugins' else 'plugins'}, not {describe(value)}")
    listed = isinstance(value, YSeq)
    out = []
    for i, item in enumerate(value):
        at = Marked(item, marked.file, *(value.position(i) if listed else (marked.line, marked.column)))
        if not isinstance(item, str) or not item:
            raise at.error(f"'{what}' entries must be text, not {describe(item)}")
        out.append((item, at))
    return out


def _read_settings(config: Config, top: Layer):
    for key in ("plugins", "include", "exclude"):
        marked = top.values.get(key)
        if marked is not None:
            values = [v for v, _ in _str_list(marked, key)]
            if key == "plugins":
                config.plugins = values
            else:
                setattr(config, key, tuple(values))
    fail_on = top.values.get("fail_on")
    if fail_on is not None:
        try:
            config.fail_on = Severity.parse(fail_on.value)
        except ValueError as error:
            raise fail_on.error(str(error)) from None
    limits = top.values.get("limits")
    if limits is not None:
        config.limits = _read_limits(limits)


def _read_limits(marked: Marked) -> Limits:
    value = marked.value
    if not isinstance(value, dict):
        raise marked.error(f"'limits' must be a mapping, not {describe(value)}")
    kwargs = {}
    for key, item in value.items():
        at = Marked(item, marked.file, *(value.key_position(key) if isinstance(value, YMap) else (marked.line, marked.column)))
        if key not in LIMIT_KEYS:
            raise at.error(_unknown("limit", key, LIMIT_KEYS))
        if key == "max_file_size":
            kwargs[key] = _parse_size(at)
        elif key == "max_depth" and isinstance(item, int) and not isinstance(item, bool) and item > MAX_DEPTH_CEILING:
            # libyaml reads flow nesting in quadratic time, and validating or
            # reporting a deeper value recurses past Python's stack
            raise at.error(f"'max_depth' can be at most {MAX_DEPTH_CEILING}, not {item}: "
                           "no journey nests that deep, and reading deeper nesting is not safe")
        elif isinstance(item, int) and not isinstance(item, bool) and item > 0:
            kwargs[key] = item
        else:
            raise at.error(f"'{key}' must be a whole number above 0, not {describe(item)}")
    return Limits(**kwargs)


def _parse_size(at: Marked) -> int:
    value = at.value
    size = None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        size = value
    elif isinstance(value, str):
        text = value.strip().upper().replace(" ", "")
        for suffix, factor in (("KB", 1024), ("MB", 1024 ** 2), ("GB", 1024 ** 3), ("B", 1)):
            if text.endswith(suffix) and text[: -len(suffix)].isdigit():
                size = int(text[: -len(suffix)]) * factor
                break
    if size is None:
        raise at.error(f"'max_file_size' must be a size such as 16MB or a number of bytes, not {describe(value)}")
    if size > MAX_FILE_SIZE_CEILING:
        # the file is read whole: past this, a read fails or memory runs out
        raise at.error(f"'max_file_size' can be at most 1GB, not {value}")
    return size


# -- resolving against the rules ---------------------------------------------------------

def resolve(config: Config, registry, *, select=None, extend_select=(), ignore=()) -> RuleSet:
    """Apply the layers in order, then the command line, to the registry's rules."""
    enabled = {r.code: r for r in registry.rules if r.default_enabled}
    severity = {r.code: r.severity for r in registry.rules}
    options = {r.code: r.default_options() for r in registry.rules}
    switched_off: set[str] = set()

    def rules_for(selector: str, at: Marked):
        found = registry.matching(selector)
        if not found:
            close = difflib.get_close_matches(selector, [r.code for r in registry.rules] + [r.name for r in registry.rules], n=1)
            hint = f"; did you mean '{close[0]}'?" if close else " (see 'journeylint rules')"
            raise at.error(f"unknown rule '{selector}'{hint}")
        return found

    def apply_select(entries, replace_set: bool):
        nonlocal enabled
        chosen = {}
        for selector, at in entries:
            for r in rules_for(selector, at):
                chosen[r.code] = r
        if replace_set:
            enabled = chosen
        else:
            enabled.update(chosen)

    def apply_ignore(entries):
        for selector, at in entries:
            for r in rules_for(selector, at):
                enabled.pop(r.code, None)
                switched_off.add(r.code)

    for layer in config.layers:
        if layer.values.get("select") is not None:
            apply_select(_str_list(layer.values["select"], "select"), True)
        if layer.values.get("extend_select") is not None:
            apply_select(_str_list(layer.values["extend_select"], "extend_select"), False)
        if layer.values.get("ignore") is not None:
            apply_ignore(_str_list(layer.values["ignore"], "ignore"))
        rules = layer.values.get("rules")
        if rules is not None:
            _apply_rule_settings(rules, registry, enabled, severity, options, switched_off, rules_for)

    cli = lambda items: [(s, Marked(s, "command line")) for item in items for s in item.split(",") if s]
    if select:
        apply_select(cli(select), True)
    if extend_select:
        apply_select(cli(extend_select), False)
    if ignore:
        apply_ignore(cli(ignore))
    enabled.update({c: registry.by_code[c] for c in ("JL001",) if c in registry.by_code})
    switched_off -= set(enabled)
    return RuleSet(dict(sorted(enabled.items())), severity, options, switched_off)


def _apply_rule_settings(rules: Marked, registry, enabled, severity, options, switched_off, rules_for):
    value = rules.value
    if not isinstance(value, dict):
        raise rules.error(f"'rules' must map rule codes or names to settings, not {describe(value)}")
    for ref, setting in value.items():
        key_at = Marked(ref, rules.file, *(value.key_position(ref) if isinstance(value, YMap) else (rules.line, rules.column)))
        at = Marked(setting, rules.file, *(value.value_position(ref) if isinstance(value, YMap) else (rules.line, rules.column)))
        rule = registry.find(str(ref))
        if rule is None:
            rules_for(str(ref), key_at)  # raises with a suggestion
            raise key_at.error(f"'rules' entries name one rule, not a prefix: '{ref}'")
        if isinstance(setting, (str, bool)) or setting is None:
            setting_map = {"severity": setting}
        elif isinstance(setting, dict):
            setting_map = setting
        else:
            raise at.error(f"the setting of rule '{ref}' must be a severity, 'off' or a mapping, not {describe(setting)}")
        for key, item in setting_map.items():
            item_at = Marked(item, rules.file, *(setting.value_position(key) if isinstance(setting, YMap) else (at.line, at.column)))
            if key == "severity":
                if item is False or (isinstance(item, str) and item.lower() == "off"):
                    enabled.pop(rule.code, None)
                    switched_off.add(rule.code)
                    continue
                try:
                    severity[rule.code] = Severity.parse(item)
                except ValueError:
                    raise item_at.error(f"severity of '{ref}' must be error, warning, info or off, not {describe(item)}") from None
                enabled[rule.code] = rule
            elif key == "enabled":
                if not isinstance(item, bool):
                    raise item_at.error(f"'enabled' must be true or false, not {describe(item)}")
                if item:
                    enabled[rule.code] = rule
                else:
                    enabled.pop(rule.code, None)
                    switched_off.add(rule.code)
            elif key in rule.options:
                try:
                    options[rule.code][key] = rule.options[key].parse(item)
                except ValueError as error:
                    raise item_at.error(f"option '{key}' of {rule.code} {rule.name} must be {error}, not {describe(item)}") from None
            else:
                known = ["severity", "enabled", *rule.options]
                key_at = Marked(key, rules.file, *(setting.key_position(key) if isinstance(setting, YMap) else (at.line, at.column)))
                raise key_at.error(_unknown("option", key, known, where=f" for {rule.code} {rule.name}"))
