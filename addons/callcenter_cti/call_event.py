"""The PBX-neutral entry points through which a bridge reports calls.

``register_events`` takes plain dicts (the schema is in doc/index.rst) and
is idempotent: calls are keyed by (server, linkedid), legs by (server,
uniqueid), and every time is written only while it is still empty, so a
replay after a reconnect creates nothing and moves nothing.
"""
import base64
import contextlib
import datetime as dt
import logging
import os

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction

from .call_event_batch import (
    EventBatch, leg_linkedid, shared_batch, sharing)
from .exceptions import BridgeAccessError
from .times import event_time, parse_time

logger = logging.getLogger(__name__)

BUSY_CAUSES = {17}
FAILED_CAUSES = {1, 2, 3, 20, 22, 27, 28, 34, 38, 41, 42, 44, 58, 88, 127}
VARIABLES = {
    'ivr_digits': 'ivr_digits',
    'purpose': 'purpose',
    'satisfaction': 'satisfaction',
    'trunk': 'trunk',
    }
AGENT_BUSY = {'ringing', 'on_call', 'on_hold'}


def _fill(record, values):
    "Set the values of the fields that are still empty; True if any."
    changed = False
    for name, value in values.items():
        if value is not None and getattr(record, name, None) is None:
            setattr(record, name, value)
            changed = True
    return changed


def _not_before(at, *times):
    """``at``, or the latest of ``times`` when that is later.

    A hangup stamped by the bridge's clock (after a resync) can read
    earlier than the PBX's own stamps of the same call when the two
    clocks disagree; a call never ends before it was answered."""
    return max([at, *(t for t in times if t is not None)])


