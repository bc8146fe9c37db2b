"""The CSV import pages: upload, map with a preview, run as a task, report."""

import csv
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from customers.models import Customer, ImportJob, PropertyDefinition
from tests.factories import make_definition
from tests.stored import values_of

UPLOAD = "/customers/import/"
FILE = (
    "Email,Plan,Seats,Joined,Notes\n"
    "ann@example.com,pro,3,2026-06-01,first\n"
    "bob@example.com,free,lots,2026-06-02,second\n"
)


def mapped(*targets: str) -> dict:
    """Return the mapping form's data: "email", "" (skip) or "key:type" per column."""
    data = {}
    for n, target in enumerate(targets):
        key, _, type_ = target.partition(":")
        if type_:
            data |= {f"target_{n}": "property", f"key_{n}": key, f"type_{n}": type_}
        else:
            data[f"target_{n}"] = target
    return data


def upload(client, text=FILE, name="people.csv"):
    return client.post(
        UPLOAD, {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}
    )


def test_an_upload_leads_to_the_mapping_with_types_detected_and_first_rows(
    account, marketer_client
):
    make_definition(account, "plan")

    response = upload(marketer_client)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/customers/import/{job.pk}/"
    page = marketer_client.get(response["Location"]).content.decode()
    assert "Map the columns of people.csv" in page
    assert page.count('<option value="email" selected>') == 1
    # Seats reads as text ("lots"); Joined as dates; Plan is the existing definition.
    assert re.search(r'name="key_2" value="seats"', page)
    assert re.search(r'name="type_2"[^>]*>\s*<option value="text" selected>', page)
    options = r'(\s*<option value="\w+">[^<]*</option>)*'
    assert re.search(r'name="type_3"[^>]*>' + options + r'\s*<option value="date" selected>', page)
    for shown in ("existing", "ann@example.com", "second"):
        assert shown in page


def test_mapping_runs_the_import_and_reports_the_refused_cells(
    marketer_client, django_capture_on_commit_callbacks
):
    upload(marketer_client)
    job = ImportJob.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = marketer_client.post(
            f"/customers/import/{job.pk}/",
            mapped("email", "plan:text", "seats:integer", "joined:date", ""),
        )

    assert response.status_code == 302
    page = marketer_client.get(response["Location"]).content.decode()
    assert "2 of 2 rows imported" in page
    assert "1 cell could not be stored" in page
    ann = Customer.objects.get(email="ann@example.com")
    assert values_of(ann)["seats"] == 3.0
    assert "seats" not in values_of(Customer.objects.get(email="bob@example.com"))
    assert not PropertyDefinition.objects.filter(key="notes").exists()
    report = marketer_client.get(f"/customers/import/{job.pk}/report.csv")
    rows = list(csv.reader(io.StringIO(report.content.decode())))
    assert report["Content-Type"].startswith("text/csv")
    assert rows[1][:3] == ["3", "Seats", "lots"]


def test_a_mapping_without_an_identifier_is_refused(marketer_client):
    upload(marketer_client)
    job = ImportJob.objects.get()

    response = marketer_client.post(f"/customers/import/{job.pk}/", {"target_0": ""})

    assert response.status_code == 400
    assert "to find the customers" in response.content.decode()
    assert ImportJob.objects.get().status == "mapping"


def test_a_property_without_a_key_is_refused(marketer_client):
    upload(marketer_client)
    job = ImportJob.objects.get()

    response = marketer_client.post(
        f"/customers/import/{job.pk}/", {"target_0": "email", "target_1": "property", "key_1": ""}
    )

    assert response.status_code == 400
    assert "Give the property of “Plan” a key." in response.content.decode()


def test_a_file_that_is_not_utf8_or_empty_is_refused(marketer_client):
    response = marketer_client.post(
        UPLOAD, {"file": SimpleUploadedFile("x.csv", "email\né@x.com\n".encode("latin-1"))}
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()

    response = upload(marketer_client, text="")
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_a_file_larger_than_an_api_body_is_taken(marketer_client, settings):
    settings.CONTACTS_MAX_BODY_BYTES = 1_000
    text = "email,n\n" + "".join(f"c{n}@example.com,{n}\n" for n in range(200))

    assert upload(marketer_client, text=text).status_code == 302


def test_imports_of_another_account_are_not_found(marketer_client, other_admin_client):
    upload(marketer_client)
    job = ImportJob.objects.get()

    assert other_admin_client.get(f"/customers/import/{job.pk}/").status_code == 404
    assert other_admin_client.get(f"/customers/import/{job.pk}/report.csv").status_code == 404
    assert Client().get(UPLOAD).status_code == 302
