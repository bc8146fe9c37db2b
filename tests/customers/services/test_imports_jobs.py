"""customers.services.imports: imports from the browser, kept as jobs the worker runs."""

import csv
import io

import pytest

from customers.errors import InvalidInput
from customers.models import Customer, ImportJob, ImportStatus
from customers.services.imports import (
    MAX_COLUMNS,
    import_job_create,
    import_job_preview,
    import_job_run,
    import_job_start,
)
from tests.factories import make_member
from tests.stored import values_of

FILE = "email,plan,seats:integer\nann@example.com,pro,3\nbob@example.com,free,many\n"


@pytest.fixture
def user(account):
    return make_member(account).user


def created(account, text: str = FILE, user=None, file_name: str = "people.csv") -> ImportJob:
    return import_job_create(account=account, user=user, file_name=file_name, content=text.encode())


def queued(account, text: str, mapping: dict) -> ImportJob:
    """Return a job as import_job_start leaves it (its task not run)."""
    return ImportJob.objects.create(
        account=account,
        file_name="x.csv",
        content=text.encode(),
        mapping=mapping,
        status=ImportStatus.QUEUED,
    )


def refusal(**options) -> str:
    with pytest.raises(InvalidInput) as raised:
        import_job_create(**{"user": None, "file_name": "x.csv", **options})
    return raised.value.message


# --- Upload.


def test_an_upload_is_kept_waiting_for_its_mapping(account, user):
    job = created(account, user=user, file_name="n" * 300 + ".csv")

    stored = ImportJob.objects.get()
    assert stored.pk == job.pk
    assert (stored.account, stored.created_by, stored.status) == (account, user, "mapping")
    assert stored.file_name == "n" * 255
    assert bytes(stored.content) == FILE.encode()


def test_an_upload_that_is_not_utf8_text_or_names_no_column_is_refused(account):
    assert refusal(account=account, content="email\né@x.com\n".encode("latin-1")) == (
        "The file is not UTF-8 text: save it as CSV UTF-8 and upload it again."
    )
    empty = "The file is empty: its first line names the columns."
    assert refusal(account=account, content=b"") == empty
    assert refusal(account=account, content=b" , ,\nann@example.com,1,2\n") == empty
    assert not ImportJob.objects.exists()


def test_an_upload_has_at_most_max_columns(account):
    assert created(account, ",".join(f"c{n}" for n in range(MAX_COLUMNS)) + "\n").pk

    header = ",".join(f"c{n}" for n in range(MAX_COLUMNS + 1)) + "\n"
    assert refusal(account=account, content=header.encode()) == (
        f"The file has {MAX_COLUMNS + 1} columns; at most {MAX_COLUMNS}."
    )
    assert ImportJob.objects.count() == 1


# --- Mapping.


def test_the_preview_proposes_each_column_and_shows_the_first_five_rows(account):
    rows = [f"c{n}@example.com,{n}" for n in range(7)]
    job = created(account, "\ufeff Email ,'=n\n" + "\n".join(rows) + "\n")

    preview = import_job_preview(job=job)

    assert [(c.header, c.mapping) for c in preview.columns] == [
        ("Email", "email"),
        ("=n", "n:integer"),
    ]
    assert preview.rows == [row.split(",") for row in rows[:5]]


def test_the_preview_types_columns_by_the_first_thousand_rows(account):
    text = "email,n\n" + ",1\n" * 1000 + ",x\n"

    preview = import_job_preview(job=created(account, text))

    assert [c.mapping for c in preview.columns] == ["email", "n:integer"]
    assert preview.rows == [["", "1"]] * 5


def test_starting_queues_the_job_with_its_mapping(account, django_capture_on_commit_callbacks):
    job = created(account)
    mapping = {"email": " Email ", "plan": "plan:text", "seats:integer": ""}

    with django_capture_on_commit_callbacks() as callbacks:
        import_job_start(job=job, mapping=mapping)

    assert (job.status, job.mapping) == ("queued", mapping)
    stored = ImportJob.objects.get()
    assert (stored.status, stored.mapping) == ("queued", mapping)
    assert len(callbacks) == 1
    assert not Customer.objects.exists()


