"""The engine: runs the rule set on loaded journeys, applies severities and
suppressions (JL005 for the unused ones), isolates failing rules, and returns
findings sorted and fingerprinted. It knows rules only through the rule API
and outputs not at all.
"""
from __future__ import annotations

import gc
import os
import signal
import threading
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from itertools import islice
from operator import attrgetter

from .analysis import Analysis
from .findings import Finding, Location, Severity, repo_path
from .loading import Limits, load_file
from .model import Journey

INTERNAL_ERROR = ("JL000", "internal-error")
UNUSED_SUPPRESSION = ("JL005", "unused-suppression")
UNSUPPRESSIBLE = frozenset({"JL000", "JL001"})
#: seconds a plugin rule may take on one journey
PLUGIN_TIME_LIMIT = 5.0
#: findings one rule may yield for one journey, plus 100 per state
MAX_FINDINGS_PER_RULE = 10_000


@dataclass
class FileResult:
    display: str
    journeys: list[Journey] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class JourneySummary:
    """A journey as the outputs that do not draw it see it: what a run keeps
    (and a worker sends back) instead of the whole model, which costs more to
    pickle between processes than to lint, and to hold for every file."""

    id: str
    kind: str | None
    file: str
    location: Location
    title: str | None = None
    document: int = 0
    state_count: int = 0

    @classmethod
    def of(cls, journey: Journey) -> "JourneySummary":
        return cls(journey.id, journey.kind, journey.file, journey.location, journey.title,
                   journey.document, len(journey.states))


def _summarized(result: FileResult) -> FileResult:
    result.journeys = [JourneySummary.of(j) for j in result.journeys]
    return result


@dataclass
class RunResult:
    files: list[FileResult]
    findings: list[Finding]

    @property
    def journeys(self) -> list[Journey]:
        return [j for f in self.files for j in f.journeys]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)


class _RuleTimeout(BaseException):
    """A BaseException, so that a rule's ``except Exception`` (a retry loop)
    cannot swallow it and run on."""


def _describe_error(error) -> str:
    try:
        text = str(error)
    except Exception:  # a plugin's exception whose __str__ fails
        text = ""
    text = text if len(text) <= 300 else text[:300] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _bad_location(location) -> bool:
    return not (
        isinstance(location, Location) and isinstance(location.file, str)
        and type(location.line) is int and type(location.column) is int
        and location.line >= 1 and location.column >= 1
        and all(v is None or isinstance(v, str) for v in (location.state, location.transition, location.note))
    )


def _malformed(item) -> str | None:
    """What is wrong with something a rule yielded as a finding, if anything:
    the outputs rely on these types and would fail on the whole run."""
    if not isinstance(item, Finding):
        return f"returned {type(item).__name__} instead of a Finding"
    if _bad_location(item.location):
        return "returned a Finding whose location is not a file with a line and column from 1"
    if not isinstance(item.message, str):
        return f"returned a Finding whose message is {type(item.message).__name__}, not text"
    if not isinstance(item.path, tuple) or not all(isinstance(s, str) for s in item.path):
        return "returned a Finding whose path is not a list of state ids"
    if not isinstance(item.related, tuple) or any(_bad_location(r) for r in item.related):
        return "returned a Finding whose related locations are not locations"
    if not isinstance(item.key, str):
        return f"returned a Finding whose key is {type(item.key).__name__}, not text"
    return None


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
_finding_values = attrgetter(*_FINDING_FIELDS)
_STAMPED = tuple(_FINDING_FIELDS.index(name) for name in ("code", "name", "severity", "journey"))


def _stamped(item: Finding, code, name, severity, journey) -> Finding:
    """``replace(item, code=, name=, severity=, journey=)`` at a third of its
    cost: it runs once per finding."""
    values = list(_finding_values(item))
    for index, value in zip(_STAMPED, (code, name, severity, journey)):
        values[index] = value
    return Finding(*values)


