"""Export endpoints: a listing's replies in the format asked, within the format's limit, and the downloads page.

export_selection is public: the reply set's export (replies.reply_set.views) answers through it too."""

from __future__ import annotations

from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from replies.exports.problem import problem
from replies.exports.selection import InvalidFilters, listing_selection
from replies.exports.streams import csv_response, json_response, table_csv_response
from replies.exports.word import docx_response
from replies.exports.xlsx import xlsx_response
from replies.models import Reply, Year
from replies.views import reply_or_404

EXPORTERS = {"csv": csv_response, "xlsx": xlsx_response, "json": json_response, "docx": docx_response}
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel (XLSX)", "json": "JSON", "docx": "Word (DOCX)"}
# The most replies each format sensibly holds: CSV and JSON stream; XLSX streams too, up to a full sheet (Excel's
# 1,048,576 rows less the header); a Word document is built whole in memory before its first byte is sent, so
# its cap keeps both the memory and the reader's wait small.
LIMITS = {"csv": 500_000, "json": 500_000, "xlsx": 1_048_575, "docx": 1_000}


def export_selection(request, selection, format: str, export_url: str):
    """The file, or a page saying why not and which formats can hold this set."""
    if selection.count > LIMITS[format]:
        alternatives = [
            (FORMAT_NAMES[other], f"{reverse(export_url, kwargs={'format': other})}?{selection.query_string}")
            for other, limit in LIMITS.items()
            if selection.count <= limit
        ]
        message = _(
            "This set has %(count)s replies; a %(format)s file holds at most %(limit)s. "
            "Narrow the search or the filters, or choose a format that holds more."
        ) % {"count": f"{selection.count:,}", "format": FORMAT_NAMES[format], "limit": f"{LIMITS[format]:,}"}
        return problem(request, _("Too many replies for one file"), message, 400, alternatives=alternatives)
    return EXPORTERS[format](request, selection)


@require_safe
def export_listing(request, format: str):
    try:
        selection = listing_selection(request)
    except InvalidFilters as invalid:
        message = _("The export could not be made because the search or its filters are not valid.")
        return problem(request, _("Invalid search"), message, 400, errors=invalid.errors)
    return export_selection(request, selection, format, "reply-export")


@require_safe
def downloads(request):
    """Every year's replies as CSV and JSON, with how many there are and when they were imported."""
    years = Year.objects.annotate(reply_count=Count("replies", distinct=True), imported_at=Max("source_files__imported_at"))
    rows = [
        {
            "year": year,
            "links": [
                (FORMAT_NAMES[format], f"{reverse('reply-export', kwargs={'format': format})}?year={year.label}")
                for format in ("csv", "json")
            ],
        }
        for year in years.order_by("-label")
    ]
    return render(request, "exports/downloads.html", {"years": rows})


@require_safe
def reply_table_csv(request, year: str, serial: str, number: int):
    """Table ``number`` (1-based, in the order of ``Reply.tables``) of one reply as a CSV file."""
    reply = reply_or_404(Reply.objects.select_related("year").only("serial", "year__label", "tables"), year, serial)
    if not 1 <= number <= len(reply.tables):
        raise Http404(_("The reply %(serial)s has no table %(number)s.") % {"serial": reply.serial, "number": number})
    filename = f"{reply.year.label}-{reply.serial}-table-{number}.csv"
    return table_csv_response(reply.tables[number - 1], filename)
