"""A clerk's reply set, kept in the session (owned by the exports work)."""


def context_processor(request) -> dict:
    return {}
