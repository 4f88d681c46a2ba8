"""The dialer: one decision loop per running campaign over one AMI link.

Each loop wakes on a tick or on any change of its campaign (an agent
freed, a call answered or ended), asks the pacer how many calls to place
(progressive: one per ready agent not covered; predictive:
:class:`~callcenter_campaign.pacing.Pacer`), takes that many leads from
the store (``next_leads``: attempts are created there, in the database,
before the Originate, so a lead is never dialled twice at once) and
originates the customer's number into ``callcenter-campaign``. Outcomes
come from the AMI events (:mod:`.tracking`) and go to the store in
batches (``record_outcome``).

Never replayed: an Originate that failed to reach the PBX (link down)
gives its lead back (``release``); one whose answer was lost with the
link stays in flight until the resync after the next login
(``CoreShowChannels``) shows whether its channel is still up. At start the
store closes the attempts a previous run left open (``reconcile``).
"""
from __future__ import annotations

import asyncio
import collections
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from trytond.modules.callcenter_cti.bridge.client import (
    AmiClient, AmiError, ClientConfig, ConnectionLost, NotConnected)

from ..pacing import Pacer, PacingConfig, PacingState, RecentCalls
from ..pacing import progressive_calls
from .members import Members
from .tracking import Flight, Outcome, Tracker

__all__ = ['CampaignPlan', 'Dial', 'Dialer', 'Stats', 'Store']

logger = logging.getLogger(__name__)
CONTEXT = 'callcenter-campaign'


@dataclass(frozen=True)
class CampaignPlan:
    "What the dialer needs of a running campaign."

    id: int
    mode: str                   # preview, progressive, predictive
    queue: str = 'outbound'
    connect: str = 'queue'      # queue, ivr, audio, text
    media: str = ''
    abandon_message: str = 'callcenter/abandon'
    machine_message: str = ''
    abandon_limit: float = 0.03
    #: Lines for IVR, audio and text campaigns (no agent needed).
    batch_size: int = 10
    trunk: str = 'trunk'
    caller_id: str = ''
    #: Seconds a number rings before the dialer gives up (Ofcom: 15 s at
    #: least).
    ring_timeout: float = 30.0


@dataclass(frozen=True)
class Dial:
    attempt: int
    number: str
    #: Preview: the interface of the agent who asked for the call.
    agent: str = ''


@dataclass(frozen=True)
class Stats:
    "Live answers and drops of the campaign over 24 hours and 30 days."
    live_24h: int = 0
    abandoned_24h: int = 0
    live_30d: int = 0
    abandoned_30d: int = 0


class Store(Protocol):
    """The campaign module's side (blocking calls, run in a thread)."""

    def running(self) -> list[CampaignPlan]: ...

    def stats(self, campaign: int) -> Stats: ...

    def next_leads(self, campaign: int, count: int) -> list[Dial]: ...

    def previews(self, campaign: int) -> list[Dial]: ...

    def record(self, outcomes: list[Outcome]) -> None: ...

    def release(self, attempts: list[int]) -> None: ...

    def reconcile(self) -> int: ...


@dataclass
class DialerConfig:
    ami: ClientConfig
    #: Seconds between two decisions of a quiet campaign.
    tick: float = 0.5
    #: Seconds between two readings of the running campaigns and figures.
    refresh: float = 2.0
    pacing: PacingConfig = field(default_factory=PacingConfig)
    #: The pacer learns from this many of the campaign's last calls.
    recent: int = 500


