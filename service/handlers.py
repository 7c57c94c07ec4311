"""The Handlers implementation: Graph's semantics for userStatuses on top of a Store."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Final, TypeVar, cast
from urllib.parse import quote, urlencode

from generated.server import Conflict, NotFound, RequestContext, ServiceUnavailable
from generated.server.models import (
    ManagedDeviceMobileAppConfigurationUserStatus as UserStatus,
)
from generated.server.models import (
    ManagedDeviceMobileAppConfigurationUserStatusCollectionResponse as UserStatusPage,
)
from generated.server.models import (
    ManagedDeviceMobileAppConfigurationUserStatusUpdate as UserStatusUpdate,
)
from service.ids import RandomIds
from service.store import DuplicateId, Status, Store, Unavailable

ODATA_TYPE: Final = "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus"
COLLECTION: Final = "/deviceAppManagement/mobileAppConfigurations/{}/userStatuses"
DEFAULT_PAGE: Final = 100
MAX_PAGE: Final = 1000
T = TypeVar("T")


class UserStatusHandlers:
    """Implements ``generated.server.Handlers`` (mypy checks it where the app is built)."""

    def __init__(self, store: Store, new_id: Callable[[], str] | None = None) -> None:
        self.store = store
        self.new_id = new_id or RandomIds()

    async def create_user_statuses(
        self, ctx: RequestContext, *, managed_device_mobile_app_configuration_id: str, body: UserStatus
    ) -> UserStatus:
        status = {k: v for k, v in body.items() if k != "@odata.type"}
        status.setdefault("id", self.new_id())
        try:
            created = await _guard(self.store.create(managed_device_mobile_app_configuration_id, status))
        except DuplicateId:
            raise Conflict(f"A userStatus with id '{status['id']}' already exists.", target="id") from None
        return _wire(created)

    async def get_user_statuses(
        self,
        ctx: RequestContext,
        *,
        managed_device_mobile_app_configuration_id: str,
        managed_device_mobile_app_configuration_user_status_id: str,
        select: Sequence[str] | None,
    ) -> UserStatus:
        status_id = managed_device_mobile_app_configuration_user_status_id
        found = await _guard(self.store.get(managed_device_mobile_app_configuration_id, status_id))
        if found is None:
            raise _not_found(status_id)
        return _wire(found, select)

    async def list_user_statuses(
        self,
        ctx: RequestContext,
        *,
        managed_device_mobile_app_configuration_id: str,
        count: bool | None,
        select: Sequence[str] | None,
        skip: int | None,
        skiptoken: str | None,
        top: int | None,
    ) -> UserStatusPage:
        config_id = managed_device_mobile_app_configuration_id
        after = _position(skiptoken)
        # As in Graph, $top is the page size; the service caps it, and links further pages.
        limit = DEFAULT_PAGE if top is None else min(top, MAX_PAGE)
        # One extra row says whether another page exists without a second query.
        rows = await _guard(self.store.page(config_id, after=after, skip=skip or 0, limit=limit + 1)) if limit else []
        page: UserStatusPage = {"value": [_wire(status, select) for _, status in rows[:limit]]}
        if len(rows) > limit:
            page["@odata.nextLink"] = _next_link(ctx, config_id, rows[limit - 1][0], top, count, select)
        if count:
            page["@odata.count"] = await _guard(self.store.count(config_id))
        return page

    async def get_count(self, ctx: RequestContext, *, managed_device_mobile_app_configuration_id: str) -> int:
        return await _guard(self.store.count(managed_device_mobile_app_configuration_id))

    async def update_user_statuses(
        self,
        ctx: RequestContext,
        *,
        managed_device_mobile_app_configuration_id: str,
        managed_device_mobile_app_configuration_user_status_id: str,
        body: UserStatusUpdate,
    ) -> UserStatus:
        status_id = managed_device_mobile_app_configuration_user_status_id
        # The spec's update schema has no `id`: the server already refused a body trying to change it.
        changes = cast(Status, {k: v for k, v in body.items() if k != "@odata.type"})
        updated = await _guard(self.store.update(managed_device_mobile_app_configuration_id, status_id, changes))
        if updated is None:
            raise _not_found(status_id)
        return _wire(updated)

    async def delete_user_statuses(
        self,
        ctx: RequestContext,
        *,
        managed_device_mobile_app_configuration_id: str,
        managed_device_mobile_app_configuration_user_status_id: str,
    ) -> None:
        status_id = managed_device_mobile_app_configuration_user_status_id
        if not await _guard(self.store.delete(managed_device_mobile_app_configuration_id, status_id)):
            raise _not_found(status_id)


async def _guard(action: Awaitable[T]) -> T:
    """Await a store call; a store that cannot serve it answers 503 instead of crashing the request."""
    try:
        return await action
    except Unavailable as error:
        raise ServiceUnavailable(
            f"The service cannot do this right now: {error}.", headers={"Retry-After": str(error.retry_after)}
        ) from None


def _position(skiptoken: str | None) -> int:
    """Where a ``$skiptoken`` resumes: the position of the last item of the page that linked it, in hex (the
    spec's pattern admits only 16 lowercase hex digits below 2**63, so every token the server lets through
    parses, and any of them is a valid position)."""
    return int(skiptoken, 16) if skiptoken else 0


def _wire(status: Status, select: Sequence[str] | None = None) -> UserStatus:
    """The stored status as Graph sends it: ``@odata.type`` first; with $select, only those (and id)."""
    keys: Any = status.keys() if not select else ["id", *[k for k in select if k != "id"]]
    return cast(UserStatus, {"@odata.type": ODATA_TYPE, **{key: status[key] for key in keys}})


def _not_found(status_id: str) -> NotFound:
    return NotFound(f"No userStatus with id '{status_id}' exists in this configuration.", target="id")


def _next_link(ctx: RequestContext, config_id: str, last: int, top: int | None, count: bool | None, select: Any) -> str:
    """The next page: after ``last``, the position of this page's last item; other options as asked."""
    query: dict[str, Any] = {"$skiptoken": f"{last:016x}"}
    if top is not None:
        query["$top"] = top
    if count:
        query["$count"] = "true"
    if select:
        query["$select"] = ",".join(select)
    path = COLLECTION.format(quote(config_id, safe=""))
    return f"{ctx.base_url}{path}?{urlencode(query, safe='$,')}"
