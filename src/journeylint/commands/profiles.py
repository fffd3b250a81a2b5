"""``journeylint profiles``: the shipped profiles, what each sets and where
its rules come from; ``journeylint profiles NAME`` shows a profile's page."""
from __future__ import annotations

import difflib
import json
import os
import sys
from dataclasses import dataclass, field
from importlib import resources

import click

from ..cli import fail


@dataclass
class ProfileInfo:
    name: str
    file: str
    title: str = ""
    description: str = ""
    source: str = ""
    status: str = ""
    #: rules the profile switches on (prefixes expanded), in code order
    turns_on: list = field(default_factory=list)
    #: rules it switches off
    turns_off: list = field(default_factory=list)
    #: code -> {setting: value} for severities and options it sets
    settings: dict = field(default_factory=dict)
    page: str | None = None


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def read_profile(name: str, path: str, registry) -> ProfileInfo:
    """What a profile file sets, read as the configuration reads it
    (ConfigError, with file and line, for a broken one)."""
    from ..config import Marked, _str_list, read_layer

    layer = read_layer(path, name=name)
    info = ProfileInfo(name=name, file=path)
    for key in ("title", "description", "source", "status"):
        setattr(info, key, _text(layer.get(key)))

    def codes(key):
        marked = layer.values.get(key)
        if marked is None:
            return []
        found = []
        for selector, at in _str_list(marked, key):
            rules = registry.matching(selector)
            if not rules:
                raise at.error(f"unknown rule '{selector}' in profile '{name}'")
            found.extend(r.code for r in rules)
        return found

    on = codes("select") + codes("extend_select")
    off = codes("ignore")
    rules = layer.values.get("rules")
    if rules is not None:
        if not isinstance(rules.value, dict):
            raise rules.error("'rules' must map rule codes or names to settings")
        for ref, setting in rules.value.items():
            rule = registry.find(str(ref))
            if rule is None:
                raise Marked(ref, path, *rules.value.key_position(ref) or (None, None)).error(
                    f"unknown rule '{ref}' in profile '{name}'")
            if isinstance(setting, dict):
                info.settings[rule.code] = {str(k): v for k, v in setting.items()}
            else:
                info.settings[rule.code] = {"severity": setting}
            severity = info.settings[rule.code].get("severity", info.settings[rule.code].get("enabled"))
            if severity is False or (isinstance(severity, str) and severity.lower() == "off"):
                off.append(rule.code)
            elif severity is not None:
                on.append(rule.code)
    info.turns_on = sorted(set(on) - set(off))
    info.turns_off = sorted(set(off))
    info.settings = dict(sorted(info.settings.items()))
    page = resources.files("journeylint.catalogue").joinpath("profiles", f"{name}.md")
    info.page = str(page) if page.is_file() else None
    return info


def shipped_profiles(registry) -> list[ProfileInfo]:
    from ..config import available_profiles

    return [read_profile(name, path, registry) for name, path in available_profiles().items()]


def describe_settings(info: ProfileInfo) -> str:
    parts = []
    if info.turns_on:
        parts.append("turns on " + ", ".join(info.turns_on))
    if info.turns_off:
        parts.append("turns off " + ", ".join(info.turns_off))
    for code, values in info.settings.items():
        options = [f"{k}: {v}" for k, v in values.items() if k not in ("severity", "enabled")]
        if options:
            parts.append(f"{code} " + ", ".join(options))
    return "; ".join(parts) or "the default rule set, unchanged"


@click.command()
@click.argument("name", required=False)
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format of the list.")
def profiles(name, fmt):
    """List the profiles journeylint ships: what each turns on, its source
    and the date of the legal status it reflects. With NAME, show that
    profile's page.

    Use a profile with 'extends: [recommended, eu-consumer]' in the
    configuration or '--profile eu-consumer' on the command line.
    """
    from ..config import ConfigError, available_profiles
    from ..registry import PluginError, build_registry

    try:
        registry = build_registry()
    except PluginError as error:
        fail(str(error))
    known = available_profiles()
    if name is not None:
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
            fail(f"unknown profile '{name}'" + (f"; did you mean '{close[0]}'?" if close
                                                 else f" (known: {', '.join(known)})"))
        page = resources.files("journeylint.catalogue").joinpath("profiles", f"{name}.md")
        if not page.is_file():
            fail(f"profile '{name}' has no page")
        text = page.read_text("utf-8")
        if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
            from rich.console import Console
            from rich.markdown import Markdown

            Console().print(Markdown(text))
        else:
            click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        infos = shipped_profiles(registry)
    except ConfigError as error:
        fail(str(error))
    if fmt == "json":
        rows = [{
            "name": i.name, "title": i.title, "description": i.description, "status": i.status,
            "source": i.source, "turns_on": i.turns_on, "turns_off": i.turns_off,
            "settings": i.settings, "page": f"rules/profiles/{i.name}.md" if i.page else None,
        } for i in infos]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max((len(i.name) for i in infos), default=0)
    for info in infos:
        click.echo(f"{info.name.ljust(width)}  {info.title}")
        pad = " " * (width + 2)
        click.echo(f"{pad}status: {info.status}")
        click.echo(f"{pad}source: {info.source}")
        click.echo(f"{pad}sets:   {describe_settings(info)}")
    click.echo(f"\nUse one with --profile NAME or 'extends: [recommended, NAME]'; "
               "'journeylint profiles NAME' shows its page.")
