"""SQLite's indexed search (`q`) and collection items (`contains`): customers found from the
side tables of migration 0009, which triggers keep exact, instead of reading every customer.

PostgreSQL answers both from indexes on the customers and values tables themselves
(migration 0005): there `searched_customers` adds nothing, and the conditions do not ask
for `customers_holding_item`.
"""

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from customers.models import PropertyDefinition

SEARCH = "customers_customer_search"
ITEMS = "customers_collection_item"
# FTS5's trigram tokenizer matches nothing shorter than one trigram.
SHORTEST_INDEXED = 3


def searched_customers(search: str) -> Q:
    """Return a condition that keeps at least every customer whose search text contains
    `search` (ignoring case), or Q() when the index cannot help.

    The trigram index folds case for every alphabet, more widely than SQLite's UPPER, so it
    may keep a few customers too many: the caller keeps its own exact test beside it.
    """
    if connection.vendor != "sqlite" or len(search) < SHORTEST_INDEXED or "\x00" in search:
        return Q()
    return Q(
        pk__in=RawSQL(f"SELECT rowid FROM {SEARCH} WHERE {SEARCH} MATCH %s", (_trigrams(search),))
    )


def _trigrams(search: str) -> str:
    """Return an FTS5 query for texts holding the trigrams that cover `search` side by side
    (and its last): a superset of those holding `search`. Not the phrase of every trigram:
    a term most customers hold reads each trigram's list, and positions, in full (3x as long
    for "example.com" at 100,000 customers); the caller's exact test drops the extra few."""
    starts = [*range(0, len(search) - 2, 3), len(search) - 3]
    grams = dict.fromkeys(search[start : start + 3] for start in starts)
    return " AND ".join('"' + gram.replace('"', '""') + '"' for gram in grams)


def customers_holding_item(definition: PropertyDefinition, item: str) -> RawSQL:
    """Return the ids of customers whose list of `definition` holds `item`, ignoring case as
    SQLite's LOWER does (ASCII letters), as a subquery."""
    return RawSQL(
        f"SELECT customer_id FROM {ITEMS} WHERE definition_id = %s AND item = LOWER(%s)",
        (definition.pk, item),
    )
