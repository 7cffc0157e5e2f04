"""Template context every page needs (owned by the pages work)."""


def portal(request) -> dict:
    return {}
