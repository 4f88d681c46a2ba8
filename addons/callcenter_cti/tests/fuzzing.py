"""Bad AMI input for the fuzz test and ``bench/ami_fuzz.py``.

``Pipeline`` is the bridge's reading path without a socket: bytes go
through :class:`~..bridge.protocol.FrameParser`, every message through
``mapping.to_events``, ``mapping.to_states``, ``Membership.filter`` and
``mapping.snapshot``. ``BAD_FRAMES`` make one bad frame each from a
``random.Random``; ``sentinel(n)`` is the valid frame sent after each one,
which must come out mapped (the reader has recovered).
"""
from __future__ import annotations

import random
from typing import Any, Callable

from ..bridge import mapping
from ..bridge.membership import Membership
from ..bridge.protocol import MAX_FRAME, FrameParser

BANNER = b'Asterisk Call Manager/11.0.0\r\n'
END = b'\r\n\r\n'
#: Events the mapping reads, with the headers it looks at.
TEMPLATES: list[list[tuple[str, str]]] = [
    [('Event', 'Newchannel'), ('Channel', 'PJSIP/trunk-00000001'),
        ('ChannelState', '4'), ('CallerIDNum', '+8613800138000'),
        ('CallerIDName', '张三'), ('Exten', '600'), ('Context', 'from-trunk'),
        ('Uniqueid', '1795462804.1'), ('Linkedid', '1795462804.1'),
        ('Timestamp', '1795462804.123456')],
    [('Event', 'Newstate'), ('Channel', 'Local/1001@agents-00000001;1'),
        ('ChannelState', '6'), ('Uniqueid', '1795462804.2'),
        ('Linkedid', '1795462804.1')],
    [('Event', 'Hangup'), ('Channel', 'PJSIP/1001-00000002'),
        ('Uniqueid', '1795462804.2'), ('Linkedid', '1795462804.1'),
        ('Cause', '16'), ('Timestamp', '1795462810.5')],
    [('Event', 'AgentConnect'), ('Queue', 'support'),
        ('Interface', 'PJSIP/1001'), ('DestChannel', 'PJSIP/1001-00000002'),
        ('Uniqueid', '1795462804.1'), ('Linkedid', '1795462804.1')],
    [('Event', 'QueueMemberStatus'), ('Queue', 'support'),
        ('Interface', 'PJSIP/1001'), ('Status', '1'), ('Paused', '0'),
        ('PausedReason', 'lunch')],
    [('Event', 'QueueMemberRemoved'), ('Queue', 'support'),
        ('Interface', 'PJSIP/1002')],
    [('Event', 'VarSet'), ('Channel', 'PJSIP/1001-00000002'),
        ('Variable', 'MIXMONITOR_FILENAME'), ('Value', '/tmp/r.wav'),
        ('Uniqueid', '1795462804.2'), ('Linkedid', '1795462804.1')],
    [('Event', 'BlindTransfer'), ('Result', 'Success'),
        ('TransfereeChannel', 'PJSIP/trunk-00000001'),
        ('TransfereeUniqueid', '1795462804.1'),
        ('TransfereeLinkedid', '1795462804.1'), ('Extension', '1002')],
    [('Event', 'AttendedTransfer'), ('Result', 'Success'),
        ('OrigTransfererUniqueid', '1795462804.2'),
        ('OrigTransfererLinkedid', '1795462804.1'),
        ('TransferTargetCallerIDNum', '1003')],
    [('Event', 'CoreShowChannel'), ('Channel', 'PJSIP/1001-00000002'),
        ('ChannelState', '6'), ('Uniqueid', '1795462804.2'),
        ('Linkedid', '1795462804.1'), ('Duration', '00:01:02'),
        ('Application', 'Queue'), ('ApplicationData', 'support,t')],
    [('Response', 'Success'), ('ActionID', 'a-1'), ('Message', 'Pong')],
    ]
#: Values that stress the mapping: unknowns, Local halves, odd numbers.
ODD_VALUES = ['', ' ', '<unknown>', '<null>', ';2', 'Local/', '-', '/',
    'Local/1001@agents-1;2', '²', '١٢٣', '٣.٥', '9' * 5000, '1e400', 'nan',
    '-1', '00:²:01', '\x00', 'PJSIP/10\x0001', '::', '1.2.3', '\t', 'Follows', '\ufffd', 'é' * 300]
ENCODINGS = ['latin-1', 'gbk', 'utf-16', 'utf-16-be', 'big5', 'cp1252']


def frame(headers: list[tuple[str, str]], eol: bytes = b'\r\n',
        encoding: str = 'utf-8') -> bytes:
    text = '\r\n'.join(f'{k}: {v}' for k, v in headers) + '\r\n\r\n'
    return text.encode(encoding, 'replace').replace(b'\r\n', eol)


