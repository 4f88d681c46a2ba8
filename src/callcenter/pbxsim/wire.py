"""The simulator's own AMI codec (server side).

Deliberately separate from the bridge's ``protocol.py``: the simulator is
a second implementation, so a framing bug in one cannot cancel itself out
in tests that run the two against each other.
"""
from __future__ import annotations

import logging
import re
from typing import Iterable

logger = logging.getLogger(__name__)

_END = re.compile(rb'\r?\n\r?\n')
Headers = list[tuple[str, str]]


class ActionReader:
    """Splits a client's byte stream into actions (lists of headers)."""

    def __init__(self) -> None:
        self._buffer = b''

    def feed(self, data: bytes) -> list[Headers]:
        self._buffer += data
        actions: list[Headers] = []
        position = 0
        for match in _END.finditer(self._buffer):
            raw = self._buffer[position:match.start()]
            position = match.end()
            headers = _parse(raw.decode('utf-8', 'replace'))
            if headers:
                actions.append(headers)
        self._buffer = self._buffer[position:]
        return actions


def _parse(text: str) -> Headers:
    headers: Headers = []
    for line in text.splitlines():
        key, colon, value = line.partition(':')
        if colon and key.strip():
            headers.append((key.strip(), value.strip()))
        elif line.strip():
            logger.warning("simulator: ignored line %r", line[:60])
    return headers


def encode(headers: Iterable[tuple[str, object]]) -> bytes:
    """One frame, CRLF line ends, blank line at the end."""
    lines = ''.join(f'{key}: {value}\r\n' for key, value in headers)
    return (lines + '\r\n').encode('utf-8')


def lookup(headers: Headers, key: str, default: str = '') -> str:
    """First value of ``key`` (case-insensitive)."""
    key = key.lower()
    return next((v for k, v in headers if k.lower() == key), default)


def lookup_all(headers: Headers, key: str) -> list[str]:
    key = key.lower()
    return [v for k, v in headers if k.lower() == key]
