"""The text of a WeasyPrint PDF, without poppler or a PDF library (neither is a dependency).

Enough of the PDF format (ISO 32000-1) for what WeasyPrint (pydyf) writes: indirect objects,
object streams (7.5.7), Flate-compressed streams, Type0 fonts with a ``/ToUnicode`` CMap
(9.10.3: ``bfchar`` and ``bfrange``) and text shown with ``Tj``/``TJ`` as hex strings. Each
text object (``BT``...``ET``) and each positioning operator starts a new line.
"""

from __future__ import annotations

import re
import zlib

_HEADER = re.compile(rb"(\d+)\s+0\s+obj\b")
_TOKEN = re.compile(rb"/([^\s/\[\]<>()]+)\s+[-\d.]+\s+Tf|<([0-9a-fA-F]*)>|\b(ET|Td|TD|Tm|T\*)\b")


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number -> (its text before any stream, its decoded stream or None). A stream is
    read by its ``/Length`` (binary font data may contain the bytes ``endobj``)."""
    found: dict[int, tuple[bytes, bytes | None]] = {}
    position = 0
    while (match := _HEADER.search(pdf, position)) is not None:
        start = match.end()
        stream_at = pdf.find(b"stream", start)
        end_at = pdf.find(b"endobj", start)
        data = None
        if stream_at != -1 and (end_at == -1 or stream_at < end_at):
            head = pdf[start:stream_at]
            begin = (
                stream_at
                + len(b"stream")
                + (2 if pdf[stream_at + 6 : stream_at + 8] == b"\r\n" else 1)
            )
            length = int(re.search(rb"/Length\s+(\d+)", head).group(1))
            data = pdf[begin : begin + length]
            if b"/FlateDecode" in head:
                data = zlib.decompress(data)
            end_at = pdf.find(b"endobj", begin + length)
        else:
            head = pdf[start:end_at]
        found[int(match.group(1))] = (head, data)
        if b"/ObjStm" in head and data is not None:
            found.update(_object_stream(head, data))
        position = end_at + len(b"endobj")
    return found


def _object_stream(head: bytes, data: bytes) -> dict[int, tuple[bytes, None]]:
    first = int(re.search(rb"/First\s+(\d+)", head).group(1))
    count = int(re.search(rb"/N\s+(\d+)", head).group(1))
    numbers = [int(v) for v in data[:first].split()][: 2 * count]
    pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
    out = {}
    for i, (number, offset) in enumerate(pairs):
        end = first + pairs[i + 1][1] if i + 1 < len(pairs) else len(data)
        out[number] = (data[first + offset : end], None)
    return out


def _cmap(text: bytes) -> dict[int, str]:
    """A ToUnicode CMap: character code -> text."""
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for code, target in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, target in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            start = int(target, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def _fonts(objects: dict[int, tuple[bytes, bytes | None]]) -> dict[bytes, dict[int, str]]:
    """Font resource name (as used by ``Tf``) -> its ToUnicode mapping."""
    unicode_of = {}
    for number, (head, _data) in objects.items():
        ref = re.search(rb"/ToUnicode\s+(\d+)\s+0\s+R", head)
        if ref and int(ref.group(1)) in objects:
            unicode_of[number] = _cmap(objects[int(ref.group(1))][1] or b"")
    names: dict[bytes, dict[int, str]] = {}
    blocks = []
    for head, _data in objects.values():
        blocks += re.findall(rb"/Font\s*<<(.*?)>>", head, re.S)
        blocks += [
            objects.get(int(n), (b"", None))[0] for n in re.findall(rb"/Font\s+(\d+)\s+0\s+R", head)
        ]
    for block in blocks:
        for name, number in re.findall(rb"/([^\s/<>\[\]]+)\s+(\d+)\s+0\s+R", block):
            if int(number) in unicode_of:
                names[name] = unicode_of[int(number)]
    return names


def pdf_text(pdf: bytes) -> str:
    """Every text run of the PDF, one per line, in page order."""
    objects = _objects(pdf)
    fonts = _fonts(objects)
    lines: list[str] = []
    current: list[str] = []
    for _head, data in objects.values():
        if not data or b"Tf" not in data:
            continue
        mapping: dict[int, str] = {}
        for match in _TOKEN.finditer(data):
            font, hexes, operator = match.groups()
            if font is not None:
                mapping = fonts.get(font, {})
            elif hexes is not None:
                current += [
                    mapping.get(int(hexes[i : i + 4], 16), "") for i in range(0, len(hexes), 4)
                ]
            elif current:
                lines.append("".join(current))
                current = []
    return "\n".join(lines + ["".join(current)])
