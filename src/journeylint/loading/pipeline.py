"""One file: read (bounded) -> compose -> validate -> build."""
from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field

from ..findings import Finding, Location, Severity
from ..model import Journey
from .build import JourneyBuilder, _state_id
from .validate import schema_problems
from .yamlreader import YMap, YSeq, compose_documents

NAMES = {"JL001": "invalid-journey", "JL002": "unknown-state"}


@dataclass(frozen=True)
class Limits:
    """Bounds on the work one file may cause (configurable: ``limits:``)."""

    max_file_size: int = 16 * 1024 * 1024
    max_depth: int = 64
    max_alias_nodes: int = 100_000


@dataclass
class LoadedFile:
    path: str
    journeys: list[Journey] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: document index -> the range of ``findings`` made for that document
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)


def _finding(code, message, file, line, column, journey=None, state=None) -> Finding:
    return Finding(
        code=code, name=NAMES[code], severity=Severity.ERROR, message=message,
        location=Location(file, line, column, state), journey=journey,
    )


def _human_size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def load_file(path: str, limits: Limits = Limits(), display: str | None = None) -> LoadedFile:
    """Load every journey in the file at ``path``; never raises for bad content."""
    shown = display or path
    result = LoadedFile(shown)

    def too_large(size, exact=True):
        result.findings.append(_finding(
            "JL001",
            f"the file is {_human_size(size) if exact else 'larger than ' + _human_size(size - 1)}, over "
            f"the limit of {_human_size(limits.max_file_size)}; "
            "raise limits.max_file_size in the configuration if it is meant to be this large",
            shown, 1, 1))
        return result

    try:
        size = os.stat(path).st_size
        if size > limits.max_file_size:
            return too_large(size)
        limit = limits.max_file_size
        # read what stat() said (and one byte more, to notice a file that grew):
        # read(limit + 1) would make a buffer of the whole limit for every file,
        # a twentieth of a run over 1,000 small journeys; a pipe or a device
        # (size 0) is read up to the limit
        want = size + 1 if 0 < size <= limit else limit + 1
        with open(path, "rb") as handle:
            data = handle.read(want)
            if len(data) == want and want <= limit:
                data += handle.read(limit + 1 - want)
    except OSError as error:
        result.findings.append(_finding("JL001", f"cannot read the file: {error.strerror or error}", shown, 1, 1))
        return result
    if len(data) > limits.max_file_size:
        # a pipe or a device, whose size stat() does not know
        return too_large(len(data), exact=False)
    return load_bytes(data, shown, limits, result)


def load_bytes(data: bytes, shown: str, limits: Limits = Limits(), result: LoadedFile | None = None) -> LoadedFile:
    result = result or LoadedFile(shown)
    # Composing and building allocate many small objects and no cycles: the
    # collector only slows them down (three times on a 9 MB journey; a fifth
    # of the loading time of a corpus of small files when building too).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        documents, problem = compose_documents(
            data, max_depth=limits.max_depth, max_alias_nodes=limits.max_alias_nodes)

        if not documents and problem is None:
            result.findings.append(_finding(
                "JL001", "the file holds no journey (it is empty or only comments)", shown, 1, 1))
        for index, document in enumerate(documents):
            first = len(result.findings)
            _load_document(document, index, shown, result)
            result.spans[index] = (first, len(result.findings))
    finally:
        if gc_was_enabled:
            gc.enable()
    if problem is not None:
        result.findings.append(_finding("JL001", problem.message, shown, problem.line, problem.column))
    return result


def _load_document(document, index, shown, result: LoadedFile):
    root = document.root
    if root is None:
        result.findings.append(_finding(
            "JL001", "an empty YAML document holds no journey", shown, document.line, document.column))
        return
    if isinstance(root, YMap) and "journey" not in root and "states" not in root:
        result.findings.append(_finding(
            "JL001",
            "this YAML document is not a journey (it has no 'journey' or 'states' key); "
            "exclude the file in the configuration if it is not meant to be one",
            shown, root.line, root.column))
        return
    journey_id = root.get("journey") if isinstance(root, YMap) else None
    # the builder's reading of the id, so that findings name the journey it builds
    journey_id = _state_id(journey_id, document.texts.get(root.value_position("journey"))) \
        if isinstance(root, YMap) else None
    for problem in schema_problems(root):
        state = problem.path[1] if len(problem.path) >= 2 and problem.path[0] == "states" else None
        line, column = problem.line, problem.column
        if not isinstance(root, (YMap, YSeq)):
            # a scalar document keeps no position of its own: the document's
            # is the nearest (never 1:1 for the third document of a file)
            line, column = document.line, document.column
        result.findings.append(_finding(
            "JL001", problem.message, shown, line, column, journey_id, state))
    if not isinstance(root, YMap):
        return
    builder = JourneyBuilder(shown, root, index, document.line, document.column, document.texts)
    journey = builder.build()
    for problem in builder.problems:
        result.findings.append(_finding(
            problem.code, problem.message, shown, problem.line, problem.column, journey_id, problem.state))
    if journey is not None:
        result.journeys.append(journey)
