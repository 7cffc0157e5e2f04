"""The "Import a reply file" pages of the SourceFile admin: upload, preview, confirm (issue 18).

Thin views over replies.importing.uploads, which runs the command's own reading, preview and import.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from replies.importing.pdf import PdfError
from replies.importing.records import ParseError
from replies.importing.uploads import DiscrepanciesNotAccepted, check_and_keep, import_upload, pending_upload

MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # a session's largest reply PDF is a few MB; this only stops accidents


class ReplyFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Reply file"),
        help_text=gettext_lazy("A bureau's PDF of Controlling Officers' replies, or the text extracted from it."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than %(size)d MB.") % {"size": MAX_UPLOAD_BYTES >> 20})
        return file


class ReplyFileImport:
    """The pages, bound to the SourceFile admin for its site, permissions and context."""

    def __init__(self, model_admin):
        self.model_admin = model_admin

    def context(self, request, **extra) -> dict:
        opts = self.model_admin.model._meta
        return {**self.model_admin.admin_site.each_context(request), "opts": opts,
                "title": _("Import a reply file"), **extra}

    def check_permission(self, request) -> None:
        if not self.model_admin.has_add_permission(request):
            raise PermissionDenied

    def upload(self, request):
        self.check_permission(request)
        form = ReplyFileForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            file = form.cleaned_data["file"]
            try:
                checked = check_and_keep(file.name, file.read(), request.user)
            except (PdfError, ParseError) as error:
                form.add_error("file", _("%(name)s cannot be imported: %(error)s. Nothing was stored or changed.")
                               % {"name": file.name, "error": error})
            else:
                return TemplateResponse(request, "admin/replies/sourcefile/import_preview.html",
                                        self.context(request, upload=checked.upload, preview=checked.preview))
        status = 400 if form.errors else 200
        return TemplateResponse(request, "admin/replies/sourcefile/import_upload.html",
                                self.context(request, form=form), status=status)

    def confirm(self, request, pk: int):
        self.check_permission(request)
        upload = pending_upload(pk)
        if upload is None:
            raise Http404(_("No uploaded file waits for confirmation under this number."))
        try:
            summary = import_upload(upload, allow_discrepancies=bool(request.POST.get("allow_discrepancies")))
        except DiscrepanciesNotAccepted:
            messages.error(request, _("%(name)s was not imported: its index disagrees with its reply bodies and "
                                      "importing it as it is was not confirmed.") % {"name": upload.name})
            return redirect(reverse("admin:replies_sourcefile_import"))
        return TemplateResponse(request, "admin/replies/sourcefile/import_result.html",
                                self.context(request, upload=upload, summary=summary,
                                             heads=sorted(summary.replies_per_head.items())))

    def urls(self) -> list:
        from django.urls import path

        wrap = self.model_admin.admin_site.admin_view
        return [
            path("import/", wrap(self.upload), name="replies_sourcefile_import"),
            path("import/<int:pk>/confirm/", wrap(require_POST(self.confirm)), name="replies_sourcefile_import_confirm"),
        ]
