from django.contrib import admin

from django.utils.translation import gettext_lazy as _

from replies.models import Alias, AliasGroup, Head, Member, Programme, Reply, SourceFile, UploadedReplyFile, Year


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["serial", "year", "question_serial", "member", "head"]
    list_filter = ["year", "head"]
    search_fields = ["serial", "question_serial", "member__name"]
    autocomplete_fields = ["member", "head"]
    filter_horizontal = ["programmes"]

    def save_related(self, request, form, formsets, change):
        """A clerk's correction must be findable at once, so the search columns follow every save."""
        super().save_related(request, form, formsets, change)
        from replies.search_index import index_replies

        index_replies(Reply.objects.filter(pk=form.instance.pk))


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Head)
class HeadAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["name", "number"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["head", "number", "name"]
    list_filter = ["head"]


admin.site.register(Year)


class UploadedReplyFileInline(admin.TabularInline):
    """The files clerks uploaded under this name, kept as they were imported; read-only, as evidence."""

    model = UploadedReplyFile
    fields = readonly_fields = ["name", "sha256", "uploaded_at", "uploaded_by", "imported_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SourceFile)
class SourceFileAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "session", "bureau", "reply_count", "imported_at"]
    inlines = [UploadedReplyFileInline]
    change_list_template = "admin/replies/sourcefile/change_list.html"

    def get_urls(self):
        from replies.admin_import import ReplyFileImport

        return ReplyFileImport(self).urls() + super().get_urls()


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 2
    fields = ["text", "kind"]


@admin.register(AliasGroup)
class AliasGroupAdmin(admin.ModelAdmin):
    """The alias table (docs/SEARCH.md, "Aliases"). Searches read it when they are made, so a change needs no
    reindex and shows in searches within a minute."""

    list_display = ["label", "source", "forms"]
    list_filter = ["source"]
    search_fields = ["label", "aliases__text"]
    inlines = [AliasInline]

    @admin.display(description=_("forms"))
    def forms(self, group: AliasGroup) -> str:
        return " | ".join(alias.text for alias in group.aliases.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")
