"""The domain: one Reply per Controlling Officer's answer, keyed on (year, serial)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from replies.querysets import ReplyQuerySet


class Year(models.Model):
    label = models.CharField(_("year"), max_length=7, unique=True, help_text="e.g. 2023-24")

    class Meta:
        ordering = ["-label"]
        verbose_name = _("year")

    def __str__(self) -> str:
        return self.label


class Member(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("member")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("member-detail", args=[self.pk])


class Head(models.Model):
    number = models.PositiveIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = _("head")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("head-detail", args=[self.number])


class Programme(models.Model):
    head = models.ForeignKey(Head, on_delete=models.PROTECT, related_name="programmes")
    number = models.PositiveIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        ordering = ["head__number", "number"]
        constraints = [models.UniqueConstraint(fields=["head", "number"], name="programme_unique_per_head")]
        verbose_name = _("programme")

    def __str__(self) -> str:
        return f"({self.number}) {self.name}"


class SourceFile(models.Model):
    """One imported session file: lets `make run` skip a file already imported and /downloads/ date it."""

    name = models.CharField(max_length=300, unique=True)
    sha256 = models.CharField(max_length=64)
    year = models.ForeignKey(Year, on_delete=models.PROTECT, related_name="source_files")
    session = models.PositiveIntegerField()
    bureau = models.CharField(max_length=200)
    serial_prefix = models.CharField(max_length=40)
    reply_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class UploadedReplyFile(models.Model):
    """A reply file a clerk uploaded in the admin: kept, with its checksum, while it waits for confirmation and
    after it was imported (``source_file`` set), so what was imported can be checked against what was published.
    Apart from SourceFile so that listing the imported files never loads their bytes."""

    name = models.CharField(_("file name"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    source_file = models.ForeignKey(
        SourceFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads"
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Reply(models.Model):
    year = models.ForeignKey(Year, on_delete=models.PROTECT, related_name="replies")
    serial = models.CharField(_("reply serial"), max_length=40)
    question_serial = models.PositiveIntegerField(_("question serial"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="replies")
    legco_reference = models.CharField(_("LegCo internal reference number"), max_length=20, blank=True)
    head = models.ForeignKey(Head, on_delete=models.PROTECT, related_name="replies")
    subhead_code = models.CharField(_("subhead code"), max_length=20, blank=True)
    subhead_title = models.CharField(_("subhead"), max_length=300, blank=True)
    programmes = models.ManyToManyField(Programme, related_name="replies", blank=True)
    controlling_officer_title = models.CharField(_("controlling officer"), max_length=200)
    controlling_officer_name = models.CharField(_("controlling officer's name"), max_length=100, blank=True)
    director_of_bureau = models.CharField(_("director of bureau"), max_length=200)
    question = models.TextField(_("question"))
    reply = models.TextField(_("reply"))
    # The tables of question and reply as data (replies/tables, docs/TABLES.md), computed at import and by reindex.
    tables = models.JSONField(_("tables"), default=list, blank=True, editable=False)
    # What the reply is about and whether it answered (replies/reading, docs/NOT_PROVIDED.md): computed at import and
    # by reindex, stored so that listings, pages and exports read them instead of computing them per request.
    subject = models.CharField(_("subject"), max_length=60, blank=True, default="", editable=False)
    keywords = ArrayField(models.CharField(max_length=60), verbose_name=_("keywords"), default=list, blank=True,
                          editable=False)
    not_provided = models.JSONField(_("not provided"), default=list, blank=True, editable=False)
    not_provided_kinds = ArrayField(models.CharField(max_length=10), default=list, blank=True, editable=False)
    subject_names = ArrayField(models.CharField(max_length=100), default=list, blank=True, editable=False)
    source_file = models.CharField(_("source file"), max_length=300)
    source_page = models.PositiveIntegerField(_("source page"), null=True, blank=True)
    # Search columns: written only by replies.search_index (see docs/SEARCH.md).
    search_text = models.TextField(default="", editable=False)
    match_vector = SearchVectorField(null=True, editable=False)
    meta_vector = SearchVectorField(null=True, editable=False)  # member + question lexemes: first rank key
    rank_vector = SearchVectorField(null=True, editable=False)
    has_passages = models.BooleanField(default=False, editable=False)  # its search_text is also in Passage rows

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["year__label", "serial"]
        constraints = [models.UniqueConstraint(fields=["year", "serial"], name="reply_unique_serial_per_year")]
        indexes = [
            GinIndex(fields=["match_vector"], name="reply_match_vector_gin"),
            # The first relevance key (query terms in member/question) comes from this index as a set,
            # instead of reading meta_vector row by row (see docs/BENCHMARKS.md).
            GinIndex(fields=["meta_vector"], name="reply_meta_vector_gin"),
            models.Index(fields=["question_serial"], name="reply_question_serial_idx"),
            # the related replies of a reply page: the replies that share one of its subject names
            GinIndex(fields=["subject_names"], name="reply_subject_names_gin"),
        ]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.year.label} {self.serial}"

    def get_absolute_url(self) -> str:
        return reverse("reply-detail", args=[self.year.label, self.serial])

    @property
    def subhead(self) -> str:
        return " ".join(part for part in (self.subhead_code, self.subhead_title) if part)

    @property
    def controlling_officer(self) -> str:
        if not self.controlling_officer_name:
            return self.controlling_officer_title
        return f"{self.controlling_officer_title}（{self.controlling_officer_name}）"


class Passage(models.Model):
    """An overlapping piece of a long reply's search_text with its own match lexemes (search/passages.py): a
    term is confirmed in the few passages that have its lexemes instead of in the whole text. Written only by
    replies.search_index; ``text`` is stored in the row (STORAGE MAIN, migration 0005), not in TOAST."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="passages")
    text = models.TextField()
    match_vector = SearchVectorField()

    class Meta:
        indexes = [GinIndex(fields=["match_vector"], name="passage_match_vector_gin")]

    def __str__(self) -> str:
        return f"{self.reply_id}: {self.text[:20]}"


