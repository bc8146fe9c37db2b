"""Background work through Django's tasks framework (PRODUCT.md §8).

With Django's default ImmediateBackend a task runs inline when it is enqueued; with
a worker backend in TASKS it runs in the worker, and the request does not wait.
"""

from django.contrib.auth import get_user_model
from django.tasks import task

from customers.models import ApiKey, PropertyDefinition
from customers.services.audit import Actor
from customers.services.definitions import definition_purge


@task
def definition_purge_task(
    definition_id: int,
    actor_user_id: int | None = None,
    actor_api_key_id: int | None = None,
    actor_system: str = "",
) -> int:
    """Delete an archived definition and its values; return how many values were removed."""
    definition = PropertyDefinition.objects.select_related("account").filter(pk=definition_id)
    definition = definition.first()
    if definition is None:
        return 0
    user = get_user_model().objects.filter(pk=actor_user_id).first() if actor_user_id else None
    api_key = ApiKey.objects.filter(pk=actor_api_key_id).first() if actor_api_key_id else None
    actor = Actor(user=user, api_key=api_key, system=actor_system or "background task")
    return definition_purge(definition=definition, actor=actor)
