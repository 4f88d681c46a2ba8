"""Sampling of a QA list in one SQL statement (QA-02).

Every eligible call gets a reproducible pseudo-random number from the
list's stored seed (``hashtextextended(call id, seed)``): the same list
generated again on the same calls picks the same ones. With risk weights,
the number becomes an Efraimidis-Spirakis key ``-ln(u) / weight`` (the
smallest keys win, so a call of weight 3 is about three times as likely
to be picked), where the weight grows with each risk reason the call has.
``ROW_NUMBER() OVER (PARTITION BY agent ORDER BY key)`` keeps the first
``quota`` calls of every agent: each agent gets the quota, or all of their
calls when they have fewer. No loop over calls runs in Python.
"""
from sql import Literal, Window
from sql.aggregate import Count
from sql.functions import Abs, Function, Ln, RowNumber

from trytond.pool import Pool

#: Divides the hash into (0, 1]: a prime above the hashes we keep.
_SPREAD = 1_000_000_007


class HashTextExtended(Function):
    "PostgreSQL's 64-bit text hash with a seed (PostgreSQL 11+)."
    __slots__ = ()
    _function = 'HASHTEXTEXTENDED'


def uniform(call_id, seed):
    "A number in (0, 1] fixed by the call id and the seed."
    hashed = HashTextExtended(call_id.cast('TEXT'), Literal(seed))
    return ((Abs(hashed % _SPREAD) + 1).cast('FLOAT')
        / float(_SPREAD))


def eligible_query(qa_list, call, agents):
    """The eligible calls of the list's agents: id, agent, one boolean
    column per risk reason (``r_<code>``) and the weight."""
    reasons = qa_list.risk_reasons(call) if qa_list.risk_weighting else []
    columns = [call.id.as_('call'), call.agent.as_('agent')]
    hits = Literal(0)
    for code, condition in reasons:
        flag = condition.cast('INTEGER')
        columns.append(flag.as_(f'r_{code}'))
        hits = hits + flag
    extra = float(qa_list.risk_weight or 1) - 1
    columns.append((hits * extra + 1.0).as_('weight'))
    return call.select(*columns,
        where=qa_list.call_filter(call, agents)), [c for c, _ in reasons]


def sample_query(qa_list, agents, quota):
    """(call, agent, weight, rank, r_… flags) of the calls picked for each
    agent, at most ``quota`` per agent."""
    Call = Pool().get('callcenter.call')
    call = Call.__table__()
    eligible, codes = eligible_query(qa_list, call, agents)
    key = -Ln(uniform(eligible.call, qa_list.seed)) / eligible.weight
    rank = RowNumber(window=Window([eligible.agent],
            order_by=[key.asc, eligible.call.asc]))
    flags = [getattr(eligible, f'r_{c}') for c in codes]
    ranked = eligible.select(eligible.call, eligible.agent,
        eligible.weight, rank.as_('rank'), *flags)
    return ranked.select(ranked.call, ranked.agent, ranked.weight,
        ranked.rank, *[getattr(ranked, f'r_{c}') for c in codes],
        where=ranked.rank <= quota,
        order_by=[ranked.agent, ranked.rank]), codes


def eligible_counts(qa_list, agents):
    "{agent id: number of eligible calls}."
    Call = Pool().get('callcenter.call')
    call = Call.__table__()
    return call.select(call.agent, Count(call.id),
        where=qa_list.call_filter(call, agents), group_by=[call.agent])
