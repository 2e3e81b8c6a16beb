"""The gd interpreter: AST → closures → values on the tape. No rich, no click here."""

from gradcli.interp.runtime import Program, ProgramResult, RunOptions, run_source

__all__ = ["Program", "ProgramResult", "RunOptions", "run_source"]
