"""A backup running while evidence files are deleted (an operator removes an activity): the
vanished files are skipped and named, the rest of the backup is whole."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from kinerja.ops import backup


def evidence(settings: Any, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = Path(settings.MEDIA_ROOT) / "community" / "evidence" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\xff\xd8 " + name.encode())
        paths.append(path)
    return paths


def archived(archive: Path) -> tuple[dict[str, Any], set[str]]:
    with tarfile.open(archive) as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        manifest = json.loads(member.read())
        return manifest, set(tar.getnames())


@pytest.mark.django_db(transaction=True)  # a SQLite backup waits for open transactions
def test_it_skips_an_evidence_file_deleted_while_the_backup_runs(settings, tmp_path):
    kept, gone, also_kept = evidence(settings, "a.jpg", "b.jpg", "c.pdf")

    def deleting_as_it_goes(files: Iterable[Path], total: int) -> Iterator[Path]:
        for path in files:
            if path == gone:
                path.unlink()  # deleted after the listing, before the archive reads it
            yield path

    archive = tmp_path / "backup.tar.gz"
    manifest = backup.do_backup(archive, deleting_as_it_goes)
    assert manifest["media_files"] == 2
    assert manifest["vanished_media_files"] == ["community/evidence/b.jpg"]
    stored, names = archived(archive)
    assert stored == manifest
    assert {"media/community/evidence/a.jpg", "media/community/evidence/c.pdf"} <= names
    assert "media/community/evidence/b.jpg" not in names
    assert kept.exists() and also_kept.exists()


@pytest.mark.django_db(transaction=True)
def test_it_says_so_in_the_command_output(settings, tmp_path, monkeypatch):
    (gone,) = evidence(settings, "foto.jpg")
    listing = backup.media_files

    def listed_then_deleted() -> list[Path]:
        files = listing()
        gone.unlink()
        return files

    monkeypatch.setattr(backup, "media_files", listed_then_deleted)
    out = io.StringIO()
    call_command("backup", "create", str(tmp_path / "b.tar.gz"), stdout=out)
    text = out.getvalue()
    assert "0 media files" in text
    assert "1 media files were deleted while the backup ran" in text
    assert "community/evidence/foto.jpg" in text
    manifest, _names = archived(tmp_path / "b.tar.gz")
    assert manifest["vanished_media_files"] == ["community/evidence/foto.jpg"]
    # The archive restores like any other.
    call_command("backup", "restore", str(tmp_path / "b.tar.gz"), "--force", stdout=io.StringIO())
