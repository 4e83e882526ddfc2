def navigation(request):
    user = getattr(request, "user", None)
    return {"nav_items": navigation_items(user)}


def navigation_items(user):
    from . import navigation as nav

    return nav.items_for(user) if user is not None else []
