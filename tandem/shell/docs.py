"""The API docs page: our own template rendered from the OpenAPI schema.

Ninja's default page loads Swagger UI from a CDN, which Tandem never does. This page lists every
endpoint with its parameters, request body and responses, and every schema with its fields; a
small form per endpoint sends a real request with the browser's session (and CSRF token).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def describe_type(prop: dict) -> str:
    """A short, readable type for a schema property: `integer`, `string (date)`, `[Deal]`…"""
    if "$ref" in prop:
        return _ref_name(prop["$ref"])
    if "allOf" in prop and len(prop["allOf"]) == 1:
        return describe_type(prop["allOf"][0])
    if "anyOf" in prop:
        kinds = [describe_type(option) for option in prop["anyOf"]]
        nullable = "null" in kinds
        kinds = [kind for kind in kinds if kind != "null"]
        text = " | ".join(kinds)
        return f"{text} | null" if nullable else text
    if "enum" in prop:
        return " | ".join(str(value) for value in prop["enum"])
    kind = prop.get("type", "any")
    if kind == "array":
        return f"[{describe_type(prop.get('items', {}))}]"
    if fmt := prop.get("format"):
        return f"{kind} ({fmt})"
    return kind


def _constraints(prop: dict) -> str:
    parts = []
    for key, label in [
        ("minimum", "≥"),
        ("maximum", "≤"),
        ("minLength", "min length"),
        ("maxLength", "max length"),
    ]:
        if key in prop:
            parts.append(f"{label} {prop[key]}")
    if "default" in prop and prop["default"] is not None:
        parts.append(f"default {prop['default']}")
    return ", ".join(parts)


def _body_schema(operation: dict) -> str | None:
    content = operation.get("requestBody", {}).get("content", {})
    for media in content.values():
        return describe_type(media.get("schema", {}))
    return None


def _responses(operation: dict) -> list[dict]:
    result = []
    for status, response in operation.get("responses", {}).items():
        schema = None
        for media in response.get("content", {}).values():
            schema = describe_type(media.get("schema", {}))
        result.append(
            {"status": status, "description": response.get("description"), "schema": schema}
        )
    return result


def docs_context(schema: dict) -> dict:
    """Endpoints grouped by tag, and the schemas, as plain data for the template."""
    groups: dict[str, list] = {}
    for path, item in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = [
                {
                    "name": param["name"],
                    "in": param["in"],
                    "required": param.get("required", False),
                    "type": describe_type(param.get("schema", {})),
                    "description": param.get("description")
                    or param.get("schema", {}).get("description", ""),
                    "constraints": _constraints(param.get("schema", {})),
                }
                for param in operation.get("parameters", [])
            ]
            tag = (operation.get("tags") or ["api"])[0]
            groups.setdefault(tag, []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "body": _body_schema(operation),
                    "responses": _responses(operation),
                }
            )
    schemas = []
    for name, definition in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(definition.get("required", []))
        schemas.append(
            {
                "name": name,
                "description": definition.get("description", ""),
                "enum": [str(value) for value in definition.get("enum", [])],
                "fields": [
                    {
                        "name": field,
                        "type": describe_type(prop),
                        "required": field in required,
                        "description": prop.get("description", ""),
                        "constraints": _constraints(prop),
                    }
                    for field, prop in definition.get("properties", {}).items()
                ],
            }
        )
    return {
        "info": schema.get("info", {}),
        "groups": sorted(groups.items()),
        "schemas": schemas,
    }


class TandemDocs(DocsBase):
    def render_page(self, request: HttpRequest, api, **kwargs) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        context = docs_context(schema)
        context["openapi_url"] = self.get_openapi_url(api, kwargs)
        return render(request, "shell/api_docs.html", context)
