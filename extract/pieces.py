"""Preparing input text for the pipeline: control characters blanked, long texts in pieces.

Both keep offsets: :func:`blank_controls` replaces characters one for one, and
:func:`split_text` returns ``(start, end)`` pieces of the text it is given, so offsets found
in what the pipeline reads still index the input file.
"""

from __future__ import annotations

import re
from collections import deque

# Terminal escape sequences (CSI "\x1b[31m"; OSC "\x1b]0;title\x07" and the other string
# sequences, ended by BEL or ST, or unterminated at the end of their line; two-character
# escapes "\x1b7"), then any other C0/C1 control character except tab, newline and return.
CONTROL = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[P\]X^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
# Where a text is cut into pieces, in order of preference; each cut falls after its match.
BREAKS = (
    re.compile(r"\n[^\S\n]*\n"),  # a blank line (or one of spaces: blanked chrome)
    re.compile(r"\n"),
    re.compile(r"[.?!][\"')\]\u201d\u2019\u00bb]*\s"),  # a sentence end
    re.compile(r"\s"),
)


def blank_controls(text: str) -> str:
    """``text`` with each character of its escape sequences and control characters (but tab,
    newline and return) replaced by a space: the same length, so offsets are kept.

    >>> blank_controls("\\x1b[1mPeskov\\x1b[0m said\\x07.")
    '    Peskov     said .'
    """
    if CONTROL.search(text) is None:
        return text
    return CONTROL.sub(lambda m: " " * len(m.group()), text)


def split_text(text: str, max_chars: int) -> list[tuple[int, int]]:
    """``(start, end)`` pieces covering ``text`` in order, none longer than ``max_chars``.

    Each piece is cut after the last blank line within ``max_chars`` of its start, else the
    last line break, else the last sentence end (". ", "? ", "! ", closing quotes allowed),
    else the last whitespace; a stretch without any is cut at ``max_chars``. A text that fits
    is one piece (the empty text too).

    >>> text = "One. Two.\\n\\nThree four five six."
    >>> [text[a:b] for a, b in split_text(text, 20)]
    ['One. Two.\\n\\n', 'Three four five six.']
    >>> [text[a:b] for a, b in split_text(text, 10)]
    ['One. Two.\\n', '\\n', 'Three ', 'four five ', 'six.']
    >>> split_text("abcdefg", 3), split_text("", 3)
    ([(0, 3), (3, 6), (6, 7)], [(0, 0)])
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    pieces: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > max_chars:
        limit = start + max_chars
        end = limit
        for pattern in BREAKS:
            last = deque(pattern.finditer(text, start, limit), maxlen=1)
            if last:
                end = last[0].end()
                break
        pieces.append((start, end))
        start = end
    pieces.append((start, len(text)))
    return pieces


def unblank(original: str, blanked: str, start: int, end: int) -> tuple[str, int, int]:
    """The text of the span ``start:end`` of ``original`` without the characters
    :func:`blank_controls` blanked in it (``blanked`` is its result), and the span narrowed
    past the whitespace those leave at its ends. A span without any is returned as it is.

    >>> original = "Talks \\x1b[31mwill\\x1b[0m fail.\\x1b[0m"
    >>> unblank(original, blank_controls(original), 0, len(original))
    ('Talks will fail.', 0, 25)
    """
    if original[start:end] == blanked[start:end]:
        return original[start:end], start, end
    while start < end and blanked[start].isspace():
        start += 1
    while end > start and blanked[end - 1].isspace():
        end -= 1
    kept = [o for o, b in zip(original[start:end], blanked[start:end], strict=True) if o == b]
    return "".join(kept), start, end


def squeeze_blanks(name: str) -> str:
    """A name read from blanked text with its runs of spaces made one and its ends trimmed.

    >>> squeeze_blanks("Dmitry     Peskov ")
    'Dmitry Peskov'
    """
    return re.sub(" {2,}", " ", name).strip()
