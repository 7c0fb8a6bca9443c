"""What several views share: services, the space checked through archive.access, paging."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from archive.access import readable_space
from archive.errors import NotFound
from archive.models import Member, Space
from web.services import WebServices


def services_of(request: Request) -> WebServices:
    return request.app.state.services


async def space_for(request: Request, member: Member) -> Space:
    """The space named in the URL if this member may read it; NotFound (404) alike otherwise."""
    return await readable_space(services_of(request).db, member, request.path_params["slug"])


def int_param(request: Request, name: str, default: int = 1, low: int = 1, high: int = 10_000) -> int:
    """A bounded integer query parameter; anything unreadable is the default."""
    try:
        return min(max(int(request.query_params.get(name, default)), low), high)
    except (TypeError, ValueError):
        return default


def path_int(request: Request, name: str) -> int:
    value = request.path_params[name]
    if not isinstance(value, int) or value < 1 or value > 2 ** 62:
        raise NotFound(f"no such {name}")
    return value


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages
