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
from functools import partial
from typing import Any

from lark import Lark, Token, Tree
from lark.parse_tree_builder import (
    ChildFilterLALR,
    ChildFilterLALR_NoPlaceholders,
    ExpandSingleChild,
)
from lark.parsers.lalr_analysis import Shift

from gradcli.syntax.builder import Builder
from gradcli.syntax.context import active_contexts, nesting_limit
from gradcli.syntax.layout import (
    CLOSING,
    MAX_INDENT_LEVELS,
    OPENING,
    UNSUPPORTED_KEYWORDS,
    indentation,
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


def _inline(children: list[Any]) -> list[Any]:
    return children


def _own_callback(callback: Any) -> Callable[[list[Any]], Any]:
    """Lark's callback for a rule, without its machinery: the same children reach the
    same Builder method. A helper rule Lark inlines into its parent (`x*`, `x+`, `_rule`)
    gives a plain list instead of a Tree, which the parent's filter splices in."""
    kind = type(callback)
    if kind is partial and callback.func is Tree and not callback.keywords \
            and len(callback.args) == 1 and str(callback.args[0]).startswith("_"):
        return _inline
    if kind is ExpandSingleChild:
        inner = _own_callback(callback.node_builder)
        return lambda children: children[0] if len(children) == 1 else inner(children)
    if kind is ChildFilterLALR_NoPlaceholders:
        plan = [(i, expand, 0) for i, expand in callback.to_include]
        return _child_filter(plan, 0, _own_callback(callback.node_builder))
    if kind is ChildFilterLALR:
        return _child_filter(callback.to_include, callback.append_none,
                             _own_callback(callback.node_builder))
    if isinstance(getattr(callback, "__self__", None), Builder):
        return callback  # a Builder method
    raise Stop(f"callback {callback!r} not known to the fast loop")


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
        self.ignore = frozenset(str(name) for name in lexer.ignore_types)
        self.newline_types = frozenset(str(name) for name in lexer.newline_types)
        # Lark's UnlessCallback: a NAME spelled like a keyword becomes that keyword.
        retype: dict[str, dict[str, str]] = {}
        for kind, callback in lexer.callback.items():
            words = callback.scanner.terminals
            if any(t.pattern.type != "str" or t.pattern.flags for t in words):
                raise Stop(f"terminal callback on {kind} not supported by the fast loop")
            retype[str(kind)] = {str(t.pattern.value): str(t.name) for t in words}
        self.keywords = retype.pop("NAME", {})
        blanks = [t for t in lexer.terminals if t.name in self.ignore
                  and t.pattern.to_regexp() == _BLANKS + "+"]
        alternatives = [(t.name, t.pattern.to_regexp()) for t in scanner.terminals]
        if retype or not blanks or master.pattern != "|".join(
                f"(?P<{name}>{pattern})" for name, pattern in alternatives):
            raise Stop("lexer shape not supported by the fast loop")
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
            + f"[\\s\\S](?P<{_NO_TERMINAL}>))", master.flags)
        # Group number -> terminal, and what the loop does beyond making a token of a kind.
        self.kinds = [""] * (self.regex.groups + 1)
        for name, group in self.regex.groupindex.items():
            self.kinds[group] = name
        self.special: dict[str, object] = {kind: _SKIP for kind in self.ignore}
        self.special.update({kind: _LINES for kind in self.newline_types - self.ignore})
        self.special.update({kind: _OPEN for kind in OPENING})
        self.special.update({kind: _CLOSE for kind in CLOSING})
        self.special.update({"NAME": _NAME, "_NEWLINE": _LINE_BREAK, _NO_TERMINAL: _STOP})
        self.start_states = {str(name): state for name, state in table.start_states.items()}
        self.end_states = {str(name): state for name, state in table.end_states.items()}
        # (state below, top state, next terminal) -> the top state after pass-throughs.
        self.chains: dict[tuple[int, int, str], int] = {}
        # (state below, reduced nonterminal, next terminal) -> the state after the goto
        # and every pass-through it leads to.
        self.gotos: dict[tuple[int, str, str], int] = {}
        reduces: dict[Any, Reduce] = {}
        # Rules that only pass their one child on need no callback.
        used = {rule: callback for rule, callback in callbacks.items()
                if not (len(rule.expansion) == 1 and type(callback) is ExpandSingleChild)}
        try:
            own = {rule: _own_callback(callback) for rule, callback in used.items()}
        except Stop:  # a callback shape this loop does not know: Lark's callbacks
            own = used
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
                    reduce = reduces[arg] = (len(arg.expansion), str(arg.origin.name),
                                             own.get(arg))
                actions[symbol] = reduce
            self.states[state] = actions

    def _indented_start(self, text: str) -> bool:
        """Whether a program's first token is indented (the postlexer's "unexpected
        indent"); a line break first (blank or comment lines) is not."""
        for m in self.regex.finditer(text):
            kind = self.kinds[m.lastindex or 0]
            if kind not in self.ignore:
                start = m.end(1)
                return kind != "_NEWLINE" and start - text.rfind("\n", 0, start) > 1
        return False

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
