"""One run's wiring: configuration -> registry -> rule set -> engine ->
files -> results. Shared by ``check``, ``report`` and ``metrics`` so they
see the same journeys, rules and suppressions."""
from __future__ import annotations

import os
from dataclasses import dataclass

from .config import Config, RuleSet, load_config, resolve
from .discovery import discover
from .engine import Engine, RunResult, run
from .registry import Registry, build_registry


@dataclass
class Session:
    config: Config
    registry: Registry
    ruleset: RuleSet
    engine: Engine


def open_session(*, config_path=None, select=None, extend_select=(), ignore=(), profiles=(), cwd=None) -> Session:
    """Raises ConfigError or PluginError (both: exit code 2)."""
    cwd = cwd or os.getcwd()
    config = load_config(config_path, cwd, extra_profiles=profiles)
    registry = build_registry(config.plugins, config.base_dir)
    ruleset = resolve(config, registry, select=select, extend_select=extend_select, ignore=ignore)
    engine = Engine(ruleset, config.limits, known_ref=registry.known_ref)
    return Session(config, registry, ruleset, engine)


def lint_paths(session: Session, paths, *, jobs=1, progress=None, full_journeys=True):
    """Discover and lint; returns (RunResult, number of files checked).
    Raises DiscoveryError for a path that does not exist."""
    files = discover(
        paths, include=session.config.include, exclude=session.config.exclude,
        base_dir=session.config.base_dir)
    return run(session.engine, files, jobs=jobs, progress=progress, full_journeys=full_journeys), len(files)


def rule_infos(session: Session) -> dict:
    """Rule metadata for the outputs (they never see rule objects)."""
    from . import docs
    from .outputs import RuleInfo

    infos = {}
    for rule in session.registry.rules:
        page = docs.page_text(rule) or rule.summary
        infos[rule.code] = RuleInfo(
            code=rule.code, name=rule.name, severity=session.ruleset.severity[rule.code].label,
            summary=rule.summary, description=docs.full_description(rule), help_markdown=page,
            url=docs.page_url(rule), enabled=rule.code in session.ruleset.enabled, origin=rule.origin,
        )
    from .registry import RESERVED

    for code, name in RESERVED.items():
        if code not in infos:
            infos[code] = RuleInfo(code, name, "error", "journeylint could not run a rule on a journey",
                                   "A rule failed on a journey; its findings are missing.", "", None, True)
    return infos
