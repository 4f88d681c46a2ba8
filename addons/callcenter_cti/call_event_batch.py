"""The records one call of an entry point (or one transaction of the
bridge) reads and changes, saved together.

``EventBatch`` keeps the calls, legs and agents read for the events and
those changed; the bridge shares one batch per transaction
(:func:`sharing`), so that a call's dozen events are one write per record.
Events name their device as ``interface``: the bridge parses the PBX's
channel names, the models never do.
"""
import contextlib
import contextvars

from trytond.pool import Pool

from .agent_pending import PendingStates
from .times import event_time

_SHARED = contextvars.ContextVar('callcenter_event_batch', default=None)


def batch_matches():
    """Number → matching customer ids of the bridge transaction in course
    (None outside one)."""
    batch = _SHARED.get()
    return batch.matches if batch is not None else None


class EventBatch:
    """The records one call of an entry point (or one transaction of the
    bridge) has already read, and those it changed: a call's dozen events
    are saved in one write per record when the batch is flushed, not one
    write per event, and agent state changes are written once per agent
    (see :mod:`.agent_pending`)."""

    def __init__(self, server_id):
        self.server_id = server_id
        self.calls = {}
        self.legs = {}
        #: call id → its legs (batch copies), for the calls read in bulk
        self.call_legs = {}
        #: linkedids and uniqueids looked up and not found
        self.absent = set()
        self.agents = {}
        self.agents_by_id = {}
        self.dirty = {}
        #: number → customer ids (see ``Call.match_number``)
        self.matches = {}
        #: calls ended since the last flush, whose recordings to load
        self.closed = []
        self.states = PendingStates()

    def touch(self, record):
        "Remember ``record`` to be saved at the next flush."
        self.dirty.setdefault(record.__name__, {})[id(record)] = record

    def forget(self, record):
        "Do not save ``record`` (deleted) at the next flush."
        records = self.dirty.get(record.__name__, {})
        for key in [k for k, r in records.items() if r.id == record.id]:
            del records[key]

    def flush(self):
        "Save the changed records, one ``save`` per model."
        pool = Pool()
        dirty, self.dirty = self.dirty, {}
        for name, records in dirty.items():
            pool.get(name).save(list(records.values()))
        closed, self.closed = self.closed, []
        if closed:
            pool.get('callcenter.call').load_recordings(closed)
        self.states.flush()

    def agent(self, interface):
        "The agent of the interface on this server (None when none)."
        if interface not in self.agents:
            self.load_agents([interface])
        return self.agents.get(interface)

    def load_agents(self, interfaces):
        "Read the agents of the interfaces not read yet, in one search."
        missing = {i for i in interfaces if i and i not in self.agents}
        if not missing:
            return
        Agent = Pool().get('callcenter.agent')
        found = Agent.by_interface(self.server_id, missing)
        for interface in missing:
            self.agents[interface] = self.same(found.get(interface))

    def same(self, agent):
        """The batch's own copy of ``agent`` (read through a leg or a
        call), whose state may hold changes not written yet."""
        if agent is None:
            return None
        return self.agents_by_id.setdefault(agent.id, agent)

    def prefetch(self, events):
        """Read the legs, calls and agents of ``events`` in one search each
        instead of one per event."""
        pool = Pool()
        Call = pool.get('callcenter.call')
        Leg = pool.get('callcenter.call.leg')
        uniqueids = {e['uniqueid'] for e in events if e.get('uniqueid')}
        linkedids = {e.get('linkedid') or e.get('uniqueid') for e in events}
        uniqueids -= self.legs.keys() | self.absent
        linkedids -= self.calls.keys() | self.absent | {None}
        self.load_agents({e.get('interface') for e in events})
        if not uniqueids and not linkedids:
            return
        legs = Leg.search([
                ('server', '=', self.server_id),
                ('uniqueid', 'in', sorted(uniqueids)),
                ]) if uniqueids else []
        for leg in legs:
            self.legs[leg.uniqueid] = leg
        linkedids |= {leg.call.linkedid for leg in legs}
        linkedids -= self.calls.keys()
        calls = Call.search([
                ('server', '=', self.server_id),
                ('linkedid', 'in', sorted(linkedids)),
                ]) if linkedids else []
        for call in calls:
            self.calls[call.linkedid] = call
            self.call_legs[call.id] = []
        if calls:
            for leg in Leg.search([('call', 'in', [c.id for c in calls])]):
                leg = self.legs.setdefault(leg.uniqueid, leg)
                self.call_legs[leg.call.id].append(leg)
        self.absent |= (uniqueids - self.legs.keys()) | (
            linkedids - self.calls.keys())
        self.create_missing(events)

    def create_missing(self, events):
        """Create the calls and legs ``events`` need that do not exist, one
        ``create`` per model: the calls and legs ``_get_call_leg`` would
        create one by one."""
        pool = Pool()
        Call = pool.get('callcenter.call')
        Leg = pool.get('callcenter.call.leg')
        planned, linkedids = {}, []
        for event in events:
            uniqueid = event.get('uniqueid')
            if uniqueid in self.legs:
                linkedid = leg_linkedid(event, self.legs[uniqueid])
            elif uniqueid in planned:
                linkedid = event.get('linkedid') or planned[uniqueid][0]
            else:
                linkedid = event.get('linkedid') or uniqueid
                if uniqueid:
                    planned[uniqueid] = (linkedid, event)
            if linkedid and linkedid not in self.calls:
                linkedids.append(linkedid)
        linkedids = list(dict.fromkeys(linkedids))
        if linkedids:
            for call in Call.create([{'server': self.server_id,
                            'linkedid': l} for l in linkedids]):
                self.calls[call.linkedid] = call
                self.call_legs[call.id] = []
                self.absent.discard(call.linkedid)
        if planned:
            values = [self.leg_values(self.calls[linkedid], event)
                for linkedid, event in planned.values()]
            legs = Leg.create(values)
            for (linkedid, _), leg in zip(planned.values(), legs):
                self.add_leg(self.calls[linkedid], leg)

    def leg_values(self, call, event):
        "The values of a new leg of ``call`` first seen in ``event``."
        interface = event.get('interface')
        return {'call': call.id, 'server': self.server_id,
            'uniqueid': event['uniqueid'], 'channel': event.get('channel'),
            'interface': interface,
            'agent': getattr(self.agent(interface), 'id', None),
            'caller': event.get('caller'), 'callee': event.get('callee'),
            'created_at': event_time(event)}

    def add_leg(self, call, leg):
        self.legs[leg.uniqueid] = leg
        self.absent.discard(leg.uniqueid)
        if call.id in self.call_legs:
            self.call_legs[call.id].append(leg)


def shared_batch():
    "The batch shared by the transaction in course, or None."
    return _SHARED.get()


@contextlib.contextmanager
def sharing(batch):
    "Share ``batch`` with the entry points called inside."
    token = _SHARED.set(batch)
    try:
        yield batch
    finally:
        _SHARED.reset(token)


def leg_linkedid(event, leg):
    """The call of an event of an existing leg: the leg's own, unless the
    event ``join`` s another call (a conference room)."""
    if event.get('join'):
        return event.get('linkedid') or leg.call.linkedid
    return leg.call.linkedid
