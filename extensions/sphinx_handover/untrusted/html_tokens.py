"""Start tags as a browser tokenizes them, with where each begins, in linear time.

The unsafe-markup report must say at which line a package writes something a browser
would run, so it needs positions, which neither nh3 nor html5ever gives. Python's
``html.parser`` gives them, but on Python 3.11 it re-scans the rest of the input at every
unfinished ``<a `` or ``<!--``: a line of a few hundred kilobytes of ``<a `` takes
minutes. This is the tag part of the WHATWG tokenizer (the states that decide what is a
tag, an attribute name and its value, a comment, and the raw text of ``<script>`` and
its kind), where every step consumes input and a search that finds nothing ends the
input, as the standard says (end of file inside a tag or comment drops the rest). It only
reports; the sanitizer (:mod:`.html_policy`) parses again with html5ever and decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TAG_NAME = re.compile(r"[^\t\n\f\r />]*")
_SEPARATORS = re.compile(r"[\t\n\f\r /]*")
_SPACES = re.compile(r"[\t\n\f\r ]*")
_ATTRIBUTE_NAME_REST = re.compile(r"[^\t\n\f\r />=]*")
_UNQUOTED_VALUE = re.compile(r"[^\t\n\f\r >]*")
_COMMENT_END = re.compile(r"--!?>")
#: Where the tokenizer leaves the data state: ``<`` before anything else is text.
_TAG_OPEN = re.compile(r"<[A-Za-z/!?]")
_BLANK_LINE = re.compile(r"\n[\t\f\r ]*\n")
#: Elements whose content is text up to their end tag (outside SVG and MathML).
_TEXT_ELEMENTS = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title"})
_FOREIGN = frozenset({"svg", "math"})
_TEXT_END = {name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE) for name in _TEXT_ELEMENTS}


@dataclass(frozen=True)
class StartTag:
    name: str
    #: (name, value as written, with entities) in source order; duplicates kept.
    attributes: tuple[tuple[str, str], ...]
    #: Offset of the ``<`` in the text.
    start: int


class Tokenizer:
    """Yields start tags; afterwards, :attr:`hid_text` tells whether it passed over any
    text without looking for tags in it (a comment, a script's text, a tag spanning a
    blank line): read as Markdown, that text may hold HTML. (A tag that never ends hides
    nothing: no tag can start after the last ``>``.)"""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.foreign_depth = 0
        self.hid_text = False

    def tags(self) -> Iterator[StartTag]:
        text = self.text
        while True:
            found = _TAG_OPEN.search(text, self.pos)
            if found is None:
                return
            start = found.start()
            after = text[start + 1]
            if after.isascii() and after.isalpha():
                tag = self._tag(start + 1)
                if tag is None:
                    return  # end of input inside the tag: a browser drops it
                name, attributes = tag
                if _BLANK_LINE.search(text, start, self.pos):
                    self.hid_text = True
                yield StartTag(name, attributes, start)
                if not self._after_start_tag(name):
                    return
            elif after == "/":
                if not self._end_tag(start + 2):
                    self.hid_text = True
                    return
            else:
                self.hid_text = True
                if not self._comment(start):
                    return

    def _tag(self, at: int) -> tuple[str, tuple[tuple[str, str], ...]] | None:
        text = self.text
        if text.find(">", at) < 0:
            return None  # no tag can end: the rest of the input is inside this one
        end = _run_end(_TAG_NAME, text, at)
        name = text[at:end].lower()
        attributes: list[tuple[str, str]] = []
        pos = end
        while True:
            pos = _run_end(_SEPARATORS, text, pos)
            if pos >= len(text):
                return None
            if text[pos] == ">":
                self.pos = pos + 1
                return name, tuple(attributes)
            name_end = _run_end(_ATTRIBUTE_NAME_REST, text, pos + 1)
            attribute = text[pos:name_end].lower()
            pos = _run_end(_SPACES, text, name_end)
            value = ""
            if pos < len(text) and text[pos] == "=":
                pos = _run_end(_SPACES, text, pos + 1)
                if pos >= len(text):
                    return None
                quote = text[pos]
                if quote in "\"'":
                    close = text.find(quote, pos + 1)
                    if close < 0:
                        return None
                    value, pos = text[pos + 1 : close], close + 1
                else:
                    value_end = _run_end(_UNQUOTED_VALUE, text, pos)
                    value, pos = text[pos:value_end], value_end
            attributes.append((attribute, value))

    def _after_start_tag(self, name: str) -> bool:
        """Skip the text content of script-like elements; False when it runs to the end."""
        if name in _FOREIGN:
            self.foreign_depth += 1
        if name == "plaintext" and not self.foreign_depth:
            self.hid_text = True
            return False
        if name in _TEXT_ELEMENTS and not self.foreign_depth:
            self.hid_text = True
            found = _TEXT_END[name].search(self.text, self.pos)
            if found is None:
                return False
            self.pos = found.start()
        return True

    def _end_tag(self, at: int) -> bool:
        text = self.text
        if at >= len(text):
            return False
        if text[at] == ">":
            self.pos = at + 1
            return True
        if not (text[at].isascii() and text[at].isalpha()):
            self.hid_text = True
            return self._comment(at - 2)
        tag = self._tag(at)
        if tag is None:
            return False
        if tag[0] in _FOREIGN and self.foreign_depth:
            self.foreign_depth -= 1
        return True

    def _comment(self, start: int) -> bool:
        """A comment or a bogus one (``<!doctype``, ``<?xml``, ``</1``): skip it."""
        text = self.text
        if text.startswith("<!--", start):
            if text.startswith(">", start + 4) or text.startswith("->", start + 4):
                self.pos = start + 4 + (1 if text[start + 4] == ">" else 2)
                return True
            found = _COMMENT_END.search(text, start + 4)
            if found is None:
                return False
            self.pos = found.end()
            return True
        if text.startswith("<![CDATA[", start) and self.foreign_depth:
            close = text.find("]]>", start + 9)
        else:
            close = text.find(">", start + 2)
        if close < 0:
            return False
        self.pos = close + 1
        return True


def start_tags(text: str) -> Iterator[StartTag]:
    """Every start tag of *text*, in order, as a browser's tokenizer would see it."""
    return Tokenizer(text).tags()


def _run_end(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where the run of *pattern* (a character class repeated ``*``) that starts at *pos*
    ends: *pos* itself when the run is empty, so there is always an end."""
    run = pattern.match(text, pos)
    return run.end() if run else pos
