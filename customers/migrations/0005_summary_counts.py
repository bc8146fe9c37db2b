"""Summary counts kept by triggers, and the indexes that serve a million customers.

- SummaryCount: append-only count changes, written by triggers on the values, customers,
  definitions and accounts tables (PostgreSQL: one row per statement, from its transition
  table; SQLite: one row per row), then filled with the counts of what already exists.
- the typed partial indexes end with the customer: the customers holding a value come
  from the index alone; booleans get one too.
- PostgreSQL only: pg_trgm, a trigram index on the customers' search text (`q`) and a GIN
  index on collections' lower-cased items (`contains` as `@>`). SQLite has neither.
"""

from django.db import migrations, models

VALUES = "customers_propertyvalue"
CUSTOMERS = "customers_customer"
DEFINITIONS = "customers_propertydefinition"
ACCOUNTS = "customers_account"
COUNTS = "customers_summarycount"
TYPED_COLUMNS = ("value_text", "value_number", "value_datetime", "value_boolean")


def _appending(name: str, rows: str, select: str) -> str:
    """A statement trigger's function that appends the counts `select` makes of `rows`."""
    return f"""
CREATE FUNCTION customers_summary_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {COUNTS} (account_id, definition_id, delta) {select.format(rows=rows)};
    RETURN NULL;
END $$;"""


_VALUE_COUNTS = (
    "SELECT d.account_id, r.definition_id, {sign}COUNT(*) FROM {{rows}} r "
    f"JOIN {DEFINITIONS} d ON d.id = r.definition_id GROUP BY d.account_id, r.definition_id"
)
_CUSTOMER_COUNTS = "SELECT account_id, NULL, {sign}COUNT(*) FROM {{rows}} GROUP BY account_id"

POSTGRESQL_TRIGGERS = (
    _appending("values_inserted", "summary_new", _VALUE_COUNTS.format(sign=""))
    + _appending("values_deleted", "summary_old", _VALUE_COUNTS.format(sign="-"))
    + _appending("customers_inserted", "summary_new", _CUSTOMER_COUNTS.format(sign=""))
    + _appending("customers_deleted", "summary_old", _CUSTOMER_COUNTS.format(sign="-"))
    + f"""
CREATE FUNCTION customers_summary_definition_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {COUNTS} WHERE account_id = OLD.account_id AND definition_id = OLD.id;
    RETURN NULL;
END $$;
CREATE FUNCTION customers_summary_account_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {COUNTS} WHERE account_id = OLD.id;
    RETURN NULL;
END $$;
CREATE TRIGGER summary_values_inserted AFTER INSERT ON {VALUES}
    REFERENCING NEW TABLE AS summary_new
    FOR EACH STATEMENT EXECUTE FUNCTION customers_summary_values_inserted();
CREATE TRIGGER summary_values_deleted AFTER DELETE ON {VALUES}
    REFERENCING OLD TABLE AS summary_old
    FOR EACH STATEMENT EXECUTE FUNCTION customers_summary_values_deleted();
CREATE TRIGGER summary_customers_inserted AFTER INSERT ON {CUSTOMERS}
    REFERENCING NEW TABLE AS summary_new
    FOR EACH STATEMENT EXECUTE FUNCTION customers_summary_customers_inserted();
CREATE TRIGGER summary_customers_deleted AFTER DELETE ON {CUSTOMERS}
    REFERENCING OLD TABLE AS summary_old
    FOR EACH STATEMENT EXECUTE FUNCTION customers_summary_customers_deleted();
CREATE TRIGGER summary_definition_deleted AFTER DELETE ON {DEFINITIONS}
    FOR EACH ROW EXECUTE FUNCTION customers_summary_definition_deleted();
CREATE TRIGGER summary_account_deleted AFTER DELETE ON {ACCOUNTS}
    FOR EACH ROW EXECUTE FUNCTION customers_summary_account_deleted();
"""
)

POSTGRESQL_UNDO = f"""
DROP TRIGGER IF EXISTS summary_values_inserted ON {VALUES};
DROP TRIGGER IF EXISTS summary_values_deleted ON {VALUES};
DROP TRIGGER IF EXISTS summary_customers_inserted ON {CUSTOMERS};
DROP TRIGGER IF EXISTS summary_customers_deleted ON {CUSTOMERS};
DROP TRIGGER IF EXISTS summary_definition_deleted ON {DEFINITIONS};
DROP TRIGGER IF EXISTS summary_account_deleted ON {ACCOUNTS};
DROP FUNCTION IF EXISTS customers_summary_values_inserted();
DROP FUNCTION IF EXISTS customers_summary_values_deleted();
DROP FUNCTION IF EXISTS customers_summary_customers_inserted();
DROP FUNCTION IF EXISTS customers_summary_customers_deleted();
DROP FUNCTION IF EXISTS customers_summary_definition_deleted();
DROP FUNCTION IF EXISTS customers_summary_account_deleted();
DROP INDEX IF EXISTS customer_search_trgm;
DROP INDEX IF EXISTS value_list_items_gin;
"""

