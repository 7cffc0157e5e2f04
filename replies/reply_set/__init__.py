"""A clerk's reply set: replies ticked on listing and reply pages, kept in the session, in the clerk's order.

store.py holds the set, context.py tells every page about it, views.py and urls.py are its pages and forms.
It depends on replies.exports (selections, the export of a set, the "problem" page), never the other way round.
"""
