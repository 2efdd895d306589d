"""Typed errors with messages a user can act on (the CLI maps them to exit codes), and input warnings."""

from __future__ import annotations

from dataclasses import dataclass


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

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, int | None]]:
        return InputError, (self.path, self.problem, self.line)  # a worker process sends it back


class QueryError(DkgError):
    """A query name, file, parameter or value is wrong."""


class StoreError(DkgError):
    """The store cannot be opened or written."""



@dataclass(frozen=True)
class InputWarning:
    """A problem in an input file that does not stop it being read (broken front matter, an impossible date).

    Names the file and, when known, the line; the article is read with what is usable.
    """

    path: str
    problem: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.problem}"
