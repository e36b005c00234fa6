from tandem.shell.nav import groups_for


def navigation(request):
    """The navigation menus the signed-in user's role may use (filled in by tandem.shell.nav)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": [], "nav_entries": []}
    groups = groups_for(user)
    current = getattr(getattr(request, "resolver_match", None), "view_name", None)
    for group in groups:
        group["current"] = any(entry["url_name"] == current for entry in group["entries"])
    entries = [entry for group in groups for entry in group["entries"]]
    return {"nav_groups": groups, "nav_entries": entries}
