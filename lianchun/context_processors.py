from django.utils.translation import get_language


def navigation(request):
    user = getattr(request, "user", None)
    items = navigation_items(user)
    return {"nav_items": items, "nav_key": menu_key(request, items)}


def navigation_items(user):
    from . import navigation as nav

    return nav.items_for(user) if user is not None else []


def menu_key(request, items) -> str | None:
    """What the menu's markup depends on, so every page need not render it again (`{% cache %}` in base.html).

    The entries are one shared list per role (`navigation.items_for`), so its identity stands for the role;
    the rest is the language and what marks an entry active: the page's namespace, its URL name, and its
    path when an entry links to exactly that path. None where the entries were worked out for this user only.
    """
    from . import navigation as nav

    if not items or not nav.is_shared(items):
        return None
    match = getattr(request, "resolver_match", None)
    paths = {child["url"] for entry in items for child in entry.get("children", [entry])}
    path = request.path if request.path in paths else ""
    return ":".join(
        [
            str(id(items)),
            get_language() or "",
            match.namespace if match else "",
            (match.url_name or "") if match else "",
            path,
        ]
    )
