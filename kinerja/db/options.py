"""What every new database connection runs: read by settings.py, so it imports nothing.

SQLite: WAL lets readers run during a write; synchronous=FULL syncs the WAL at every commit, so
an answer the server acknowledged survives a power cut too, as PostgreSQL's commits do (NORMAL
keeps it only through a crash of the server process; measured: ~0.2 ms of disk wait per commit,
no CPU). A statement about the engine, not rows: it has no ORM twin.
"""

SQLITE_INIT_COMMAND = (
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
)
