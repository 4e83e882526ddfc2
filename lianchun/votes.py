"""The quorum and majority of a meeting's vote, one rule for every app that records one.

村民委员会组织法 art. 26: the villager representatives' meeting is held with at least two thirds of
its members present, and its decisions need more than half of those present. The product applies
the same rule to the party members' meeting of 四议两公开 (meetings) and to the representatives'
review of a 一村一策 plan (rectification).

The refusals are coded and put on the form field they belong to (`lianchun.refusals.refuse`);
`fields` names the fields of the entitled, present and in-favour counts in the caller's form.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .refusals import refuse

COUNT_FIELDS = ("members", "present", "in_favour")


def quorum(members: int) -> int:
    """The fewest present that make a quorum: two thirds of the members, rounded up."""
    return -(-members * 2 // 3)


def majority(present: int) -> int:
    """The fewest in favour that carry a vote: more than half of those present."""
    return present // 2 + 1


def vote_passes(members: int, present: int, in_favour: int) -> bool:
    """A meeting with at least two thirds of its members present, and more than half of those present in favour."""
    return present * 3 >= members * 2 and in_favour * 2 > present


def check_counts(
    members: int, present: int, in_favour: int, *, against: int | None = None, fields: tuple[str, ...] = COUNT_FIELDS
) -> None:
    """Refuse counts no meeting can have: nobody entitled, more present than entitled, more votes than present.

    `against`, when the vote records it, counts with the votes in favour.
    """
    members_field, present_field, in_favour_field = fields
    if members <= 0:
        raise refuse(_("The number of members entitled must be positive."), "no_members", members_field)
    if present > members:
        raise refuse(_("More present than members entitled."), "present_over_members", present_field)
    if against is None:
        if in_favour > present:
            raise refuse(_("More in favour than people present."), "votes_over_present", in_favour_field)
    elif in_favour + against > present:
        raise refuse(_("More votes than people present."), "votes_over_present", in_favour_field)


def check_passes(members: int, present: int, in_favour: int, *, fields: tuple[str, ...] = COUNT_FIELDS) -> None:
    """Refuse a vote that did not pass, saying how many were needed: the quorum on the present count, the
    majority on the in-favour count. The counts are possible ones (`check_counts`)."""
    _members_field, present_field, in_favour_field = fields
    if present < quorum(members):
        raise refuse(
            _("The meeting had no quorum: of %(members)s entitled, at least %(needed)s must be present (two thirds)."),
            "no_quorum",
            present_field,
            members=members,
            needed=quorum(members),
        )
    if in_favour < majority(present):
        raise refuse(
            _(
                "The vote was not carried: of %(present)s present, at least %(needed)s must be in favour (more than half)."
            ),
            "no_majority",
            in_favour_field,
            present=present,
            needed=majority(present),
        )
