"""The web archive's URLs, in one place: pages, API and links in mail use these."""

from __future__ import annotations

from urllib.parse import quote


def space_path(slug: str) -> str:
    return f"/s/{quote(slug)}/"


def thread_path(slug: str, thread_id: int) -> str:
    return f"/s/{quote(slug)}/t/{thread_id}/"


def post_path(slug: str, thread_id: int, post_id: int) -> str:
    return f"/s/{quote(slug)}/t/{thread_id}/#post-{post_id}"


def inquiry_path(slug: str, thread_id: int, export: str = "") -> str:
    """The inquiry's matrix page; export 'csv' or 'xlsx' for its files."""
    return f"/s/{quote(slug)}/t/{thread_id}/inquiry" + (f".{export}" if export else "")


def attachment_path(slug: str, attachment_id: int, filename: str | None) -> str:
    return f"/s/{quote(slug)}/a/{attachment_id}/{quote(filename or 'attachment', safe='')}"


def raw_path(slug: str, post_id: int) -> str:
    return f"/s/{quote(slug)}/raw/{post_id}.eml"


def delete_post_path(slug: str, post_id: int) -> str:
    return f"/s/{quote(slug)}/p/{post_id}/delete"


def records_path(slug: str, part: str = "") -> str:
    """The space's records page (import, export, retention); part: export.mbox, export.zip, import, import/ID."""
    return f"/s/{quote(slug)}/records" + (f"/{part}" if part else "")


def retention_admin_path(part: str = "") -> str:
    return "/admin/retention" + (f"/{part}" if part else "")


def unsubscribe_path(token: str) -> str:
    return f"/unsubscribe/{quote(token, safe='')}"


def mail_settings_path() -> str:
    """The settings page (delivery per space, digest hour, language); mail links point here."""
    return "/settings"


def search_path(query: str = "", slug: str | None = None) -> str:
    path = f"/search?q={quote(query)}"
    return path + (f"&space={quote(slug)}" if slug else "")


class WebLinks:
    """Absolute links for mail (notifications, digests): base URL + path."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")

    def space(self, slug: str) -> str:
        return self.base_url + space_path(slug)

    def thread(self, slug: str, thread_id: int) -> str:
        return self.base_url + thread_path(slug, thread_id)

    def post(self, slug: str, thread_id: int, post_id: int) -> str:
        return self.base_url + post_path(slug, thread_id, post_id)

    def attachment(self, slug: str, attachment_id: int, filename: str | None) -> str:
        return self.base_url + attachment_path(slug, attachment_id, filename)

    def inquiry(self, slug: str, thread_id: int) -> str:
        return self.base_url + inquiry_path(slug, thread_id)

    def unsubscribe(self, token: str) -> str:
        return self.base_url + unsubscribe_path(token)

    def mail_settings(self) -> str:
        return self.base_url + mail_settings_path()

    def absolute(self, path: str) -> str:
        return self.base_url + path
