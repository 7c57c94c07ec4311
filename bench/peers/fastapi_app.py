"""FastAPI + pydantic v2, written as a user would around the models datamodel-code-generator emits for openapi.yaml.

The harness generates those models at bench time into ``bench_peer_models`` (on ``PYTHONPATH``); the bearer token
is checked by an async dependency, a body that fails the model answers 400 (FastAPI's default is 422; the spec says
400), a create answers 201 with what was sent plus an ``id``. Runs from ``.bench-venv/``: fastapi is not a project
dependency. pydantic keeps 6 fractional digits of a date-time: Graph's 7-digit example comes back with 6.
"""

from __future__ import annotations

import itertools
import os
import secrets
from typing import Annotated

from bench_peer_models import ManagedDeviceMobileAppConfigurationUserStatus as Status
from fastapi import Depends, FastAPI, HTTPException, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

TOKEN = os.environ["BENCH_TOKEN"]
PATH = "/v1.0/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses"
_ids = itertools.count()
_bearer = HTTPBearer()
_store: dict[str, Status] = {}  # the latest 1,000, as bench.apps.MemoryHandlers keeps them

app = FastAPI()


async def authorized(credentials: Annotated[HTTPAuthorizationCredentials, Depends(_bearer)]) -> None:
    if not secrets.compare_digest(credentials.credentials, TOKEN):
        raise HTTPException(401, "invalid token", headers={"WWW-Authenticate": "Bearer"})


@app.exception_handler(RequestValidationError)
async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0]
    target = ".".join(str(part) for part in first["loc"][1:])
    error = {"code": "BadRequest", "message": first["msg"], "target": target}
    return JSONResponse({"error": error}, status_code=400)


@app.post(
    PATH,
    status_code=201,
    response_model=Status,
    response_model_exclude_unset=True,
    dependencies=[Depends(authorized)],
)
async def create_user_statuses(
    managedDeviceMobileAppConfigurationId: Annotated[str, Path(min_length=1, max_length=128)],
    body: Status,
) -> Status:
    created = body.model_copy(update={"id": body.id or str(next(_ids))})
    _store[created.id or ""] = created
    if len(_store) > 1000:
        del _store[next(iter(_store))]
    return created