# SQLite has no statement triggers; its writers take turns on the database's one write
# lock anyway, so a row per changed row costs little and contends with nothing.
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER summary_value_inserted AFTER INSERT ON {VALUES} BEGIN
        INSERT INTO {COUNTS} (account_id, definition_id, delta)
        SELECT account_id, NEW.definition_id, 1 FROM {DEFINITIONS} WHERE id = NEW.definition_id;
    END""",
    f"""CREATE TRIGGER summary_value_deleted AFTER DELETE ON {VALUES} BEGIN
        INSERT INTO {COUNTS} (account_id, definition_id, delta)
        SELECT account_id, OLD.definition_id, -1 FROM {DEFINITIONS} WHERE id = OLD.definition_id;
    END""",
    f"""CREATE TRIGGER summary_customer_inserted AFTER INSERT ON {CUSTOMERS} BEGIN
        INSERT INTO {COUNTS} (account_id, definition_id, delta) VALUES (NEW.account_id, NULL, 1);
    END""",
    f"""CREATE TRIGGER summary_customer_deleted AFTER DELETE ON {CUSTOMERS} BEGIN
        INSERT INTO {COUNTS} (account_id, definition_id, delta) VALUES (OLD.account_id, NULL, -1);
    END""",
    f"""CREATE TRIGGER summary_definition_deleted AFTER DELETE ON {DEFINITIONS} BEGIN
        DELETE FROM {COUNTS} WHERE account_id = OLD.account_id AND definition_id = OLD.id;
    END""",
    f"""CREATE TRIGGER summary_account_deleted AFTER DELETE ON {ACCOUNTS} BEGIN
        DELETE FROM {COUNTS} WHERE account_id = OLD.id;
    END""",
]
SQLITE_UNDO = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "summary_value_inserted",
        "summary_value_deleted",
        "summary_customer_inserted",
        "summary_customer_deleted",
        "summary_definition_deleted",
        "summary_account_deleted",
    )
]

INITIAL_COUNTS = f"""
INSERT INTO {COUNTS} (account_id, definition_id, delta)
SELECT d.account_id, v.definition_id, COUNT(*) FROM {VALUES} v
JOIN {DEFINITIONS} d ON d.id = v.definition_id GROUP BY d.account_id, v.definition_id;
INSERT INTO {COUNTS} (account_id, definition_id, delta)
SELECT account_id, NULL, COUNT(*) FROM {CUSTOMERS} GROUP BY account_id;
"""


def _postgresql_indexes(apps, schema_editor):
    """Index the expressions customers.models names, compiled as queries compile them."""
    from django.db.models.sql import Query

    from customers.models import customer_search_text, folded_items

    def compiled(model_name, expression):
        model = apps.get_model("customers", model_name)
        query = Query(model, alias_cols=False)
        sql, params = expression.resolve_expression(query).as_sql(
            query.get_compiler(connection=schema_editor.connection), schema_editor.connection
        )
        return sql % tuple(schema_editor.quote_value(p) for p in params)

    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX customer_search_trgm ON {CUSTOMERS} "
        f"USING gin (({compiled('Customer', customer_search_text())}) gin_trgm_ops)"
    )
    schema_editor.execute(
        f"CREATE INDEX value_list_items_gin ON {VALUES} "
        f"USING gin (({compiled('PropertyValue', folded_items())}) jsonb_path_ops) "
        "WHERE value_list IS NOT NULL"
    )


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_TRIGGERS)
        _postgresql_indexes(apps, schema_editor)
    elif vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)
    for statement in INITIAL_COUNTS.strip().split(";\n"):
        schema_editor.execute(statement.strip().rstrip(";"))


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_UNDO)
    elif vendor == "sqlite":
        for statement in SQLITE_UNDO:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0004_vendor_surfaces"),
    ]

    operations = [
        migrations.CreateModel(
            name="SummaryCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("account_id", models.BigIntegerField()),
                ("definition_id", models.BigIntegerField(blank=True, null=True)),
                ("delta", models.BigIntegerField()),
            ],
        ),
        migrations.AddIndex(
            model_name="summarycount",
            index=models.Index(fields=["account_id", "definition_id"], name="summary_count_key"),
        ),
        *[
            migrations.RemoveIndex(model_name="propertyvalue", name=f"{column}_idx")
            for column in TYPED_COLUMNS[:3]
        ],
        *[
            migrations.AddIndex(
                model_name="propertyvalue",
                index=models.Index(
                    condition=models.Q((f"{column}__isnull", False)),
                    fields=["definition", column, "customer"],
                    name=f"{column}_idx",
                ),
            )
            for column in TYPED_COLUMNS
        ],
        migrations.RunPython(install, uninstall),
    ]
