"""The parser guard (peelgraph.ask.guard) and the time limit's checks, in the library and on the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelgraph.ask.catalogue import catalogue
from peelgraph.ask.guard import DEFAULT_LIMITS, QueryLimits, check_query, one_line
from peelgraph.errors import QueryError

#: The issue's reproducers and their kin: each one killed pyoxigraph (and the process) before the guard.
HOSTILE = {
    "parens-5000": "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") } LIMIT 1",
    "braces-10000": "SELECT * WHERE " + "{" * 10_000 + " ?s ?p ?o " + "}" * 10_000,
    "brackets-5000": "SELECT * WHERE { ?s ?p " + "[ <http://e/p> " * 5000 + "1" + " ]" * 5000 + " }",
    "union-10000": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 10_000) + " }",
    "binds-3000": "SELECT * WHERE { ?s ?p ?o " + "".join(f"BIND(1 AS ?b{i}) " for i in range(3000)) + "}",
    "and-10000": "SELECT * WHERE { ?s ?p ?o FILTER(" + " && ".join(["true"] * 10_000) + ") }",
    "subselect-3000": "SELECT * WHERE " + "{ SELECT * WHERE " * 3000 + "{ ?s ?p ?o }" + " }" * 3000,
    "too-long": "SELECT * WHERE { VALUES ?x { " + " ".join(["1"] * 150_000) + " } }",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_queries_are_refused_with_the_limit_named(name: str) -> None:
    with pytest.raises(QueryError, match=r"at most [\d,]+ (are allowed)"):
        check_query(HOSTILE[name])


@pytest.mark.parametrize("q", catalogue(), ids=lambda q: q.name)
def test_every_canned_query_passes(q) -> None:
    check_query(q.text)


@pytest.mark.parametrize("text", [
    'SELECT * WHERE { ?s ?p "((((((((((" }' + ' # ' + "{" * 500,          # brackets in a string and a comment
    "SELECT * WHERE { ?s <http://e/(((((((((((((((> ?o }",              # and in an IRI
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:SERVICE ?service }",      # a name, not the keyword
    'SELECT * WHERE { VALUES ?x { ' + " ".join(f"<http://e/{i}>" for i in range(5000)) + " } }",  # flat: free
    "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ",".join(["1"] * 5000) + ")) }",
], ids=["string-and-comment", "iri", "prefixed-service", "values-5000", "in-5000"])
def test_what_is_not_nesting_is_not_counted(text: str) -> None:
    check_query(text, allow_service=False)


def test_depth_and_operators_just_inside_the_limits_pass_and_just_outside_fail() -> None:
    limits = QueryLimits(max_length=10_000, max_depth=10, max_operators=20)
    check_query("ASK " + "{" * 10 + "}" * 10, limits)
    with pytest.raises(QueryError, match="11 deep; at most 10"):
        check_query("ASK " + "{" * 11 + "}" * 11, limits)
    check_query("ASK { " + " UNION ".join(["{}"] * 21) + " }", limits)
    with pytest.raises(QueryError, match=r"21 operators .*\(21 of them UNION\)"):
        check_query("ASK { " + " UNION ".join(["{}"] * 22) + " }", limits)
    with pytest.raises(QueryError, match="10,001 characters long"):
        check_query("#" * 10_001, limits)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }",
])
def test_service_is_refused_only_when_asked(text: str) -> None:
    check_query(text)
    with pytest.raises(QueryError, match="SERVICE"):
        check_query(text, allow_service=False)


def test_the_default_limits_are_below_the_crash_and_the_guarded_engine_survives_them() -> None:
    """A query at the very limits runs in pyoxigraph (in a child process, so a crash would show as its exit code)."""
    d = DEFAULT_LIMITS.max_depth
    binds = DEFAULT_LIMITS.max_operators - d // 2 * 2 - 2
    at_limit = ("SELECT * WHERE " + "{ SELECT * WHERE " * (d // 2) + "{ ?s ?p ?o "
                + "".join(f"BIND(1 AS ?b{i}) " for i in range(binds)) + "}" + " }" * (d // 2))
    check_query(at_limit)
    child = ("import sys, pyoxigraph as ox\nlist(ox.Store().query(sys.stdin.read()))\nprint('ok')")
    proc = subprocess.run([sys.executable, "-c", child], input=at_limit, capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout.strip()) == (0, "ok"), proc.stderr[-500:]


def test_one_line_keeps_a_short_message_and_folds_a_long_one() -> None:
    assert one_line("expected [_]") == "expected [_]"
    folded = one_line("expected one of \"(\", ['A' ..= 'Z' | 'a' ..= 'z'\n| '\\u{00F8}'..='\\u{02FF}'], [_]")
    assert folded == 'expected one of "(", a name, [_]'


# --- the command line ---------------------------------------------------------------------------------------------

def _query(store: Path, *args: str) -> tuple[int, str, str]:
    from peelgraph.cli import main

    result = CliRunner().invoke(main, ["--store", str(store), "query", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", ["parens-5000", "braces-10000", "union-10000"])
def test_the_cli_refuses_a_hostile_query_with_one_error_line(built_store: Path, name: str) -> None:
    code, out, err = _query(built_store, "-e", HOSTILE[name])
    assert code == 3
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("Error: query inline: the query ")


def test_the_issue_reproducer_in_a_real_process(built_store: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "peelgraph", "--store", str(built_store), "query", "-e",
                           HOSTILE["parens-5000"]], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    assert proc.stderr == ("Error: query inline: the query nests parentheses, braces and brackets 5002 deep; "
                           "at most 128 are allowed\n")


def test_a_malformed_query_is_one_line(built_store: Path) -> None:
    code, _, err = _query(built_store, "-e", "SELECT * WHERE { ?s ?p ?o FILTER(")
    assert code == 3
    assert err.count("\n") == 1
    assert err.startswith("Error: query inline: line 1, column 34: malformed query: expected one of")
    assert "a name" in err and "u{00F8}" not in err


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1", "1e9", "soon"])
def test_a_timeout_that_is_not_a_time_limit_is_refused(built_store: Path, value: str) -> None:
    code, out, err = _query(built_store, "-e", "ASK {}", "--timeout", value)
    assert code == 2
    assert "Traceback" not in err
    assert f"Invalid value for '--timeout': '{value}' is not a time limit" in err


def test_the_library_refuses_a_bad_time_limit(db) -> None:
    from peelgraph.ask.execute import execute

    for bad in (float("nan"), float("inf"), 0.0, -1.0):
        with pytest.raises(QueryError, match="time limit must be more than 0"):
            execute(db, "ASK {}", timeout=bad)
    assert execute(db, "ASK {}", timeout=0.5) == {"head": {}, "boolean": True}
