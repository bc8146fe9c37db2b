"""SQLite only: the indexes that answer a customers search (`q`) and a collection's
`contains` without reading every customer (PostgreSQL has its own, migration 0005).

- customers_customer_search: an FTS5 table with the trigram tokenizer over each customer's
  identifiers and contact fields (the fields of customers.models.customer_search_text),
  one row per customer, its rowid the customer's id.
- customers_collection_item: one row per distinct lower-cased text item of each stored
  list (value id, customer id, definition id, item), indexed by (definition, item).

Triggers on the customers and values tables keep both exact, whatever writes (services,
raw statements, cascades, merges, purges, imports); the rows that exist are filled here.
"""

from django.db import migrations

CUSTOMERS = "customers_customer"
VALUES = "customers_propertyvalue"
SEARCH = "customers_customer_search"
ITEMS = "customers_collection_item"
# customers.models.customer_search_text's fields, in its order and with its separator.
SEARCHED_FIELDS = ("email", "user_id", "visitor_id", "phone", "first_name", "last_name", "company")


def _search_text(row: str) -> str:
    return " || ' ' || ".join(f"COALESCE({row}.{name}, '')" for name in SEARCHED_FIELDS)


def _items_of(row: str) -> str:
    """SELECT the rows of customers_collection_item of the value `row` (NEW, or v)."""
    return (
        f"SELECT DISTINCT {row}.id, {row}.customer_id, {row}.definition_id, LOWER(item.value) "
        f"FROM json_each({row}.value_list) item WHERE item.type = 'text'"
    )


_CHANGED_SEARCH = " OR ".join(f"OLD.{name} IS NOT NEW.{name}" for name in SEARCHED_FIELDS)
# json_each walks a top-level array only; other JSON (a json property's object) has no items.
_IS_LIST = "{row}.value_list IS NOT NULL AND json_type({row}.value_list) = 'array'"

SQLITE_INSTALL = [
    f"CREATE VIRTUAL TABLE {SEARCH} USING fts5(text, tokenize = 'trigram')",
    f"""CREATE TRIGGER customer_search_inserted AFTER INSERT ON {CUSTOMERS} BEGIN
        INSERT INTO {SEARCH} (rowid, text) VALUES (NEW.id, {_search_text("NEW")});
    END""",
    f"""CREATE TRIGGER customer_search_updated
        AFTER UPDATE OF {", ".join(SEARCHED_FIELDS)} ON {CUSTOMERS}
        WHEN {_CHANGED_SEARCH} BEGIN
        DELETE FROM {SEARCH} WHERE rowid = OLD.id;
        INSERT INTO {SEARCH} (rowid, text) VALUES (NEW.id, {_search_text("NEW")});
    END""",
    f"""CREATE TRIGGER customer_search_deleted AFTER DELETE ON {CUSTOMERS} BEGIN
        DELETE FROM {SEARCH} WHERE rowid = OLD.id;
    END""",
    f"""CREATE TABLE {ITEMS} (
        value_id INTEGER NOT NULL,
        customer_id INTEGER NOT NULL,
        definition_id INTEGER NOT NULL,
        item TEXT NOT NULL,
        PRIMARY KEY (value_id, item)
    ) WITHOUT ROWID""",
    f"CREATE INDEX collection_item_lookup ON {ITEMS} (definition_id, item, customer_id)",
    f"""CREATE TRIGGER collection_items_inserted AFTER INSERT ON {VALUES}
        WHEN {_IS_LIST.format(row="NEW")} BEGIN
        INSERT OR IGNORE INTO {ITEMS} (value_id, customer_id, definition_id, item)
        {_items_of("NEW")};
    END""",
    f"""CREATE TRIGGER collection_items_updated
        AFTER UPDATE OF value_list, customer_id, definition_id ON {VALUES}
        WHEN OLD.value_list IS NOT NEW.value_list OR OLD.customer_id IS NOT NEW.customer_id
        OR OLD.definition_id IS NOT NEW.definition_id BEGIN
        DELETE FROM {ITEMS} WHERE value_id = OLD.id;
        INSERT OR IGNORE INTO {ITEMS} (value_id, customer_id, definition_id, item)
        {_items_of("NEW")} AND {_IS_LIST.format(row="NEW")};
    END""",
    f"""CREATE TRIGGER collection_items_deleted AFTER DELETE ON {VALUES}
        WHEN OLD.value_list IS NOT NULL BEGIN
        DELETE FROM {ITEMS} WHERE value_id = OLD.id;
    END""",
    # What exists already.
    f"INSERT INTO {SEARCH} (rowid, text) SELECT c.id, {_search_text('c')} FROM {CUSTOMERS} c",
    f"""INSERT OR IGNORE INTO {ITEMS} (value_id, customer_id, definition_id, item)
        SELECT v.id, v.customer_id, v.definition_id, LOWER(item.value)
        FROM {VALUES} v, json_each(v.value_list) item
        WHERE {_IS_LIST.format(row="v")} AND item.type = 'text'""",
]

SQLITE_UNINSTALL = [
    *(
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "customer_search_inserted",
            "customer_search_updated",
            "customer_search_deleted",
            "collection_items_inserted",
            "collection_items_updated",
            "collection_items_deleted",
        )
    ),
    f"DROP TABLE IF EXISTS {SEARCH}",
    f"DROP TABLE IF EXISTS {ITEMS}",
]


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_INSTALL:
            schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UNINSTALL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0008_definition_label_unique"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