def _with_time_limit(function, seconds):
    """Run ``function`` with a wall-clock limit (main thread, POSIX); plain call elsewhere."""
    if seconds is None or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return function()

    def expire(signum, frame):
        raise _RuleTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    # fires again every 0.1 s should the rule catch it (a bare except) and go on
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        return function()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Engine:
    def __init__(self, ruleset, limits: Limits = Limits(), known_ref=None):
        self.ruleset = ruleset
        self.limits = limits
        self._known_ref = known_ref or (lambda ref: False)

    # -- one file ------------------------------------------------------------------

    def lint_file(self, path: str, display: str) -> FileResult:
        return self.lint_loaded(load_file(path, self.limits, display))

    def lint_source(self, data: bytes | str, display: str = "<journey>") -> FileResult:
        """Lint a journey held in memory (tests, editors, the rule pages)."""
        from .loading.pipeline import load_bytes

        if isinstance(data, str):
            data = data.encode("utf-8")
        return self.lint_loaded(load_bytes(data, display, self.limits))

    def lint_loaded(self, loaded) -> FileResult:
        display = loaded.path
        result = FileResult(display, loaded.journeys)
        ruled = [self._ruled(f) for f in loaded.findings]
        # A loader finding belongs to the journey of its own document: two
        # documents of one file may carry the same journey id (itself a JL001),
        # and matching on the id alone would report each finding twice.
        spans = getattr(loaded, "spans", None) or {}
        claimed: set[int] = set()
        owned = []
        for journey in loaded.journeys:
            start, end = spans.get(journey.document, (0, len(ruled)))
            own = [i for i in range(start, end)
                   if ruled[i] is not None and ruled[i].journey == journey.id and i not in claimed]
            claimed.update(own)
            owned.append((journey, [ruled[i] for i in own]))
        result.findings.extend(f for i, f in enumerate(ruled) if f is not None and i not in claimed)
        for journey, own_loader in owned:
            findings = own_loader + self.check_journey(journey)
            result.findings.extend(self.apply_suppressions(journey, findings))
        return result

    def _ruled(self, finding: Finding) -> Finding | None:
        """Severity and selection for a finding the loader made."""
        if finding.code == "JL001":
            severity = self.ruleset.severity.get("JL001", Severity.ERROR)
            return replace(finding, severity=severity)
        if finding.code not in self.ruleset.enabled:
            return None
        return replace(finding, severity=self.ruleset.severity[finding.code])

    # -- one journey -------------------------------------------------------------------

    @cached_property
    def _ordered_rules(self) -> list[tuple]:
        """(code, rule, options, built-in) of each enabled rule, built-in rules
        first: a plugin stopped half-way through filling an analysis cache,
        or one that changes the journey, cannot alter them."""
        ordered = sorted(self.ruleset.enabled.items(), key=lambda item: item[1].origin != "builtin")
        return [(code, rule, self.ruleset.options.get(code, {}), rule.origin == "builtin")
                for code, rule in ordered]

    def check_journey(self, journey: Journey) -> list[Finding]:
        analysis = Analysis(journey)
        out: list[Finding] = []
        # no rule has a reason to say more; a runaway generator would fill memory
        most = MAX_FINDINGS_PER_RULE + 100 * len(journey.states)
        for code, rule, options, builtin in self._ordered_rules:
            limit = None if builtin else PLUGIN_TIME_LIMIT
            try:
                produced = _with_time_limit(
                    lambda: list(islice(rule.check(journey, analysis, options) or (), most + 1)), limit)
            except _RuleTimeout:
                out.append(self._internal(journey, rule, f"took longer than {limit:g} s and was stopped"))
                continue
            except RecursionError:
                out.append(self._internal(journey, rule, "recursed too deeply"))
                continue
            # a rule's bug must not hide the other rules' findings, nor end
            # the run (SystemExit); KeyboardInterrupt still stops it
            except (Exception, SystemExit, GeneratorExit) as error:
                out.append(self._internal(journey, rule, f"raised {_describe_error(error)}"))
                continue
            if len(produced) > most:
                out.append(self._internal(journey, rule, f"produced more than {most:,} findings and was stopped"))
                continue
            # built-in rules make their findings with Finding.at, and their
            # tests check them: the check is for plugins (a fifth of the
            # engine's time on a journey with thousands of findings)
            problem = None if builtin else next((p for p in map(_malformed, produced) if p), None)
            if problem is not None:
                out.append(self._internal(journey, rule, problem))
                continue
            severity = self.ruleset.severity[code]
            out.extend(_stamped(item, rule.code, rule.name, severity, journey.id) for item in produced)
        # its caches refer back to it (Reach -> Analysis): dropping them frees
        # the journey's analyses now rather than at the next collection
        analysis.__dict__.clear()
        return out

    def _internal(self, journey, rule, what) -> Finding:
        return Finding(
            code=INTERNAL_ERROR[0], name=INTERNAL_ERROR[1], severity=Severity.ERROR,
            message=f"rule {rule.code} {rule.name} ({rule.origin}) {what}; its findings for this "
                    "journey are missing, the other rules ran",
            location=journey.location, journey=journey.id, key=rule.code, whole_journey=True,
        )

    # -- suppressions --------------------------------------------------------------------

    def apply_suppressions(self, journey: Journey, findings: list[Finding]) -> list[Finding]:
        blocks = []
        if journey.lint is not None:
            blocks.append((None, journey.lint))
        for state in journey.states.values():
            if state.lint is not None:
                blocks.append((state.id, state.lint))
        if not blocks:
            return findings

        used: set[int] = set()
        entries = [(state_id, ref, location) for state_id, block in blocks for ref, location in block.entries]

        # entries indexed by (state or None, rule code or name): one look-up per finding,
        # however many suppressions the journey carries
        by_code: dict[tuple, list[int]] = {}
        by_name: dict[tuple, list[int]] = {}
        for i, (state_id, ref, _) in enumerate(entries):
            by_code.setdefault((state_id, ref.upper()), []).append(i)
            by_name.setdefault((state_id, ref), []).append(i)

        def suppress(items):
            kept = []
            for finding in items:
                hit = []
                if finding.code not in UNSUPPRESSIBLE:
                    places = [None]
                    if not finding.whole_journey and finding.location.state is not None:
                        places.append(finding.location.state)
                    for place in places:
                        hit += by_code.get((place, finding.code), ())
                        hit += by_name.get((place, finding.name), ())
                if hit:
                    used.update(hit)
                else:
                    kept.append(finding)
            return kept

        kept = suppress(findings)
        unused = []
        for i, (state_id, ref, location) in enumerate(entries):
            if i in used or ref.upper() == UNUSED_SUPPRESSION[0] or ref == UNUSED_SUPPRESSION[1]:
                continue
            rule = self._rule_for(ref)
            where = f"on state '{state_id}'" if state_id else f"on journey '{journey.id}'"
            if rule is None:
                if self._known_ref(ref):
                    continue  # an engine code (JL001) or a rule not enabled
                message = f"'lint: ignore' {where} names '{ref}', which is no rule journeylint knows"
            else:
                code, name = rule
                if code not in self.ruleset.enabled:
                    continue  # switched off by the configuration: nothing to suppress
                message = f"'lint: ignore' {where} names {code} {name}, but no such finding is there to suppress; remove the entry"
            unused.append(Finding(
                code=UNUSED_SUPPRESSION[0], name=UNUSED_SUPPRESSION[1],
                severity=self.ruleset.severity.get("JL005", Severity.WARNING),
                message=message, location=location, journey=journey.id, key=f"{state_id or ''}:{ref}",
                whole_journey=state_id is None,
            ))
        if "JL005" not in self.ruleset.enabled:
            unused = []
        return kept + suppress(unused)

    def _rule_for(self, ref: str):
        for code, rule in self.ruleset.enabled.items():
            if ref.upper() == code or ref == rule.name:
                return code, rule.name
        return None


