"""argparse in gd prints what Python's argparse prints, byte for byte: help and usage text
(80 columns, whatever the terminal), subcommands, parse results, and the usage and error
text of a failed parse on standard error."""

from __future__ import annotations

import contextlib
import io
import sys

import pytest
from pyrun import gd_output

from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.source import Source


def python_run(text: str) -> tuple[str, str, int | None]:
    """stdout, stderr and the SystemExit code of the program under Python."""
    out, err = io.StringIO(), io.StringIO()
    code = None
    argv = sys.argv
    sys.argv = ["p.py"]  # the prog argparse names, as gd's for Source("p.py")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            exec(compile(text, "p.py", "exec"), {})
        except SystemExit as e:
            code = e.code
        finally:
            sys.argv = argv
    return out.getvalue(), err.getvalue(), code


def gd_run(text: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, str, GdError | None]:
    capsys.readouterr()
    buf = io.StringIO()
    error = None
    try:
        run(Source("p.py", text), AppOptions(write=buf.write))
    except GdError as e:
        error = e
    return buf.getvalue(), capsys.readouterr().err, error


_MNIST = """\
import argparse
parser = argparse.ArgumentParser(description='PyTorch MNIST Example')
parser.add_argument('--batch-size', type=int, default=64, metavar='N',
                    help='input batch size for training (default: 64)')
parser.add_argument('--epochs', type=int, default=14, metavar='N',
                    help='number of epochs to train (default: 14)')
parser.add_argument('--lr', type=float, default=1.0, metavar='LR',
                    help='learning rate (default: 1.0)')
parser.add_argument('--no-cuda', action='store_true', default=False,
                    help='disables CUDA training')
parser.add_argument('--seed', type=int, default=1, metavar='S',
                    help='random seed (default: 1)')
parser.add_argument('--log-interval', type=int, default=10, metavar='N',
                    help='how many batches to wait before logging training status')
"""

