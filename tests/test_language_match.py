"""`match` statements (soft keywords `match`/`case`, every pattern kind, guards, `|`,
`as`), compiled by the builder into gd's own statements (gradcli/syntax/patterns.py):
programs compared with CPython's output, Python's syntax and type errors, both parsers
(the fast loop and Lark's) agreeing, and the sandbox around class patterns."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_language_forms import gd_error, gd_output, same_as_python
from test_sandbox_forms import outcome

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ["match_forms.gd", "match_soft_keywords.gd"]


@pytest.mark.parametrize("name", PROGRAMS)
def test_match_programs_print_what_python_prints(name: str) -> None:
    program = (ROOT / "tests" / "programs" / name).read_text(encoding="utf-8")
    got = same_as_python(program)
    assert got.count("\n") > 10


@pytest.mark.parametrize("name", PROGRAMS)
def test_larks_parser_reads_match_as_the_fast_loop_does(name: str) -> None:
    program = (ROOT / "tests" / "programs" / name).read_text(encoding="utf-8")
    # A non-ASCII name stops the fast loop: Lark's parser and the postlexer take over.
    assert gd_output("é = 1\n" + program) == gd_output(program)


def test_soft_keywords_stay_names() -> None:
    same_as_python(
        "match = [1, 2]\ncase = {1: 2}\nmatch[0] = case[1]\nprint(match)\n"
        "match: int = 3\ncase = lambda: 0\nprint(match, case())\n"
        "def f(match, case=1):\n    return match(case)\nprint(f(str))\n"
        "class A:\n    match = 1\n    def case(self):\n        return self.match\n"
        "print(A().case(), [match for match in range(3)])\n")


def test_subject_tuple_one_line_bodies_and_comments() -> None:
    same_as_python(
        "def f(a, b):\n"
        "    match a, b:  # both\n"
        "        case (0, _): return 'a zero'\n"
        "        case (_, 0): return 'b zero'\n"
        "        case (x, y) if x == y: return 'same'\n"
        "        case _: return 'other'\n"
        "print(f(0, 1), f(1, 0), f(2, 2), f(1, 2))\n")


def test_value_patterns_and_dataclass_positional_patterns() -> None:
    same_as_python(
        "from dataclasses import dataclass\n"
        "class Mode:\n    TRAIN = 'train'\n    EVAL = 'eval'\n"
        "@dataclass\nclass Step:\n    mode: str\n    n: int = 0\n"
        "for s in [Step('train', 3), Step('eval'), Step('test', 1)]:\n"
        "    match s:\n"
        "        case Step(Mode.TRAIN, n):\n            print('train', n)\n"
        "        case Step(Mode.EVAL):\n            print('eval')\n"
        "        case Step(mode=m, n=1):\n            print('other one', m)\n")


def test_match_on_tensors_and_their_items() -> None:
    same_as_python(
        "import torch\n"
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "match x.shape:\n    case (n,):\n        print('vector', n)\n"
        "match x:\n    case torch.Tensor(requires_grad=True):\n        print('leaf')\n"
        "match (x * 2).sum().item():\n    case 6.0:\n        print('six')\n")


@pytest.mark.parametrize(("program", "message"), [
    ("match 1:\n    case y:\n        pass\n    case 1:\n        pass\n",
     "name capture 'y' makes remaining patterns unreachable"),
    ("match 1:\n    case _:\n        pass\n    case 1:\n        pass\n",
     "wildcard makes remaining patterns unreachable"),
    ("match 1:\n    case [a, *b, *c]:\n        pass\n",
     "multiple starred names in sequence pattern"),
    ("match 1:\n    case a | [a, b]:\n        pass\n",
     "name capture 'a' makes remaining patterns unreachable"),
    ("match 1:\n    case [a] | (b,):\n        pass\n",
     "alternative patterns bind different names"),
    ("match 1:\n    case [a, a]:\n        pass\n",
     "multiple assignments to name 'a' in pattern"),
    ("match 1:\n    case f'x':\n        pass\n",
     "patterns may only match literals and attribute lookups"),
])
def test_pythons_syntax_errors(program: str, message: str) -> None:
    code, got, _ = gd_error(program)
    assert (code, got) == (3, message)
    with pytest.raises(SyntaxError, match=message.split(" '")[0]):
        compile(program, "p.py", "exec")


@pytest.mark.parametrize(("program", "message"), [
    ("match 3:\n    case len():\n        pass\n", "called match pattern must be a type"),
    ("match 3:\n    case int(1, 2):\n        pass\n",
     "int() accepts 1 positional sub-pattern (2 given)"),
    ("class Q:\n    pass\nmatch Q():\n    case Q(1):\n        pass\n",
     "Q() accepts 0 positional sub-patterns (1 given)"),
    ("class P:\n    __match_args__ = ('x',)\n    x = 1\nmatch P():\n    case P(1, x=2):\n"
     "        pass\n", "P() got multiple sub-patterns for attribute 'x'"),
])
def test_pythons_type_errors_are_catchable(program: str, message: str) -> None:
    body = "".join("    " + line + "\n" for line in program.splitlines())
    program = f"try:\n{body}except TypeError as e:\n    print('TypeError', e)\n"
    assert same_as_python(program) == f"TypeError {message}\n"


@pytest.mark.parametrize(("program", "code", "printed"), [
    # an instance's __class__ is its gd class, as `c.__class__` gives; nothing beyond
    ("match c:\n    case C(__class__=k):\n        print(k)\n", 0, "<class '__main__.C'>\n"),
    ("match c:\n    case C(__class__=k):\n        print(k.__dict__)\n", 4, ""),
    # its __dict__ is vars(c), as `c.__dict__` gives; nothing beyond
    ("match c:\n    case C(__dict__=k):\n        print(k)\n", 0, "{'v': 2}\n"),
    ("match c:\n    case C(__dict__=k):\n        print(k.__class__.__dict__)\n", 4, ""),
    ("match c:\n    case C(__init__=k):\n        print(k)\n", 4, ""),
    # gradcli's own fields of a gd object are not attributes: no match
    ("match c:\n    case object(attrs=k):\n        print(k)\n", 0, ""),
    ("match C:\n    case object(attrs=k) | object(fn=k):\n        print(k)\n", 0, ""),
    ("x = match$seq\n", 3, ""),
])
def test_class_patterns_read_only_what_the_dot_reads(program: str, code: int,
                                                     printed: str) -> None:
    got, message, out = outcome(program)
    assert (got, out) == (code, printed), message


def test_star_patterns_are_bounded_and_try_cannot_swallow_it() -> None:
    code, message, out = outcome(
        "try:\n    match range(10**12):\n        case [a, *rest]:\n            print(a)\n"
        "except Exception:\n    print('swallowed')\n")
    assert code == 4 and "limit" in message and "swallowed" not in out, message


def test_the_hidden_names_are_no_variables_inputs_or_results() -> None:
    from gradcli.app import AppOptions, run
    from gradcli.source import Source

    res = run(Source("p.gd", "x = [1]\nmatch x:\n    case [a]:\n        b = a\n"
                     "    case n:\n        pass\n"), AppOptions())
    assert not any("$" in k for k in res.variables)
    assert "$" not in (res.name or "") and (res.variables["a"], res.variables["b"]) == (1, 1)