# -- a whole run ------------------------------------------------------------------------

_worker_engine: Engine | None = None


_worker_full_journeys = True


def _lint_in_worker(item):
    result = _worker_engine.lint_file(*item)
    _collect_young_now_and_then()
    return result if _worker_full_journeys else _summarized(result)


#: files between two collections of the youngest generation (see ``run``)
_FILES_PER_COLLECTION = 64
_files_since_collection = 0


def _collect_young_now_and_then():
    global _files_since_collection
    _files_since_collection += 1
    if _files_since_collection >= _FILES_PER_COLLECTION:
        _files_since_collection = 0
        gc.collect(0)


def run(engine: Engine, files, jobs: int = 1, progress=None, full_journeys: bool = True) -> RunResult:
    """Lint ``files`` (JourneyFile) with ``jobs`` worker processes.

    ``full_journeys=False`` keeps a :class:`JourneySummary` of each journey
    instead of the model, for outputs that read no more than that."""
    items = [(f.path, f.display) for f in files]
    # The automatic garbage collector is off while linting. Loading and
    # linting make no reference cycles (the analysis caches, the only ones,
    # are dropped with each journey), so reference counting frees all they
    # allocate; the collector's passes would only walk the live journey
    # again and again: a fifth of the run on a 50,000-state journey, however
    # its thresholds were tuned. A collection of the youngest objects
    # between files keeps a plugin's stray cycles from piling up.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(engine, items, jobs, progress, full_journeys)
    finally:
        if was_enabled:
            gc.enable()


