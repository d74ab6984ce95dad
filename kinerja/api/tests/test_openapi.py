from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import get_resolver

from kinerja.api import urls as api_urls

DOC_PATH = "/api/v1/openapi.json"


def document() -> dict[str, Any]:
    from kinerja.api.views import OPENAPI

    loaded: dict[str, Any] = json.loads(OPENAPI.read_text(encoding="utf-8"))
    return loaded


@pytest.mark.django_db
def test_it_serves_the_document_without_a_key(client):
    response = client.get(DOC_PATH)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == document()
    assert response.json()["openapi"].startswith("3.")


def test_it_documents_exactly_the_endpoints_and_methods_the_views_have():
    doc_paths = document()["paths"]
    seen = set()
    for pattern in api_urls.urlpatterns:
        if pattern.name == "not_found":
            continue
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        path = "/" + route
        seen.add(path)
        assert path in doc_paths, f"{path} is not in openapi.json"
        methods = {m.lower() for m in pattern.callback.api_methods}
        documented = {m for m in doc_paths[path] if m in {"get", "post", "put", "patch", "delete"}}
        assert documented == methods, path
        params = set(re.findall(r"{(\w+)}", path))
        for method in documented:
            declared = {
                p["name"]
                for p in doc_paths[path][method].get("parameters", [])
                if p["in"] == "path"
            }
            assert declared == params, (path, method)
    assert set(doc_paths) == seen


def test_it_is_mounted_under_api_v1():
    assert get_resolver().resolve("/api/v1/plans").url_name == "plans"
