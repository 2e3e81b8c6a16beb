"""The gd syntax layer: source text → AST (with spans) and back."""

from gradcli.syntax.parser import parse, parse_expression
from gradcli.syntax.unparse import unparse

__all__ = ["parse", "parse_expression", "unparse"]