def _run(engine, items, jobs, progress, full_journeys) -> RunResult:
    results: list[FileResult]
    if jobs > 1 and len(items) > 1 and "fork" in _start_methods():
        import multiprocessing

        global _worker_engine, _worker_full_journeys
        _worker_engine, _worker_full_journeys = engine, full_journeys
        context = multiprocessing.get_context("fork")
        chunk = max(1, min(64, len(items) // (jobs * 4) or 1))
        with context.Pool(min(jobs, len(items))) as pool:
            results = []
            for result in pool.imap(_lint_in_worker, items, chunksize=chunk):
                results.append(result)
                if progress:
                    progress(len(results), len(items))
        _worker_engine = None
    else:
        results = []
        for item in items:
            result = engine.lint_file(*item)
            _collect_young_now_and_then()
            results.append(result if full_journeys else _summarized(result))
            if progress:
                progress(len(results), len(items))
    return finish(results)


def _start_methods():
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def finish(results: list[FileResult]) -> RunResult:
    """Duplicate journey ids across files, fingerprints, and one stable order."""
    first_seen: dict[str, str] = {}
    for result in results:
        for journey in result.journeys:
            if not journey.id:
                continue
            if journey.id in first_seen:
                result.findings.append(Finding(
                    code="JL001", name="invalid-journey", severity=Severity.ERROR,
                    message=f"journey id '{journey.id}' is already used by {first_seen[journey.id]}; "
                            "ids must be unique among the files of one run",
                    location=journey.location, journey=journey.id, key="duplicate-id",
                ))
            else:
                first_seen[journey.id] = result.display
    all_findings = []
    cwd = os.getcwd()
    shown: dict[str, str] = {}
    # Two findings about the same thing (two transitions from one state to
    # one target) would share a fingerprint; baselines and GitLab need them
    # apart, so the later ones in file order get a numbered one.
    seen: dict[str, int] = {}
    for result in results:
        stamped = []
        for finding in sorted(result.findings, key=Finding.sort_key):
            if finding.file not in shown:
                shown[finding.file] = repo_path(finding.file, cwd)
            finding = finding.with_fingerprint(shown[finding.file])
            occurrence = seen.get(finding.fingerprint, 0)
            seen[finding.fingerprint] = occurrence + 1
            if occurrence:
                finding = finding.with_fingerprint(shown[finding.file], occurrence)
            stamped.append(finding)
        result.findings = stamped
        all_findings.extend(result.findings)
    all_findings.sort(key=Finding.sort_key)
    return RunResult(results, all_findings)
