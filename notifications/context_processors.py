def unread(request):
    """The unread count shown in the navigation bar (one query, only for users with a place)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.is_township_cadre or user.is_county_role):
        return {}
    from .selectors import unread_count

    return {"unread_notifications": unread_count(user)}
