"""民主评议 (seed 004: 每年两次对联合各方党员进行民主评议，评议不合格者，安排专人重点帮促).

Votes are recorded as counts by grade; the result is derived from them by the county's rule,
never chosen by hand. The rule, in integers (a share "a/b" compares votes × b with a × cast):
1. 不合格 when the 'unqualified' votes are more than `unqualified_over` of the votes cast;
2. otherwise 优秀 when the 'excellent' votes reach `excellent_from` of the votes cast;
3. otherwise 基本合格 when 'basically qualified' and 'unqualified' votes together are more than
   `basic_over` of the votes cast;
4. otherwise 合格.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

EXCELLENT = "excellent"
QUALIFIED = "qualified"
BASIC = "basic"
UNQUALIFIED = "unqualified"

GRADE_CHOICES = [
    (EXCELLENT, _("Excellent")),
    (QUALIFIED, _("Qualified")),
    (BASIC, _("Basically qualified")),
    (UNQUALIFIED, _("Unqualified")),
]


@dataclass(frozen=True)
class Votes:
    excellent: int = 0
    qualified: int = 0
    basic: int = 0
    unqualified: int = 0

    @property
    def cast(self) -> int:
        return self.excellent + self.qualified + self.basic + self.unqualified


@dataclass(frozen=True)
class Rule:
    unqualified_over: tuple[int, int] = (1, 3)
    excellent_from: tuple[int, int] = (2, 3)
    basic_over: tuple[int, int] = (1, 2)


def _more_than(votes: int, share: tuple[int, int], cast: int) -> bool:
    numerator, denominator = share
    return votes * denominator > numerator * cast


def _at_least(votes: int, share: tuple[int, int], cast: int) -> bool:
    numerator, denominator = share
    return votes * denominator >= numerator * cast


def derive(votes: Votes, rule: Rule) -> str:
    """The grade the rule gives these votes; ValueError when no vote was cast."""
    cast = votes.cast
    if cast <= 0:
        raise ValueError("no votes cast")
    if _more_than(votes.unqualified, rule.unqualified_over, cast):
        return UNQUALIFIED
    if _at_least(votes.excellent, rule.excellent_from, cast):
        return EXCELLENT
    if _more_than(votes.basic + votes.unqualified, rule.basic_over, cast):
        return BASIC
    return QUALIFIED
