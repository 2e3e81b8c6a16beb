"""The fast way through a valid program: our own loop over Lark's tables and terminals.

Lark's loop (lexer, postlexer, parser) spends most of its ~25 µs a token in machinery: a
Token built through keyword dispatch, a line counter object, each rule's callback found
by hashing the rule, and a callback call for every `?rule` that only passes its one child
on (four of them a token). One loop here does the lexer's, the postlexer's (`layout`)
and the parser's work token by token: Lark's terminals (its master regex, rearranged to
match faster, same matches), the same keyword retyping, the same INDENT/DEDENT and
bracket rules, the same LALR tables and the same AST callbacks (Lark's child filters
redone without their machinery), with a pass-through rule as a bare state change. It
knows only the way through a valid program: it stops at the first problem (or at a
non-ASCII name, which the postlexer normalises), and `grammar.run_parser` then runs
Lark's parser, whose exceptions are worded into the reference messages, so every error
stays Lark's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from gradcli.syntax.builder import Builder
from gradcli.syntax.context import Token, active_contexts, nesting_limit
from gradcli.syntax.layout import (
    CLOSING,
    MAX_INDENT_LEVELS,
    OPENING,
    SOFT_KEYWORDS,
    UNSUPPORTED_KEYWORDS,
    indentation,
    soft_keyword,
)

# A reduce action: (number of children, the rule's nonterminal, its callback or None for
# a rule that passes its single child on unchanged). A shift action is the next state.
Reduce = tuple[int, str, Callable[[list[Any]], Any] | None]


_NO_TERMINAL = "gd_no_terminal"
_BLANKS = "[\t \x0c]"  # what Python's tokenizer skips between tokens


# What the loop does with a token kind besides making a token of it (nothing if absent).
_SKIP, _LINES, _OPEN, _CLOSE, _NAME, _LINE_BREAK, _STOP = (object() for _ in range(7))


class Stop(Exception):
    """The fast loop cannot go on (Lark's parser will say why)."""


# ------------------------------------------------------------------ the tables
#
# What the loop needs of Lark's analysed grammar, as plain data (JSON, cached on disk by
# grammar.py, so a parse needs no Lark): the lexer's terminals in order as [name, regex],
# the regex flags, the ignored and newline-holding terminal kinds, the keywords a NAME
# becomes, the start and end states, and per state {terminal or nonterminal: action}, an
# action being a state to shift to (>= 0) or -1 - i for reduction i of `reduces`, each
# [number of children, nonterminal, callback]. A callback is described, not pickled:
# None (passes its one child on), ["method", name] (a Builder method), ["inline"] (a
# helper rule Lark inlines: its children as a list), ["single", callback] (the child
# alone if there is one, else the callback) or ["filter", [[child, spliced, Nones
# before], ...], Nones at the end, callback] (Lark's ChildFilterLALR).


def tables_from_lark(lark: Any) -> dict[str, Any]:
    """The loop's tables, read from a Lark parser (raises Stop on a shape it does not know)."""
    from functools import partial

    from lark import Tree
    from lark.parse_tree_builder import (
        ChildFilterLALR,
        ChildFilterLALR_NoPlaceholders,
        ExpandSingleChild,
    )
    from lark.parsers.lalr_analysis import Shift

    frontend = lark.parser
    parser = frontend.parser.parser
    table = parser.parse_table
    callbacks = parser.callbacks
    lexer = frontend.lexer.lexer
    scanner = lexer.scanner
    if len(scanner._mres) != 1 or any(isinstance(key, str) for key in callbacks):
        raise Stop("grammar shape not supported by the fast loop")
    ignore = sorted(str(name) for name in lexer.ignore_types)
    # Lark's UnlessCallback: a NAME spelled like a keyword becomes that keyword.
    retype: dict[str, dict[str, str]] = {}
    for kind, callback in lexer.callback.items():
        words = callback.scanner.terminals
        if any(t.pattern.type != "str" or t.pattern.flags for t in words):
            raise Stop(f"terminal callback on {kind} not supported by the fast loop")
        retype[str(kind)] = {str(t.pattern.value): str(t.name) for t in words}
    keywords = retype.pop("NAME", {})
    blanks = [t for t in lexer.terminals if t.name in ignore
              and t.pattern.to_regexp() == _BLANKS + "+"]
    alternatives = [[str(t.name), t.pattern.to_regexp()] for t in scanner.terminals]
    if retype or not blanks or scanner._mres[0].pattern != "|".join(
            f"(?P<{name}>{pattern})" for name, pattern in alternatives):
        raise Stop("lexer shape not supported by the fast loop")
    methods = {function: name for name, function in vars(Builder).items() if callable(function)}

    def describe(callback: Any) -> Any:
        kind = type(callback)
        if kind is partial and callback.func is Tree and not callback.keywords \
                and len(callback.args) == 1 and str(callback.args[0]).startswith("_"):
            return ["inline"]
        if kind is ExpandSingleChild:
            return ["single", describe(callback.node_builder)]
        if kind is ChildFilterLALR_NoPlaceholders:
            plan = [[i, bool(expand), 0] for i, expand in callback.to_include]
            return ["filter", plan, 0, describe(callback.node_builder)]
        if kind is ChildFilterLALR:
            plan = [[i, bool(expand), nones] for i, expand, nones in callback.to_include]
            return ["filter", plan, callback.append_none, describe(callback.node_builder)]
        function = getattr(callback, "__func__", None)
        if isinstance(getattr(callback, "__self__", None), Builder) and function in methods:
            return ["method", methods[function]]
        raise Stop(f"callback {callback!r} not known to the fast loop")

    reduces: dict[Any, int] = {}
    described: list[list[Any]] = []
    states: dict[str, dict[str, int]] = {}
    for state, row in table.states.items():
        actions: dict[str, int] = {}
        for symbol, (action, arg) in row.items():
            if action is Shift:
                actions[str(symbol)] = arg
                continue
            if arg not in reduces:
                callback = callbacks[arg]
                # Rules that only pass their one child on need no callback.
                passes = len(arg.expansion) == 1 and type(callback) is ExpandSingleChild
                reduces[arg] = len(described)
                described.append([len(arg.expansion), str(arg.origin.name),
                                  None if passes else describe(callback)])
            actions[str(symbol)] = -1 - reduces[arg]
        states[str(state)] = actions
    return {
        "alternatives": alternatives, "flags": scanner._mres[0].flags,
        "ignore": ignore, "newline_types": sorted(str(name) for name in lexer.newline_types),
        "keywords": keywords,
        "start_states": {str(k): v for k, v in table.start_states.items()},
        "end_states": {str(k): v for k, v in table.end_states.items()},
        "reduces": described, "states": states,
    }


def _inline(children: list[Any]) -> list[Any]:
    return children


def _callback(spec: Any, builder: Builder) -> Callable[[list[Any]], Any]:
    """A described callback (see the tables), made: the same children reach the same
    Builder method as through Lark's callback, without its machinery."""
    kind = spec[0]
    if kind == "method":
        method: Callable[[list[Any]], Any] = getattr(builder, spec[1])
        return method
    if kind == "inline":
        return _inline
    if kind == "single":
        inner = _callback(spec[1], builder)
        return lambda children: children[0] if len(children) == 1 else inner(children)
    if kind == "filter":
        plan = [(int(i), bool(expand), int(nones)) for i, expand, nones in spec[1]]
        return _child_filter(plan, int(spec[2]), _callback(spec[3], builder))
    raise Stop(f"unknown callback {kind!r}")


def _child_filter(plan: list[tuple[int, bool, int]], tail: int,
                  build: Callable[[list[Any]], Any]) -> Callable[[list[Any]], Any]:
    """Lark's ChildFilterLALR: the children with inlined helper rules spliced in and a
    None for each absent optional part (`[x]`, before child i and `tail` at the end)."""
    if [i for i, _, _ in plan] != list(range(len(plan))):
        raise Stop("a child filter that drops children")  # keep_all_tokens keeps them all
    if not any(expand for _, expand, _ in plan):
        gaps = [(i, [None] * nones) for i, _, nones in reversed(plan) if nones]
        ending = [None] * tail

        def fill(children: list[Any]) -> Any:
            for i, nones in gaps:  # last first, so the indices stay right
                children[i:i] = nones
            children += ending
            return build(children)

        return fill

    expanded = [i for i, expand, _ in plan if expand]
    if len(expanded) == 1 and not tail and not any(nones for _, _, nones in plan):
        (at,) = expanded
        if at == 0:

            def grow(children: list[Any]) -> Any:  # a left-recursive list grows in place
                out = children[0]
                out += children[1:]
                return build(out)

            return grow

        def insert(children: list[Any]) -> Any:
            out = children[:at]
            out += children[at]
            out += children[at + 1:]
            return build(out)

        return insert

    def splice(children: list[Any]) -> Any:
        out: list[Any] = []
        for i, expand, nones in plan:
            if nones:
                out += [None] * nones
            if not expand:
                out.append(children[i])
            elif out:
                out += children[i]
            else:  # a left-recursive list grows in place, as in Lark
                out = children[i]
        if tail:
            out += [None] * tail
        return build(out)

    return splice


def _blocks(newline: Any, column: int, indents: list[tuple[int, int]], limit: int
            ) -> list[Any]:
    """layout.indentation's tokens for a line indented by `column` spaces when every open
    block is indented with spaces alone (its errors stop the loop)."""
    line, start = newline.end_line, newline.end_column
    if column > indents[-1][0]:
        if len(indents) > min(MAX_INDENT_LEVELS, limit):
            raise Stop("too many indented blocks")
        indents.append((column, column))
        return [_marker("_INDENT", " " * column, line, start)]
    levels = len(indents)
    while column < indents[levels - 1][0]:
        levels -= 1
    if column != indents[levels - 1][0]:
        raise Stop("unindent does not match any outer indentation level")
    dedents = [_marker("_DEDENT", "", line, start) for _ in range(len(indents) - levels)]
    del indents[levels:]
    return dedents


def _marker(kind: str, value: str, line: int, column: int) -> Any:
    """An INDENT or DEDENT token, as layout makes them (zero width, at `column`)."""
    tok: Any = str.__new__(Token, value)
    tok.type = kind
    tok.value = value
    tok.start_pos = tok.end_pos = 0
    tok.line = tok.end_line = line
    tok.column = tok.end_column = column
    return tok


class Driver:
    """The loop's tables (see `tables_from_lark`), made ready for a tight loop."""

    def __init__(self, tables: dict[str, Any], builder: Builder) -> None:
        alternatives = [(str(name), str(pattern)) for name, pattern in tables["alternatives"]]
        self.ignore = frozenset(map(str, tables["ignore"]))
        self.newline_types = frozenset(map(str, tables["newline_types"]))
        self.keywords = {str(k): str(v) for k, v in tables["keywords"].items()}
        # Lark's master regex, the alternatives in the same order, but (1) blanks before a
        # token are part of its match (group 1; no terminal starts with one), so a token is
        # one match, not two; (2) each alternative is named by an empty group at its END,
        # so it starts with its own first character and the regex engine skips it at once
        # when that character does not match (a group first defeats that: 2x slower);
        # (3) a last alternative takes any one character, so the matches tile the text and
        # a character no terminal takes shows up as it.
        self.regex = re.compile(
            f"({_BLANKS}*)(?:"
            + "".join(f"(?:{pattern})(?P<{name}>)|" for name, pattern in alternatives)
            + f"[\\s\\S](?P<{_NO_TERMINAL}>))", int(tables["flags"]))
        # Group number -> terminal, and what the loop does beyond making a token of a kind.
        self.kinds = [""] * (self.regex.groups + 1)
        for name, group in self.regex.groupindex.items():
            self.kinds[group] = name
        self.special: dict[str, object] = {kind: _SKIP for kind in self.ignore}
        self.special.update({kind: _LINES for kind in self.newline_types - self.ignore})
        self.special.update({kind: _OPEN for kind in OPENING})
        self.special.update({kind: _CLOSE for kind in CLOSING})
        self.special.update({"NAME": _NAME, "_NEWLINE": _LINE_BREAK, _NO_TERMINAL: _STOP})
        self.start_states = {str(k): int(v) for k, v in tables["start_states"].items()}
        self.end_states = {str(k): int(v) for k, v in tables["end_states"].items()}
        # (state below, top state, next terminal) -> the top state after pass-throughs.
        self.chains: dict[tuple[int, int, str], int] = {}
        # (state below, reduced nonterminal, next terminal) -> the state after the goto
        # and every pass-through it leads to.
        self.gotos: dict[tuple[int, str, str], int] = {}
        reduces: list[Reduce] = [
            (int(size), str(origin), None if spec is None else _callback(spec, builder))
            for size, origin, spec in tables["reduces"]]
        self.states: dict[int, dict[str, int | Reduce]] = {
            int(state): {str(symbol): action if action >= 0 else reduces[-1 - action]
                         for symbol, action in row.items()}
            for state, row in tables["states"].items()}
        if any(isinstance(action, int) and action not in self.states
               for row in self.states.values() for action in row.values()):
            raise Stop("a shift to no state")

    def _indented_start(self, text: str) -> bool:
        """Whether a program's first token is indented (the postlexer's "unexpected
        indent"); a line break first (blank or comment lines) is not."""
        for m in self.regex.finditer(text):
            kind = self.kinds[m.lastindex or 0]
            if kind not in self.ignore:
                start = m.end(1)
                return kind != "_NEWLINE" and start - text.rfind("\n", 0, start) > 1
        return False

    def _tokens(self, text: str, pos: int) -> Any:
        """(kind, value) of the tokens from `pos` on (the soft keywords' look-ahead)."""
        for m in self.regex.finditer(text, pos):
            kind = self.kinds[m.lastindex or 0]
            if kind not in self.ignore:
                yield kind, text[m.end(1):m.end()]

    def _chain(self, below: int, top: int, kind: str) -> int:
        """The state after every pass-through reduction that `kind` triggers on top of
        `below` (each replaces the top state, so `below` stays)."""
        while True:
            action = self.states[top][kind]
            if action.__class__ is int or action[2] is not None:
                return top
            top = self.states[below][action[1]]

    def parse(self, text: str, start: str) -> Any:
        """The value of the start rule; raises (anything) where Lark's parser would fail.

        The parse's ParseContext must be on top of `active_contexts()`, as for Lark's.
        One loop does what Lark's lexer, `layout`'s postlexer and Lark's parser do in
        turn, token for token, with the same Tokens (types, values, lines and columns)."""
        ctx = active_contexts()[-1]
        states, chains, gotos, keywords = self.states, self.chains, self.gotos, self.keywords
        newline_types = self.newline_types
        in_module = ctx.mode == "module"
        limit = nesting_limit()
        state = self.start_states[start]  # the top of the stack
        stack = [state]
        values: list[Any] = []
        push, push_value = stack.append, values.append
        brackets: list[str] = []  # the open brackets' types
        indents = [(0, 0)]  # as layout's: (column with tabs to multiples of 8, tabs as 1)
        indent = ""  # the current line's indentation, whose measure is indents[-1]
        spaces = True  # every open block indented with spaces alone
        # An f-string field's tokens sit where the field is in the file.
        line, line_start = 1 + ctx.line_offset, -ctx.column_offset
        new = str.__new__
        kinds, special = self.kinds, self.special
        if in_module and self._indented_start(text):
            raise Stop("unexpected indent")
        # The regex skips blanks before a token, so every match is a token; its end
        # alternative takes one character no terminal takes.
        for m in self.regex.finditer(text):
            kind = kinds[m.lastindex]
            pos, after = m.end(1), m.end()
            value = text[pos:after]
            start_line, column = line, pos - line_start + 1
            what = special.get(kind)
            if what is not None:  # the lexer's and the postlexer's (layout.py) special cases
                if kind in newline_types and "\n" in value:
                    line += value.count("\n")
                    line_start = pos + value.rindex("\n") + 1
                if what is _NAME:
                    kind = keywords.get(value, kind)
                    if kind == "NAME" and (not value.isascii() or value in UNSUPPORTED_KEYWORDS):
                        raise Stop("a name the postlexer words or rewrites")
                    # `match`/`case` where the statement may start (the state takes it)
                    # and the line reads as that statement (layout.soft_keyword).
                    soft = SOFT_KEYWORDS.get(value)
                    if soft is not None and soft in states[state] and \
                            soft_keyword(value, self._tokens(text, after)):
                        kind = soft
                elif what is _SKIP:
                    continue
                elif what is _OPEN:
                    brackets.append(kind)
                    if len(brackets) > limit:
                        raise Stop("too many open brackets")
                elif what is _CLOSE:
                    if not brackets or brackets.pop() != CLOSING[kind]:
                        raise Stop("unmatched bracket")
                elif what is _LINE_BREAK:
                    if brackets or not in_module:
                        continue  # implicit line joining; expressions ignore line breaks
                elif what is _STOP:
                    raise Stop("no terminal matches")
            tok: Any = new(Token, value)  # start_pos and end_pos unset: nothing reads them
            tok.type = kind
            tok.value = value
            tok.line = start_line
            tok.column = column
            tok.end_line = line
            tok.end_column = after - line_start + 1
            feed: Any = (tok,)
            if what is _LINE_BREAK:
                now = value[value.rfind("\n") + 1:]
                if now != indent:  # INDENT or DEDENT tokens (errors stop the loop)
                    if spaces and not now.strip(" "):
                        feed = (tok, *_blocks(tok, len(now), indents, limit))
                    else:
                        feed = (tok, *indentation(tok, indents))
                        spaces = spaces and not now.strip(" ")
                    indent = now
            for tok in feed:
                kind = tok.type
                while True:
                    action = states[state][kind]
                    if action.__class__ is int:
                        state = action
                        push(action)
                        push_value(tok)
                        break
                    size, origin, callback = action
                    if callback is None:  # passes its child on: straight to the chain's end
                        key = (stack[-2], state, kind)
                        top = chains.get(key)
                        if top is None:
                            top = chains[key] = self._chain(stack[-2], state, kind)
                        state = stack[-1] = top
                        continue
                    if size:
                        children = values[-size:]
                        del values[-size:]
                        del stack[-size:]
                    else:
                        children = []
                    push_value(callback(children))
                    key = (stack[-1], origin, kind)
                    state = gotos.get(key)
                    if state is None:
                        state = gotos[key] = self._chain(stack[-1], states[stack[-1]][origin], kind)
                    push(state)
        if len(indents) > 1:
            # Blocks still open: the text's last newline was a backslash's (an error).
            raise Stop("open blocks at the end")
        end = self.end_states[start]
        while True:
            action = states[stack[-1]]["$END"]
            if action.__class__ is int:
                raise Stop("shift at the end of input")
            size, origin, callback = action
            if callback is None:
                stack[-1] = states[stack[-2]][origin]
            else:
                if size:
                    children = values[-size:]
                    del values[-size:]
                    del stack[-size:]
                else:
                    children = []
                push_value(callback(children))
                push(states[stack[-1]][origin])
            if stack[-1] == end:
                return values[-1]
