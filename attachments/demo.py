"""Demo attachments in the first demo township: a meeting's sign-in sheet and minutes, the photo of an
issue's notice on the 公开栏, a signed consent form, the 公示 of a 四议两公开 resolution and the
evidence that a rectification measure was done. Images are drawn with Pillow, the PDF by WeasyPrint."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from clusters.models import ConsentSurvey
from lianchun.demodata import DemoContext
from meetings.models import DecisionRecord, DecisionStep, Meeting, MeetingIssue
from rectification.models import RectificationItem

from . import services

FONT = Path(settings.BASE_DIR) / "static" / "vendor" / "noto-sans-sc-0.4.3" / "NotoSansSC-Regular.ttf"


def _photo(title: str, lines: list[str], *, paper=(250, 248, 240)) -> bytes:
    """A photographed sheet: a title, ruled lines and a red stamp."""
    image = Image.new("RGB", (1200, 900), (90, 96, 104))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 60, 1080, 860), fill=paper)
    title_font = ImageFont.truetype(str(FONT), 46)
    body_font = ImageFont.truetype(str(FONT), 30)
    draw.text((600, 120), title, fill=(30, 30, 30), font=title_font, anchor="mm")
    for index, line in enumerate(lines):
        y = 210 + index * 62
        draw.text((170, y), line, fill=(40, 40, 40), font=body_font)
        draw.line((170, y + 48, 1030, y + 48), fill=(200, 200, 200), width=2)
    draw.ellipse((820, 640, 1010, 830), outline=(190, 30, 30), width=8)
    draw.text((915, 735), "印", fill=(190, 30, 30), font=title_font, anchor="mm")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = f'<html lang="zh-CN"><body style="font-family: \'Noto Sans CJK SC\', sans-serif"><h1>{title}</h1>{body}</body></html>'
    return HTML(string=html).write_pdf()


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def build(ctx: DemoContext) -> None:
    if not ctx.townships:
        return
    township = ctx.townships[0]
    cadre = next((u for u in ctx.users.values() if u.is_township_cadre and u.township_id == township.pk), None)
    if cadre is None:
        return
    attached: list[str] = []

    def attach(record: Any, name: str, content: Callable[[Any], bytes], caption: str) -> None:
        """One scanned or photographed paper on `record`, when the demo built such a record in this township."""
        if record is not None:
            services.attach_file(record=record, uploaded=_file(name, content(record)), caption=caption, by=cadre)
            attached.append(name)

    meeting = Meeting.objects.filter(township=township, voided_at__isnull=True).order_by("-starts_at").first()
    attach(
        meeting,
        "签到表.jpg",
        lambda _meeting: _photo("会议签到表", ["张立新  到", "李　明  到", "王秀英  请假（镇长批准）", "赵　刚  到"]),
        "签到表",
    )
    attach(
        meeting,
        "会议纪要.pdf",
        lambda meeting: _pdf("会议纪要", [meeting.topic, "出席：村两委主要干部。", "议定事项见附表。"]),
        "会议纪要（签字版）",
    )
    issue = (
        MeetingIssue.objects.filter(township=township, voided_at__isnull=True, published_on__isnull=False)
        .order_by("-published_on")
        .first()
    )
    attach(
        issue,
        "公开栏.jpg",
        lambda issue: _photo("村务公开栏", ["反映问题办理结果公示", issue.description[:18], "公示期七天"]),
        "公开栏公示照片",
    )
    survey = ConsentSurvey.objects.filter(cluster__township=township).order_by("pk").first()
    attach(
        survey,
        "同意书.pdf",
        lambda survey: _pdf("联村组建意见征求表（签字）", [str(survey.village), "本户同意组建联村。"]),
        "签字同意书（扫描件）",
    )
    step = (
        DecisionRecord.objects.filter(decision__village__township=township, step=DecisionStep.RESOLUTION_PUBLIC)
        .select_related("decision")
        .first()
    )
    attach(
        step,
        "决议公示.jpg",
        lambda step: _photo("决议公开", [step.decision.title[:18], "村民代表会议决议", "公示期五天"]),
        "决议公示照片",
    )
    item = (
        RectificationItem.objects.filter(plan__village__township=township, voided_at__isnull=True)
        .order_by("pk")
        .first()
    )
    attach(
        item, "整改佐证.jpg", lambda item: _photo("整改佐证", [item.measure[:18], "已完成，现场照片"]), "整改佐证照片"
    )
    ctx.log(f"    attachments: {len(attached)} in {township.name}")
