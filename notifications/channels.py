"""Delivery beyond the app: the channels named in settings.NOTIFICATION_CHANNELS.

- "console": prints each notification (development);
- "email": Django's mail framework (EMAIL_BACKEND and friends), to the user's email address;
- "webhook": POSTs JSON to NOTIFICATION_WEBHOOK_URL — the body is a WeChat Work group-robot text
  message ({"msgtype": "text", "text": {"content": ..., "mentioned_mobile_list": [...]}}) with the
  recipient, kind, title and link beside it, so an SMS gateway can read the same body.

`manage.py send_reminders` delivers what is not yet delivered; a request never waits on a channel.
"""

from __future__ import annotations

import json
import logging
import smtplib
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, TextIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A channel could not deliver; the notification stays undelivered and the next run tries again."""


@dataclass(frozen=True)
class Message:
    recipient: Any
    kind: str
    title: str
    body: str
    link: str

    @property
    def text(self) -> str:
        return "\n".join(part for part in (self.title, self.body, self.link) if part)


class ConsoleChannel:
    name = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, message: Message) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"[{message.kind}] → {message.recipient.username}: {message.text}\n")


class EmailChannel:
    name = "email"

    def send(self, message: Message) -> None:
        address = getattr(message.recipient, "email", "")
        if not address:
            return  # no address on file: the in-app notification is all this user gets
        subject = _("[Village cluster ledger] %(title)s") % {"title": message.title}
        try:
            send_mail(subject, message.text, None, [address], fail_silently=False)
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"email: {error}") from error


class WebhookChannel:
    name = "webhook"

    def __init__(self, url: str | None = None, timeout: float | None = None) -> None:
        self.url = url if url is not None else getattr(settings, "NOTIFICATION_WEBHOOK_URL", "")
        self.timeout = timeout if timeout is not None else getattr(settings, "NOTIFICATION_WEBHOOK_TIMEOUT", 5)
        if not self.url:
            raise ImproperlyConfigured("NOTIFICATION_CHANNELS names webhook but NOTIFICATION_WEBHOOK_URL is empty")

    def payload(self, message: Message) -> dict[str, Any]:
        phone = getattr(message.recipient, "phone", "") or ""
        return {
            "msgtype": "text",
            "text": {"content": message.text, "mentioned_mobile_list": [phone] if phone else []},
            "recipient": {
                "username": message.recipient.username,
                "name": str(message.recipient),
                "phone": phone,
                "email": getattr(message.recipient, "email", "") or "",
            },
            "kind": message.kind,
            "title": message.title,
            "link": message.link,
        }

    def send(self, message: Message) -> None:
        body = json.dumps(self.payload(message), ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 (the URL is the operator's setting)
            self.url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = response.read(10_000)
        except (urllib.error.URLError, OSError) as error:
            raise DeliveryError(f"webhook: {error}") from error
        # WeChat Work answers 200 with {"errcode": 0}; anything else non-zero is a refusal.
        try:
            errcode = json.loads(answer or b"{}").get("errcode", 0)
        except (ValueError, AttributeError):
            errcode = 0
        if errcode:
            raise DeliveryError(f"webhook refused the message: errcode {errcode}")


CHANNELS = {"console": ConsoleChannel, "email": EmailChannel, "webhook": WebhookChannel}


def configured_channels(**kwargs: Any) -> list[Any]:
    channels = []
    for name in getattr(settings, "NOTIFICATION_CHANNELS", []):
        if name not in CHANNELS:
            raise ImproperlyConfigured(
                f"NOTIFICATION_CHANNELS: unknown channel {name!r} (known: {', '.join(CHANNELS)})"
            )
        channel_class = CHANNELS[name]
        channels.append(channel_class(**kwargs) if name == "console" else channel_class())
    return channels
