"""Bad AMI input never breaks the bridge's reading path: no exception out
of the parser or the mapping, nothing the call log cannot store, a bounded
buffer, and the valid frame after the garbage is parsed and mapped.
``bench/ami_fuzz.py`` runs the same makers a million times."""
import random

from hypothesis import HealthCheck, given, settings, strategies as st

from ..bridge import mapping
from ..bridge.protocol import MAX_FRAME, FrameParser
from . import fuzzing

EVENT_NAMES = sorted(mapping.CALL_EVENTS) + sorted(mapping.STATE_EVENTS) + [
    'coreshowchannel']
#: Every header the mapping reads.
HEADERS = ['Channel', 'Uniqueid', 'Linkedid', 'Timestamp', 'Context',
    'Exten', 'CallerIDNum', 'CallerIDName', 'ChannelState', 'Cause', 'Queue',
    'Interface', 'Location', 'DestChannel', 'Variable', 'Value',
    'Application', 'AppData', 'ApplicationData', 'Extension', 'Status',
    'Paused', 'PausedReason', 'Reason', 'Duration', 'TransfereeUniqueid',
    'TransfereeLinkedid', 'OrigTransfererUniqueid',
    'OrigTransfererLinkedid', 'TransferTargetCallerIDNum',
    'SecondTransfererConnectedLineNum', 'SecondTransfererExten']
SETTINGS = settings(max_examples=300, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])


def _check(garbage, cuts):
    """Feed ``garbage`` then a valid Hangup, cut at ``cuts``; the Hangup
    comes out and every event could be stored."""
    pipeline = fuzzing.Pipeline()
    data = garbage + fuzzing.sentinel(1)
    events, position = [], 0
    for cut in sorted(set(cuts)) + [len(data)]:
        events += pipeline.feed(data[position:max(cut, position)])
        position = max(cut, position)
    assert pipeline.peak_pending <= MAX_FRAME
    assert all(fuzzing.storable(e) for e in events), events
    assert any(e.get('uniqueid') == '9.1' for e in events), events


@SETTINGS
@given(kind=st.sampled_from(sorted(fuzzing.BAD_FRAMES)),
    rng=st.randoms(use_true_random=False),
    cuts=st.lists(st.integers(0, 1 << 21), max_size=6))
def test_bad_frames_are_skipped(kind, rng, cuts):
    "Each kind of bad frame is skipped and the next frame parsed."
    maker, _weight = fuzzing.BAD_FRAMES[kind]
    _check(maker(random.Random(rng.random())), cuts)


@SETTINGS
@given(name=st.sampled_from(EVENT_NAMES),
    headers=st.lists(st.tuples(st.sampled_from(HEADERS), st.text(
                st.characters(exclude_characters='\r\n'), max_size=30)),
        max_size=12),
    lf_only=st.booleans(),
    cuts=st.lists(st.integers(0, 600), max_size=6))
def test_any_header_values_map(name, headers, lf_only, cuts):
    "Known events with any values map to storable events or none."
    garbage = fuzzing.frame([('Event', name), *headers],
        eol=b'\n' if lf_only else b'\r\n')
    _check(garbage, cuts)


@SETTINGS
@given(garbage=st.binary(max_size=300),
    cuts=st.lists(st.integers(0, 600), max_size=6))
def test_binary_before_a_banner(garbage, cuts):
    "Bytes before any banner or frame end do not hide the next frame."
    _check(garbage + fuzzing.END, cuts)


def test_endless_banner_is_bounded():
    "A peer that starts a banner and never ends it cannot grow the buffer."
    parser = FrameParser()
    for _ in range(40):
        parser.feed(b'Asterisk Call Manager/' + b'x' * 65536)
    assert len(parser.pending) <= MAX_FRAME
