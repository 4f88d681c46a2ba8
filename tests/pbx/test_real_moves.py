"""The phone bar's moves planned on the channels a real Asterisk 22.10.1
listed (``captures/``, issue 17)."""
from __future__ import annotations

from trytond.modules.callcenter_cti.bridge import callmoves

from pbxhelpers import answer, real_capture

AGENT = 'Local/1001@agents/n'
#: CoreShowChannels while agent 1001 consults agent 1002 (after Atxfer).
CONSULTING = 'cti-8'


def _consulting() -> list:
    return [m for m in answer(real_capture('02_attended.cti-session.txt'),
            CONSULTING) if m.name == 'CoreShowChannel']


def _plan(action: str, **parameters: str) -> list:
    return callmoves.plan({'action': action, 'interface': AGENT,
            'parameters': parameters, 'name': 'Agent 1003',
            'extension': '1003'}, _consulting())


def test_hold_during_consultation_moves_customer() -> None:
    """Hold while the agent consults another agent puts the customer (left
    in the call's first bridge) on hold, not the consulted agent"""
    *_, redirect = _plan('hold')
    assert redirect[0] == 'Redirect'
    assert redirect[1]['Channel'] == 'Local/s@incoming-00000009;2'
    assert redirect[1]['ExtraChannel'] == 'Local/1001@agents-0000000a;1'


def test_conference_during_consultation_moves_customer() -> None:
    """A conference asked during a consultation brings the customer into
    the room, not the consulted agent"""
    redirect, = [a for a in _plan('conference', interface='Local/1003'
            '@agents/n') if a[0] == 'Redirect']
    assert redirect[1]['Channel'] == 'Local/s@incoming-00000009;2'
