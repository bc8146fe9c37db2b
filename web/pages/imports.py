"""The CSV import pages (PRODUCT.md §7): upload, map the columns, follow the worker, report.

Thin views over customers/services/imports.py; the import itself runs as a background task
(inline by default, in `manage.py db_worker` with TASKS_BACKEND=database).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from customers.errors import DomainError
from customers.models import ImportJob, ImportStatus
from customers.selectors.jobs import import_job_get, import_jobs_recent
from customers.services.imports import import_job_create, import_job_preview, import_job_start
from web.access import member_required
from web.forms.imports import ImportMappingForm, ImportUploadForm

TEMPLATES = "customers/imports/"


@member_required
@require_http_methods(["GET", "POST"])
def import_upload_view(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(
                account=request.account,
                user=request.user,
                file_name=upload.name,
                content=upload.read(),
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return redirect("import_job", job_id=job.pk)
    return render(
        request,
        TEMPLATES + "upload.html",
        {"nav": "customers", "form": form, "jobs": import_jobs_recent(account=request.account)},
        status=400 if form.errors else 200,
    )


@member_required
@require_http_methods(["GET", "POST"])
def import_job_view(request, job_id: int):
    job = _job_or_404(request, job_id)
    if job.status != ImportStatus.MAPPING:
        return render(request, TEMPLATES + "job.html", {"nav": "customers", "job": job})
    job = ImportJob.objects.select_related("account").get(pk=job.pk)
    preview = import_job_preview(job=job)
    form = ImportMappingForm(request.POST or None, columns=preview.columns)
    if request.method == "POST" and form.is_valid():
        try:
            import_job_start(job=job, mapping=form.mapping())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("import_job", job_id=job.pk)
    return render(
        request,
        TEMPLATES + "mapping.html",
        {"nav": "customers", "job": job, "form": form, "preview": preview},
        status=400 if form.errors else 200,
    )


@member_required
def import_report_view(request, job_id: int):
    job = _job_or_404(request, job_id)
    if job.status != ImportStatus.DONE:
        raise Http404("This import has no report yet.")
    response = HttpResponse(job.report, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.csv"'
    return response


def _job_or_404(request, job_id: int) -> ImportJob:
    job = import_job_get(account=request.account, job_id=job_id)
    if job is None:
        raise Http404("No such import in this account.")
    return job
