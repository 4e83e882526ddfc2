"""Attachments: images and PDFs only (read from the content), size-limited, thumbnails, scoped downloads,
voided not deleted, in the audit trail, on the configured storage."""

from __future__ import annotations

import hashlib
import io
import re
from urllib.parse import unquote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.urls import reverse
from PIL import Image

from attachments import services
from attachments.models import Attachment
from tests.attachments.files import PDF, jpeg_bytes, png_bytes, upload
from tests.meetings.factories import county_meeting, township_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting_a(cadre_a):
    return township_meeting(cadre_a, topic="三月例会")


def test_a_photo_is_kept_with_a_thumbnail_and_shown_on_the_record(login, cadre_a, meeting_a):
    client = login(cadre_a)
    response = client.post(
        reverse("attachments:upload", args=["meetings.meeting", meeting_a.pk]),
        {"file": upload("IMG_0001.JPG", jpeg_bytes(), "image/jpeg"), "caption": "签到表"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#attachments-meetings-meeting-{meeting_a.pk}")
    attachment = Attachment.objects.get()
    assert attachment.file_kind == "jpeg" and attachment.original_name == "IMG_0001.JPG"
    assert attachment.township == cadre_a.township and attachment.uploaded_by == cadre_a
    assert attachment.sha256 == hashlib.sha256(attachment.file.read()).hexdigest()
    # The stored name is ours, not the user's.
    assert "IMG_0001" not in attachment.file.name and attachment.file.name.endswith(".jpg")
    with Image.open(attachment.thumbnail.open("rb")) as thumb:
        assert max(thumb.size) == 320

    page = client.get(meeting_a.get_absolute_url()).content.decode()
    assert "签到表" in page and reverse("attachments:thumbnail", args=[attachment.pk]) in page
    download = client.get(reverse("attachments:download", args=[attachment.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    assert b"".join(download.streaming_content) == attachment.file.open("rb").read()
    assert {"private", "no-store"} <= {part.strip() for part in download["Cache-Control"].split(",")}


def test_a_pdf_is_accepted_and_served_as_pdf(login, cadre_a, meeting_a):
    attachment = services.attach_file(record=meeting_a, uploaded=upload("会议纪要.pdf", PDF), by=cadre_a)
    assert attachment.file_kind == "pdf" and not attachment.thumbnail
    response = login(cadre_a).get(reverse("attachments:download", args=[attachment.pk]))
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("uploaded_as", "kept_as"),
    [
        ("invoice\u202efdp.exe", "invoicefdp.pdf"),  # a direction override and a program's extension
        ("通知.html", "通知.pdf"),
        ("会议纪要", "会议纪要.pdf"),
        ("会议纪要.PDF", "会议纪要.PDF"),
    ],
)
def test_an_attachment_is_named_and_downloaded_as_the_kind_its_bytes_are(
    login, cadre_a, meeting_a, uploaded_as, kept_as
):
    """A PDF uploaded under a program's or a web page's name opens, once saved to disk, as the PDF it is."""
    attachment = services.attach_file(record=meeting_a, uploaded=upload(uploaded_as, PDF), by=cadre_a)
    assert attachment.original_name == kept_as
    response = login(cadre_a).get(reverse("attachments:download", args=[attachment.pk]))
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    named = re.search(r"filename\*=utf-8''([^;]+)", disposition) or re.search(r'filename="([^"]+)"', disposition)
    assert unquote(named.group(1)) == kept_as, disposition


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, "只能上传照片"),  # an executable renamed .jpg
        ("notice.pdf", b"<html><script>alert(1)</script></html>", "只能上传照片"),  # HTML called .pdf
        ("sheet.png", b"PK\x03\x04" + b"\x00" * 100, "只能上传照片"),  # an Office document renamed .png
        ("broken.png", png_bytes()[:60], "无法读取此图片"),  # a PNG cut short
        ("cut.pdf", PDF[:80], "PDF 文件不完整"),
        ("empty.jpg", b"", "文件为空"),
    ],
)
def test_content_decides_the_type_not_the_name(cadre_a, meeting_a, name, content, message):
    with pytest.raises(ValidationError, match=message):
        services.attach_file(record=meeting_a, uploaded=upload(name, content, "image/jpeg"), by=cadre_a)
    assert not Attachment.objects.exists()


def test_size_limit_from_settings(settings, cadre_a, meeting_a):
    settings.ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    big = png_bytes(size=(2000, 2000))
    big += b"\x00" * (settings.ATTACHMENT_MAX_BYTES + 1 - len(big))
    with pytest.raises(ValidationError, match="上限为 2 MB"):
        services.attach_file(record=meeting_a, uploaded=upload("big.png", big), by=cadre_a)
    assert not Attachment.objects.exists()


def test_a_refused_upload_says_why_on_the_page(login, cadre_a, meeting_a):
    client = login(cadre_a)
    response = client.post(
        reverse("attachments:upload", args=["meetings.meeting", meeting_a.pk]),
        {"file": upload("virus.jpg", b"MZ" + b"\x00" * 100), "caption": "三月例会签到表"},
        follow=True,
    )
    page = response.content.decode()
    assert "只能上传照片（JPEG、PNG、WebP）或 PDF 文件，此文件不是。" in page
    # The caption typed with the refused file is still in the box: only another file needs choosing.
    assert 'name="caption"' in page and 'value="三月例会签到表"' in page
    assert 'value="三月例会签到表"' not in client.get(meeting_a.get_absolute_url()).content.decode()  # once


def test_another_township_gets_404_for_the_file_and_cannot_upload(login, cadre_a, cadre_b, meeting_a):
    attachment = services.attach_file(record=meeting_a, uploaded=upload("a.png", png_bytes()), by=cadre_a)
    client = login(cadre_b)
    assert client.get(reverse("attachments:download", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("attachments:thumbnail", args=[attachment.pk])).status_code == 404
    response = client.post(
        reverse("attachments:upload", args=["meetings.meeting", meeting_a.pk]),
        {"file": upload("b.png", png_bytes())},
    )
    assert response.status_code == 404
    assert Attachment.objects.count() == 1


def test_a_county_meetings_attachment_is_seen_by_invited_townships_only(
    login, township_a, cadre_a, cadre_b, county_office
):
    meeting = county_meeting(county_office, [township_a])
    attachment = services.attach_file(record=meeting, uploaded=upload("a.pdf", PDF), by=county_office)
    assert attachment.township is None
    assert login(cadre_a).get(reverse("attachments:download", args=[attachment.pk])).status_code == 200
    assert login(cadre_b).get(reverse("attachments:download", args=[attachment.pk])).status_code == 404
    with pytest.raises(PermissionDenied):  # an invited township reads, only the convener attaches
        services.attach_file(record=meeting, uploaded=upload("b.pdf", PDF), by=cadre_a)


def test_voided_not_deleted_and_in_the_audit_trail(login, cadre_a, meeting_a):
    attachment = services.attach_file(record=meeting_a, uploaded=upload("a.png", png_bytes()), by=cadre_a)
    client = login(cadre_a)
    url = reverse("attachments:void", args=[attachment.pk])
    assert "作废附件" in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 200  # a reason is required
    client.post(url, {"reason": "照片拍错了会议"})
    attachment.refresh_from_db()
    assert attachment.is_voided and attachment.void_reason == "照片拍错了会议"
    assert storages["attachments"].exists(attachment.file.name)  # the file stays
    page = client.get(meeting_a.get_absolute_url()).content.decode()
    assert "已作废" in page and "照片拍错了会议" in page
    history = client.get(reverse("record-history", args=["attachments.attachment", attachment.pk]))
    assert history.status_code == 200
    text = history.content.decode()
    assert "上传附件" in text and "照片拍错了会议" in text
    # The record it belongs to is named by its kind, as a person says it, not as "app | model".
    assert "所属记录类型</strong>: — → 会议</li>" in text and "会议 | 会议" not in text


def test_roles_that_only_read_cannot_attach(login, leader, meeting_a):
    response = login(leader).post(
        reverse("attachments:upload", args=["meetings.meeting", meeting_a.pk]),
        {"file": upload("a.png", png_bytes())},
    )
    assert response.status_code == 403


def test_only_declared_records_take_attachments(login, cadre_a, village_a):
    response = login(cadre_a).post(
        reverse("attachments:upload", args=["villages.village", village_a.pk]), {"file": upload("a.png", png_bytes())}
    )
    assert response.status_code == 404


def test_a_missing_file_answers_404_not_a_server_error(login, cadre_a, meeting_a):
    attachment = services.attach_file(record=meeting_a, uploaded=upload("a.png", png_bytes()), by=cadre_a)
    storages["attachments"].delete(attachment.file.name)
    assert login(cadre_a).get(reverse("attachments:download", args=[attachment.pk])).status_code == 404


def test_every_attach_point_shows_the_panel(login, cadre_a, county_office, village_a):
    """Consent surveys, meetings, issues, 四议两公开 steps and rectification measures each show the panel."""
    from attachments.models import ATTACHABLE

    assert ATTACHABLE == {
        "clusters.consentsurvey",
        "meetings.meeting",
        "meetings.meetingissue",
        "meetings.decisionrecord",
        "rectification.rectificationitem",
    }
    meeting = township_meeting(cadre_a)
    from meetings import services as meeting_services

    issue = meeting_services.raise_issue(
        meeting=meeting, by=cadre_a, description="道路破损", raised_by="李书记", owner="王镇长", village=village_a
    )
    client = login(cadre_a)
    for record, url in [(meeting, meeting.get_absolute_url()), (issue, issue.get_absolute_url())]:
        page = client.get(url).content.decode()
        assert f'id="{services.anchor_of(record)}"' in page, url


def test_s3_compatible_storage_is_chosen_by_setting(monkeypatch):
    """With ATTACHMENTS_S3_BUCKET set, attachments go to django-storages' S3 backend (e.g. MinIO on-premises)."""
    import importlib

    import lianchun.settings as project_settings

    monkeypatch.setenv("ATTACHMENTS_S3_BUCKET", "lianchun-evidence")
    monkeypatch.setenv("ATTACHMENTS_S3_ENDPOINT_URL", "http://minio.county.local:9000")
    try:
        reloaded = importlib.reload(project_settings)
        config = reloaded.STORAGES["attachments"]
        assert config["BACKEND"] == "storages.backends.s3.S3Storage"
        assert config["OPTIONS"]["bucket_name"] == "lianchun-evidence"
        assert config["OPTIONS"]["endpoint_url"] == "http://minio.county.local:9000"
        assert config["OPTIONS"]["default_acl"] == "private" and config["OPTIONS"]["querystring_auth"] is True
        from storages.backends.s3 import S3Storage

        storage = S3Storage(**config["OPTIONS"])
        assert storage.bucket_name == "lianchun-evidence" and storage.endpoint_url == "http://minio.county.local:9000"
    finally:
        monkeypatch.delenv("ATTACHMENTS_S3_BUCKET")
        monkeypatch.delenv("ATTACHMENTS_S3_ENDPOINT_URL")
        importlib.reload(project_settings)


def test_thumbnail_of_a_png_with_transparency(cadre_a, meeting_a):
    out = io.BytesIO()
    Image.new("RGBA", (640, 480), (0, 0, 0, 0)).save(out, "PNG")
    attachment = services.attach_file(record=meeting_a, uploaded=upload("t.png", out.getvalue()), by=cadre_a)
    with Image.open(attachment.thumbnail.open("rb")) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (320, 240)


def test_check_attachments_finds_missing_and_altered_files(cadre_a, meeting_a):
    from django.core.management import CommandError, call_command

    kept = services.attach_file(record=meeting_a, uploaded=upload("a.png", png_bytes()), by=cadre_a)
    out = io.StringIO()
    call_command("check_attachments", stdout=out)
    assert "1 attachments checked, 0 missing, 0 altered" in out.getvalue()
    gone = services.attach_file(record=meeting_a, uploaded=upload("b.pdf", PDF), by=cadre_a)
    storages["attachments"].delete(gone.file.name)
    with storages["attachments"].open(kept.file.name, "wb") as handle:
        handle.write(png_bytes(colour=(0, 0, 0)))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_attachments", stdout=io.StringIO(), stderr=err)
    assert f"missing: #{gone.pk}" in err.getvalue() and f"altered: #{kept.pk}" in err.getvalue()
