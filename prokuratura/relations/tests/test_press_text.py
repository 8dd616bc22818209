"""Getting the text out of a paste or an upload (relations.press.text): what is read, and what is refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from prokuratura.relations.press.evaluate import docx_bytes
from prokuratura.relations.press.text import MAX_CHARS, MAX_UPLOAD_BYTES, text_from_paste, text_from_upload


def _refused(code: str, call, *args) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        call(*args)
    assert error.value.code == code
    assert error.value.messages[0]  # a message to show
    return error.value


def test_paste_is_cleaned_of_control_characters_and_blank_runs():
    text = text_from_paste("  ASTANA.\x00 KAZINFORM\x07 –  text\r\n\r\n\r\n\r\nsecond\u200b paragraph\t ")
    assert text == "ASTANA. KAZINFORM – text\n\nsecond paragraph"


@pytest.mark.parametrize("value", ["", "   \n\t ", "\x00\x01"])
def test_empty_paste_is_refused(value):
    _refused("empty", text_from_paste, value)


def test_huge_paste_is_refused_with_its_length():
    error = _refused("too_long", text_from_paste, "word " * (MAX_CHARS // 4))
    assert "100,000" in error.messages[0]


def test_text_without_words_is_refused():
    _refused("no_words", text_from_paste, "12 345 678 — 99.")


def test_txt_in_utf8_and_in_windows_1251():
    assert text_from_upload("a.txt", "Встреча в Астане".encode()) == "Встреча в Астане"
    assert text_from_upload("a.TXT", "Встреча в Астане".encode("cp1251")) == "Встреча в Астане"
    assert text_from_upload("a.txt", "\ufeffBOM text".encode()) == "BOM text"


def test_html_keeps_the_article_and_its_paragraphs_only():
    html = (
        "<html><head><title>Site</title><style>p{}</style><script>var a = 1;</script></head><body>"
        "<nav><a>Home</a> <a>News</a></nav><div class='share-buttons'>Share</div>"
        "<article><header><h1>Headline</h1></header><p>First &amp; one.</p><p>Second<br>line</p></article>"
        "<footer>© 2024</footer></body></html>"
    )
    assert text_from_upload("page.html", html.encode()) == "Headline\n\nFirst & one.\n\nSecond\nline"


def test_html_without_an_article_drops_navigation():
    html = "<body><div id='top-menu'>Menu</div><h2>Title</h2><p>Body text.</p><footer>Footer</footer></body>"
    assert text_from_upload("page.htm", html.encode("cp1251")) == "Title\n\nBody text."


def test_docx_paragraphs_are_read():
    assert text_from_upload("release.docx", docx_bytes("Headline\nAlmaty, 5 March 2024. Text.")) == (
        "Headline\nAlmaty, 5 March 2024. Text."
    )


def test_unknown_type_and_pdf_are_refused():
    _refused("type", text_from_upload, "scan.pdf", b"%PDF-1.7 ...")
    _refused("type", text_from_upload, "program.exe", b"MZ\x90\x00")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        ("data.txt", bytes(range(256)) * 4),
        ("page.html", b"PK\x03\x04zip"),
    ],
)
def test_binary_files_are_refused(name, data):
    _refused("binary", text_from_upload, name, data)


def test_a_docx_that_is_not_one_is_refused():
    _refused("not_docx", text_from_upload, "letter.docx", b"plain text, not a zip")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("hello.txt", "hello")
    _refused("not_docx", text_from_upload, "letter.docx", archive.getvalue())


def test_empty_and_too_large_files_are_refused():
    _refused("empty", text_from_upload, "a.txt", b"")
    _refused("too_large", text_from_upload, "a.txt", b"a" * (MAX_UPLOAD_BYTES + 1))
