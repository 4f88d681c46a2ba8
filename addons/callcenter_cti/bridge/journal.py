"""A journal of the AMI frames a link received and has not committed yet.

Each event the bridge maps to something is appended, as an AMI frame, to
one file per PBX server with a single ``write`` (no ``fsync``: it must
survive a kill of the process, not of the machine, and the kernel keeps
what was written). A frame without ``Timestamp`` gets the time it was
received, so that a replay gives the same times. At start the bridge
replays the file through the mapping into the idempotent event
registration (keys Uniqueid/Linkedid), and once a transaction holding
everything written up to an offset commits, the file is cut there:
truncated when nothing was written since, or its unsaved tail copied
to a new file renamed over it once more than ``compact_over`` bytes
(256 KiB) are saved. Sans-IO apart from its own file; no Tryton here.
"""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from .protocol import FrameParser, Message

__all__ = ['Journal']

logger = logging.getLogger(__name__)


def frame(message: Message, received: float | None = None) -> bytes:
    "``message`` as an AMI frame, stamped with ``received`` if unstamped."
    lines = [f'{key}: {value}' for key, value in message.headers]
    if received is not None and 'Timestamp' not in message:
        lines.append(f'Timestamp: {received:.6f}')
    text = '\r\n'.join(line.replace('\r', ' ').replace('\n', ' ')
        for line in lines)
    return (text + '\r\n\r\n').encode('utf-8', 'replace')


class Journal:
    """Appends frames to ``path``; offsets are logical (they keep growing
    across truncations) so that a commit names what it saved."""

    def __init__(self, path: Path, compact_over: int = 1 << 18) -> None:
        self.path = path
        self.compact_over = compact_over
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(path, 'ab', buffering=0)
        #: Logical offset of the file's first byte, and of its end.
        self.start = 0
        self.end = self._file.seek(0, os.SEEK_END)

    def read(self) -> list[Message]:
        "The frames written by an earlier process, to replay."
        data = self.path.read_bytes()
        messages = FrameParser().feed(data + b'\r\n\r\n') if data else []
        if messages:
            logger.warning("journal %s: replaying %d AMI frame(s) not known"
                " to be committed", self.path, len(messages))
        return messages

    def append(self, message: Message, received: float | None = None,
            ) -> None:
        data = frame(message, time.time() if received is None else received)
        self._file.write(data)
        self.end += len(data)

    def committed(self, offset: int) -> None:
        "Everything up to ``offset`` is in the database: forget it."
        if offset >= self.end:
            if self.end > self.start:
                self._file.truncate(0)
            self.start = self.end
        elif offset - self.start > self.compact_over:
            with open(self.path, 'rb') as source:
                source.seek(offset - self.start)
                tail = source.read()
            fresh = self.path.with_suffix(self.path.suffix + '.new')
            fresh.write_bytes(tail)
            os.replace(fresh, self.path)
            self._file.close()
            self._file = open(self.path, 'ab', buffering=0)
            self.start = offset

    def close(self) -> None:
        self._file.close()