class Dialer:
    def __init__(self, store: Store, config: DialerConfig) -> None:
        self.store, self.config = store, config
        self.tracker = Tracker()
        self.members = Members()
        self.plans: dict[int, CampaignPlan] = {}
        self.stats: dict[int, Stats] = {}
        self.recent: dict[int, collections.deque[Outcome]] = (
            collections.defaultdict(lambda: collections.deque(
                    maxlen=config.recent)))
        #: Seconds each decision took (pacing and ``next_leads``).
        self.decisions: list[float] = []
        #: Seconds of the pacing alone (no database) per decision.
        self.pacing: list[float] = []
        self.placed = 0
        self.client = AmiClient(config.ami, on_connected=self._resync)
        self.client.on_event('*', self._on_event)
        self._wake: dict[int, asyncio.Event] = {}
        self._outcomes: list[Outcome] = []
        self._written = asyncio.Event()
        self._loops: dict[int, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    # lifecycle ----------------------------------------------------------
    async def run(self) -> None:
        closed = await asyncio.to_thread(self.store.reconcile)
        if closed:
            logger.info("closed %d attempts a previous run left open",
                closed)
        await self.client.start()
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(self._supervise())
                group.create_task(self._write())
        finally:
            for task in [*self._loops.values(), *self._tasks]:
                task.cancel()
            await asyncio.gather(*self._loops.values(), *self._tasks,
                return_exceptions=True)
            await self.client.close()
            await self._flush()

    async def _supervise(self) -> None:
        "Start and stop the loops as campaigns run, pause and stop."
        while True:
            plans = await asyncio.to_thread(self.store.running)
            self.plans = {plan.id: plan for plan in plans}
            for plan in plans:
                self.stats[plan.id] = await asyncio.to_thread(
                    self.store.stats, plan.id)
                if plan.id not in self._loops:
                    self._wake[plan.id] = asyncio.Event()
                    self._loops[plan.id] = asyncio.create_task(
                        self._campaign(plan.id), name=f'campaign {plan.id}')
            for campaign in set(self._loops) - set(self.plans):
                self._loops.pop(campaign).cancel()
            await asyncio.sleep(self.config.refresh)

    # decisions ----------------------------------------------------------
    async def _campaign(self, campaign: int) -> None:
        wake = self._wake[campaign]
        while True:
            try:
                async with asyncio.timeout(self.config.tick):
                    await wake.wait()
            except TimeoutError:
                pass
            wake.clear()
            plan = self.plans.get(campaign)
            if plan is None or not self.client.connected:
                continue
            started = time.perf_counter()
            dials = await self._dials(plan)
            self.decisions.append(time.perf_counter() - started)
            for dial in dials:
                self._originate(plan, dial)

    async def _dials(self, plan: CampaignPlan) -> list[Dial]:
        "The leads to dial now: asked for by agents, or as paced."
        if plan.mode == 'preview':
            return await asyncio.to_thread(self.store.previews, plan.id)
        started = time.perf_counter()
        count = self.decide(plan)
        self.pacing.append(time.perf_counter() - started)
        if count <= 0:
            return []
        return await asyncio.to_thread(self.store.next_leads, plan.id,
            count)

    def decide(self, plan: CampaignPlan) -> int:
        "New calls for ``plan`` now."
        ringing, waiting, talking = self.tracker.in_flight(plan.id)
        if plan.mode == 'preview':
            return 0
        if plan.connect != 'queue':
            return max(plan.batch_size - ringing - waiting - talking, 0)
        logged_in, ready = self.members.counts(plan.queue)
        stats = self.stats.get(plan.id, Stats())
        state = PacingState(agents_logged_in=logged_in, agents_ready=ready,
            agents_talking=talking, calls_ringing=ringing,
            calls_waiting=waiting, recent=self._recent(plan.id),
            live_24h=stats.live_24h, abandoned_24h=stats.abandoned_24h,
            live_30d=stats.live_30d, abandoned_30d=stats.abandoned_30d)
        if logged_in <= 0:
            return 0
        if plan.mode == 'progressive':
            return progressive_calls(state)
        return self._pacer(plan).decide(state).calls

    def _recent(self, campaign: int) -> RecentCalls:
        "What the pacer learns from: the campaign's last calls ended."
        done = self.recent[campaign]
        live = [o for o in done if o.outcome in ('live', 'abandoned')]
        talks = [o for o in done if o.connected_at is not None]
        return RecentCalls(dials=len(done), live=len(live),
            talks=len(talks), talk_seconds=sum(o.talk_seconds for o in talks),
            answer_seconds=sum(o.answer_seconds for o in live))

    def _pacer(self, plan: CampaignPlan) -> Pacer:
        config = self.config.pacing
        if config.abandon_limit != plan.abandon_limit:
            import dataclasses
            config = dataclasses.replace(config,
                abandon_limit=plan.abandon_limit)
        return Pacer(config)

    # originating --------------------------------------------------------
    def _originate(self, plan: CampaignPlan, dial: Dial) -> None:
        self.tracker.dialled(Flight(dial.attempt, plan.id, dial.number,
                time.time(), 'agent' if dial.agent else plan.connect))
        self.placed += 1
        task = asyncio.create_task(self._send(plan, dial),
            name=f'originate {dial.attempt}')
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, plan: CampaignPlan, dial: Dial) -> None:
        try:
            response = await self.client.action('Originate',
                **originate_headers(plan, dial))
        except NotConnected:
            self._give_back(dial, 'link down')
            return
        except ConnectionLost:
            return      # it may be ringing: the resync tells
        except (AmiError, TimeoutError) as exc:
            self._give_back(dial, str(exc))
            return
        done = self.tracker.sent(dial.attempt, response.get(
                'ActionID') or '', time.time())
        if done is not None:
            self._finished([done])

    def _give_back(self, dial: Dial, why: str) -> None:
        logger.warning("attempt %s not dialled (%s): lead given back",
            dial.attempt, why)
        if self.tracker.drop(dial.attempt) is not None:
            self._spawn(asyncio.to_thread(self.store.release,
                    [dial.attempt]))

    # events -------------------------------------------------------------
    def _on_event(self, event: Any) -> None:
        if self.members.feed(event):
            self._wake_all()
            return
        outcomes = self.tracker.feed(event, time.time())
        if outcomes:
            self._finished(outcomes)
        elif event.name in ('Newstate', 'AgentConnect', 'QueueCallerLeave'):
            self._wake_all()

    def _finished(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self.recent[outcome.campaign].append(outcome)
        self._outcomes.extend(outcomes)
        self._written.set()
        self._wake_all()

    def _wake_all(self) -> None:
        for wake in self._wake.values():
            wake.set()

    async def _write(self) -> None:
        "Record the outcomes in batches, one transaction each."
        while True:
            await self._written.wait()
            self._written.clear()
            await self._flush()

    async def _flush(self) -> None:
        batch, self._outcomes = self._outcomes, []
        if batch:
            await asyncio.to_thread(self.store.record, batch)

    async def _resync(self, client: AmiClient) -> None:
        "After each login: the members, and the flights the drop hid."
        since = time.time()
        status = await client.action('QueueStatus')
        self.members.reset(list(status.events))
        channels = await client.action('CoreShowChannels')
        alive = {e.get('Uniqueid') or '' for e in channels.events}
        lost = self.tracker.lost(alive, time.time(), since - 1.0)
        if lost:
            logger.warning("%d calls ended while the PBX link was down",
                len(lost))
            self._finished(lost)
        self._wake_all()

    def _spawn(self, awaitable: Any) -> None:
        task = asyncio.ensure_future(awaitable)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def decision_p99(self, pacing_only: bool = False) -> float:
        "The 99th percentile of decision times, in milliseconds."
        times = self.pacing if pacing_only else self.decisions
        if not times:
            return 0.0
        ordered = sorted(times)
        return 1000 * ordered[min(len(ordered) - 1,
                int(0.99 * len(ordered)))]


def originate_headers(plan: CampaignPlan, dial: Dial) -> dict[str, Any]:
    "The Originate of ``dial`` into the campaign context."
    variables = {'CALLCENTER_ATTEMPT': str(dial.attempt),
        'CALLCENTER_CAMPAIGN': str(plan.id),
        'CALLCENTER_CONNECT': 'agent' if dial.agent else plan.connect,
        'CALLCENTER_AGENT': dial.agent,
        'CALLCENTER_QUEUE': plan.queue,
        'CALLCENTER_MEDIA': plan.media,
        'CALLCENTER_ABANDON_MESSAGE': plan.abandon_message,
        'CALLCENTER_MACHINE_MESSAGE': plan.machine_message}
    headers: dict[str, Any] = {'Channel': f'PJSIP/{dial.number}@{plan.trunk}',
        'Context': CONTEXT, 'Exten': 's', 'Priority': '1',
        'Timeout': str(int(plan.ring_timeout * 1000)), 'Async': 'true',
        'Variable': variables}
    if plan.caller_id:
        headers['CallerID'] = plan.caller_id
    return headers
