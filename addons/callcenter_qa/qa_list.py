"""QA lists: which calls are sampled for grading (QA-02).

A list holds the rule of the seed's 质检列表 (total count or count per
agent, rounding, satisfaction keys, teams, direction, call time and talk
duration ranges, call purpose) and a stored seed. *Generate* queues the
sampling for the worker (new → waiting → generated); the sampling itself is
one SQL statement (``qa_sampling``). Risk weighting raises the chance of
calls with a reason to look at them; the reasons come from
``_get_risk_reasons`` hooks, extended by the modules that know them
(tickets in ``qa_list_ticket``).
"""
import datetime as dt
import math
import random
import re

from sql import Literal, Null
from sql.operators import Exists

from trytond.i18n import gettext
from trytond.modules.callcenter_base.import_job import (
    _AfterCommit as ImportAfterCommit)
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import QaListSatisfactionError, QaListStateError
from . import qa_sampling

STATES = [
    ('new', "New"),
    ('waiting', "Waiting for Generation"),
    ('generated', "Generated"),
    ('closed', "Closed"),
    ]
#: Lists whose samples block a call from other lists (same template).
OPEN_STATES = ('waiting', 'generated')
RULES = [
    ('total', "Total Count"),
    ('per_agent', "Count per Agent"),
    ]
ROUNDINGS = [
    ('up', "Round Up"),
    ('down', "Round Down"),
    ]
DIRECTIONS = [
    (None, ""),
    ('inbound', "Inbound"),
    ('outbound', "Outbound"),
    ]
_KEYS = re.compile(r'\d(\|\d)*')
_EDITABLE = {'readonly': Eval('state') != 'new'}


