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
# How many of the newest customer ids the probe of a term's share looks at.
PROBED = 1_000
# A term is common, and scanned for rather than read from the index, once share² x customers
# reaches this (a share of at least 45% at 100,000 customers, 14% at a million).
COMMON_SCORE = 20_000


def searched_customers(search: str) -> Q:
    """Return a condition that keeps at least every customer whose search text contains
    `search` (ignoring case), or Q() when the index cannot help.

    The trigram index folds case for every alphabet, more widely than SQLite's UPPER, so it
    may keep a few customers too many: the caller keeps its own exact test beside it.

    On SQLite this reads the index once (one query, well under a millisecond) to tell a
    common term from a rare one: see `_is_common`.
    """
    if connection.vendor != "sqlite" or len(search) < SHORTEST_INDEXED or "\x00" in search:
        return Q()
    match = _trigrams(search)
    if _is_common(match):
        return Q()
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {SEARCH} WHERE {SEARCH} MATCH %s", (match,)))


def _is_common(match: str) -> bool:
    """Whether the customers holding `match` are so many that reading them all from the index
    costs more than reading customers newest first until a page and its count are found.

    The index reads every match (share x customers); the scan reads about as many customers
    as it needs matches divided by the share. So the scan wins once share² x customers
    passes COMMON_SCORE, measured at 100,000 customers: "example.com" (every customer) read
    from the index took 19 ms for the API and 63 ms for the page, the scan 5 and 26 ms;
    "thompson" (a tenth) took 6 and 35 ms from the index, 5 and 122 ms by the scan. The
    share is that among the newest PROBED customer ids (of any account): one query that
    reads a sliver of the index, whatever the number of customers, and that SQLite cannot
    fold into the search itself, as it chooses a query's plan before running it.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT newest.id, (SELECT COUNT(*) FROM {SEARCH} WHERE {SEARCH} MATCH %s "
            f"AND rowid > newest.id - %s) FROM (SELECT MAX(id) AS id FROM customers_customer) "
            "newest",
            (match, PROBED),
        )
        newest, held = cursor.fetchone()
    customers = newest or 0
    share = held / max(1, min(PROBED, customers))
    return share * share * customers >= COMMON_SCORE


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
