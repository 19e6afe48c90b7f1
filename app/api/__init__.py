"""The JSON API: /api/..., described by the OpenAPI document at /api/openapi.json."""
