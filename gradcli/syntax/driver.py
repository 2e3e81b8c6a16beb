"""The fast way through a valid program: our own loop over Lark's tables and terminals.

Lark's loop (lexer, postlexer, parser) spends most of its ~25 µs a token in machinery: a
Token built through keyword dispatch, a line counter object, each rule's callback found
by hashing the rule, and a callback call for every `?rule` that only passes its one child
on (four of them a token). This loop runs the same master regex, the same keyword
retyping, the same postlexer (`layout`), the same LALR tables and the same AST callbacks,
with a pass-through rule as a bare state change. It knows only the way through a valid
program: it stops at the first problem, and `grammar.run_parser` then runs Lark's parser,
whose exceptions are worded into the reference messages, so every error stays Lark's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from lark import Lark, Token
from lark.parse_tree_builder import ExpandSingleChild
from lark.parsers.lalr_analysis import Shift

from gradcli.syntax.layout import Layout

# A reduce action: (number of children, the rule's nonterminal, its callback or None for
# a rule that passes its single child on unchanged). A shift action is the next state.
Reduce = tuple[int, str, Callable[[list[Any]], Any] | None]


_NO_TERMINAL = "gd_no_terminal"


class Stop(Exception):
    """The fast loop cannot go on (Lark's parser will say why)."""


class Driver:
    """Lark's analysed grammar, rearranged for a tight loop."""

    def __init__(self, lark: Lark) -> None:
        frontend: Any = lark.parser
        parser = frontend.parser.parser
        table = parser.parse_table
        callbacks = parser.callbacks
        lexer = frontend.lexer.lexer
        scanner = lexer.scanner
        if len(scanner._mres) != 1 or any(isinstance(key, str) for key in callbacks):
            raise Stop("grammar shape not supported by the fast loop")
        master = scanner._mres[0]
        self.regex = re.compile(f"{master.pattern}|(?P<{_NO_TERMINAL}>[\\s\\S])", master.flags)
        self.ignore = frozenset(str(name) for name in lexer.ignore_types)
        self.newline_types = frozenset(str(name) for name in lexer.newline_types)
        # Lark's UnlessCallback: a NAME spelled like a keyword becomes that keyword.
        self.retype: dict[str, dict[str, str]] = {}
        for kind, callback in lexer.callback.items():
            words = callback.scanner.terminals
            if any(t.pattern.type != "str" or t.pattern.flags for t in words):
                raise Stop(f"terminal callback on {kind} not supported by the fast loop")
            self.retype[str(kind)] = {str(t.pattern.value): str(t.name) for t in words}
        self.start_states = {str(name): state for name, state in table.start_states.items()}
        self.end_states = {str(name): state for name, state in table.end_states.items()}
        # (state below, top state, next terminal) -> the top state after pass-throughs.
        self.chains: dict[tuple[int, int, str], int] = {}
        reduces: dict[Any, Reduce] = {}
        self.states: dict[int, dict[str, int | Reduce]] = {}
        for state, row in table.states.items():
            actions: dict[str, int | Reduce] = {}
            for symbol, (action, arg) in row.items():
                # Lark's names may be Tokens, whose == is Python code: plain strings.
                symbol = str(symbol)
                if action is Shift:
                    actions[symbol] = arg
                    continue
                reduce = reduces.get(arg)
                if reduce is None:
                    size = len(arg.expansion)
                    callback = callbacks[arg]
                    passes = size == 1 and type(callback) is ExpandSingleChild
                    reduce = reduces[arg] = (size, str(arg.origin.name),
                                             None if passes else callback)
                actions[symbol] = reduce
            self.states[state] = actions

    def _chain(self, below: int, top: int, kind: str) -> int:
        """The state after every pass-through reduction that `kind` triggers on top of
        `below` (each replaces the top state, so `below` stays)."""
        while True:
            action = self.states[top][kind]
            if action.__class__ is int or action[2] is not None:
                return top
            top = self.states[below][action[1]]

    def tokens(self, text: str) -> Iterator[Token]:
        """Lark's basic lexer, token for token: same types, values and positions."""
        ignore, newline_types, retype = self.ignore, self.newline_types, self.retype
        new = str.__new__
        line, line_start = 1, 0
        # The master regex ends in a one-character alternative, so the matches tile the
        # text and a character no terminal takes shows up as that alternative.
        for m in self.regex.finditer(text):
            kind = m.lastgroup
            if kind == _NO_TERMINAL:
                raise Stop("no terminal matches")
            value = m.group()
            pos, after = m.span()
            start_line, column = line, pos - line_start + 1
            if kind in newline_types:
                newlines = value.count("\n")
                if newlines:
                    line += newlines
                    line_start = pos + value.rindex("\n") + 1
            if kind not in ignore:
                if kind in retype:
                    kind = retype[kind].get(value, kind)
                tok: Any = new(Token, value)
                tok.type = kind
                tok.start_pos = pos
                tok.value = value
                tok.line = start_line
                tok.column = column
                tok.end_line = line
                tok.end_column = after - line_start + 1
                tok.end_pos = after
                yield tok

    def parse(self, text: str, start: str) -> Any:
        """The value of the start rule; raises (anything) where Lark's parser would fail.

        The parse's ParseContext must be on top of `active_contexts()`, as for Lark's."""
        states, chains = self.states, self.chains
        stack = [self.start_states[start]]
        values: list[Any] = []
        push, push_value = stack.append, values.append
        for tok in Layout().process(self.tokens(text)):
            kind = tok.type
            while True:
                action = states[stack[-1]][kind]
                if action.__class__ is int:
                    push(action)
                    push_value(tok)
                    break
                size, origin, callback = action
                if callback is None:  # passes its child on: go straight to the chain's end
                    key = (stack[-2], stack[-1], kind)
                    top = chains.get(key)
                    if top is None:
                        top = chains[key] = self._chain(stack[-2], stack[-1], kind)
                    stack[-1] = top
                    continue
                if size:
                    children = values[-size:]
                    del values[-size:]
                    del stack[-size:]
                else:
                    children = []
                push_value(callback(children))
                push(states[stack[-1]][origin])
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
