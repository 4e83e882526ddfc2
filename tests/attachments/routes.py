from tests.walk import CADRE, OFFICE, READERS, Route

KEEPERS = frozenset({CADRE, OFFICE})


def build(world):
    from attachments import services
    from tests.attachments.files import png_bytes, upload
    from tests.meetings.factories import township_meeting

    cadre = world.personas["cadre_a"]
    world.attached_meeting = township_meeting(cadre, topic="附件例会")
    world.attachment = services.attach_file(
        record=world.attached_meeting, uploaded=upload("签到表.png", png_bytes()), caption="签到表", by=cadre
    )


ROUTES = [
    Route(
        "attachments:upload",
        lambda w: {"model": "meetings.meeting", "pk": w.attached_meeting.pk},
        method="post",
        allowed=KEEPERS,
        scoped=True,
    ),
    Route("attachments:download", lambda w: {"pk": w.attachment.pk}, allowed=READERS, scoped=True),
    Route("attachments:thumbnail", lambda w: {"pk": w.attachment.pk}, allowed=READERS, scoped=True),
    Route("attachments:void", lambda w: {"pk": w.attachment.pk}, allowed=KEEPERS, scoped=True),
]
