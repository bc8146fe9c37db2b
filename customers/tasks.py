"""Background work through Django's tasks framework (PRODUCT.md §8).

With Django's default ImmediateBackend a task runs inline when it is enqueued; with
a worker backend in TASKS it runs in the worker, and the request does not wait.
Services enqueue these tasks; a task imports its service when it runs, so that this
module imports no service and services may import it.
"""

from django.tasks import task

from customers.models import PropertyDefinition


@task
def definition_purge_task(definition_id: int, actor: dict | None = None) -> int:
    """Delete an archived definition and its values; return how many values were removed.

    `actor` is `Actor.to_ref()` of whoever asked; without one the audit log names the task.
    """
    from customers.services.audit import Actor
    from customers.services.purges import definition_purge

    definition = PropertyDefinition.objects.select_related("account").filter(pk=definition_id)
    definition = definition.first()
    if definition is None:
        return 0
    return definition_purge(
        definition=definition, actor=Actor.from_ref(actor or {}, system="background task")
    )


@task
def customers_import_task(job_id: int) -> None:
    """Run the queued CSV import `job_id` (customers/services/imports.py)."""
    from customers.services.imports import import_job_run

    import_job_run(job_id=job_id)


@task
def customers_bulk_action_task(job_id: int) -> None:
    """Run the queued bulk change `job_id` to customers (customers/services/bulk_actions.py)."""
    from customers.services.bulk_actions import bulk_action_run

    bulk_action_run(job_id=job_id)
