"""Agent state changes kept in memory until the end of a bridge batch.

A call moves its agent through ringing, on call and wrap-up; written one by
one that is a log search, a log write, a log create and an agent write per
change. Inside :func:`deferred` the changes only update the agent records
in memory and are written at :meth:`PendingStates.flush`: one write per
agent, one create for all the log rows, and one directory-channel message
per agent (its last state). The agent's own channel still gets every
change, and bus messages leave at commit in any case.
"""
import contextlib
import contextvars

from trytond.pool import Pool

_PENDING = contextvars.ContextVar('callcenter_agent_pending', default=None)


def pending():
    "The :class:`PendingStates` in force, or None (write at once)."
    return _PENDING.get()


class PendingStates:
    "The changes of each agent since the last flush, in order."

    def __init__(self):
        self.agents = {}
        self.changes = {}

    @contextlib.contextmanager
    def deferred(self):
        token = _PENDING.set(self)
        try:
            yield self
        finally:
            _PENDING.reset(token)

    def add(self, agent, state, reason, at):
        "Record the change and show it on the record at once."
        self.agents[agent.id] = agent
        self.changes.setdefault(agent.id, []).append((state, reason, at))
        agent.state, agent.state_reason, agent.state_since = state, reason, at

    def flush(self):
        "Write the log rows and the agents; publish the directory channel."
        if not self.changes:
            return
        pool = Pool()
        Agent = pool.get('callcenter.agent')
        State = pool.get('callcenter.agent.state')
        changes, self.changes = self.changes, {}
        agents, self.agents = self.agents, {}
        rows = []
        for agent_id, steps in changes.items():
            State.write(State.search([
                        ('agent', '=', agent_id), ('end', '=', None)]),
                {'end': steps[0][2]})
            ends = [at for _, _, at in steps[1:]] + [None]
            rows.extend({'agent': agent_id, 'state': state,
                    'reason': reason, 'start': at, 'end': end}
                for (state, reason, at), end in zip(steps, ends))
        State.create(rows)
        for agent_id in changes:
            agent = agents[agent_id]
            values = {'state': agent.state,
                'state_reason': agent.state_reason,
                'state_since': agent.state_since}
            Agent.write([Agent(agent_id)], values)
            agent._publish_directory()
