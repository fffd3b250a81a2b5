"""Findings: what a rule reports, where, and how bad it is.

A rule yields findings built with :meth:`Finding.at`; the engine fills in the
rule's code, name and severity, applies suppressions and computes the
fingerprint. Everything here is plain data so that findings cross process
boundaries (``--jobs``) and reach every output format unchanged.
"""
from __future__ import annotations

import enum
import functools
import hashlib
import os
import posixpath
from dataclasses import dataclass


class Elided(str):
    """Stands in a witness for states left out of it.

    Witnesses are complete until a journey has spent its witness budget (see
    ``analysis.WITNESS_BUDGET_PER_STATE``): a hostile file can make every
    state a finding whose witness is thousands of states long, so past the
    budget a witness keeps its last states and this marker where the rest
    was. It is a ``str`` so that paths join and compare like state ids.
    """

    def __new__(cls):
        return super().__new__(cls, "...")

    def __reduce__(self):
        return (Elided, ())


ELIDED = Elided()


class Severity(enum.IntEnum):
    """Ordered so that ``max()`` gives the worst severity."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[str(text).upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}: use error, warning or info") from None


@dataclass(slots=True, unsafe_hash=True)
class Location:
    """A place in a journey file: 1-based line and column, as editors show them."""

    file: str
    line: int
    column: int
    state: str | None = None
    #: the target of the transition, when the place is a transition
    transition: str | None = None
    #: a short note shown with related locations ("discloses too late")
    note: str | None = None

    def with_note(self, note: str) -> "Location":
        return Location(self.file, self.line, self.column, self.state, self.transition, note)


@dataclass(slots=True, unsafe_hash=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    journey: str | None = None
    #: a witness: the state ids of a concrete path that shows the problem
    path: tuple[str, ...] = ()
    related: tuple[Location, ...] = ()
    #: tells apart two findings of one rule at one place (the item, the loop)
    key: str = ""
    #: true for whole-journey findings, which only a journey-level ignore covers
    whole_journey: bool = False
    fingerprint: str = ""

    @classmethod
    def at(
        cls,
        where,
        message: str,
        *,
        path=(),
        related=(),
        key: str = "",
    ) -> "Finding":
        """A finding located at a state, a transition or the journey itself.

        ``where`` is anything with a ``location`` (State, Transition, Journey).
        The engine fills in code, name and severity from the rule.
        """
        from .model import Journey  # the model imports nothing from here at import time

        return cls(
            code="",
            name="",
            severity=Severity.ERROR,
            message=message,
            location=where.location,
            path=tuple(path),
            related=tuple(related),
            key=key,
            whole_journey=isinstance(where, Journey),
        )

    @property
    def file(self) -> str:
        return self.location.file

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    @property
    def state(self) -> str | None:
        return self.location.state

    def sort_key(self):
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code, self.journey or "", self.key, self.message)

    def with_fingerprint(self, display_path: str | None = None, occurrence: int = 0) -> "Finding":
        """Fingerprint from what the finding is about, never from line numbers,
        so that it survives unrelated edits of the file.

        ``display_path`` should be :func:`repo_path` of the file, so that the
        fingerprint does not depend on the directory journeylint ran in.
        ``occurrence`` tells apart findings that would otherwise share one
        fingerprint (the n-th of them in file order, from 0): the first keeps
        the plain fingerprint."""
        loc = self.location
        parts = (
            (display_path or loc.file).replace("\\", "/"),
            self.code,
            self.journey or "",
            loc.state or "",
            loc.transition or "",
            self.key,
        ) + ((str(occurrence),) if occurrence else ())
        digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
        return Finding(self.code, self.name, self.severity, self.message, self.location, self.journey,
                       self.path, self.related, self.key, self.whole_journey, digest[:32])

    def to_dict(self) -> dict:
        """The stable JSON shape of a finding (documented in the README)."""
        loc = self.location
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.label,
            "file": loc.file,
            "line": loc.line,
            "column": loc.column,
            "journey": self.journey,
            "state": loc.state,
            "transition": loc.transition,
            "message": self.message,
            "path": [s for s in self.path if not isinstance(s, Elided)],
            "path_elided": any(isinstance(s, Elided) for s in self.path),
            "related": [
                {"file": r.file, "line": r.line, "column": r.column, "state": r.state, "note": r.note}
                for r in self.related
            ],
            "fingerprint": self.fingerprint,
        }


# -- paths as CI sees them ----------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def repository_root(cwd: str) -> str:
    """The work tree that holds ``cwd``: the nearest directory upwards with a
    ``.git`` entry (a directory, or a file in worktrees and submodules), else
    ``cwd`` itself. Found without running git, which may not be installed."""
    directory = os.path.abspath(cwd)
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return os.path.abspath(cwd)
        directory = parent


@functools.lru_cache(maxsize=None)
def _cwd_in_repository(cwd: str) -> str:
    """``cwd`` relative to its repository root, as a prefix: "" or "sub/dir/"."""
    relative = os.path.relpath(os.path.abspath(cwd), repository_root(cwd)).replace(os.sep, "/")
    return "" if relative == "." else relative + "/"


def repo_path(display: str, cwd: str | None = None) -> str:
    """A file's path relative to the repository root, with forward slashes:
    what fingerprints, SARIF, GitLab and GitHub annotations use, so they do
    not change with the directory journeylint runs in. ``display`` is the
    path as shown (relative to ``cwd`` or as given); a file outside the
    repository keeps its display path."""
    cwd = cwd or os.getcwd()
    # only the system's separator: a backslash is part of a file name on POSIX
    shown = display.replace(os.sep, "/")
    if not os.path.isabs(display) and ".." not in shown.split("/"):
        # the usual case, without touching the file system: once per file of a run
        return posixpath.normpath(_cwd_in_repository(cwd) + shown)
    root = repository_root(cwd)
    absolute = os.path.normpath(os.path.join(cwd, display))
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive (Windows)
        return shown
    if relative == os.curdir or relative.startswith(os.pardir + os.sep) or relative == os.pardir:
        return shown
    return relative.replace(os.sep, "/")
