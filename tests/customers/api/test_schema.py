def test_schema_lists_every_native_endpoint(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/customers/properties",
        "/api/customers/properties/{key}",
        "/api/properties",
        "/api/properties/{key}",
        "/api/properties/{key}/archive",
        "/api/customers",
    ):
        assert any(p.rstrip("/") == path for p in paths), path


def test_docs_page_loads_its_assets_locally(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html
    assert "unpkg" not in html
