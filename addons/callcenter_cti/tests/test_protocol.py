"""AMI framing and parsing: unit tests, real captures, fuzzing."""
from __future__ import annotations

import collections
import logging

import pytest
from hypothesis import given, settings, strategies as st

from trytond.modules.callcenter_cti.bridge.protocol import (
    FrameParser, Message, format_action, parse_frame)

from .captures import capture

BANNER = b'Asterisk Call Manager/11.0.0\r\n'
HANGUP = b'Event: Hangup\r\nUniqueid: 1795462804.1\r\nCause: 16\r\n\r\n'


def test_banner_and_first_response() -> None:
    """The banner gives the version; the response glued to it parses."""
    parser = FrameParser()
    messages = parser.feed(BANNER + b'Response: Success\r\nActionID: a\r\n'
        b'Message: Authentication accepted\r\n\r\n')
    assert parser.version == '11.0.0'
    assert [(m.kind, m.name, m.action_id) for m in messages] == [
        ('response', 'Success', 'a')]


def test_partial_tail_is_kept() -> None:
    """A frame cut anywhere is completed by the next read."""
    parser = FrameParser()
    assert parser.feed(BANNER + HANGUP[:20]) == []
    assert parser.pending == HANGUP[:20]
    messages = parser.feed(HANGUP[20:])
    assert [m['Uniqueid'] for m in messages] == ['1795462804.1']
    assert parser.pending == b''


def test_lf_only_input() -> None:
    """Frames separated by LF-only blank lines still split apart."""
    parser = FrameParser()
    messages = parser.feed(BANNER + b'Event: A\nX: 1\n\nEvent: B\nX: 2\n\n')
    assert [(m.name, m['x']) for m in messages] == [('A', '1'), ('B', '2')]


def test_case_insensitive_and_repeated_headers() -> None:
    """Lookup ignores case; a repeated header keeps every value."""
    message, reason = parse_frame(
        'Event: VarSet\r\nVariable: A=1\r\nvariable: B=2\r\nValue:x')
    assert message is not None and reason == ''
    assert message.get('VARIABLE') == 'A=1'
    assert message.get_all('variable') == ['A=1', 'B=2']
    assert message.as_dict()['Variable'] == ['A=1', 'B=2']
    assert message['value'] == 'x' and 'valUE' in message


def test_originate_response_is_an_event() -> None:
    """Kind comes from the first header, not from a ``Response`` header."""
    message, _ = parse_frame('Event: OriginateResponse\r\nActionID: o\r\n'
        'Response: Success\r\nReason: 4')
    assert message is not None
    assert (message.kind, message.name, message.is_success) == (
        'event', 'OriginateResponse', False)


def test_malformed_frame_skipped_with_reason(
        caplog: pytest.LogCaptureFixture) -> None:
    """A bad frame is logged with why and skipped; the next one parses."""
    parser = FrameParser()
    with caplog.at_level(logging.WARNING):
        messages = parser.feed(BANNER + b'Hello there\r\nno colon\r\n\r\n'
            b'Event: A\r\nbroken line\r\n\r\n' + HANGUP)
    assert [m.name for m in messages] == ['Hangup']
    assert parser.skipped == 2
    assert 'no Event, Response or Action header' in caplog.text
    assert 'line is not "Key: value"' in caplog.text


def test_junk_lines_before_a_frame_are_dropped() -> None:
    """Garbage ending in a newline glued to a frame does not lose it."""
    parser = FrameParser()
    messages = parser.feed(BANNER + b'\x00\xffgarbage\r\n' + HANGUP)
    assert [m.name for m in messages] == ['Hangup']


def test_runaway_frame_is_dropped() -> None:
    """A peer that never ends its frame cannot grow the buffer forever."""
    parser = FrameParser()
    parser.feed(BANNER + b'Event: X\r\nA: ' + b'x' * (1 << 20) + b'\r\n')
    assert parser.pending == b'' and parser.skipped == 1
    assert [m.name for m in parser.feed(HANGUP)] == ['Hangup']


def test_command_output_kept() -> None:
    """Legacy ``Response: Follows`` output lines are kept, not rejected."""
    message, _ = parse_frame('Response: Follows\r\nPrivilege: Command\r\n'
        'Channel              Location\r\n--END COMMAND--')
    assert message is not None
    assert message.output == ('Channel              Location',
        '--END COMMAND--')


