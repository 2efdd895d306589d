"""Typed errors with messages a user can act on; the CLI maps them to exit codes."""

from __future__ import annotations


class DkgError(Exception):
    """Base of the project's errors. ``exit_code`` is what the CLI exits with."""

    exit_code = 2


class InputError(DkgError):
    """An input file cannot be used: it names the file and the problem."""

    def __init__(self, path: object, problem: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem}")
        self.path = str(path)
        self.problem = problem
        self.line = line


class QueryError(DkgError):
    """A query name, file, parameter or value is wrong."""


class StoreError(DkgError):
    """The store cannot be opened or written."""
