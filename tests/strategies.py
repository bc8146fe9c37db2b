"""Hypothesis strategies for arbitrary JSON, shared by the no-5xx tests of every door."""

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
