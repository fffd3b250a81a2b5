"""Schema validation of a composed document, with errors at their line.

The shipped JSON Schema is the one definition of the format. Valid documents,
the common case, go through a compiled validator (jsonschema-rs) in a few
microseconds; only a document that fails it is run through ``jsonschema``,
whose structured errors we turn into messages that point at the key or value
and say what to write instead.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from .durations import describe, explain_bad_duration
from .yamlreader import YMap, YSeq

_TYPE_WORDS = {
    "string": "text", "integer": "a whole number", "number": "a number",
    "boolean": "true or false", "array": "a list", "object": "a mapping", "null": "empty",
}


@lru_cache(maxsize=1)
def journey_schema() -> dict:
    text = resources.files("journeylint.schema").joinpath("journey.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _fast_validator():
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - the fallback is the reference validator
        return None
    return jsonschema_rs.validator_for(journey_schema())


@lru_cache(maxsize=1)
def _reference_validator():
    import jsonschema

    return jsonschema.Draft202012Validator(journey_schema())


class SchemaProblem:
    __slots__ = ("message", "line", "column", "path")

    def __init__(self, message, line, column, path):
        self.message, self.line, self.column, self.path = message, line, column, path


def schema_problems(document) -> list[SchemaProblem]:
    """Every way ``document`` breaks the schema, sorted by position."""
    fast = _fast_validator()
    if fast is not None and fast.is_valid(document):
        return []
    errors = _reference_validator().iter_errors(document)
    problems: dict[tuple, SchemaProblem] = {}
    for error in errors:
        for problem in _translate(error, document):
            problems.setdefault((problem.line, problem.column, problem.message), problem)
    return sorted(problems.values(), key=lambda p: (p.line, p.column, p.message))


# -- turning jsonschema errors into messages ---------------------------------

def _locate(document, path, *, key_mark=False):
    """Line and column of the value at ``path`` (or of its key)."""
    node, line, column = document, getattr(document, "line", 1), getattr(document, "column", 1)
    for step in path:
        if isinstance(node, YMap) and step in node:
            line, column = node.key_position(step) if key_mark and step == path[-1] else node.value_position(step)
            node = node[step]
        elif isinstance(node, YSeq) and isinstance(step, int) and step < len(node):
            line, column = node.position(step)
            node = node[step]
        else:
            break
    return line, column


def _where(path) -> str:
    """'in state "x"' and the like, from a path into the document."""
    path = list(path)
    if len(path) >= 2 and path[0] == "states":
        state = path[1]
        if len(path) >= 4 and path[2] == "next":
            return f" in a transition of state '{state}'"
        if len(path) >= 3 and path[2] == "lint":
            return f" in the lint block of state '{state}'"
        return f" in state '{state}'"
    if len(path) >= 2 and path[0] in ("channels", "teams"):
        return f" in {path[0][:-1]} '{path[1]}'"
    if path and path[0] in ("budget", "lint"):
        return f" in '{path[0]}'"
    return " at the top level" if not path else ""


def _key_name(path) -> str:
    for step in reversed(path):
        if isinstance(step, str):
            return step
    return "value"


def _translate(error, document):
    path = list(error.absolute_path)
    validator = error.validator
    instance = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}

    if validator in ("anyOf", "oneOf"):
        yield from _translate_alternatives(error, document, path)
        return

    if validator == "additionalProperties" and isinstance(instance, dict):
        allowed = list(schema.get("properties", {}))
        for key in instance:
            if key in allowed:
                continue
            line, column = _locate(document, path + [key], key_mark=True)
            message = f"unknown key '{key}'{_where(path + [key])}"
            import difflib  # only for an invalid document

            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            if close:
                message += f"; did you mean '{close[0]}'?"
            else:
                message += f" (expected one of: {', '.join(allowed)})."
            if getattr(instance, "flow", False) and "to" in instance:
                message += (" A label with ', ' or ': ' in a {to: ..., when: ...} mapping "
                            "must be quoted: when: \"...\"")
            yield SchemaProblem(message, line, column, path + [key])
        return

    if validator == "required" and isinstance(instance, dict):
        line, column = _locate(document, path)
        for key in error.validator_value:
            if key not in instance:
                if not path:
                    message = f"missing required key '{key}' at the top level of the journey"
                elif path[0] == "states" and "next" in path:
                    message = f"a transition{_where(path)} has no '{key}': say which state it leads to"
                else:
                    message = f"missing required key '{key}'{_where(path)}"
                yield SchemaProblem(message, line, column, path)
        return

    if "propertyNames" in error.relative_schema_path and isinstance(instance, str):
        # the error is about one key of the mapping: point at that key
        line, column = _locate(document, path + [instance], key_mark=True)
        if validator == "minLength":
            message = f"a name in '{_key_name(path)}' cannot be empty"
        else:
            message = f"the name {describe(instance)} in '{_key_name(path)}': {error.message}"
        yield SchemaProblem(message, line, column, path + [instance])
        return

    if validator == "type" and instance is None and len(path) == 2 and path[0] == "states":
        return  # the builder says "state 'x' is empty" and what to give it

    line, column = _locate(document, path)
    name = _key_name(path)
    where = _where(path)
    title = schema.get("title")

    if title == "duration" or (validator in ("type", "pattern") and title == "duration"):
        if isinstance(instance, str):
            message = f"'{name}'{where}: {explain_bad_duration(instance)}"
        elif isinstance(instance, (int, float)) and not isinstance(instance, bool):
            message = (f"'{name}'{where}: the bare number {instance} is ambiguous: "
                       f"give a unit, as in {instance}m or {instance}s")
        else:
            message = f"'{name}'{where} must be a duration such as 20m or 1h30m, not {describe(instance)}"
    elif validator == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else list(expected)
        words = " or ".join(dict.fromkeys(_TYPE_WORDS.get(t, t) for t in expected))
        if not path:
            message = (f"a journey must be a mapping with the keys journey, kind, start and states, "
                       f"not {describe(instance)}")
        elif title == "state id" or (path and path[-1] == "to"):
            message = f"'{name}'{where} must name a state, not {describe(instance)}"
        else:
            message = f"'{name}'{where} must be {words}, not {describe(instance)}"
        if "boolean" in expected and instance in ("yes", "no", "on", "off", "y", "n"):
            message += " (YAML 1.2 reads yes/no/on/off as text: write true or false)"
    elif validator == "enum":
        options = [str(v) for v in error.validator_value]
        message = f"unknown {name} {instance!r}{where}"
        import difflib

        close = difflib.get_close_matches(str(instance), options, n=1, cutoff=0.6)
        if close:
            message += f"; did you mean '{close[0]}'?"
        message += f" (one of: {', '.join(options)})"
    elif validator == "pattern" and title == "slug":
        message = (f"'{name}'{where} must be a lowercase slug (letters, digits, '-', '_', '.'), "
                   f"not {describe(instance)}")
    elif validator == "propertyNames" or (validator == "minLength" and path and path[-1] == ""):
        message = f"a name{where} cannot be empty"
    elif validator in ("minLength",):
        message = f"'{name}'{where} cannot be empty"
    elif validator in ("minItems", "minProperties"):
        message = f"'{name}'{where} cannot be empty"
    elif validator == "minimum":
        message = f"'{name}'{where} must be at least {error.validator_value}, not {describe(instance)}"
    else:
        message = f"'{name}'{where}: {error.message}"
    yield SchemaProblem(message, line, column, path)


def _translate_alternatives(error, document, path):
    """Report the alternative that matches the value's shape (a mapping is a
    transition, a list a list of them); fall back on a message that lists the
    accepted forms."""
    by_branch: dict[int, list] = {}
    for sub in error.context:
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    for branch in sorted(by_branch):
        subs = by_branch[branch]
        wrong_shape = any(
            s.validator == "type" and list(s.absolute_path) == path for s in subs
        )
        if not wrong_shape:
            for sub in subs:
                yield from _translate(sub, document)
            return
    line, column = _locate(document, path)
    name = _key_name(path)
    if name == "next":
        message = (f"'next'{_where(path)} must be a state id, a list of state ids, or transitions "
                   f"with 'to', not {describe(error.instance)}")
    elif name == "start":
        message = f"'start' must be a state id or a list of state ids, not {describe(error.instance)}"
    elif name == "ignore":
        message = f"'ignore'{_where(path)} must be a rule code or name, or a list of them, not {describe(error.instance)}"
    else:
        message = f"'{name}'{_where(path)} must name a state, not {describe(error.instance)}"
    yield SchemaProblem(message, line, column, path)
