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


def total_text(total: int, capped: bool, estimate: int | None = None) -> str:
    """Return how many customers the list holds: "2,431 customers"; past the count's cap
    `total`, "about 220,000 customers" (the estimate to two significant figures), or
    "more than 10,000 customers" when there is no estimate or it rounds to `total` or less.
    """
    if not capped:
        return counted(total, "customer")
    about = two_significant_figures(estimate or 0)
    if about > total:
        return f"about {counted(about, 'customer')}"
    return f"more than {counted(total, 'customer')}"


def two_significant_figures(number: int) -> int:
    """Return `number` rounded to two significant figures, halves up: 215,499 → 220,000."""
    step = 10 ** max(0, len(str(abs(number))) - 2)
    return (number + step // 2) // step * step