PROGRAMS = [
    ("mnist_help", _MNIST + """\
parser.print_help()
print(parser.format_usage(), end='')
parser.print_usage()
print(parser.parse_args(['--lr', '0.5', '--epochs=3']))
print(parser)
"""),
    ("subcommands", """\
import argparse
def train(args):
    print('train', args.lr)
def evaluate(args):
    print('eval', args.ckpt)
parser = argparse.ArgumentParser(prog='tool')
sub = parser.add_subparsers(dest='command', required=True)
p_train = sub.add_parser('train', help='train a model')
p_train.add_argument('--lr', type=float, default=0.1)
p_train.set_defaults(func=train)
p_eval = sub.add_parser('eval', aliases=['ev'], help='evaluate')
p_eval.add_argument('ckpt')
p_eval.set_defaults(func=evaluate)
args = parser.parse_args(['train', '--lr', '0.01'])
print(args.command)
args.func(args)
parser.parse_args(['ev', 'model.pt']).func(parser.parse_args(['eval', 'm.pt']))
print(parser.format_help())
print(p_train.format_help())
args, rest = parser.parse_known_args(['train', '--foo', 'x'])
print(args.lr, rest)
print(sorted(sub.choices), sub.dest, sub.required)
"""),
    ("formatters_groups_types", """\
import argparse
def str2bool(v):
    if v.lower() in ('yes', 'true', '1'):
        return True
    if v.lower() in ('no', 'false', '0'):
        return False
    raise argparse.ArgumentTypeError('Boolean value expected.')
base = argparse.ArgumentParser(add_help=False)
base.add_argument('--seed', type=int, default=0)
p = argparse.ArgumentParser(prog='p.py', parents=[base], epilog='Example: p.py --lr 1',
    description='A long description that goes over the line width of eighty columns so '
                'that it has to wrap somewhere.',
    formatter_class=argparse.ArgumentDefaultsHelpFormatter)
a = p.add_argument('--pretrained', type=str2bool, nargs='?', const=True, default=False,
                   help='use pretrained')
print(a.dest, a.default, a.type is str2bool, a.option_strings, a.nargs)
p.add_argument('--scale', type=lambda s: float(s) * 2, default='1.5', help='%(default)s x')
p.add_argument('--mode', action='store_const', const='fast', default='slow')
p.add_argument('--tag', action='append', default=[])
p.add_argument('--ext', action='extend', nargs='+', type=int)
p.add_argument('--size', nargs=2, type=int, metavar=('H', 'W'), help='image size')
p.add_argument('--level', choices=range(1, 4), type=int, default=1)
p.add_argument('--version', action='version', version='%(prog)s 1.0')
p.add_argument('--flag', action=argparse.BooleanOptionalAction, default=True, help='a flag')
g = p.add_argument_group('model', 'model options')
g.add_argument('--hidden', type=int, default=128, help='hidden size')
m = p.add_mutually_exclusive_group()
m.add_argument('--fast', action='store_true')
m.add_argument('--slow', action='store_true')
p.print_help()
print(p.parse_args(['--pretrained', '--tag', 'a', '--tag', 'b', '--ext', '1', '2',
                    '--ext', '3', '--size', '3', '4', '--no-flag']))
print(p.parse_args(['--pretrained', 'no', '--mode', '--scale', '2', '--seed', '5']))
p.set_defaults(hidden=10)
print(p.get_default('hidden'), vars(p.parse_args(['--level', '2'])))
q = argparse.ArgumentParser(prog='q', formatter_class=lambda prog: argparse.HelpFormatter(
    prog, max_help_position=40))
q.add_argument('--a-very-long-option-name', help='its help')
q.print_help()
r = argparse.ArgumentParser(prog='r', formatter_class=argparse.RawDescriptionHelpFormatter,
                            description='line one\\n  line two')
r.add_argument('pos', nargs='*')
r.print_help()
print(r.parse_args(['1', '2']))
"""),
    ("namespace_as_scripts_use_it", """\
import argparse, json, copy
p = argparse.ArgumentParser()
p.add_argument('--lr', type=float, default=0.1)
p.add_argument('--layers', type=int, nargs='+', default=[2, 3])
p.add_argument('--name', default='run')
args = p.parse_args([])
print(json.dumps(vars(args), indent=2), args.__dict__)
setattr(args, 'epochs', 5)
print(getattr(args, 'lr'), 'lr' in args, hasattr(args, 'zzz'))
a2 = copy.deepcopy(args)
a2.lr = 1.0
a2.layers.append(4)
a3 = copy.copy(args)
a3.layers.append(5)
print(args, a2, a3, args == a3, args is a3)
for k, v in sorted(vars(args).items()):
    print(f'{k:>10}: {v}')
print(str(args), '%s' % args, argparse.Namespace(**dict(vars(args), lr=3)))
print(p.parse_known_args(['--lr', '2', '--foo=1', 'bar']))
print(p.parse_args('--lr 0.5 --name abc --layers 1'.split()))
"""),
    ("argparse_exceptions", """\
import argparse, sys
p = argparse.ArgumentParser(prog='p')
p.add_argument('--x')
try:
    p.add_argument('--x')
except argparse.ArgumentError as e:
    print(type(e).__name__, e)
for kw in ({'nargs': 0}, {'type': 'int'}, {'action': 'bogus'}):
    try:
        p.add_argument('--y', **kw)
    except ValueError as e:
        print(type(e).__name__, e)
p.print_usage(file=sys.stdout)
p.print_help(sys.stderr)
"""),
]