def test_format_action_with_variables() -> None:
    """Lists and mappings repeat the header, as Originate wants."""
    data = format_action('Originate', 'o-1', Channel='PJSIP/1001',
        Variable={'__CUSTOMER': '42', 'PURPOSE': 'sale'}, Account=None)
    assert data == (b'Action: Originate\r\nActionID: o-1\r\n'
        b'Channel: PJSIP/1001\r\nVariable: __CUSTOMER=42\r\n'
        b'Variable: PURPOSE=sale\r\n\r\n')
    assert format_action('X', '1', Variable=['A=1', 'B=2']).count(
        b'Variable: ') == 2
    message, _ = parse_frame(data.decode().strip())
    assert message is not None and message.kind == 'action'


def test_format_action_refuses_header_injection() -> None:
    """A value with a line break could smuggle headers: refused."""
    with pytest.raises(ValueError):
        format_action('Hangup', '1', Channel='x\r\nAction: Originate')


# Counted with grep -c '^Event: X$' on the captures, not with this parser.
@pytest.mark.parametrize('name, counts', [
    ('inbound_queue_call.txt', {'VarSet': 78, 'Newexten': 14,
        'DeviceStateChange': 12, 'Newstate': 5, 'Newchannel': 4,
        'Hangup': 4, 'Cdr': 3, 'BridgeEnter': 2, 'BridgeLeave': 2,
        'QueueCallerJoin': 1, 'QueueCallerLeave': 1, 'AgentCalled': 1,
        'AgentConnect': 1, 'AgentComplete': 1, 'MixMonitorStart': 1,
        'OriginateResponse': 1, 'FullyBooted': 1, 'DialBegin': 2,
        'LocalBridge': 2, 'QueueMemberStatus': 2}),
    ('outbound_click_to_dial.txt', {'VarSet': 32, 'Newexten': 20,
        'DeviceStateChange': 10, 'Newstate': 6, 'Newchannel': 4,
        'Hangup': 4, 'Cdr': 3, 'BridgeEnter': 2, 'DialBegin': 2,
        'DialEnd': 2, 'OriginateResponse': 1, 'MixMonitorStart': 1,
        'LocalBridge': 2, 'QueueMemberStatus': 2, 'AgentCalled': 0}),
])
@pytest.mark.parametrize('chunk', [1, 7, 1460, 1 << 20])
def test_real_capture_replay(name: str, counts: dict[str, int],
        chunk: int) -> None:
    """Every frame of a real Asterisk 22 stream parses, at any chunking."""
    data = capture(name)
    parser = FrameParser()
    messages: list[Message] = []
    for start in range(0, len(data), chunk):
        messages += parser.feed(data[start:start + chunk])
    assert parser.version == '11.0.0'
    assert parser.skipped == 0 and parser.pending == b''
    assert len(messages) == data.count(b'\r\n\r\n')
    events = collections.Counter(m.name for m in messages
        if m.kind == 'event')
    assert {key: events[key] for key in counts} == counts
    responses = [m.name for m in messages if m.kind == 'response']
    assert responses[0] == 'Success' and responses[-1] == 'Goodbye'


frames = st.lists(st.tuples(
    st.sampled_from(['Hangup', 'Newchannel', 'DialBegin']),
    st.text(alphabet='0123456789.', min_size=1, max_size=12)),
    min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(garbage=st.binary(max_size=200), valid=frames,
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=8),
    lf_only=st.booleans())
def test_fuzz_garbage_never_breaks_the_reader(garbage: bytes,
        valid: list[tuple[str, str]], cuts: list[int], lf_only: bool) -> None:
    """Random bytes and split points never raise, and the valid frames
    after the garbage are all parsed."""
    eol = b'\n' if lf_only else b'\r\n'
    tail = b''.join(b'Event: %s%sUniqueid: %s%s%s' % (
        name.encode(), eol, uid.encode(), eol, eol) for name, uid in valid)
    data = BANNER + garbage + eol + eol + tail
    parser = FrameParser()
    messages: list[Message] = []
    position = 0
    for cut in sorted(set(cuts)) + [len(data)]:
        messages += parser.feed(data[position:max(cut, position)])
        position = max(cut, position)
    got = [(m.name, m.get('Uniqueid')) for m in messages]
    assert got[len(got) - len(valid):] == valid
