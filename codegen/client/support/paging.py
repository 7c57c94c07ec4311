# Support module of every generated client: copied verbatim by codegen.client (line 1 becomes the @generated header).
"""Paging over OData lists: each page has ``value`` and, while more items remain, ``@odata.nextLink``.

The list operations' ``sync_all`` and ``asyncio_all`` use these helpers to walk every page. A next link
is followed only to the client's own base URL, so a page can never send the client's token elsewhere.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

import httpx

from .types import Unset

PageT = TypeVar("PageT")


class PageError(Exception):
    """A page could not be read: the service answered with an error, or a next link leaves the service."""

    def __init__(self, message: str, answer: object = None) -> None:
        super().__init__(message)
        #: What the service answered instead of a page (the parsed error, or None).
        self.answer = answer


class Paged(Protocol):
    @property
    def odata_next_link(self) -> str | Unset | None: ...


def checked(page: object, page_type: type[PageT]) -> PageT:
    """``page`` if it is a page; PageError with the service's answer otherwise."""
    if not isinstance(page, page_type):
        raise PageError(f"the service answered with {type(page).__name__} instead of a page", page)
    return page


def next_link(page: Paged, base_url: httpx.URL) -> str | None:
    """The next page's URL, or None on the last page; PageError if it is not under ``base_url``."""
    link = page.odata_next_link
    if isinstance(link, Unset) or not link:
        return None
    url = httpx.URL(link)
    base_path = base_url.raw_path.split(b"?")[0].rstrip(b"/") + b"/"
    same_origin = (url.scheme, url.host, url.port) == (base_url.scheme, base_url.host, base_url.port)
    if not same_origin or not (url.raw_path.split(b"?")[0] + b"/").startswith(base_path):
        raise PageError(f"the next link {link!r} leaves the service at {base_url}")
    return link
