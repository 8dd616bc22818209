"""Getting the text out of what the officer pasted or uploaded.

Accepted: pasted text, or a file — `.txt` (UTF-8, or Windows-1251 as older Russian and Kazakh files are saved),
`.html`/`.htm` (scripts, styles, navigation, headers, footers and forms dropped; paragraphs kept as lines; only the
page's `<article>` or `<main>` when it has one) and `.docx` (paragraphs and table cells). PDF is not accepted: no
PDF reader is among the installed packages. A file is at most 2 MB, the text at most 100,000 characters; NUL and
other control characters are removed. Anything else — an empty, binary, undecodable or unknown file, a huge
text — is refused with a message that says why (a ValidationError with a code), and nothing else happens.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_CHARS = 100_000
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A .docx is a zip: its unpacked parts may not be much larger than a real document's (a "zip bomb" is refused).
MAX_DOCX_UNPACKED = 40 * 1024 * 1024
EXTENSIONS = (".txt", ".html", ".htm", ".docx")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")


def clean(text: str) -> str:
    """NFC, one kind of line break, no control characters, no runs of blanks, at most one empty line."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text).replace("\t", " ").replace("\u00a0", " ")
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _too_long(length: int) -> ValidationError:
    return ValidationError(
        _("The text is too long: %(length)s characters; at most %(max)s are read. Paste only the news item.")
        % {"length": f"{length:,}", "max": f"{MAX_CHARS:,}"},
        code="too_long",
    )


def checked(text: str) -> str:
    """The cleaned text, or a ValidationError: empty, too long, or with no letters at all."""
    if len(text) > MAX_CHARS * 2:  # not worth cleaning
        raise _too_long(len(text))
    result = clean(text)
    if not result:
        raise ValidationError(_("There is no text to read."), code="empty")
    if len(result) > MAX_CHARS:
        raise _too_long(len(result))
    if not any(char.isalpha() for char in result[:5000]):
        raise ValidationError(_("The text has no words to read."), code="no_words")
    return result


def text_from_paste(text: str) -> str:
    return checked(text or "")


# --- files -------------------------------------------------------------------------------------------------------


def _binary(data: bytes) -> ValidationError:
    return ValidationError(
        _("The file is not text: it looks like a binary file. Upload a .txt, .html or .docx file."),
        code="binary",
    )


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM) or, failing that, Windows-1251; binary data is refused."""
    if b"\x00" in data[:8192]:
        raise _binary(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError as exc:
            raise _binary(data) from exc
    sample = text[:8192]
    controls = sum(1 for char in sample if unicodedata.category(char) == "Cc" and char not in "\n\r\t")
    if sample and controls > len(sample) * 0.01:
        raise _binary(data)
    return text


_DROPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "button",
        "select",
        "svg",
        "iframe",
        "object",
        "canvas",
        "head",
    }
)
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "main",
        "blockquote",
        "dd",
        "dt",
        "figcaption",
        "pre",
        "hr",
        "title",
    }
)
_VOID = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr"}
)
# Class or id words of the parts of a page that are not the article (menus, share buttons, cookie notices).
_NOISE = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|breadcrumbs?|sidebar|share|social|cookie|banner|related|subscribe|"
    r"advert|ads)([\s_-]|$)",
    re.IGNORECASE,
)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.main_parts: list[str] = []
        self.stack: list[tuple[str, bool, bool]] = []  # tag, dropped, inside article/main
        self.saw_main = False

    def _dropped(self) -> bool:
        return bool(self.stack and self.stack[-1][1])

    def _in_main(self) -> bool:
        return bool(self.stack and self.stack[-1][2])

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        if self._in_main():
            self.main_parts.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = " ".join(value or "" for key, value in attrs if key in ("class", "id", "role"))
        # A page's header and footer are dropped, an article's own (its headline) kept.
        own = tag in ("header", "footer") and self._in_main()
        dropped = self._dropped() or (tag in _DROPPED and not own) or bool(names and _NOISE.search(names))
        in_main = self._in_main() or tag in ("article", "main")
        if tag in ("article", "main") and not dropped:
            self.saw_main = True
        if tag in _BLOCKS and not dropped:
            self._emit("\n")
        if tag not in _VOID:
            self.stack.append((tag, dropped, in_main))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS and not self._dropped():
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        # Close up to the matching tag (HTML in the wild leaves tags open).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                dropped = self.stack[index][1]
                del self.stack[index:]
                if tag in _BLOCKS and not dropped:
                    self._emit("\n")
                return

    def handle_data(self, data: str) -> None:
        if not self._dropped():
            self._emit(re.sub(r"\s+", " ", data))


def text_from_html(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    parts = parser.main_parts if parser.saw_main and "".join(parser.main_parts).strip() else parser.parts
    return "".join(parts)


def text_from_docx(data: bytes) -> str:
    import docx  # python-docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names:
                raise ValidationError(_("The file is not a Word document (.docx)."), code="not_docx")
            if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_UNPACKED:
                raise ValidationError(_("The Word document is too large to read."), code="too_large")
        document = docx.Document(io.BytesIO(data))
    except ValidationError:
        raise
    except Exception as exc:  # a damaged file: python-docx and zipfile raise many kinds  # noqa: BLE001
        raise ValidationError(
            _("The Word document could not be read: it may be damaged."), code="damaged"
        ) from exc
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def upload_too_large() -> ValidationError:
    return ValidationError(
        _("The file is larger than %(max)d MB.") % {"max": MAX_UPLOAD_BYTES // (1024 * 1024)},
        code="too_large",
    )


def text_from_upload(name: str, data: bytes) -> str:
    """The cleaned text of an uploaded file, or a ValidationError saying why it cannot be read."""
    extension = os.path.splitext(name or "")[1].lower()
    if extension not in EXTENSIONS:
        raise ValidationError(
            _("“%(name)s”: only .txt, .html and .docx files are read (a PDF: copy its text and paste it).")
            % {"name": os.path.basename(name or "")[:100]},
            code="type",
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise upload_too_large()
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if extension == ".docx":
        if not data.startswith(b"PK\x03\x04"):
            raise ValidationError(_("The file is not a Word document (.docx)."), code="not_docx")
        return checked(text_from_docx(data))
    if data.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise _binary(data)
    text = decode(data)
    if extension in (".html", ".htm"):
        text = text_from_html(text)
    return checked(text)
