"""Bytes to text: BOMs, UTF-8, UTF-16/32, legacy encodings (charset-normalizer), binary sniffing.

The decoded text is kept as it is — CRLF line ends included — so offsets into it stay
valid; only a byte-order mark is dropped by decoding. Text never holds a NUL character: bytes
that decode to one anywhere (outside UTF-16/32 code units) are rejected as a binary file, never
blanked or stripped.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

#: File signatures of common binary formats, checked before any decoding attempt.
MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"RIFF", "RIFF media file"),
    (b"OggS", "Ogg media file"),
    (b"ID3", "MP3 audio"),
    (b"SQLite format 3\x00", "SQLite database"),
)

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Among equally plausible legacy encodings, the most common on the web wins.
PREFERRED_LEGACY = ("cp1252", "latin-1")

#: Control characters that suggest binary data. ESC is left out: terminal colour codes
#: ("\x1b[31m") in captured text are text, and the extractor blanks them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
SNIFF_BYTES = 8192


class DecodeError(ValueError):
    """The bytes are not usable text; ``str()`` is the one-line reason ("empty file", ...)."""


def sniff_binary(head: bytes) -> str | None:
    """The binary format ``head`` (a file's first bytes) starts with, or ``None``."""
    for signature, kind in MAGIC:
        if head.startswith(signature):
            return kind
    return None


def bom_encoding(head: bytes) -> str | None:
    """The codec named by a byte-order mark at the start of ``head``, or ``None``."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    return None


def _bomless_utf16(sample: bytes) -> str | None:
    """UTF-16 without BOM shows as zero bytes in every other position (for Latin script)."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def guess_legacy_encoding(data: bytes) -> str | None:
    """charset-normalizer's guess for non-UTF-8 bytes, or ``None`` when nothing fits.

    Short texts often fit many single-byte code pages equally well; among the guesses as
    plausible as the best one (same chaos), cp1252/Latin-1 is taken when present.
    """
    matches = [m for m in charset_normalizer.from_bytes(data) if _ascii_compatible(m.encoding)]
    for name in PREFERRED_LEGACY:
        # very short texts: charset-normalizer may not even list the common code pages
        matches.extend(charset_normalizer.from_bytes(data, cp_isolation=[name]))
    best = min((m.chaos for m in matches), default=0.0)
    tied = [codecs.lookup(m.encoding).name for m in matches if m.chaos <= best + 0.01]
    for name in PREFERRED_LEGACY:
        if codecs.lookup(name).name in tied:
            return codecs.lookup(name).name
    if _looks_western(data):
        return "cp1252"
    return tied[0] if tied else None


_WESTERN_PUNCTUATION = set(
    "\u20ac\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00ab\u00bb\u00b0\u00a3\u00a7"
    "\u00a9\u00ae\u2122\u2022\u00b7\u00a1\u00bf\u00a0"
)


def _looks_western(data: bytes) -> bool:
    """Mostly ASCII letters plus a few accented Latin letters when read as cp1252.

    charset-normalizer has too little to go on in a few words ("café"); text in a Western
    European language read as cp1252 shows only Latin letters and typographic punctuation
    among its non-ASCII characters, and those are a small share of its letters.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    extra = [c for c in text if ord(c) > 127]
    letters = sum(c.isalpha() for c in text)
    return (
        bool(extra)
        and len(extra) <= 0.5 * letters
        and all(
            c in _WESTERN_PUNCTUATION or (c.isalpha() and "LATIN" in unicodedata.name(c, ""))
            for c in extra
        )
    )


def _ascii_compatible(encoding: str) -> bool:
    probe = b"Aa Zz 09 .,;:!?\"'()-\n"
    try:
        return probe.decode(encoding) == probe.decode("ascii")
    except (LookupError, UnicodeDecodeError):
        return False


def detect_encoding(sample: bytes, *, declared: str | None = None) -> str:
    """The codec to decode bytes starting with ``sample`` with; raises :class:`DecodeError`.

    Order: binary signatures, BOM, the declared charset (HTTP header, HTML meta) if it decodes,
    UTF-16 without BOM, strict UTF-8, then charset-normalizer's best guess.
    """
    kind = sniff_binary(sample)
    if kind:
        raise DecodeError(f"binary file ({kind})")
    encoding = bom_encoding(sample)
    if encoding:
        return encoding
    if declared:
        try:
            codecs.lookup(declared)
            sample.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            return codecs.lookup(declared).name
    if b"\x00" in sample:
        encoding = _bomless_utf16(sample)
        if encoding:
            return encoding
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the end of the sample is still UTF-8
        if exc.start < len(sample) - 3:
            guess = guess_legacy_encoding(sample)
            if guess is None:
                raise DecodeError("undecodable text (no encoding fits)") from exc
            return guess
    return "utf-8"


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode a whole input: ``(text, encoding)``; raises :class:`DecodeError` with the reason.

    >>> decode_bytes("café\\r\\n".encode("cp1252"))
    ('café\\r\\n', 'cp1252')
    """
    if not data.strip():
        raise DecodeError("empty file" if not data else "empty file (whitespace only)")
    encoding = detect_encoding(data[:SNIFF_BYTES], declared=declared)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        # the sample looked like UTF-8 (or fit the declared charset) but later bytes do not;
        # a byte-order mark names the encoding for certain, so nothing else is guessed then
        guess = None if bom_encoding(data) else guess_legacy_encoding(data)
        if guess is None or guess == encoding:
            raise DecodeError(f"not {encoding} text ({exc.reason} at byte {exc.start})") from exc
        text, encoding = data.decode(guess), guess
    if not text.strip():
        raise DecodeError("empty file (whitespace only)")
    if "\x00" in text:
        raise DecodeError("binary file (contains NUL bytes)")
    controls = len(_CONTROL.findall(text[:SNIFF_BYTES]))
    if controls > max(2, 0.01 * min(len(text), SNIFF_BYTES)):
        raise DecodeError(f"binary file ({controls} control characters in the first bytes)")
    return text, encoding
