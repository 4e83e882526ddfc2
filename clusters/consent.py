"""The consent rule (seed 000): "要在80%以上群众同意的基础上才能组成".

Pure integer arithmetic, no database: a village passes when
agree × 100 ≥ threshold × handed out (以上 includes the number itself, so
exactly 80% passes). Forms not returned are not consent. Rates are shown
truncated to one decimal, never rounded up across the line.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lianchun import rates
from lianchun.rates import format_rate, rate_tenths  # noqa: F401  (the module's rates, truncated)


def threshold() -> int:
    """The percentage of agreeing forms a village needs (setting CONSENT_THRESHOLD_PERCENT, default 80)."""
    return int(getattr(settings, "CONSENT_THRESHOLD_PERCENT", 80))


def passes(agree: int, handed_out: int, percent: int | None = None) -> bool:
    """True when agree ÷ handed out reaches `percent`; nothing handed out never passes."""
    percent = threshold() if percent is None else percent
    if handed_out <= 0:
        return False
    return agree * 100 >= percent * handed_out


def forms_needed(agree: int, handed_out: int, percent: int | None = None) -> int:
    """How many more agreeing forms the village needs to pass (0 when it passes)."""
    percent = threshold() if percent is None else percent
    required = -(-percent * handed_out // 100)  # ceiling, in integers
    return max(required - agree, 0)


def can_still_pass(agree: int, returned: int, handed_out: int, percent: int | None = None) -> bool:
    """Whether the village could still pass if every form still out came back agreeing."""
    outstanding = max(handed_out - returned, 0)
    return passes(agree + outstanding, handed_out, percent)


def validate_batch(
    *, returned: int, agree: int, disagree: int, invalid: int, already_returned: int, handed_out: int
) -> None:
    """Refuse impossible numbers: negative counts, parts not adding up, more returned than handed out."""
    counts = {"returned": returned, "agree": agree, "disagree": disagree, "invalid": invalid}
    for name, value in counts.items():
        if value is None or value < 0:
            raise ValidationError(_("Counts cannot be negative."), code="negative_count", params={"field": name})
    if agree + disagree + invalid != returned:
        raise ValidationError(
            _(
                "Agree (%(agree)s) + disagree (%(disagree)s) + invalid (%(invalid)s) must equal the forms "
                "returned (%(returned)s)."
            ),
            code="counts_do_not_add_up",
            params={"agree": agree, "disagree": disagree, "invalid": invalid, "returned": returned},
        )
    if returned == 0:
        raise ValidationError(_("A batch must contain at least one returned form."), code="empty_batch")
    if already_returned + returned > handed_out:
        raise ValidationError(
            _(
                "%(total)s forms would have come back, but only %(handed_out)s were handed out "
                "(%(already)s already returned)."
            ),
            code="returned_exceeds_handed_out",
            params={"total": already_returned + returned, "handed_out": handed_out, "already": already_returned},
        )


@dataclass(frozen=True)
class Tally:
    """A village's consent so far, computed from its batches."""

    handed_out: int = 0
    returned: int = 0
    agree: int = 0
    disagree: int = 0
    invalid: int = 0

    def plus(self, returned: int, agree: int, disagree: int, invalid: int) -> Tally:
        return Tally(
            handed_out=self.handed_out,
            returned=self.returned + returned,
            agree=self.agree + agree,
            disagree=self.disagree + disagree,
            invalid=self.invalid + invalid,
        )

    @property
    def outstanding(self) -> int:
        return max(self.handed_out - self.returned, 0)

    @property
    def passes(self) -> bool:
        return passes(self.agree, self.handed_out)

    @property
    def forms_needed(self) -> int:
        return forms_needed(self.agree, self.handed_out)

    @property
    def can_still_pass(self) -> bool:
        return can_still_pass(self.agree, self.returned, self.handed_out)

    @property
    def agree_rate(self) -> str:
        return format_rate(self.agree, self.handed_out)

    @property
    def returned_rate(self) -> str:
        """Describes, decides nothing: rounded half up like the other descriptive rates."""
        return rates.describe(self.returned, self.handed_out)
