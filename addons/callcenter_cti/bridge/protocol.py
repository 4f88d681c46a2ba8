"""Sans-IO Asterisk Manager Interface framing: bytes in, messages out.

Nothing here touches a socket or the event loop, so the same code frames a
live TCP stream, a recorded transcript and a fuzzer's random bytes.

An AMI stream is a banner line (``Asterisk Call Manager/x.y.z``) followed by
frames of ``Key: value`` lines ending with a blank line. Asterisk writes CRLF;
LF-only input is accepted as well. Following panoramisk's ``data_received``,
the unfinished tail of the buffer is kept for the next read. A frame that
cannot be parsed is logged with the reason and skipped: parsing never raises.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Literal, Mapping, Sequence, Union

__all__ = [
    'BANNER_PREFIX', 'FrameParser', 'HeaderValue', 'Kind', 'Message',
    'format_action', 'parse_frame']

logger = logging.getLogger(__name__)

Kind = Literal['event', 'response', 'action']
HeaderValue = Union[str, int, float, Sequence[str], Mapping[str, object], None]

BANNER_PREFIX = b'Asterisk Call Manager/'
#: A blank line ends a frame: CRLF CRLF, or LF-only variants of it.
_FRAME_END = re.compile(rb'\r?\n\r?\n')
#: The first header names what the frame is.
_KINDS: Mapping[str, Kind] = {
    'event': 'event', 'response': 'response', 'action': 'action'}
_KEY = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_\-./()]*$')
#: A frame larger than this without a blank line is dropped (runaway peer).
MAX_FRAME = 1 << 20


@dataclass(frozen=True)
class Message:
    """One AMI frame: ordered headers, looked up without regard to case.

    ``kind`` comes from the *first* header, so an ``OriginateResponse``
    event (which also carries ``Response: Success``) is still an event.
    """

    headers: tuple[tuple[str, str], ...]
    #: Raw lines of a legacy ``Response: Follows`` command output.
    output: tuple[str, ...] = ()
    _index: dict[str, list[str]] = field(
        init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        index: dict[str, list[str]] = {}
        for key, value in self.headers:
            index.setdefault(key.lower(), []).append(value)
        object.__setattr__(self, '_index', index)

    @property
    def kind(self) -> Kind:
        return _KINDS[self.headers[0][0].lower()]

    @property
    def name(self) -> str:
        """The event name, the response status or the action name."""
        return self.headers[0][1]

    @property
    def action_id(self) -> str | None:
        return self.get('ActionID')

    @property
    def is_success(self) -> bool:
        """True for ``Response: Success`` (or ``Follows``/``Goodbye``)."""
        return self.kind == 'response' and self.name.lower() in (
            'success', 'follows', 'goodbye')

    def get(self, key: str, default: str | None = None) -> str | None:
        """The first value of header ``key``, or ``default``."""
        values = self._index.get(key.lower())
        return values[0] if values else default

    def get_all(self, key: str) -> list[str]:
        """Every value of a header that may repeat (``Variable``)."""
        return list(self._index.get(key.lower(), ()))

    def __getitem__(self, key: str) -> str:
        values = self._index.get(key.lower())
        if not values:
            raise KeyError(key)
        return values[0]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._index

    def as_dict(self) -> dict[str, str | list[str]]:
        """Headers as a dict keyed by their first spelling; a repeated
        header (in any case) becomes a list."""
        spelling: dict[str, str] = {}
        for key, _value in self.headers:
            spelling.setdefault(key.lower(), key)
        return {spelling[lowered]: values[0] if len(values) == 1
            else list(values) for lowered, values in self._index.items()}


def parse_frame(text: str) -> tuple[Message | None, str]:
    """Parse one frame without its blank line; return (message, reason).

    Junk lines before the first ``Event:``/``Response:``/``Action:`` line are
    dropped, which re-synchronises after garbage that ended with a newline.
    """
    lines = [line.rstrip('\r') for line in text.split('\n')]
    start = next((i for i, line in enumerate(lines)
            if line.split(':', 1)[0].strip().lower() in _KINDS
            and ':' in line), None)
    if start is None:
        return None, 'no Event, Response or Action header'
    headers: list[tuple[str, str]] = []
    output: list[str] = []
    for line in lines[start:]:
        key, colon, value = line.partition(':')
        key = key.strip()
        if colon and _KEY.match(key) and not output:
            headers.append((key, value[1:] if value[:1] == ' ' else value))
        elif headers[0][1].strip().lower() == 'follows':
            output.append(line)
        elif line.strip():
            return None, f'line is not "Key: value": {line[:60]!r}'
    if not headers[0][1].strip():
        return None, f'empty {headers[0][0]} name'
    if any('\x00' in key + value for key, value in headers):
        # Asterisk never sends NUL, and PostgreSQL refuses it in text.
        return None, 'NUL byte in a header'
    message = Message(tuple(headers), tuple(output))
    if start:
        logger.warning("dropped %d junk line(s) before AMI %s %s",
            start, message.kind, message.name)
    return message, ''


class FrameParser:
    """Incremental AMI reader for one connection.

    ``feed()`` takes whatever bytes arrived and returns the complete
    messages; the partial tail waits in the buffer for the next call.
    """

    def __init__(self, *, encoding: str = 'utf-8') -> None:
        self.encoding = encoding
        self.version: str | None = None
        self.skipped = 0
        self._buffer = b''

    @property
    def pending(self) -> bytes:
        """Bytes received that do not form a complete frame yet."""
        return self._buffer

    def feed(self, data: bytes) -> list[Message]:
        buffer = self._buffer + data
        if self.version is None:
            buffer = self._take_banner(buffer)
            if self.version is None and len(buffer) <= MAX_FRAME:
                self._buffer = buffer
                return []
            if self.version is None:
                self._skip(buffer[:80], 'banner longer than %d bytes'
                    % MAX_FRAME)
                self.version, buffer = '', b''
        messages: list[Message] = []
        position = 0
        for match in _FRAME_END.finditer(buffer):
            self._parse(buffer[position:match.start()], messages)
            position = match.end()
        self._buffer = buffer[position:]
        if len(self._buffer) > MAX_FRAME:
            self._skip(self._buffer[:80], 'frame larger than %d bytes'
                % MAX_FRAME)
            self._buffer = b''
        return messages

    def _take_banner(self, buffer: bytes) -> bytes:
        """Consume the banner line; a stream without one is framed as is."""
        stripped = buffer.lstrip(b'\r\n')
        if not BANNER_PREFIX.startswith(stripped[:len(BANNER_PREFIX)]):
            self.version = ''
            return buffer
        line, newline, rest = stripped.partition(b'\n')
        if not newline:
            return buffer
        self.version = line[len(BANNER_PREFIX):].decode(
            'ascii', 'replace').strip()
        logger.debug("AMI banner, version %s", self.version)
        return rest

    def _parse(self, raw: bytes, messages: list[Message]) -> None:
        text = raw.decode(self.encoding, 'replace').lstrip('\r\n')
        if not text.strip():
            return
        message, reason = parse_frame(text)
        if message is None:
            self._skip(raw, reason)
        else:
            messages.append(message)

    def _skip(self, raw: bytes, reason: str) -> None:
        self.skipped += 1
        logger.warning("skipped malformed AMI frame (%s): %.80r", reason, raw)


def format_action(name: str, action_id: str, **headers: HeaderValue) -> bytes:
    """Serialise an action; ``None`` values are left out.

    A list value repeats the header and a mapping value gives one
    ``Key: name=value`` line per item, as ``Originate`` expects for
    ``Variable``. Line breaks in values are refused: they would inject
    headers or end the frame early.
    """
    lines = [f'Action: {name}', f'ActionID: {action_id}']
    for key, value in headers.items():
        if value is None:
            continue
        if isinstance(value, Mapping):
            values = [f'{k}={v}' for k, v in value.items()]
        elif isinstance(value, (list, tuple)):
            values = [str(v) for v in value]
        else:
            values = [str(value)]
        lines.extend(f'{key}: {v}' for v in values)
    for line in lines:
        if '\r' in line or '\n' in line:
            raise ValueError(f'line break in AMI header: {line!r}')
    return ('\r\n'.join(lines) + '\r\n\r\n').encode('utf-8')
