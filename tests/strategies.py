"""Hypothesis strategies for arbitrary JSON, shared by the no-5xx tests of every door."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)


def json_values(extra_scalars=None, max_leaves: int = 10):
    """Return a strategy for nested JSON values (lists and objects of scalars)."""
    scalars = SCALARS if extra_scalars is None else SCALARS | extra_scalars
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=6), children, max_size=3)
        ),
        max_leaves=max_leaves,
    )


def fuzz_settings(max_examples: int) -> settings:
    """Return the settings of a fuzz test: the same examples on every run, and enough of them.

    A random draw that finds a defect once and misses it on the next run guards nothing:
    the seed is fixed (`derandomize`), no example database carries finds from one run to
    the next, and every example ever found is also written down with `@example`.
    """
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
