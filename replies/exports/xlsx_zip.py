"""A ZIP container written as a stream, for the XLSX export: each entry is deflated as its pieces arrive and
handed on at once, so a workbook of a million rows needs no temporary file and little memory.

Why not zipfile: written to a stream (no seeking back), zipfile stops a plain entry at 2 GiB, and its ZIP64
local header (sizes 0xFFFFFFFF plus a ZIP64 extra field) is the form Excel reports as corrupt. Here a plain entry
goes to the format's own 4 GiB, and a ZIP64 entry has the layout Excel accepts: version 4.5, zero sizes and no
extra field in the local header, 8-byte sizes in the data descriptor, a ZIP64 extra field in the central
directory only for a size that needs it. The archive itself (compressed) must stay under 4 GiB.
"""

from __future__ import annotations

import struct
import time
import zlib
from dataclasses import dataclass
from typing import Iterable, Iterator

ZIP32_MAX = 0xFFFF_FFFF
SEND_BYTES = 1 << 16  # compressed bytes gathered before they are handed on: one socket write each
DEFLATED = 8
DATA_DESCRIPTOR_FLAG = 0x08  # sizes and CRC follow the data, since they are known only at its end
VERSION_ZIP32, VERSION_ZIP64 = 20, 45
LOCAL_HEADER = struct.Struct("<4s5H3L2H")
CENTRAL_HEADER = struct.Struct("<4s6H3L5H2L")
END_OF_DIRECTORY = struct.Struct("<4s4H2LH")


@dataclass
class _Entry:
    name: bytes
    offset: int
    zip64: bool
    crc: int = 0
    size: int = 0
    compressed_size: int = 0


def _dos_time(moment: float) -> tuple[int, int]:
    local = time.localtime(moment)
    date = (max(local.tm_year, 1980) - 1980) << 9 | local.tm_mon << 5 | local.tm_mday
    return local.tm_hour << 11 | local.tm_min << 5 | local.tm_sec // 2, date


class ZipStream:
    """Entries one after another, then the central directory; every method yields bytes to send as they are."""

    def __init__(self, moment: float | None = None):
        self.offset = 0
        self.entries: list[_Entry] = []
        self.dos_time, self.dos_date = _dos_time(time.time() if moment is None else moment)

    def _sent(self, data: bytes) -> bytes:
        self.offset += len(data)
        if self.offset > ZIP32_MAX:
            raise RuntimeError("the XLSX archive passed 4 GiB compressed, more than a ZIP without ZIP64 ends holds")
        return data

    def entry(self, name: str, pieces: Iterable[bytes], zip64: bool = False) -> Iterator[bytes]:
        """Deflate the pieces as they come; zip64 must be chosen before the first byte (for data over 4 GiB)."""
        entry = _Entry(name.encode("ascii"), self.offset, zip64)
        self.entries.append(entry)
        version = VERSION_ZIP64 if zip64 else VERSION_ZIP32
        header = LOCAL_HEADER.pack(b"PK\x03\x04", version, DATA_DESCRIPTOR_FLAG, DEFLATED, self.dos_time,
                                   self.dos_date, 0, 0, 0, len(entry.name), 0)
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -zlib.MAX_WBITS)
        gathered = [header + entry.name]
        waiting = 0
        for piece in pieces:
            entry.crc = zlib.crc32(piece, entry.crc)
            entry.size += len(piece)
            compressed = compressor.compress(piece)
            entry.compressed_size += len(compressed)
            gathered.append(compressed)
            waiting += len(compressed)
            if waiting >= SEND_BYTES:
                yield self._sent(b"".join(gathered))
                gathered, waiting = [], 0
        tail = compressor.flush()
        entry.compressed_size += len(tail)
        gathered += [tail, self._descriptor(entry)]
        yield self._sent(b"".join(gathered))

    @staticmethod
    def _descriptor(entry: _Entry) -> bytes:
        if entry.zip64:
            return struct.pack("<4sL2Q", b"PK\x07\x08", entry.crc, entry.compressed_size, entry.size)
        if entry.size > ZIP32_MAX:
            raise RuntimeError(f"{entry.name!r} passed 4 GiB without ZIP64")
        return struct.pack("<4s3L", b"PK\x07\x08", entry.crc, entry.compressed_size, entry.size)

    def finish(self) -> Iterator[bytes]:
        """The central directory (read by spreadsheet programs to find the parts) and its end record."""
        start = self.offset
        records = [self._central_record(entry) for entry in self.entries]
        directory = b"".join(records)
        end = END_OF_DIRECTORY.pack(b"PK\x05\x06", 0, 0, len(records), len(records), len(directory), start, 0)
        yield self._sent(directory + end)

    def _central_record(self, entry: _Entry) -> bytes:
        extra, size = b"", entry.size
        if entry.size > ZIP32_MAX:  # only the uncompressed size needs 8 bytes: the archive stays under 4 GiB
            extra, size = struct.pack("<2HQ", 1, 8, entry.size), ZIP32_MAX
        version = VERSION_ZIP64 if entry.zip64 else VERSION_ZIP32
        record = CENTRAL_HEADER.pack(b"PK\x01\x02", version, version, DATA_DESCRIPTOR_FLAG, DEFLATED, self.dos_time,
                                     self.dos_date, entry.crc, entry.compressed_size, size, len(entry.name),
                                     len(extra), 0, 0, 0, 0, entry.offset)
        return record + entry.name + extra
