def navigation(request):
    """The navigation entries the signed-in user's role may use (filled in by tandem.core.nav)."""
    from tandem.core.nav import entries_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    return {"nav_entries": entries_for(user)}
