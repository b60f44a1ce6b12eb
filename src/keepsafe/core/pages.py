"""Pages of a list (GOV.UK pagination): which rows a page number shows.

A page number past the last page shows the last page, as the overrides list (`assurance/rules/overrides.page`), the
notifications page (`actions/inbox.inbox`) and Django's `Paginator.get_page` do: a link kept from when the list was
longer (cases moved on, actions done) still lands on the list's end, never on an empty page "5 of 2". A page number
that is not one (`page=0`, `page=-3`, `page=abc`) is refused by the page (`web/views/common.page_number`).

Pure: no Django."""

from __future__ import annotations


def shown_offset(offset: int, limit: int, total: int) -> int:
    """The offset of the page to show: `offset` while it is within the `total` rows, otherwise the offset of the last
    page of `limit` rows (0 for an empty list). Never beyond the rows, so no database is asked for an offset past
    them, however large the page number typed."""
    if limit < 1:
        raise ValueError("a page holds at least one row")
    if 0 <= offset < total:
        return offset
    return max(0, (total - 1) // limit * limit)


def shown_page(number: int, limit: int, total: int) -> int:
    """The page number `shown_offset` shows for page `number` (1-based): `number`, or the last page's."""
    return shown_offset((number - 1) * limit, limit, total) // limit + 1
