"""Large survey files go to a background job with a progress page, never into the request.

A 200 MB CSV imported inside the web request outlasted the server's 60 s timeout and ended in
a bare 500. Now a file above KINERJA_IMPORT_INLINE_MAX_BYTES is stored and queued; the worker
(``kinerja worker``, started by ``kinerja serve``) imports it while the uploader watches its
progress; only the uploader and the unit's administrators see the job (docs/security.md).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kinerja.accounts.models import Role
from kinerja.surveys import batches, jobs
from kinerja.surveys.models import ImportJob, Response
from kinerja.test import make_user

from .conftest import csv_text, worked_rows
from .test_import import BAD

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def large(settings: Any, tmp_path: Path) -> Path:
    """Every file counts as large (a job); uploads are kept in a scratch directory."""
    settings.KINERJA_IMPORT_INLINE_MAX_BYTES = 100
    upload_dir: Path = tmp_path / "imports"
    settings.KINERJA_IMPORT_UPLOAD_DIR = upload_dir
    return upload_dir


@pytest.fixture
def officer(kec: Any) -> Any:
    return make_user("pemas", Role.SURVEY_OFFICER, kec)


def upload(client: Client, kec: Any, data: bytes, name: str = "survei.csv", **extra: str) -> Any:
    return client.post(
        reverse("surveys:import", args=[kec.code]),
        {"file": SimpleUploadedFile(name, data), "element_order": "named", **extra},
    )


def confirm(client: Client, page: str) -> Any:
    """Press "Simpan" on a page showing a checked file."""
    found = re.search(r'action="([^"]+/simpan/)"', page)
    assert found is not None
    return client.post(found.group(1), {"confirm": "1"})


@pytest.mark.django_db
def test_it_imports_a_large_file_in_a_background_job_and_shows_the_outcome(
    client: Client, kec: Any, service: Any, officer: Any, large: Path, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    client.force_login(officer)
    sent = upload(client, kec, csv_text(worked_rows()).encode())
    check = ImportJob.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/survei/impor/{check.pk}/"
    checked = client.get(sent["Location"]).content.decode()
    assert "29 baris diperiksa: 29 akan disimpan" in checked and Response.objects.count() == 0
    stored = confirm(client, checked)
    job = ImportJob.objects.exclude(pk=check.pk).get()
    assert stored["Location"] == f"/survei/impor/{job.pk}/"
    page = client.get(stored["Location"]).content.decode()
    assert "29 baris: 29 jawaban baru disimpan" in page
    assert "data-next-after" not in page  # a finished job's page stays put
    assert (job.state, job.rows_total) == ("done", 29) and Response.objects.count() == 29
    assert list(large.iterdir()) == []  # the stored upload is gone once imported
    # The import page lists the uploader's jobs.
    listed = client.get(reverse("surveys:import", args=[kec.code])).content.decode()
    assert f"/survei/impor/{job.pk}/" in listed and "selesai" in listed


@pytest.mark.django_db
def test_it_reports_a_refused_large_file_row_by_row(
    client: Client, kec: Any, service: Any, officer: Any, large: Path, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    client.force_login(officer)
    page = client.get(upload(client, kec, BAD.encode())["Location"]).content.decode()
    assert "Berkas ditolak" in page and "Tidak ada yang disimpan" in page
    assert "baris 3" in page and "baris 5" in page
    assert ImportJob.objects.get().state == "refused" and Response.objects.count() == 0
    assert "/simpan/" not in page


@pytest.mark.django_db
def test_it_shows_the_progress_of_a_job_while_it_waits_and_runs(
    client: Client, kec: Any, service: Any, officer: Any, large: Path
) -> None:
    client.force_login(officer)
    where = upload(client, kec, csv_text(worked_rows()).encode(), dry_run="on")["Location"]
    job = ImportJob.objects.get()
    assert job.state == "queued" and job.dry_run and len(list(large.iterdir())) == 1
    waiting = client.get(where).content.decode()
    assert "menunggu" in waiting and 'data-next-after="2"' in waiting
    ImportJob.objects.filter(pk=job.pk).update(state="running", rows_total=120, rows_done=48)
    running = client.get(where).content.decode()
    assert '<progress max="120" value="48">' in running
    assert "48 dari sekitar 120 baris" in running and "(40%)" in running


@pytest.mark.django_db(transaction=True)
def test_it_runs_a_queued_job_in_the_worker_loop(
    client: Client, kec: Any, service: Any, officer: Any, large: Path
) -> None:
    from django_tasks_db.models import DBTaskResult

    client.force_login(officer)
    where = upload(client, kec, csv_text(worked_rows()).encode())["Location"]
    assert DBTaskResult.objects.get().status == "READY"
    call_command("jobs", "run", "--batch", verbosity=0)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Response.objects.count() == 0  # checked only
    confirm(client, client.get(where).content.decode())
    call_command("jobs", "run", "--batch", verbosity=0)
    job = ImportJob.objects.get(dry_run=False)
    assert (job.state, job.rows_done, job.inserted) == ("done", 29, 29)
    assert Response.objects.count() == 29 and list(large.iterdir()) == []


@pytest.mark.django_db
def test_it_shows_a_job_to_its_uploader_and_administrators_only(
    client: Client, kec: Any, service: Any, officer: Any, large: Path
) -> None:
    from kinerja.test import other_kecamatan

    client.force_login(officer)
    where = upload(client, kec, csv_text(worked_rows()).encode())["Location"]
    assert client.get(where).status_code == 200
    colleague = make_user("pemas2", Role.SURVEY_OFFICER, kec)
    outsider = make_user("luar", Role.ADMIN, other_kecamatan())
    for intruder in (colleague, outsider):
        client.force_login(intruder)
        assert client.get(where).status_code == 404
    for admin in (make_user("admkec", Role.ADMIN, kec), make_user("root", superuser=True)):
        client.force_login(admin)
        assert client.get(where).status_code == 200
    client.logout()
    assert client.get(where).status_code == 302  # to the log-in page


@pytest.mark.django_db
def test_it_refuses_an_upload_over_the_limit_before_storing_anything(
    client: Client, kec: Any, service: Any, officer: Any, large: Path, settings: Any
) -> None:
    settings.KINERJA_IMPORT_MAX_UPLOAD_BYTES = 1000
    # Far over: refused from the request's declared length, before the body is read, which
    # the CSRF check would have done first (it reads the form's fields from the body).
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(officer)
    huge = upload(strict, kec, b"x" * 200_000)
    assert huge.status_code == 413
    assert "lebih besar dari" in huge.content.decode()
    # Within the limit, the CSRF check still applies.
    assert upload(strict, kec, b"x" * 100).status_code == 403
    client.force_login(officer)
    # Just over: refused by the form.
    over = upload(client, kec, csv_text(worked_rows()).encode())
    assert over.status_code == 200 and "lebih besar dari" in over.content.decode()
    assert ImportJob.objects.count() == 0 and not large.exists()


@pytest.mark.django_db
def test_it_fails_the_job_of_a_worker_that_died(kec: Any, officer: Any, large: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    host = batches.owner_here().rsplit(":", 1)[0]
    large.mkdir()
    (large / "x.csv").write_text("x")
    job = ImportJob.objects.create(
        unit=kec, user=officer, filename="besar.csv", path="x.csv", state="running",
        owner=f"{host}:{dead.stdout.strip()}",
    )  # fmt: skip
    alive = ImportJob.objects.create(
        unit=kec, user=officer, filename="lain.csv", state="running", owner=f"{host}:{os.getpid()}"
    )
    assert jobs.fail_orphans() == 1
    job.refresh_from_db()
    assert job.state == "failed" and "tidak ada yang disimpan" in job.problems[0]
    assert not (large / "x.csv").exists()
    alive.refresh_from_db()
    assert alive.state == "running"