def test_a_started_job_runs_once_its_transaction_commits(
    account, django_capture_on_commit_callbacks
):
    job = created(account)

    with django_capture_on_commit_callbacks(execute=True):
        import_job_start(job=job, mapping={"email": "email", "plan": "plan", "seats:integer": ""})

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.issues_count) == ("done", 2, 0)
    assert values_of(Customer.objects.get(email="ann@example.com")) == {"plan": "pro"}


def test_a_job_starts_only_once_and_only_with_an_identifier(account):
    job = created(account)

    with pytest.raises(InvalidInput) as unidentified:
        import_job_start(job=job, mapping={"email": "", "plan": "plan"})
    assert unidentified.value.message == (
        "Map a column to one of customer_id, user_id, email, visitor_id, phone to find the "
        "customers."
    )
    assert ImportJob.objects.get().status == "mapping"

    import_job_start(job=job, mapping={"email": "email"})
    with pytest.raises(InvalidInput) as again:
        import_job_start(job=job, mapping={"email": "email", "plan": "plan"})
    assert again.value.message == "This import has already started."
    assert ImportJob.objects.get().mapping == {"email": "email"}


# --- The worker's run.


def test_a_run_imports_by_the_mapping_and_keeps_the_report(account):
    job = queued(
        account, FILE, {"email": "email", "plan": "tier", "seats:integer": "seats:integer"}
    )

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.rows_total, job.rows_done, job.issues_count) == ("done", 2, 2, 1)
    assert (job.error, job.finished_at is not None) == ("", True)
    assert values_of(Customer.objects.get(email="ann@example.com")) == {"tier": "pro", "seats": 3.0}
    report = list(csv.reader(io.StringIO(job.report)))
    assert [row[:3] for row in report] == [
        ["row", "column", "value"],
        ["3", "seats:integer", "many"],
    ]


def test_a_run_counts_the_rows_of_a_file_with_only_its_header(account):
    job = queued(account, "email\n", {"email": "email"})

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.rows_total, job.rows_done, job.report) == (
        "done",
        0,
        0,
        "row,column,value,reason\r\n",
    )


def test_a_run_only_takes_a_queued_job(account):
    job = created(account)

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.finished_at) == ("mapping", None)
    assert not Customer.objects.exists()


def test_a_run_takes_its_own_job_only(account):
    first = queued(account, "email\nann@example.com\n", {"email": "email"})
    second = queued(account, "email\nbob@example.com\n", {"email": "email"})

    import_job_run(job_id=first.pk)
    import_job_run(job_id=second.pk)

    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "done", second.pk: "done"}
    assert sorted(Customer.objects.values_list("email", flat=True)) == [
        "ann@example.com",
        "bob@example.com",
    ]


def test_a_run_the_import_refuses_fails_with_its_reason(account):
    job = queued(account, "plan\npro\n", {"plan": "plan"})

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.rows_total, job.rows_done) == ("failed", 1, 0)
    assert job.error == (
        "No column identifies the customers: name one customer_id, user_id, email, visitor_id, "
        "phone."
    )
    assert job.finished_at is not None
    assert not Customer.objects.exists()


def test_a_run_of_an_empty_file_fails_with_its_reason(account):
    job = queued(account, "", {})

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.rows_total) == ("failed", 0)
    assert job.error == "The file is empty: its first line names the columns."


def test_a_run_the_csv_reader_stops_on_fails_and_is_not_left_running(account):
    text = "email,note\nann@example.com," + "x" * (csv.field_size_limit() + 1) + "\n"
    job = queued(account, text, {"email": "email", "note": "note"})

    with pytest.raises(csv.Error):
        import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "The import stopped on an unexpected error; the rows before it are stored."
    assert job.finished_at is not None
