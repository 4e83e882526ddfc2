from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError


def codes(error: ValidationError) -> set[str]:
    """Every code a domain error carries, whether it names a field or not."""
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


@pytest.fixture
def refused():
    """`with refused("code"): ...` — the service refuses with that code."""
    from contextlib import contextmanager

    @contextmanager
    def _refused(code: str):
        with pytest.raises(ValidationError) as info:
            yield info
        assert code in codes(info.value), codes(info.value)

    return _refused
