"""The customers list's total and page links as people read them."""

from dataclasses import dataclass

from web.presenters.plurals import counted

# Page numbers shown on each side of the current page, besides the first and the last.
AROUND = 2


@dataclass(frozen=True)
class PageLink:
    """A numbered page link, or a gap ("…") between two when `number` is None."""

    number: int | None
    current: bool = False


def page_links(current: int, count: int) -> list[PageLink]:
    """Return the links of a pager: the first, the last, the pages around the current one,
    and a gap where pages are left out: 1 … 4 5 [6] 7 8 … 20."""
    shown = {1, count, *range(current - AROUND, current + AROUND + 1)}
    numbers = sorted(n for n in shown if 1 <= n <= count)
    links: list[PageLink] = []
    for previous, number in zip([0, *numbers], numbers, strict=False):
        if number - previous > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, current=number == current))
    return links


def total_text(total: int, capped: bool) -> str:
    """Return how many customers the list holds: "2,431 customers", "more than 10,000"."""
    if capped:
        return f"more than {counted(total, 'customer')}"
    return counted(total, "customer")
