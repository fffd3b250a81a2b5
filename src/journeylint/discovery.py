"""Paths on the command line -> the journey files to check.

Directories are searched for ``*.yaml`` / ``*.yml`` (the ``include``
patterns), hidden directories, dependency folders and well-known non-journey
YAML files (journeylint's own configuration, pre-commit, CI) skipped, directory
symlinks not followed (no loops); files named explicitly are checked
whatever their name. ``exclude`` applies to both. The result is sorted so
that output never depends on the file system's order.
"""
from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass

SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})
#: YAML files a journeys folder commonly holds that are not journeys
NOT_JOURNEYS = frozenset({"journeylint.yaml", ".journeylint.yaml", ".pre-commit-config.yaml",
                          ".pre-commit-hooks.yaml", ".gitlab-ci.yml", "action.yml", "action.yaml"})


class DiscoveryError(Exception):
    """A path on the command line that cannot be used (exit code 2)."""


@dataclass(frozen=True)
class JourneyFile:
    path: str      # to open
    display: str   # to show: relative to the working directory when inside it


def display_path(path: str, cwd: str) -> str:
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, cwd)
    shown = path if relative.startswith("..") else relative
    # a name that is not UTF-8 reaches us with surrogate escapes, which no
    # output can encode: show its bad bytes as \xNN instead
    shown = shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return shown.replace(os.sep, "/")


def _special(path: str) -> bool:
    """A FIFO, socket or device: opening a FIFO blocks until someone writes,
    a device may never end. A broken link is not special: the loader says
    why it cannot be read."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)


def _matches(patterns, relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    parts = relative.split("/")
    for pattern in patterns:
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(name, pattern):
            return True
        if pattern.startswith("**/") and fnmatch.fnmatch(relative, pattern[3:]):
            return True
        stripped = pattern.rstrip("/").removesuffix("/**")
        if "/" not in stripped and "*" not in stripped and stripped in parts[:-1]:
            return True
    return False


def discover(paths, *, include=("*.yaml", "*.yml"), exclude=(), base_dir=".", cwd=None) -> list[JourneyFile]:
    cwd = os.path.abspath(cwd or os.getcwd())
    base_dir = os.path.abspath(base_dir)
    found: dict[str, JourneyFile] = {}

    def relative_to_base(path):
        rel = os.path.relpath(os.path.abspath(path), base_dir).replace(os.sep, "/")
        return rel if not rel.startswith("..") else display_path(path, cwd)

    def add(path):
        key = os.path.abspath(path)
        if key not in found and not _matches(exclude, relative_to_base(path)):
            found[key] = JourneyFile(path, display_path(path, cwd))

    for given in paths:
        if os.path.isdir(given):
            if _matches(exclude, relative_to_base(given)) and os.path.abspath(given) != base_dir:
                continue
            for directory, dirnames, filenames in os.walk(given, followlinks=False, onerror=None):
                dirnames[:] = sorted(
                    d for d in dirnames
                    if not d.startswith(".") and d not in SKIPPED_DIRS
                    and not _matches(exclude, relative_to_base(os.path.join(directory, d)))
                )
                for filename in sorted(filenames):
                    full = os.path.join(directory, filename)
                    if (filename not in NOT_JOURNEYS and _matches(include, relative_to_base(full))
                            and not _special(full)):
                        add(full)
        elif os.path.exists(given) or os.path.islink(given):
            add(given)
        else:
            raise DiscoveryError(f"path '{given}' does not exist")
    # Files keep the order they were given in (directories walked sorted),
    # so "the first file" of a duplicate journey id is the one named first.
    return list(found.values())