@pytest.mark.parametrize("text", [t for _, t in PROGRAMS], ids=[n for n, _ in PROGRAMS])
def test_argparse_prints_what_python_prints(text: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    want_out, want_err, code = python_run(text)
    assert code is None
    out, err, error = gd_run(text, capsys)
    assert error is None, error.message
    assert out == want_out
    assert err == want_err


_BAD = """\
import argparse
def positive(x):
    x = int(x)
    if x <= 0:
        raise ValueError('must be positive')
    return x
def str2bool(v):
    if v in ('yes', 'no'):
        return v == 'yes'
    raise argparse.ArgumentTypeError('Boolean value expected.')
p = argparse.ArgumentParser(prog='p.py')
p.add_argument('data')
p.add_argument('--n', type=positive, default=3)
p.add_argument('--b', type=str2bool)
p.add_argument('--size', nargs=2, type=int)
p.add_argument('--level', choices=range(1, 4), type=int, default=1)
p.add_argument('--scale', type=lambda s: float(s))
print('before')
"""


@pytest.mark.parametrize("call, message", [
    ("p.parse_args([])", "the following arguments are required: data"),
    ("p.parse_args(['d', '--n', '-1'])", "argument --n: invalid positive value: '-1'"),
    ("p.parse_args(['d', '--n', 'x'])", "argument --n: invalid positive value: 'x'"),
    ("p.parse_args(['d', '--b', 'maybe'])", "argument --b: Boolean value expected."),
    ("p.parse_args(['d', '--level', '7'])",
     "argument --level: invalid choice: 7 (choose from 1, 2, 3)"),
    ("p.parse_args(['d', '--size', '1'])", "argument --size: expected 2 arguments"),
    ("p.parse_args(['d', '--scale', 'q'])", "argument --scale: invalid <lambda> value: 'q'"),
    ("p.parse_args(['d', 'e'])", "unrecognized arguments: e"),
    ("p.error('bad thing')", "bad thing"),
])
def test_a_failed_parse_prints_pythons_usage_and_error(
        call: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    # Python prints usage and "PROG: error: ..." on stderr and exits 2; gd prints the same
    # and ends the run as a failure the program reported (SPEC 2.3: exit 1).
    text = _BAD + call + "\nprint('after')\n"
    want_out, want_err, code = python_run(text)
    assert code == 2 and want_out == "before\n"
    out, err, error = gd_run(text, capsys)
    assert out == want_out and err == want_err
    assert error is not None and error.exit_code == 1 and error.message == message
    assert want_err.endswith(f"p.py: error: {message}\n")


@pytest.mark.parametrize("args", ["['-h']", "['--version']"])
def test_help_and_version_end_the_run_as_a_success(
        args: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = ("import argparse\np = argparse.ArgumentParser(prog='p')\n"
            "p.add_argument('--version', action='version', version='%(prog)s 1.0')\n"
            f"p.parse_args({args})\nprint('never')\n")
    want_out, want_err, code = python_run(text)
    assert code == 0
    out, err, error = gd_run(text, capsys)
    assert error is None and out == want_out and err == want_err


def test_help_is_80_columns_whatever_the_terminal(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    text = _MNIST + "parser.print_help()\n"
    monkeypatch.setenv("COLUMNS", "80")
    want = python_run(text)[0]
    monkeypatch.setenv("COLUMNS", "200")
    assert gd_run(text, capsys)[0] == want
    assert max(len(line) for line in want.splitlines()) <= 80


def test_the_default_prog_is_the_programs_file_name() -> None:
    text = "import argparse, sys\nprint(argparse.ArgumentParser().prog, sys.argv)"
    assert gd_output(text) == "p.gd ['p.gd']\n"


def test_parse_args_of_no_list_reads_sys_argv() -> None:
    text = ("import argparse, sys\nsys.argv.extend(['--k', '2'])\np = argparse.ArgumentParser()\n"
            "p.add_argument('--k', type=int)\nprint(p.parse_args())")
    assert gd_output(text) == "Namespace(k=2)\n"


def test_a_program_may_set_sys_argv_before_parsing(capsys: pytest.CaptureFixture[str]) -> None:
    # What notebooks do: sys.argv = [...] then parse_args() reads it (prog included).
    text = ("import argparse, sys\nsys.argv = ['train.py', '--lr', '0.5']\n"
            "p = argparse.ArgumentParser()\np.add_argument('--lr', type=float)\n"
            "print(p.parse_args(), p.prog, sys.argv)\nsys.argv += ['x']\nprint(sys.argv)\n")
    want_out, want_err, _ = python_run(text)
    out, err, error = gd_run(text, capsys)
    assert error is None and (out, err) == (want_out, want_err)
    assert gd_output("import sys\nsys.argv = 3") == "GdError sys.argv takes a list of strings in gd"