class CallEventMixin:
    __slots__ = ()

    @classmethod
    def register_events(cls, server_id, events):
        """Apply the bridge's events in order; returns the ids of the calls.

        Unknown kinds are logged and skipped.
        """
        cls._check_bridge_access()
        with Transaction().set_context(_check_access=False):
            batch = cls._batch(server_id)
            shared = batch is shared_batch()
            with batch.states.deferred():
                return cls._register_events(batch, events, flush=not shared)

    @classmethod
    @contextlib.contextmanager
    def event_batch(cls, server_id):
        """Share the calls and legs read by the ``register_events`` called
        inside (one transaction of the bridge) instead of reading them again
        for every run of events between agent state changes."""
        batch = EventBatch(int(server_id))
        with sharing(batch):
            yield
            with batch.states.deferred():
                batch.flush()

    @classmethod
    def prepare_events(cls, server_id, events):
        """Read and create the calls, legs and agents of all the events of
        a bridge transaction at once (inside ``event_batch``), not once per
        run of events between agent state changes."""
        cls._check_bridge_access()
        with Transaction().set_context(_check_access=False):
            cls._batch(server_id).prefetch(cls._handled(events))

    @classmethod
    def _handled(cls, events):
        "The events of a kind with a handler, in order."
        return [e for e in events
            if getattr(cls, '_event_%s' % e.get('kind'), None)
            or logger.debug("skip event %r", e)]

    @classmethod
    def _batch(cls, server_id):
        batch = shared_batch()
        if batch is None or batch.server_id != int(server_id):
            return EventBatch(int(server_id))
        return batch

    @classmethod
    def apply_agent_states(cls, server_id, changes):
        """``callcenter.agent.set_states`` for the bridge: through the
        agents of the shared batch (whose states may not be written yet),
        so a transaction needs not flush between calls and agent events."""
        cls._check_bridge_access()
        batch = cls._batch(server_id)
        batch.load_agents({c.get('interface') for c in changes})
        changed = []
        with Transaction().set_context(_check_access=False), \
                batch.states.deferred():
            for change in changes:
                agent = batch.agent(change.get('interface'))
                if agent and agent.change_state(
                        change['state'], change.get('reason'),
                        parse_time(change.get('time'))):
                    changed.append(agent.id)
            if batch is not shared_batch():
                batch.flush()
        return changed

    @classmethod
    def apply_queue_members(cls, server_id, interfaces, time=None):
        """The interfaces in a queue after a resync (``QueueStatus``): the
        server's agents in none are logged out (they left their queues
        while the bridge did not listen). Agents on a call are left to
        their call events."""
        Agent = Pool().get('callcenter.agent')
        cls._check_bridge_access()
        with Transaction().set_context(_check_access=False):
            agents = Agent.search([
                    ('server', '=', int(server_id)),
                    ('interface', 'not in', sorted(interfaces)),
                    ('state', 'not in', ['logged_out', *AGENT_BUSY]),
                    ])
        return cls.apply_agent_states(server_id, [
                {'interface': a.interface, 'state': 'logged_out',
                    'time': time} for a in agents])

    @classmethod
    def _register_events(cls, batch, events, flush=True):
        touched = []
        events = cls._handled(events)
        batch.prefetch(events)
        for event in events:
            handler = getattr(cls, '_event_%s' % event.get('kind'), None)
            if handler is None:
                logger.debug("skip event %r", event)
                continue
            at = event_time(event)
            call, leg = cls._get_call_leg(batch, event, at)
            if call is None:
                logger.debug("skip event without call %r", event)
                continue
            handler(batch, call, leg, event, at)
            if call.id not in touched:
                touched.append(call.id)
        if flush:
            batch.flush()
        return touched

    @classmethod
    def sync_active(cls, server_id, channels, time=None):
        """Align the open calls of the server with a snapshot of channels.

        Channels of the snapshot are registered as created (and answered
        when ``state`` is ``up``); open legs missing from it hang up at
        ``time`` (default now), which closes their calls.
        """
        cls._check_bridge_access()
        at = parse_time(time) or dt.datetime.now()
        shared = shared_batch()
        if shared is not None:      # calls closed below would be stale there
            with shared.states.deferred():
                shared.flush()
            shared.__init__(shared.server_id)
        with Transaction().set_context(_check_access=False):
            batch = EventBatch(int(server_id))
            with batch.states.deferred():
                cls._register_events(
                    batch, list(cls._snapshot_events(channels, at)))
                closed = cls._hang_up_missing(batch, channels, at)
            calls = cls.search([
                    ('server', '=', batch.server_id), ('state', '=', 'open')])
            return {'open': [c.id for c in calls], 'closed': closed}

    @classmethod
    def _snapshot_events(cls, channels, at):
        for channel in channels:
            base = {k: v for k, v in channel.items()
                if k not in {'state', 'time', 'answer_time', 'queue'}}
            yield {**base, 'kind': 'channel_created',
                'time': channel.get('time') or at}
            if channel.get('queue'):
                yield {**base, 'kind': 'queue_join',
                    'queue': channel['queue'],
                    'time': channel.get('time') or at}
            if channel.get('state') == 'up':
                yield {**base, 'kind': 'answered',
                    'time': channel.get('answer_time') or at}

    @classmethod
    def _hang_up_missing(cls, batch, channels, at):
        "Hang up the open legs and calls absent from the snapshot."
        Leg = Pool().get('callcenter.call.leg')
        present = {c['uniqueid'] for c in channels if c.get('uniqueid')}
        legs = Leg.search([
                ('server', '=', batch.server_id), ('hangup_at', '=', None)])
        events = [{'kind': 'hangup', 'uniqueid': leg.uniqueid,
                'linkedid': leg.call.linkedid, 'time': at}
            for leg in legs if leg.uniqueid not in present]
        cls._register_events(batch, events)
        linked = {c.get('linkedid') for c in channels}
        stale = [c for c in cls.search([
                    ('server', '=', batch.server_id), ('state', '=', 'open')])
            if c.linkedid not in linked
            and all(leg.hangup_at for leg in c.legs)]
        for call in stale:
            cls._close(call, at)
        closed = {e['linkedid'] for e in events} | {c.linkedid for c in stale}
        calls = cls.search([
                ('server', '=', batch.server_id),
                ('linkedid', 'in', sorted(closed)),
                ('state', '=', 'ended')])
        # Their end was not seen: closed at the resync, cut by a fault.
        cls.write(calls, {'cut_by_fault': True})
        return sorted(c.id for c in calls)

    @classmethod
    def _check_bridge_access(cls):
        "Only root and call-center admins may feed the call log."
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        user = Transaction().user
        if user == 0:
            return
        group = ModelData.get_id('callcenter_base', 'group_admin')
        if group not in User.get_groups():
            raise BridgeAccessError(gettext(
                    'callcenter_cti.msg_bridge_access',
                    user=User(user).rec_name))

    @classmethod
    def _get_call_leg(cls, batch, event, at):
        uniqueid = event.get('uniqueid')
        leg = cls._get_leg(batch, uniqueid) if uniqueid else None
        linkedid = (leg_linkedid(event, leg) if leg
            else event.get('linkedid') or uniqueid)
        if not linkedid:
            return None, None
        call = cls._get_call(batch, linkedid)
        if uniqueid and leg is None:
            leg = cls._create_leg(batch, call, event, at)
        elif leg is not None and leg.call.linkedid != linkedid:
            cls._move_leg(batch, leg, call)
        return call, leg

    @classmethod
    def _move_leg(cls, batch, leg, call):
        """A channel joined another call's ConfBridge room: its leg moves
        there (for good: its own events keep its first Linkedid), and the
        call the channel started alone (an Originate into the room) goes
        if left empty."""
        Leg = Pool().get('callcenter.call.leg')
        old = leg.call
        leg.call = call
        leg.save()
        if leg in batch.call_legs.get(old.id, []):
            batch.call_legs[old.id].remove(leg)
        if call.id in batch.call_legs:
            batch.call_legs[call.id].append(leg)
        if old.state != 'ended' and not Leg.search(
                [('call', '=', old.id)], limit=1):
            batch.calls.pop(old.linkedid, None)
            batch.forget(old)
            cls.delete([old])

    @classmethod
    def _get_call(cls, batch, linkedid):
        call = batch.calls.get(linkedid)
        if call is None:
            calls = [] if linkedid in batch.absent else cls.search([
                    ('server', '=', batch.server_id),
                    ('linkedid', '=', linkedid)], limit=1)
            if calls:
                call, = calls
            else:
                call = cls(server=batch.server_id, linkedid=linkedid)
                call.save()
                batch.call_legs[call.id] = []
            batch.calls[linkedid] = call
            batch.absent.discard(linkedid)
        return call

    @classmethod
    def _get_leg(cls, batch, uniqueid):
        Leg = Pool().get('callcenter.call.leg')
        leg = batch.legs.get(uniqueid)
        if leg is None and uniqueid not in batch.absent:
            legs = Leg.search([
                    ('server', '=', batch.server_id),
                    ('uniqueid', '=', uniqueid)], limit=1)
            if legs:
                leg = batch.legs[uniqueid] = legs[0]
        return leg

    @classmethod
    def _create_leg(cls, batch, call, event, at):
        pool = Pool()
        Leg = pool.get('callcenter.call.leg')
        interface = event.get('interface')
        agent = batch.agent(interface)
        leg = Leg(call=call, server=batch.server_id,
            uniqueid=event['uniqueid'], channel=event.get('channel'),
            interface=interface, agent=agent, caller=event.get('caller'),
            callee=event.get('callee'), created_at=at)
        leg.save()
        batch.add_leg(call, leg)
        return leg

    @classmethod
    def _event_channel_created(cls, batch, call, leg, event, at):
        if leg and _fill(leg, {
                    'channel': event.get('channel'),
                    'caller': event.get('caller'),
                    'callee': event.get('callee')}):
            batch.touch(leg)
        values = {'start_at': at}
        if leg and leg.is_origin:
            values.update({
                    'caller': event.get('caller'),
                    'caller_name': event.get('caller_name'),
                    'callee': event.get('callee'),
                    'trunk': event.get('trunk'),
                    'direction': (event.get('direction')
                        or cls._get_direction(batch, leg, event)),
                    'agent': leg.agent,
                    })
        if _fill(call, values):
            if leg and leg.is_origin:
                # the match and the pops read the number before the save
                # (a Function field without setter: never written)
                call.number = call.get_number('number')
                cls._match_party(call, at, save=False)
            batch.touch(call)

    @classmethod
    def _get_direction(cls, batch, leg, event):
        "Internal between agents, outbound from an agent, else inbound."
        Agent = Pool().get('callcenter.agent')
        if not leg.agent:
            return 'internal' if event.get('internal') else 'inbound'
        callee = event.get('callee')
        if callee and Agent.search([
                    ('server', '=', batch.server_id),
                    ('extension', '=', callee)], limit=1):
            return 'internal'
        return 'outbound'

    @classmethod
    def _event_ringing(cls, batch, call, leg, event, at):
        if not leg or not _fill(leg, {'ring_at': at}):
            return
        batch.touch(leg)
        if _fill(call, {'ring_at': at}):
            batch.touch(call)
        if leg.agent and not leg.is_origin:
            cls._agent_ringing(call, batch.same(leg.agent), at)

    @classmethod
    def _agent_ringing(cls, call, agent, at):
        if call.direction == 'internal':
            agent.change_state('ringing', at=at)
        elif agent.change_state('ringing', at=at):
            cls._screen_pop(call, agent, 'ring')

    @classmethod
    def _event_answered(cls, batch, call, leg, event, at):
        if not leg or not _fill(leg, {'answer_at': at}):
            return
        batch.touch(leg)
        agent = batch.same(leg.agent)
        if agent:
            agent.change_state('on_call', at=at)
        if not leg.is_origin:
            cls._answer(batch, call, agent, at)

    @classmethod
    def _answer(cls, batch, call, agent, at):
        "The call is answered: set the time and agent once, then pop."
        changed = _fill(call, {'answer_at': at, 'agent': agent})
        if changed:
            batch.touch(call)
        if changed and call.answer_at == at and call.agent:
            if call.direction != 'internal':
                cls._screen_pop(call, call.agent, 'answer')

    @classmethod
    def _event_bridged(cls, batch, call, leg, event, at):
        if leg and not leg.is_origin and call.answer_at is None:
            cls._answer(batch, call, batch.same(leg.agent), at)

    @classmethod
    def _event_hold(cls, batch, call, leg, event, at):
        agent = batch.same(call.agent)
        if agent and agent.state == 'on_call':
            agent.change_state('on_hold', at=at)

    @classmethod
    def _event_unhold(cls, batch, call, leg, event, at):
        agent = batch.same(call.agent)
        if agent and agent.state == 'on_hold':
            agent.change_state('on_call', at=at)

    @classmethod
    def _event_hangup(cls, batch, call, leg, event, at):
        if leg:
            at = _not_before(at, leg.created_at, leg.ring_at, leg.answer_at)
        if not leg or not _fill(leg, {
                    'hangup_at': at, 'hangup_cause': event.get('cause')}):
            return
        batch.touch(leg)
        agent = batch.same(leg.agent)
        if agent and agent.state in AGENT_BUSY:
            agent.change_state(
                'wrap_up' if leg.answer_at else 'ready', at=at)
        legs = cls._legs_of(batch, call)
        if all(other.hangup_at for other in legs):
            cls._close(call, max(other.hangup_at for other in legs), legs,
                batch)

    @classmethod
    def _legs_of(cls, batch, call):
        """The call's legs as stored, each replaced by the batch's copy
        (which may hold changes not saved yet)."""
        Leg = Pool().get('callcenter.call.leg')
        if call.id in batch.call_legs:
            return batch.call_legs[call.id]
        return [batch.legs.get(leg.uniqueid, leg)
            for leg in Leg.search([('call', '=', call.id)])]

    @classmethod
    def _close(cls, call, at, legs=None, batch=None):
        "End the call; saved at once, or with ``batch`` when given."
        at = _not_before(at, call.start_at, call.queue_join_at,
            call.answer_at)
        if not _fill(call, {'hangup_at': at}):
            return
        call.state = 'ended'
        call.disposition = call._get_disposition(
            call.legs if legs is None else legs)
        if (call.disposition in {'missed', 'abandoned', 'voicemail'}
                and call.direction != 'outbound' and not call.handling):
            call.handling = 'new'
        if batch is not None:
            batch.touch(call)
            batch.closed.append(call)
            return
        call.save()
        cls.load_recordings([call])

    def _get_disposition(self, legs):
        if self.answer_at:
            return 'answered'
        if self.disposition:
            return self.disposition
        causes = {leg.hangup_cause for leg in legs}
        if causes & BUSY_CAUSES:
            return 'busy'
        if causes & FAILED_CAUSES:
            return 'failed'
        return 'missed'

    @classmethod
    def _event_queue_join(cls, batch, call, leg, event, at):
        Queue = Pool().get('callcenter.queue')
        queue = Queue.get_or_create(
            batch.server_id, [event.get('queue')]).get(event.get('queue'))
        if _fill(call, {'queue': queue, 'queue_join_at': at}):
            batch.touch(call)

    @classmethod
    def _event_queue_leave(cls, batch, call, leg, event, at):
        "Leaving the queue ends nothing: the answer or hang-up does."

    @classmethod
    def _event_abandon(cls, batch, call, leg, event, at):
        if call.answer_at is None and _fill(
                call, {'disposition': 'abandoned'}):
            batch.touch(call)

    @classmethod
    def _event_voicemail(cls, batch, call, leg, event, at):
        if call.answer_at is None and _fill(call, {
                    'disposition': 'voicemail',
                    'voicemail_box': event.get('mailbox')}):
            batch.touch(call)

    @classmethod
    def _event_agent_called(cls, batch, call, leg, event, at):
        agent = cls._event_agent(batch, event)
        if agent:
            cls._agent_ringing(call, agent, at)

    @classmethod
    def _event_agent_connect(cls, batch, call, leg, event, at):
        agent = cls._event_agent(batch, event)
        if agent:
            agent.change_state('on_call', at=at)
            cls._answer(batch, call, agent, at)

    @classmethod
    def _event_agent_complete(cls, batch, call, leg, event, at):
        agent = cls._event_agent(batch, event)
        if agent and agent.state in AGENT_BUSY:
            agent.change_state('wrap_up', at=at)

    @classmethod
    def _event_agent(cls, batch, event):
        return batch.agent(event.get('interface'))

    @classmethod
    def _event_variable(cls, batch, call, leg, event, at):
        name = VARIABLES.get(event.get('name'))
        value = event.get('value')
        if name == 'satisfaction':
            value = int(value) if str(value or '').isdigit() else None
        if name and value not in (None, '') and getattr(call, name) != value:
            setattr(call, name, value)
            batch.touch(call)

    @classmethod
    def _event_supervision(cls, batch, call, leg, event, at):
        """A supervisor listens to another call (ChanSpy): the session is
        internal supervision, never a call to handle or call back."""
        call.direction, call.disposition = 'internal', 'supervision'
        call.handling = None
        batch.touch(call)

    @classmethod
    def _event_transfer(cls, batch, call, leg, event, at):
        target = event.get('target') or cls._consulted(batch, call, leg)
        if target and call.transfer_target != target:
            call.transfer_target = target
            batch.touch(call)

    @classmethod
    def _consulted(cls, batch, call, transferer):
        """The extension of the agent an attended transfer went to when
        Asterisk left out the ``TransferTarget`` block (it does once the
        transferer has left the consultation bridge, issue 17): the call's
        leg of another agent than the transferer answered last and still
        up."""
        agent = transferer.agent if transferer else None
        legs = [other for other in cls._legs_of(batch, call)
            if other.agent and other.agent != agent and other.answer_at
            and not other.hangup_at]
        consulted = max(legs, key=lambda other: other.answer_at,
            default=None)
        return consulted.agent.extension if consulted else None

    @classmethod
    def _event_recording(cls, batch, call, leg, event, at):
        changed = _fill(call, {'recording_path': event.get('filename')})
        data = event.get('data')
        if data and not call.recording_id:
            if isinstance(data, str):
                data = base64.b64decode(data)
            call.recording = data
            call.recording_name = os.path.basename(
                event.get('filename') or f'{call.linkedid}.wav')
            changed = True
        if changed:
            batch.touch(call)
