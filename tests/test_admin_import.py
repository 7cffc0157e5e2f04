"""The admin's "Import a reply file" pages (issue 18): a staff user uploads the sample PDF, reads the preview,
confirms, and the replies are updated with the file kept beside its checksum; a broken file is refused with a
message and changes nothing; a user without the admin's permission is refused."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

from replies.models import Reply, SourceFile, UploadedReplyFile
from tools.live_server import ROOT

PDF = ROOT / "tests" / "data" / "itib-2023-24-sample.pdf"
BROKEN = ROOT / "tests" / "data" / "broken"
UPLOAD = "/admin/replies/sourcefile/import/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client):
    client.force_login(User.objects.create_superuser("clerk", "clerk@example.org", "a long enough password"))
    return client


def upload(client, name: str, data: bytes):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)})


def replies_state():
    return list(Reply.objects.order_by("pk").values_list("pk", "serial", "reply", "source_file", "source_page"))


def test_upload_preview_confirm_updates_the_replies_and_keeps_the_file(clerk):
    Reply.objects.filter(serial="ITIB010").update(source_file=PDF.name, source_page=0)
    before = replies_state()
    page = upload(clerk, PDF.name, PDF.read_bytes())
    html = page.content.decode()
    assert page.status_code == 200 and "ITIB010" in html and "ITIB190" in html
    assert page.context["preview"].changed and not page.context["preview"].new
    assert replies_state() == before and not SourceFile.objects.filter(name=PDF.name).exists()
    kept = UploadedReplyFile.objects.get(name=PDF.name)
    assert kept.source_file is None

    result = clerk.post(f"{UPLOAD}{kept.pk}/confirm/")
    assert result.status_code == 200 and "2023-24 年度 30 份答覆" in result.content.decode()
    reply = Reply.objects.get(serial="ITIB190")
    assert reply.source_file == PDF.name and reply.source_page > 1
    kept.refresh_from_db()
    digest = hashlib.sha256(PDF.read_bytes()).hexdigest()
    assert bytes(kept.content) == PDF.read_bytes() and kept.sha256 == digest and kept.imported_at
    assert kept.source_file == SourceFile.objects.get(name=PDF.name, sha256=digest)
    assert clerk.post(f"{UPLOAD}{kept.pk}/confirm/").status_code == 404  # imported once, not twice

    again = upload(clerk, PDF.name, PDF.read_bytes()).context["preview"]
    assert len(again.unchanged) == 30 and not again.changed


@pytest.mark.parametrize("name, data, message", [
    ("encrypted.pdf", (BROKEN / "encrypted.pdf").read_bytes(), "encrypted"),
    ("minutes.pdf", (BROKEN / "not-replies.pdf").read_bytes(), "no index table"),
    ("truncated.pdf", PDF.read_bytes()[: PDF.stat().st_size // 3], "damaged or truncated"),
    ("letter.docx", b"PK\x03\x04\x00\x00binary", "UTF-8"),
])
def test_a_file_that_is_not_a_reply_file_gets_a_message_and_changes_nothing(clerk, name, data, message):
    before, sources = replies_state(), list(SourceFile.objects.values_list("name", "sha256"))
    page = upload(clerk, name, data)
    html = page.content.decode()
    assert page.status_code == 400 and message in html and "沒有儲存或更改任何資料" in html
    assert replies_state() == before and list(SourceFile.objects.values_list("name", "sha256")) == sources
    assert not UploadedReplyFile.objects.exists()


def test_users_without_the_admin_permission_are_refused(client):
    assert client.get(UPLOAD).status_code == 302  # anonymous: to the login page
    user = User.objects.create_user("reader", "reader@example.org", "a long enough password")
    client.force_login(user)
    response = upload(client, PDF.name, PDF.read_bytes())
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_sourcefile"))
    assert upload(client, PDF.name, PDF.read_bytes()).status_code == 403
    assert not UploadedReplyFile.objects.exists()


def test_the_source_file_list_links_to_the_import_page(clerk):
    assert UPLOAD in clerk.get("/admin/replies/sourcefile/").content.decode()
    assert clerk.get(UPLOAD).status_code == 200


def test_a_file_whose_index_disagrees_is_imported_only_when_the_clerk_accepts_it(clerk):
    bundled = ROOT / "fixtures" / "itib-2023-24.txt"
    lines = bundled.read_text(encoding="utf-8").split("\n")
    assert "陳振英 135" in lines[21]
    lines[21] = lines[21].replace("陳振英 135", "陳振雄 155")
    page = upload(clerk, "itib-corrected.txt", "\n".join(lines).encode())
    assert len(page.context["preview"].discrepancies) == 2 and 'name="allow_discrepancies"' in page.content.decode()
    kept = UploadedReplyFile.objects.get(name="itib-corrected.txt")
    refused = clerk.post(f"{UPLOAD}{kept.pk}/confirm/")
    assert refused.status_code == 302 and not SourceFile.objects.filter(name=kept.name).exists()
    accepted = clerk.post(f"{UPLOAD}{kept.pk}/confirm/", {"allow_discrepancies": "1"})
    assert accepted.status_code == 200 and SourceFile.objects.filter(name=kept.name, sha256=kept.sha256).exists()


def test_the_pages_speak_traditional_chinese_by_default(clerk):
    html = clerk.get(UPLOAD).content.decode()
    assert "匯入答覆檔案" in html and "預覽匯入" in html
