"""A supervisor's ChanSpy on an agent's call through the bridge: logged as
supervision, not as a missed inbound call to call back."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pbxhelpers import run
from test_bridge import bridged, ended

CALLER = '+8613800138000'


def test_chanspy_is_supervision(suite: Any, tmp_path: Path) -> None:
    """The spy session is an internal supervision without handling; the
    customer's call stays answered"""
    async def scenario() -> None:
        async with bridged(suite, tmp_path) as (db, sim):
            call = await sim.scenario('inbound', caller=CALLER,
                agent='agent1', queue='support', talk=None)
            await call.answered.wait()
            spy = await sim.scenario('spy', agent='agent1')
            await spy.answered.wait()
            sim.hangup(spy, 'caller')
            await spy.finished.wait()
            row = await ended(db, spy.linkedid)
            assert (row['direction'], row['disposition'], row['handling']) \
                == ('internal', 'supervision', None)
            sim.hangup(call, 'caller')
            await call.finished.wait()
            customer = await ended(db, call.linkedid)
            assert customer['disposition'] == 'answered'
            assert db.one("SELECT count(*) FROM callcenter_call WHERE"
                " server = %s AND handling IS NOT NULL", db.server_id)[0] == 0
    run(scenario(), 90)