class QaList(Workflow, ModelSQL, ModelView):
    "A rule that samples calls for grading, and the calls it sampled."
    __name__ = 'callcenter.qa.list'
    __string__ = "QA List"
    name = fields.Char("Name", required=True, states=_EDITABLE)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_EDITABLE)
    template = fields.Many2One(
        'callcenter.qa.template', "Template", required=True,
        states=_EDITABLE,
        domain=[
            ('state', '=', 'active'),
            ('company', '=', Eval('company', -1)),
            ],
        help="The form the sampled calls are graded on.")
    rule = fields.Selection(RULES, "Rule", required=True, states=_EDITABLE,
        help="Total: the count is shared by the agents of the teams; "
        "per agent: each agent gets the count.")
    count = fields.Integer("Count", required=True, states=_EDITABLE,
        domain=[('count', '>', 0)],
        help="How many calls the rule samples.")
    rounding = fields.Selection(ROUNDINGS, "Rounding", required=True,
        states={
            'readonly': _EDITABLE['readonly'],
            'invisible': Eval('rule') != 'total',
            },
        help="How the total count divided by the number of agents "
        "is rounded.")
    satisfaction = fields.Char("Satisfaction Keys", states=_EDITABLE,
        help="The survey keys of the calls to sample, separated by '|' "
        "(e.g. 1|2); empty: any.")
    teams = fields.Many2Many(
        'callcenter.qa.list-callcenter.team', 'list', 'team', "Teams",
        states=_EDITABLE,
        domain=[('company', '=', Eval('company', -1))],
        help="The agents whose calls are sampled; empty: every agent.")
    direction = fields.Selection(DIRECTIONS, "Direction", states=_EDITABLE)
    call_from = fields.DateTime("Calls From", states=_EDITABLE)
    call_to = fields.DateTime("Calls To", states=_EDITABLE,
        domain=[If(Eval('call_from') & Eval('call_to'),
                ('call_to', '>=', Eval('call_from')), ())])
    talk_min = fields.TimeDelta("Talk At Least", states=_EDITABLE)
    talk_max = fields.TimeDelta("Talk At Most", states=_EDITABLE)
    purpose = fields.Char("Call Purpose", states=_EDITABLE,
        help="Only calls of this purpose (as the IVR set it).")
    risk_weighting = fields.Boolean("Risk Weighting", states=_EDITABLE,
        help="Raise the chance of calls with a reason to look at them.")
    _risk_states = {
        'readonly': _EDITABLE['readonly'],
        'invisible': ~Eval('risk_weighting'),
        }
    risk_weight = fields.Float("Weight per Reason", states=_risk_states,
        domain=[('risk_weight', '>=', 1)],
        help="A call with one reason is this many times as likely to be "
        "picked; each further reason adds as much again.")
    risk_days = fields.Integer("Follow-up Days", states=_risk_states,
        help="Tickets opened within this many days after the call count.")
    short_call = fields.TimeDelta("Short Call", states=_risk_states,
        help="Answered calls shorter than this are a reason.")
    seed = fields.Integer("Seed", readonly=True,
        help="Fixes the random draw: the same list generated again on the "
        "same calls samples the same ones.")
    quota = fields.Integer("Calls per Agent", readonly=True)
    state = fields.Selection(STATES, "State", readonly=True, required=True)
    progress = fields.Integer("Progress (%)", readonly=True)
    samples = fields.One2Many(
        'callcenter.qa.sample', 'list', "Samples", readonly=True)
    total_count = fields.Function(fields.Integer("Total"), 'get_counts')
    assigned_count = fields.Function(
        fields.Integer("Assigned"), 'get_counts')
    unassigned_count = fields.Function(
        fields.Integer("Unassigned"), 'get_counts')
    graded_count = fields.Function(fields.Integer("Graded"), 'get_counts')
    ungraded_count = fields.Function(
        fields.Integer("Ungraded"), 'get_counts')
    del _risk_states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('new', 'waiting'),
            ('generated', 'waiting'),
            ('waiting', 'generated'),
            ('waiting', 'new'),
            ('generated', 'closed'),
            ('closed', 'generated'),
            }
        cls._buttons.update({
                'generate': {
                    'invisible': ~Eval('state').in_(['new', 'generated']),
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'generated',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'closed',
                    'depends': ['state'],
                    },
                'assign': {
                    'invisible': Eval('state') != 'generated',
                    'depends': ['state'],
                    },
                'recycle': {
                    'invisible': Eval('state') != 'generated',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'new'

    @staticmethod
    def default_rule():
        return 'per_agent'

    @staticmethod
    def default_rounding():
        return 'up'

    @staticmethod
    def default_progress():
        return 0

    @staticmethod
    def default_risk_weighting():
        return False

    @staticmethod
    def default_risk_weight():
        return 3.0

    @staticmethod
    def default_risk_days():
        return 7

    @staticmethod
    def default_short_call():
        return dt.timedelta(seconds=30)

    @staticmethod
    def default_seed():
        return random.SystemRandom().randrange(1, 2 ** 31)

    @classmethod
    def validate_fields(cls, lists, field_names):
        super().validate_fields(lists, field_names)
        if 'satisfaction' in field_names:
            for qa_list in lists:
                if qa_list.satisfaction and not _KEYS.fullmatch(
                        qa_list.satisfaction.strip()):
                    raise QaListSatisfactionError(gettext(
                            'callcenter_qa.msg_list_satisfaction_keys',
                            list=qa_list.rec_name,
                            keys=qa_list.satisfaction))

    @classmethod
    def copy(cls, lists, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('samples', None)
        default.setdefault('state', 'new')
        default.setdefault('quota', None)
        default.setdefault('progress', 0)
        default.setdefault('seed', lambda data: cls.default_seed())
        return super().copy(lists, default=default)

    @classmethod
    def check_modification(cls, mode, lists, values=None, external=False):
        super().check_modification(
            mode, lists, values=values, external=external)
        if mode == 'delete':
            for qa_list in lists:
                if qa_list.state not in ('new', 'closed'):
                    raise QaListStateError(gettext(
                            'callcenter_qa.msg_list_delete_open',
                            list=qa_list.rec_name))

    @classmethod
    def get_counts(cls, lists, names):
        Sample = Pool().get('callcenter.qa.sample')
        counts = Sample.count_by_list([l.id for l in lists])
        empty = dict.fromkeys(
            ('total', 'assigned', 'unassigned', 'graded', 'ungraded'), 0)
        return {name: {l.id: counts.get(l.id, empty)[
                    name.removesuffix('_count')] for l in lists}
            for name in names}

    # the rule as SQL -----------------------------------------------------
    def call_filter(self, call, agents):
        "The SQL condition of the calls this list samples (``agents`` ids)."
        condition = ((call.agent.in_(agents) if agents else Literal(False))
            & (call.state == 'ended') & (call.answer_at != Null))
        for column, operator, value in self._get_call_criteria(call):
            condition &= operator(column, value)
        if self.satisfaction:
            keys = [int(k) for k in self.satisfaction.strip().split('|')]
            condition &= call.satisfaction.in_(keys)
        return condition & ~Exists(self._sampled_elsewhere(call))

    def _get_call_criteria(self, call):
        "(column, operator, value) of the list's simple filters."
        criteria = [
            (call.direction, _eq, self.direction),
            (call.start_at, _ge, self.call_from),
            (call.start_at, _le, self.call_to),
            (call.talk_duration, _ge, self.talk_min),
            (call.talk_duration, _le, self.talk_max),
            (call.purpose, _eq, self.purpose or None),
            ]
        return [c for c in criteria if c[2] is not None]

    def _sampled_elsewhere(self, call):
        "Samples of the call in the other open lists of the same kind."
        pool = Pool()
        Sample = pool.get('callcenter.qa.sample')
        sample = Sample.__table__()
        qa_list = self.__table__()
        return sample.join(qa_list, condition=sample.list == qa_list.id
            ).select(Literal(1), where=(sample.call == call.id)
            & (qa_list.id != self.id)
            & qa_list.state.in_(OPEN_STATES)
            & self._same_kind(qa_list))

    def _same_kind(self, qa_list):
        "The condition of the lists sharing calls with this one."
        return qa_list.template == self.template.id

    def risk_reasons(self, call):
        "(code, SQL condition on ``call``) of every risk reason."
        return self._get_risk_reasons(call)

    def _get_risk_reasons(self, call):
        Call = Pool().get('callcenter.call')
        other = Call.__table__()
        reasons = [('low_satisfaction', call.survey == 'unsatisfied')]
        if self.short_call:
            reasons.append(('short_call',
                    call.talk_duration < self.short_call))
        repeat = other.select(Literal(1), where=(other.caller == call.caller)
            & (other.id != call.id) & (other.start_at > call.start_at)
            & (other.start_at <= call.start_at + dt.timedelta(hours=24)))
        reasons.append(('repeat_caller',
                (call.caller != Null) & Exists(repeat)))
        return reasons

    @classmethod
    def get_risk_reason_labels(cls):
        "{code: translated label} of the reasons."
        return {code: gettext(f'callcenter_qa.msg_reason_{code}')
            for code in cls._get_risk_reason_codes()}

    @classmethod
    def _get_risk_reason_codes(cls):
        return ['low_satisfaction', 'short_call', 'repeat_caller']

    def get_agents(self):
        """The ids of the agents of the list's teams; without teams, of
        the company's teams (every agent when it has none)."""
        pool = Pool()
        Agent = pool.get('callcenter.agent')
        Team = pool.get('callcenter.team')
        teams = self.teams or Team.search(
            [('company', '=', self.company.id)])
        domain = [('user.active', '=', True)]
        if teams:
            domain.append(('user', 'in',
                    list({u.id for t in teams for u in t.members})))
        return sorted(a.id for a in Agent.search(domain))

    def get_quota(self, agent_count):
        "The calls per agent: the count, or the total shared and rounded."
        if self.rule == 'per_agent':
            return self.count
        if not agent_count:
            return 0
        share = self.count / agent_count
        return math.ceil(share) if self.rounding == 'up' else math.floor(
            share)

    # workflow ------------------------------------------------------------
    @classmethod
    @ModelView.button
    @Workflow.transition('waiting')
    def generate(cls, lists):
        "Sample the calls in the queue worker."
        cls.write(lists, {'progress': 0})
        cls.__queue__.generate_samples(lists)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, lists):
        "Close the lists: their calls may be sampled again."

    @classmethod
    @ModelView.button
    @Workflow.transition('generated')
    def reopen(cls, lists):
        pass

    @classmethod
    @ModelView.button_action('callcenter_qa.wizard_list_assign')
    def assign(cls, lists):
        pass

    @classmethod
    @ModelView.button
    def recycle(cls, lists):
        "Take back the samples assigned but not graded yet."
        Sample = Pool().get('callcenter.qa.sample')
        Sample.recycle(Sample.search([
                    ('list', 'in', [l.id for l in lists]),
                    ('state', '=', 'assigned'),
                    ]))

    @classmethod
    def generate_samples(cls, lists):
        """Sample each waiting list (run by the worker); progress is
        committed apart, the outcome once the samples are committed."""
        for qa_list in lists:
            if qa_list.state != 'waiting':
                continue
            report = _reporter(cls, qa_list.id)
            try:
                values = qa_list._generate(report)
            except Exception:
                report({'state': 'new', 'progress': 0})
                raise
            Transaction().join(_AfterCommit(report, values))

    @classmethod
    def generate_now(cls, lists):
        "Sample the lists in this transaction (tests, demo)."
        for qa_list in lists:
            cls.write([qa_list], qa_list._generate(lambda values: None))

    def _generate(self, report):
        "Replace the samples; the list's new values."
        Sample = Pool().get('callcenter.qa.sample')
        Sample.delete(Sample.search([('list', '=', self.id)]))
        agents = self.get_agents()
        report({'progress': 10})
        quota = self.get_quota(len(agents))
        rows, codes = self._sample_rows(agents, quota)
        report({'progress': 60})
        Sample.create([{
                    'list': self.id, 'company': self.company.id,
                    'call': row[0], 'agent': row[1], 'weight': row[2],
                    'rank': row[3],
                    'reasons': ','.join(c for c, hit in zip(codes, row[4:])
                        if hit) or None,
                    } for row in rows])
        return {'state': 'generated', 'progress': 100, 'quota': quota}

    def _sample_rows(self, agents, quota):
        cursor = Transaction().connection.cursor()
        query, codes = qa_sampling.sample_query(self, agents, quota)
        cursor.execute(*query)
        return cursor.fetchall(), codes


class Call(metaclass=PoolMeta):
    __name__ = 'callcenter.call'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        # The repeat-caller reason looks for a later call of the number.
        cls._sql_indexes.add(Index(t,
                (t.caller, Index.Equality()), (t.start_at, Index.Range())))


class QaListTeam(ModelSQL):
    "The teams whose calls a QA list samples."
    __name__ = 'callcenter.qa.list-callcenter.team'
    __string__ = "QA List - Team"
    list = fields.Many2One(
        'callcenter.qa.list', "QA List", required=True, ondelete='CASCADE')
    team = fields.Many2One(
        'callcenter.team', "Team", required=True, ondelete='CASCADE')


def _eq(column, value):
    return column == value


def _ge(column, value):
    return column >= value


def _le(column, value):
    return column <= value


def _reporter(QaList, list_id):
    "Writes the list's progress in a short transaction of its own."
    def report(values):
        with Transaction().new_transaction() as transaction:
            QaList.write([QaList(list_id)], values)
            transaction.commit()
    return report


class _AfterCommit(ImportAfterCommit):
    """Writes a list's outcome once the samples are committed (the
    progress, committed apart, changed the list's row: a repeatable read
    transaction may not change it again); back to *new* on a rollback."""

    def tpc_abort(self, transaction):
        self.report({'state': 'new', 'progress': 0})
