"""The CTI bridge: AMI links of the PBX servers → the modules' entry points.

One :class:`~.client.AmiClient` per active ``callcenter.pbx.server``
record. Events are translated by :mod:`.mapping`, queued in arrival order
and flushed as soon as the previous transaction ends (at most
``batch_size`` call-log events at a time) in one Tryton transaction run in
a worker thread: runs of call events go to
``callcenter.call.register_events``, agent changes to
``callcenter.agent.set_states``, resync snapshots to
``callcenter.call.sync_active`` (and the queue members to
``apply_queue_members``) and link states to the server record.
In-process (Pool/Transaction) rather than RPC: see ``doc/bridge.rst``.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from . import commands, mapping
from .client import AmiClient, ClientConfig, LinkState, LinkStatus
from .journal import Journal
from .membership import Membership

__all__ = ['Bridge', 'BridgeConfig', 'Tryton', 'main']

logger = logging.getLogger(__name__)

#: Our link states → the selection of ``callcenter.pbx.server``.
LINK_STATES = {
    LinkState.CONNECTING: 'connecting', LinkState.CONNECTED: 'connected',
    LinkState.AUTH_FAILED: 'auth_failed',
    LinkState.UNREACHABLE: 'unreachable',
    LinkState.DISCONNECTED: 'connecting', LinkState.CLOSED: 'unknown'}
Item = tuple[str, Any]


@dataclass(frozen=True)
class BridgeConfig:
    #: Kept for configurations that set it: batches no longer wait.
    flush_interval: float = 0.0
    #: At most this many call-log events per transaction.
    batch_size: int = 500
    #: ``last_event_at`` is written at most this often (seconds).
    last_event_every: float = 5.0
    events: str = 'on'
    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    #: Attempts of a batch that fails while the database answers.
    attempts: int = 3
    #: While the database does not answer, a batch is tried again after
    #: a delay doubling from ``outage_initial`` up to ``outage_max``.
    outage_initial: float = 0.2
    outage_max: float = 5.0
    #: A transaction without answer for this long is logged as an outage.
    outage_warn: float = 2.0
    #: Directory of the AMI journals (one file per PBX server); default
    #: ``bridge-journal/<database>`` next to the trytond configuration;
    #: ``''`` for none.
    journal_dir: str | None = None
    #: Seconds an accepted ``Atxfer`` has to show its consultation call.
    consult_timeout: float = commands.CONSULT_TIMEOUT
    #: Seconds a stopping bridge waits to commit what it read.
    stop_timeout: float = 10.0


class Tryton:
    """Runs functions in committed Tryton transactions, as trytond's worker
    does; call it from a worker thread (``asyncio.to_thread``)."""

    def __init__(self, config_path: str | Path, db_name: str) -> None:
        self.config_path, self.db_name = str(config_path), db_name
        self._lock = threading.Lock()
        self._pool: Any = None

    def pool(self) -> Any:
        from callcenter.tryton import init_pool
        with self._lock:
            if self._pool is None:
                self._pool = init_pool(Path(self.config_path), self.db_name)
            return self._pool

    def call(self, function: Callable[..., Any], *args: Any) -> Any:
        "The command line's runner (``callcenter.tryton.run``)."
        from callcenter.tryton import run
        return run(self.pool(), self.db_name, function, *args)


def _read_servers(pool: Any) -> list[dict[str, Any]]:
    Server = pool.get('callcenter.pbx.server')
    return [{'id': s.id, 'host': s.host, 'port': s.port,
            'username': s.username, 'tls': bool(s.use_tls),
            'secret': os.environ.get(f'CALLCENTER_AMI_SECRET_{s.id}',
                s.secret or '')}
        for s in Server.search([])]


def _apply(pool: Any, server_id: int, items: list[Item]) -> None:
    "Apply queued items in order, runs of one kind in one call."
    Call = pool.get('callcenter.call')
    with Call.event_batch(server_id):
        for part in _after_syncs(items):
            _apply_part(pool, server_id, part)


def _after_syncs(items: list[Item]) -> Iterator[list[Item]]:
    """The items cut after each resync snapshot: ``prepare_events`` must
    not create the legs of later events before the snapshot hangs up the
    open legs it does not list."""
    part: list[Item] = []
    for item in items:
        part.append(item)
        if item[0] == 'sync':
            yield part
            part = []
    if part:
        yield part


def _apply_part(pool: Any, server_id: int, items: list[Item]) -> None:
    Call = pool.get('callcenter.call')
    Server = pool.get('callcenter.pbx.server')
    Call.prepare_events(server_id,
        [e for kind, p in items if kind == 'events' for e in p])
    for kind, payload in _runs(items):
        if kind == 'events':
            Call.register_events(server_id, payload)
        elif kind == 'states':
            Call.apply_agent_states(server_id, payload)
        elif kind == 'sync':
            channels, at = payload
            Call.sync_active(server_id, channels, at)
        elif kind == 'members':
            interfaces, at = payload
            Call.apply_queue_members(server_id, interfaces, at)
        elif kind == 'server':
            Server.write([Server(server_id)], payload)


def _runs(items: list[Item]) -> Iterator[Item]:
    "The items in order, consecutive events (or states) joined in one."
    for kind, group in itertools.groupby(items, key=lambda item: item[0]):
        if kind in ('events', 'states'):
            yield kind, [p for _, payload in group for p in payload]
        else:
            yield from group


class Link:
    "The queue of one server's link, flushed in arrival order."

    def __init__(self, server: dict[str, Any]) -> None:
        self.server_id: int = server['id']
        self.server = server
        self.items: list[Item] = []
        #: Per item, the journal's end when it was queued: once it is
        #: committed, the journal up to there is saved.
        self.offsets: list[int] = []
        self.count = 0
        self.wake = asyncio.Event()
        #: Channels created while a CoreShowChannels is on its way.
        self.fresh: dict[str, str | None] | None = None
        self.event_written = 0.0
        self.client: AmiClient | None = None
        #: Set by a NOTIFY of a queued phone command (see ``commands``).
        self.commands_wake = asyncio.Event()
        #: Queues of each interface: a logout from the last one only.
        self.membership = Membership()
        #: The AMI frames received and not committed yet (``journal``).
        self.journal: Journal | None = None

    def push(self, kind: str, payload: Any, size: int = 1) -> None:
        self.items.append((kind, payload))
        self.offsets.append(self.journal.end if self.journal else 0)
        self.count += size
        self.wake.set()


class Bridge:
    """Runs one AMI link per active PBX server record until cancelled."""

    def __init__(self, config_path: str | Path, db_name: str,
            config: BridgeConfig | None = None) -> None:
        self.tryton = Tryton(config_path, db_name)
        self.config = config or BridgeConfig()
        journal = self.config.journal_dir
        self.journal_dir = (Path(config_path).parent / 'bridge-journal'
            / db_name if journal is None else Path(journal) if journal
            else None)
        self.links: dict[int, Link] = {}
        #: Total of the events committed, for benchmarks and tests.
        self.committed = 0
        self._conninfo: str | None = None

    async def run(self) -> None:
        servers = await asyncio.to_thread(self.tryton.call, _read_servers)
        self._conninfo = await asyncio.to_thread(
            self.tryton.call, commands._conninfo)
        if not servers:
            logger.warning("no active PBX server record: nothing to bridge")
        async with asyncio.TaskGroup() as group:
            for server in servers:
                link = self.links[server['id']] = Link(server)
                group.create_task(self._serve(link),
                    name=f'bridge-{server["id"]}')
                group.create_task(commands.pump(self, link),
                    name=f'commands-{server["id"]}')
            if servers:
                group.create_task(commands.listen(self), name='listen')
            await asyncio.Event().wait()

    async def _serve(self, link: Link) -> None:
        server, cfg = link.server, self.config
        client = AmiClient(ClientConfig(host=server['host'],
                port=server['port'], username=server['username'],
                secret=server['secret'], tls=server['tls'],
                events=cfg.events, backoff_initial=cfg.backoff_initial,
                backoff_max=cfg.backoff_max),
            on_state=lambda status: self._on_state(link, status),
            on_connected=lambda c: self._resync(link, c))
        client.on_event('*', lambda message: self._on_event(link, message))
        link.client = client
        self.links[link.server_id] = link
        if self.journal_dir is not None:
            link.journal = Journal(
                self.journal_dir / f'server-{link.server_id}.ami')
            # What a killed bridge read and did not commit, first.
            for message in link.journal.read():
                self._on_event(link, message, journal=False)
        try:
            async with client:
                await self._flush_forever(link)
        finally:
            link.push('server', {'link_state': 'unknown',
                'link_message': 'bridge stopped'})
            try:
                async with asyncio.timeout(self.config.stop_timeout):
                    await self._flush(link)
            except TimeoutError:
                # The journal keeps them for the next start.
                logger.warning("PBX server %s: stopped with %d item(s) not "
                    "committed", link.server_id, len(link.items))
            if link.journal is not None:
                link.journal.close()

    def _on_state(self, link: Link, status: LinkStatus) -> None:
        log = logger.info if status.state in (
            LinkState.CONNECTED, LinkState.CONNECTING) else logger.warning
        log("PBX server %s: %s", link.server_id, status.message)
        values: dict[str, Any] = {'link_state': LINK_STATES[status.state],
            'link_message': status.message[:250]}
        if link.client is not None and link.client.last_event_at:
            values['last_event_at'] = _stamp(link.client.last_event_at)
        link.push('server', values)

    def _on_event(self, link: Link, message: Any, journal: bool = True,
            ) -> None:
        events = mapping.to_events(message)
        states = link.membership.filter(message, mapping.to_states(message))
        if journal and link.journal is not None and (events or states
                or message.name.lower() in mapping.STATE_EVENTS):
            link.journal.append(message, link.client.last_event_at
                if link.client is not None else None)
        if events:
            if link.fresh is not None:
                for event in events:
                    if event['kind'] == 'channel_created':
                        link.fresh[event['uniqueid']] = event['linkedid']
            logger.debug("%s (Uniqueid %s) → %d event(s)", message.name,
                message.get('Uniqueid'), len(events))
            link.push('events', events, len(events))
        if states:
            logger.debug("%s of %s → %s", message.name,
                message.get('Interface'), states[0]['state'])
            link.push('states', states)

    async def _resync(self, link: Link, client: AmiClient) -> None:
        """After every login: open calls from CoreShowChannels (plus those
        created while it ran), agent states from QueueStatus."""
        link.fresh = {}
        try:
            channels = mapping.snapshot(
                (await client.action('CoreShowChannels')).events)
            known = {c['uniqueid'] for c in channels}
            channels += [{'uniqueid': u, 'linkedid': l}
                for u, l in link.fresh.items() if u not in known]
        finally:
            link.fresh = None
        logger.info("PBX server %s: resync with %d channel(s)",
            link.server_id, len(channels))
        link.push('sync', (channels, time.time()), len(channels))
        queues = await client.action('QueueStatus')
        link.membership.reset(queues.events)
        link.push('states', [s for m in queues.events
                for s in mapping.to_states(m)])
        link.push('members', (sorted(link.membership.queues), time.time()))

    async def _flush_forever(self, link: Link) -> None:
        """Commit whatever arrived, at once: the events read while a
        transaction runs make the next one (no waiting for more)."""
        while True:
            await link.wake.wait()
            if self.config.flush_interval:
                await asyncio.sleep(self.config.flush_interval)
            await self._flush(link)

    async def _flush(self, link: Link) -> None:
        link.wake.clear()
        while link.items:
            journal = link.journal
            # The journal up to the last taken item's frame is in them.
            items, count, saved = self._take(link)
            client = link.client
            now = time.time()
            if (client is not None and client.last_event_at
                    and now - link.event_written
                    >= self.config.last_event_every):
                items.append(('server',
                    {'last_event_at': _stamp(client.last_event_at)}))
                link.event_written = now
            await self._commit(link, items)
            self.committed += count
            if journal is not None and journal is link.journal:
                journal.committed(saved)

    def _take(self, link: Link) -> tuple[list[Item], int, int]:
        """At most ``batch_size`` events' worth of items, in order, and
        the journal's end when the last of them was queued."""
        taken, count = 0, 0
        for kind, payload in link.items:
            taken += 1
            count += len(payload) if kind == 'events' else 0
            if count >= self.config.batch_size:
                break
        items, link.items = link.items[:taken], link.items[taken:]
        saved = link.offsets[taken - 1]
        link.offsets = link.offsets[taken:]
        link.count = sum(len(p) if k == 'events' else 1
            for k, p in link.items)
        return items, count, saved

    async def _commit(self, link: Link, items: list[Item]) -> None:
        """Commit ``items``; while the database does not answer, keep
        them (and keep reading AMI) and try again with a capped backoff;
        a batch that fails while the database answers is dropped after
        ``attempts`` tries (logged)."""
        cfg, attempt, outage, delay = self.config, 0, None, 0.0
        while True:
            try:
                task = asyncio.ensure_future(asyncio.to_thread(
                        self.tryton.call, _apply, link.server_id, items))
                done, _ = await asyncio.wait({task}, timeout=cfg.outage_warn)
                if (not done and outage is None
                        and not await self._server_reachable()):
                    # Waiting for a connection (the pool retries for 30 s);
                    # a transaction that is only slow is no outage.
                    outage = time.monotonic()
                    logger.warning("PBX server %s: no answer from the "
                        "database for %.0f s; keeping %d item(s) and "
                        "reading AMI until it answers", link.server_id,
                        cfg.outage_warn, len(items) + len(link.items))
                await task
                if outage is not None:
                    logger.warning("PBX server %s: database back after "
                        "%.1f s, batch committed", link.server_id,
                        time.monotonic() - outage)
                return
            except Exception:
                if not await self._database_answers():
                    if outage is None:
                        outage = time.monotonic()
                        logger.warning("PBX server %s: database "
                            "unreachable; keeping %d item(s) and reading "
                            "AMI until it answers", link.server_id,
                            len(items) + len(link.items), exc_info=True)
                    delay = min(cfg.outage_max,
                        max(cfg.outage_initial, delay * 2))
                    await asyncio.sleep(delay)
                    continue
                attempt += 1
                uniqueids = sorted({e.get('uniqueid') or '' for k, p in items
                        if k == 'events' for e in p})
                logger.exception("PBX server %s: batch failed (attempt %d, "
                    "Uniqueid %s)", link.server_id, attempt,
                    ', '.join(uniqueids[:10]))
                if attempt >= cfg.attempts:
                    return
                await asyncio.sleep(0.2 * attempt)

    async def _server_reachable(self) -> bool:
        "Whether a new connection to the database opens (not pooled)."
        def connect() -> None:
            import psycopg
            psycopg.connect(self._conninfo or '', connect_timeout=2).close()
        if self._conninfo is None:
            return True     # not known: say nothing
        try:
            await asyncio.to_thread(connect)
        except Exception:
            return False
        return True

    async def _database_answers(self) -> bool:
        "Whether an empty transaction commits (else: an outage)."
        try:
            await asyncio.to_thread(self.tryton.call, _nothing)
        except Exception:
            return False
        return True


def _nothing(pool: Any) -> None:
    from trytond.transaction import Transaction
    Transaction().connection.cursor().execute('SELECT 1')


def _stamp(epoch: float) -> Any:
    import datetime as dt
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).replace(
        tzinfo=None)


def main(config_path: str | Path, db_name: str,
        config: BridgeConfig | None = None) -> int:
    """Run the bridge until SIGTERM or SIGINT; returns the exit status."""
    async def serve() -> None:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, task.cancel)
        try:
            await Bridge(config_path, db_name, config).run()
        except asyncio.CancelledError:
            logger.info("bridge stopped")
    asyncio.run(serve())
    return 0
