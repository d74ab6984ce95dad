"""The database layer: every hand-written SQL statement of Kinerja lives here.

Each module is named for what it holds (``rollup``, ``ratelimit``, ``bulk``, ``imports``,
``results``, ``locks``, ``unitlocks``, ``formcache``, ``sqlite``, ``options``, ``loading``, ``generator``,
``duck``, ``integrity``, ``tamper``, ``peek``, ``scratch``, ``routing``, ``stale``) and exposes a small typed API. Every hand-written statement
has an ORM twin beside it (``<name>_orm``: the same operation in plain Django ORM) and a contract
test in ``kinerja/db/tests/`` that runs both on the same data on SQLite and on PostgreSQL;
statements about the engine itself (PRAGMAs, index DDL, ANALYZE, amcheck) have no ORM form, and
their tests check their effect instead. Statements take their database from Django's router (``routing``), so a read replica works;
writes, locking reads and reads right after a write stay on the primary. Nothing outside this
package and the migrations holds SQL (``tests/test_no_sql_elsewhere.py``); see
docs/architecture.md#fast-paths.
"""
