from django import template

from attachments import services

register = template.Library()


@register.simple_tag(takes_context=True)
def attachment_panel(context, record):
    """What the panel shows for `record`: its attachments and whether this user may add or void them."""
    user = context.get("user")
    request = context.get("request")
    return {
        "items": list(services.attachments_of(record)),
        "can_attach": services.can_attach(user, record),
        "model": record._meta.label_lower,
        "anchor": services.anchor_of(record),
        # The caption typed with a file that was refused, once: the person picks another file, not retypes it.
        "caption": request.session.pop(services.refused_caption_key(record), "") if request is not None else "",
    }