def sentinel(number: int) -> bytes:
    "A valid Hangup with a uniqueid of its own."
    return frame([('Event', 'Hangup'), ('Channel', 'PJSIP/1001-0000abcd'),
        ('Uniqueid', f'9.{number}'), ('Linkedid', '9.0'), ('Cause', '16')])


def _template(rng: random.Random) -> list[tuple[str, str]]:
    return list(rng.choice(TEMPLATES))


def truncated(rng: random.Random) -> bytes:
    data = frame(_template(rng))
    return data[:rng.randrange(1, len(data) - 3)] + END


def oversized(rng: random.Random) -> bytes:
    "More than ``MAX_FRAME`` bytes before any blank line."
    return b'Event: Newchannel\r\nCallerIDName: ' + rng.randbytes(
        1024) * (MAX_FRAME // 1024 + 2) + END


def binary(rng: random.Random) -> bytes:
    return rng.randbytes(rng.randrange(1, 400)) + END


def wrong_encoding(rng: random.Random) -> bytes:
    "A frame in another encoding (UTF-16 has no ASCII blank line: added)."
    return frame(_template(rng), encoding=rng.choice(ENCODINGS)) + END


def without_value(rng: random.Random) -> bytes:
    headers = _template(rng)
    lines = [f'{k}: {v}'.encode() for k, v in headers]
    for _ in range(rng.randrange(1, 4)):
        i = rng.randrange(len(lines))
        key = headers[i][0].encode()
        lines[i] = rng.choice([key + b':', key, b': ' + key, key + b': '])
    return b'\r\n'.join(lines) + END


def huge_value(rng: random.Random) -> bytes:
    "A header value of 1 MB (the frame slightly over ``MAX_FRAME``)."
    headers = _template(rng)
    i = rng.randrange(len(headers))
    headers[i] = (headers[i][0], rng.choice('x9²张') * (1 << 20))
    return frame(headers)


def interleaved(rng: random.Random) -> bytes:
    "Two frames' lines shuffled together, or one cut into another."
    one, two = frame(_template(rng)), frame(_template(rng))
    if rng.random() < 0.5:
        lines = one.split(b'\r\n')[:-2] + two.split(b'\r\n')[:-2]
        rng.shuffle(lines)
        return b'\r\n'.join(lines) + END
    cut = rng.randrange(1, len(one) - 4)
    return one[:cut] + two[:-4] + one[cut:]


def odd_values(rng: random.Random) -> bytes:
    "A real event with some values replaced by odd ones."
    headers = _template(rng)
    for _ in range(rng.randrange(1, len(headers) + 1)):
        i = rng.randrange(1, len(headers))
        headers[i] = (headers[i][0], rng.choice(ODD_VALUES))
    return frame(headers, eol=rng.choice([b'\r\n', b'\n']))


#: Kind → (maker, weight): 1 MB frames are rare so volume stays high.
BAD_FRAMES: dict[str, tuple[Callable[[random.Random], bytes], float]] = {
    'truncated': (truncated, 20), 'binary': (binary, 20),
    'wrong_encoding': (wrong_encoding, 15), 'without_value': (without_value,
        15), 'interleaved': (interleaved, 15), 'odd_values': (odd_values, 30),
    'oversized': (oversized, 0.01), 'huge_value': (huge_value, 0.01)}


def bad_frame(rng: random.Random) -> tuple[str, bytes]:
    kinds = list(BAD_FRAMES)
    kind, = rng.choices(kinds, [BAD_FRAMES[k][1] for k in kinds])
    return kind, BAD_FRAMES[kind][0](rng)


def chunks(data: bytes, rng: random.Random) -> list[bytes]:
    "``data`` cut where a TCP read might cut it."
    cuts = sorted(rng.randrange(len(data) + 1)
        for _ in range(rng.randrange(0, 4)))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)])]


class Pipeline:
    "Parser, mapping and membership of one link, fed like the bridge."

    def __init__(self) -> None:
        self.parser = FrameParser()
        self.membership = Membership()
        self.peak_pending = 0
        self.feed(BANNER)

    def feed(self, data: bytes) -> list[dict[str, Any]]:
        "The call events, agent states and channels of ``data``."
        messages = self.parser.feed(data)
        self.peak_pending = max(self.peak_pending, len(self.parser.pending))
        events: list[dict[str, Any]] = []
        for message in messages:
            events += mapping.to_events(message)
            events += self.membership.filter(
                message, mapping.to_states(message))
        return events + mapping.snapshot(messages)


def storable(event: dict[str, Any]) -> bool:
    """Whether the call log can store it: no NUL in text, integers and
    times in range."""
    stamp = event.get('time')
    if stamp is not None and not 0 <= stamp < 253402300800:
        return False
    for value in event.values():
        if isinstance(value, str) and '\x00' in value:
            return False
        if isinstance(value, int) and not -2**31 <= value < 2**31:
            return False
    return True
