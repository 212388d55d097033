"""What every write of scoring runs inside: this process's writer lock and one
database transaction.

One writer at a time in this process (ingest, rescoring, review actions, the
findings' refresh and marks): SQLite needs it, and PostgreSQL's advisory locks
(the repository's `lock_periods`, `lock_units`, `lock_findings`, taken inside the
transaction) order the processes."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine


class UnitOfWork:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.writing = threading.RLock()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """The writer lock, then a transaction committed when the block ends (rolled back on an error)."""
        with self.writing, self.engine.begin() as connection:
            yield connection

    @contextmanager
    def rolled_back(self) -> Iterator[Connection]:
        """The writer lock, then a transaction always rolled back: to compute and compare, never to keep."""
        with self.writing, self.engine.connect() as connection:
            transaction = connection.begin()
            try:
                yield connection
            finally:
                transaction.rollback()
