"""Consistent backups while the app runs: the database and the media files in one tar.gz.

SQLite is copied with its online backup API (a consistent snapshot even while others write);
PostgreSQL with ``pg_dump -Fc`` (one snapshot transaction). The archive holds the database file,
media/… and, last, manifest.json (format, engine, checksums, the audit chain's anchor, the media
files that vanished while the backup ran); ``restore`` checks all of that before it touches
anything, and refuses a database that already has users unless forced.

Evidence files can be deleted while a backup runs (an operator removes an activity): such a file
is skipped and named in the manifest, not a reason to fail the whole backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from kinerja.audit.anchor import Anchor, AnchorError, write_anchor
from kinerja.audit.chain import last_link, write_anchor_now

FORMAT = "kinerja-backup/1"
DB_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
Progress = Callable[[Iterable[Any], int], Iterable[Any]]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and nothing was changed."""


def no_progress(items: Iterable[Any], total: int) -> Iterable[Any]:
    return items


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return env, args


def run_tool(argv: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            f"{argv[0]} is not installed (apt-get install postgresql-client)"
        ) from exc
    if done.returncode != 0:
        raise BackupError(f"{argv[0]} failed: {done.stderr.strip()}")


def dump_database(target: Path) -> None:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)  # one consistent snapshot of every page
        finally:
            copy.close()
    elif connection.vendor == "postgresql":
        env, args = pg_env_and_args()
        name = str(connection.settings_dict["NAME"])
        run_tool(
            ["pg_dump", "-Fc", "--no-owner", "--no-privileges", *args, "-f", str(target), name], env
        )
    else:
        raise BackupError(f"backups of {connection.vendor} databases are not supported")


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def do_backup(archive: Path, progress: Progress = no_progress) -> dict[str, Any]:
    """Write the archive (atomically: a half-written file never carries the final name)."""
    engine = connection.vendor
    if engine not in DB_NAMES:
        raise BackupError(f"backups of {engine} databases are not supported")
    archive = archive.resolve()
    archive.parent.mkdir(parents=True, exist_ok=True)
    # Read before the dump: the chain only grows, so the dump holds at least this entry.
    anchor = last_link()
    with tempfile.TemporaryDirectory(prefix="kinerja-backup-") as tmp:
        db_file = Path(tmp) / DB_NAMES[engine]
        dump_database(db_file)
        files = media_files()
        root = Path(settings.MEDIA_ROOT)
        vanished: list[str] = []
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(db_file, arcname=db_file.name)
            for path in progress(files, len(files)):
                name = path.relative_to(root).as_posix()
                try:
                    tar.add(path, arcname=f"media/{name}")
                except FileNotFoundError:
                    vanished.append(name)  # deleted since it was listed
            manifest = {
                "format": FORMAT,
                "engine": engine,
                "created_at": timezone.now().isoformat(),
                "database": {"file": db_file.name, "sha256": sha256_of(db_file)},
                "media_files": len(files) - len(vanished),
                "vanished_media_files": vanished,
                "audit": (anchor or Anchor(0, "0" * 64)).as_dict(),
            }
            (Path(tmp) / "manifest.json").write_text(
                json.dumps(manifest, indent=2), encoding="utf-8"
            )
            tar.add(Path(tmp) / "manifest.json", arcname="manifest.json")
        partial.replace(archive)
    return manifest


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.extractfile("manifest.json")
    except KeyError as exc:
        raise BackupError("not a Kinerja backup: manifest.json is missing") from exc
    if member is None:
        raise BackupError("not a Kinerja backup: manifest.json is not a file")
    return checked_manifest(member.read())


def checked_manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"not a Kinerja backup: manifest.json is not JSON ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"unknown backup format {found!r} (expected {FORMAT})")
    return manifest


def manifest_of(path: Path) -> dict[str, Any]:
    """The manifest of a backup archive, or a manifest.json taken out of one."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    if path.suffix == ".json":
        return checked_manifest(path.read_bytes())
    try:
        with tarfile.open(path, "r:gz") as tar:
            return read_manifest(tar)
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path}: not a readable tar.gz archive ({exc})") from exc


def database_has_users() -> bool:
    return "auth_user" in connection.introspection.table_names() and User.objects.exists()


def restore_database(engine: str, db_file: Path) -> None:
    connection.ensure_connection()
    if engine == "sqlite":
        source = sqlite3.connect(db_file)
        try:
            source.backup(connection.connection)  # replaces every page of the live database
        finally:
            source.close()
        return
    env, args = pg_env_and_args()
    name = str(connection.settings_dict["NAME"])
    connection.close()  # pg_restore drops and recreates tables our session may hold locks on
    run_tool(
        [
            "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
            "--single-transaction", *args, "-d", name, str(db_file),
        ],
        env,
    )  # fmt: skip


def restore_media(extracted: Path) -> Path | None:
    """Put the archive's media in place; the previous media folder is kept beside it."""
    root = Path(settings.MEDIA_ROOT)
    kept = None
    if root.exists() and any(root.iterdir()):
        kept = root.with_name(f"{root.name}.before-restore-{timezone.now():%Y%m%d%H%M%S}")
        root.rename(kept)
    elif root.exists():
        root.rmdir()
    if extracted.is_dir():
        shutil.move(str(extracted), str(root))
    else:
        root.mkdir(parents=True)
    return kept


def do_restore(archive: Path, force: bool = False) -> dict[str, Any]:
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - closed by the with block below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive}: not a readable tar.gz archive ({exc})") from exc
    with tar, tempfile.TemporaryDirectory(prefix="kinerja-restore-") as tmp:
        manifest = read_manifest(tar)
        engine = manifest["engine"]
        if engine != connection.vendor:
            raise BackupError(
                f"the backup is of a {engine} database; this Kinerja uses {connection.vendor}"
            )
        if not force and database_has_users():
            raise BackupError(
                "the database already holds accounts; restore into a fresh database, "
                "or pass --force to replace everything in it"
            )
        # The "data" filter refuses absolute paths, "..", links and device files.
        tar.extractall(tmp, filter="data")
        db_file = Path(tmp) / manifest["database"]["file"]
        if not db_file.is_file() or sha256_of(db_file) != manifest["database"]["sha256"]:
            raise BackupError("the database file in the archive is missing or damaged")
        restore_database(engine, db_file)
        kept = restore_media(Path(tmp) / "media")
    restore_anchor(manifest)
    manifest["previous_media"] = str(kept) if kept else None
    return manifest


def restore_anchor(manifest: dict[str, Any]) -> None:
    """The anchor file follows the restored database, which may be older than the anchor:
    the count and last hash the backup recorded (a backup made before manifests carried them:
    the restored chain's own)."""
    try:
        write_anchor(Anchor.from_dict(manifest.get("audit"), "the manifest"), force=True)
    except AnchorError:
        write_anchor_now(force=True)
