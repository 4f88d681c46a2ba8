"""``callcenter dialer``: the dialer as its own supervised process.

Its own process rather than a task of the CTI bridge: the bridge's
transactions are the call log's (batched, retried, up to 500 events), and
a dialer decision must not wait behind them (the decision loop's p99 is
held under 50 ms); a dialer restart (new campaign code, a crash) must not
cut the call log, nor a bridge restart the campaigns; ``./callcenter run``
supervises both the same way. The price is a second AMI login, which
Asterisk serves like any other (``manager.conf`` allows several
sessions of one user).
"""
from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path

from trytond.modules.callcenter_cti.bridge.bridge import Tryton
from trytond.modules.callcenter_cti.bridge.client import ClientConfig

from .engine import Dialer, DialerConfig
from .store import TrytonStore, read_server

__all__ = ['main']

logger = logging.getLogger(__name__)


def main(config_path: str | Path, db_name: str) -> int:
    """Run the dialer until SIGTERM or SIGINT; returns the exit status."""
    async def serve() -> None:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, task.cancel)
        tryton = Tryton(config_path, db_name)
        server = await asyncio.to_thread(tryton.call, read_server)
        if server is None:
            logger.warning("no active PBX server record: nothing to dial")
            await asyncio.Event().wait()
        ami = ClientConfig(host=server['host'], port=server['port'],
            username=server['username'], secret=server['secret'],
            tls=server['tls'], events='call,agent,dialplan')
        try:
            await Dialer(TrytonStore(tryton), DialerConfig(ami)).run()
        except asyncio.CancelledError:
            logger.info("dialer stopped")
    asyncio.run(serve())
    return 0
