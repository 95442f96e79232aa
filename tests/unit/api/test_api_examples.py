"""The examples in the OpenAPI schema are answers the API could really give: each one is valid."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from goldenhour.api import schemas
from goldenhour.api.errors import install_error_handlers
from goldenhour.api.routes import auth, casualties, events, fhir, picture, stream

#: The API's bodies by their name in the schema.
MODELS: dict[str, type[BaseModel]] = {
    name: model
    for name, model in vars(schemas).items()
    if isinstance(model, type)
    and issubclass(model, BaseModel)
    and model.__module__ == schemas.__name__
    and not name.startswith("_")
}


def _document() -> dict[str, Any]:
    # The routes alone: building the schema needs no database.
    app = FastAPI()
    install_error_handlers(app)
    for module in (auth, events, casualties, picture, stream, fhir):
        app.include_router(module.router)
    return app.openapi()


def _response_examples() -> list[Any]:
    found = []
    for path, item in _document()["paths"].items():
        for method, operation in item.items():
            for code, response in operation["responses"].items():
                body = response.get("content", {}).get("application/json", {})
                reference = body.get("schema", {}).get("$ref", "")
                values = [e["value"] for e in body.get("examples", {}).values()]
                values += [body["example"]] if "example" in body else []
                for value in values:
                    name = reference.rsplit("/", 1)[-1]
                    found.append(pytest.param(name, value, id=f"{method}-{path}-{code}"))
    return found


@pytest.mark.parametrize(("name", "example"), _response_examples())
def test_each_documented_answer_is_a_valid_body(name: str, example: Any) -> None:
    MODELS[name].model_validate(example)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_each_body_has_examples_that_are_valid(name: str) -> None:
    model = MODELS[name]
    examples = model.model_json_schema().get("examples", [])
    if name not in {"DeviceTokenCreate", "EventBatch", "ProblemItem"}:  # examples per field
        assert examples, f"{name} has no example"
    for example in examples:
        model.model_validate(example)


def test_every_refusal_names_a_field_and_a_reason() -> None:
    for path, item in _document()["paths"].items():
        for method, operation in item.items():
            for code, response in operation["responses"].items():
                if code.startswith(("4", "5")):
                    examples = response["content"]["application/json"].get("examples", {})
                    assert examples, f"{method} {path} {code} has no example"