class CommonString(models.Model):
    """A CJK string many replies contain, indexed as a lexeme of its own (search/common_strings.py): a search
    for it is answered by the GIN index without reading texts. Written only by replies.common_strings, which
    keeps every reply that contains one indexed with it; rows are only ever added."""

    text = models.CharField(max_length=16, unique=True)

    def __str__(self) -> str:
        return self.text


class AliasGroup(models.Model):
    """The names of one body, scheme, fund or place (search/aliases.py): an unquoted search for any of them finds
    every reply naming it by any of them. Read at query time (replies.aliases), so an edit needs no reindex."""

    class Source(models.TextChoices):
        MINED = "mined", _("defined in an imported file")
        FIXTURE = "fixture", _("reviewed list (fixtures/aliases.txt)")
        ADMIN = "admin", _("added by a clerk")

    label = models.CharField(_("label"), max_length=200, help_text=_(
        "Searches read the table when they are made: a change needs no reindex and shows within a minute."))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ADMIN)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("alias group")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Alias(models.Model):
    """One form of a group's name. ``folded`` (the form normalised as texts are) is unique: a form names one
    group, so a search can never join two bodies."""

    class Kind(models.TextChoices):
        FULL = "full", _("full name")
        SHORT = "short", _("short form")
        ENGLISH = "english", _("English name")
        ACRONYM = "acronym", _("acronym")

    group = models.ForeignKey(AliasGroup, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(_("form"), max_length=200)
    folded = models.CharField(max_length=200, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def clean(self) -> None:
        """A form another group holds already is refused with a message (the unique column would be a 500)."""
        from django.core.exceptions import ValidationError

        from search.aliases import fold_form

        self.folded = fold_form(self.text)
        if not self.folded:
            raise ValidationError({"text": _("A form needs a letter, a digit or a Chinese character.")})
        other = Alias.objects.filter(folded=self.folded).exclude(pk=self.pk).select_related("group").first()
        if other is not None:
            raise ValidationError({"text": _("“%(form)s” is already a form of “%(group)s”.")
                                   % {"form": other.text, "group": other.group}})

    def save(self, *args, **kwargs):
        from search.aliases import fold_form

        self.folded = fold_form(self.text)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.text
