import os

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.rpc import RPC
from trytond.modules.callcenter_base import phone
from trytond.modules.callcenter_base.notify import publish
from trytond.transaction import Transaction, check_access

from .call_event import CallEventMixin
from .call_event_batch import batch_matches
from .pop_card import card_values
from .exceptions import CallNumberError

DIRECTIONS = [
    (None, ""),
    ('inbound', "Inbound"),
    ('outbound', "Outbound"),
    ('internal', "Internal"),
    ]
DISPOSITIONS = [
    (None, ""),
    ('answered', "Answered"),
    ('missed', "Missed"),
    ('abandoned', "Abandoned"),
    ('voicemail', "Voicemail"),
    ('failed', "Failed"),
    ('busy', "Busy"),
    ('supervision', "Supervision"),
    ]
HANDLINGS = [
    (None, ""),
    ('new', "New"),
    ('called_back', "Called Back"),
    ('closed', "Closed"),
    ]
RECENT_CALLS = 10
TO_HANDLE = {'missed', 'abandoned', 'voicemail'}
_TIMES = {'start_at', 'queue_join_at', 'answer_at', 'hangup_at'}


class Call(CallEventMixin, ModelSQL, ModelView):
    "A phone call, from its first channel to the last hang-up."
    __name__ = 'callcenter.call'
    __string__ = "Call"
    _rec_name = 'linkedid'
    server = fields.Many2One(
        'callcenter.pbx.server', "PBX Server", required=True, readonly=True,
        ondelete='RESTRICT')
    linkedid = fields.Char(
        "Call ID", required=True, readonly=True,
        help="The phone system's id of the call (Asterisk Linkedid).")
    state = fields.Selection([
            ('open', "In Progress"),
            ('ended', "Ended"),
            ], "State", readonly=True, required=True)
    direction = fields.Selection(DIRECTIONS, "Direction", readonly=True)
    caller = fields.Char("Caller", readonly=True)
    caller_name = fields.Char("Caller Name", readonly=True)
    callee = fields.Char("Callee", readonly=True)
    number = fields.Function(
        fields.Char("Number", help="The customer's side of the call."),
        'get_number', searcher='search_number')
    queue = fields.Many2One('callcenter.queue', "Queue", readonly=True)
    agent = fields.Many2One('callcenter.agent', "Agent", readonly=True)
    trunk = fields.Char("Trunk", readonly=True)
    ivr_digits = fields.Char(
        "IVR Digits", readonly=True, help="The keys the caller pressed.")
    purpose = fields.Char("Purpose", readonly=True)
    start_at = fields.Timestamp("Start", readonly=True)
    queue_join_at = fields.Timestamp("Queued", readonly=True)
    ring_at = fields.Timestamp("Ringing", readonly=True)
    answer_at = fields.Timestamp("Answered", readonly=True)
    hangup_at = fields.Timestamp("Hung Up", readonly=True)
    cut_by_fault = fields.Boolean("Cut by a Fault", readonly=True,
        help="The end of the call was not seen (the link to the phone "
        "system or the bridge was down): it was closed when the link came "
        "back, so its end and talk time are those of that moment.")
    wait_duration = fields.TimeDelta(
        "Wait", readonly=True,
        help="From the start (or joining the queue) to the answer, "
        "or to the hang-up when nobody answered.")
    talk_duration = fields.TimeDelta(
        "Talk", readonly=True, help="From the answer to the hang-up.")
    disposition = fields.Selection(DISPOSITIONS, "Disposition", readonly=True)
    handling = fields.Selection(
        HANDLINGS, "Handling",
        states={'invisible': ~Eval('handling')},
        help="Follow-up of a missed, abandoned or voicemail call.")
    handled_by = fields.Many2One('res.user', "Handled By", readonly=True)
    satisfaction = fields.Integer(
        "Satisfaction", readonly=True,
        domain=[If(Bool(Eval('satisfaction')),
                [('satisfaction', '>=', 1), ('satisfaction', '<=', 5)], [])],
        help="The caller's score in the post-call survey.")
    party = fields.Many2One(
        'party.party', "Customer", ondelete='SET NULL',
        help="The customer on the line; change it to re-link the call.")
    parties = fields.Function(
        fields.Many2Many('party.party', None, None, "Matching Customers"),
        'get_parties')
    notes = fields.Text("Notes", help="The service summary of the call.")
    transfer_target = fields.Char("Transferred To", readonly=True)
    voicemail_box = fields.Char("Mailbox", readonly=True)
    recording = fields.Binary(
        "Recording", readonly=True, file_id='recording_id',
        filename='recording_name')
    recording_id = fields.Char("Recording ID", readonly=True)
    recording_name = fields.Char("Recording Name", readonly=True)
    recording_path = fields.Char(
        "Recording Path", readonly=True,
        help="Where the phone system wrote the recording.")
    legs = fields.One2Many('callcenter.call.leg', 'call', "Legs",
        readonly=True)
    # Many2Many: a computed One2Many would need a setter.
    recent_calls = fields.Function(fields.Many2Many(
            'callcenter.call', None, None, "Recent Calls", readonly=True,
            help="The customer's last calls before this one."),
        'get_recent_calls')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('linkedid_uniq', Unique(t, t.server, t.linkedid),
                'callcenter_cti.msg_call_linkedid_unique'),
            ]
        cls._order = [('start_at', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._buttons.update({
                'call_back': {
                    'invisible': ~Eval('handling').in_(['new', 'called_back']),
                    'depends': ['handling'],
                    },
                'close_handling': {
                    'invisible': Eval('handling') != 'called_back',
                    'depends': ['handling'],
                    },
                'associate_number': {
                    'invisible': ~Eval('party') | ~Eval('number'),
                    'depends': ['party', 'number'],
                    },
                'relink_wizard': {
                    'invisible': ~Eval('number'),
                    'depends': ['number'],
                    },
                })
        for name in ('register_events', 'sync_active', 'match_number'):
            cls.__rpc__[name] = RPC(readonly=name == 'match_number')
        cls.__rpc__['relink'] = RPC(readonly=False, instantiate=0)

    @staticmethod
    def default_state():
        return 'open'

    def get_rec_name(self, name):
        number = self.number or self.linkedid
        if self.start_at:
            return f'{number} @ {self.start_at:%Y-%m-%d %H:%M}'
        return number

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('caller', operator, operand, *extra),
            ('callee', operator, operand, *extra),
            ('linkedid', operator, operand, *extra),
            ]

    def get_number(self, name):
        if self.direction == 'outbound':
            return self.callee
        return self.caller

    @classmethod
    def search_number(cls, name, clause):
        _, operator, operand, *extra = clause
        return ['OR',
            [('direction', '=', 'outbound'),
                ('callee', operator, operand, *extra)],
            [('direction', '!=', 'outbound'),
                ('caller', operator, operand, *extra)],
            [('direction', '=', None), ('caller', operator, operand, *extra)],
            ]

    @classmethod
    def get_parties(cls, calls, name):
        return {c.id: cls.match_number(c.number) if c.number else []
            for c in calls}

    @classmethod
    def get_recent_calls(cls, calls, name):
        """The last calls of the same customer (or number), this one
        excluded, among those the user may read: a customer served by
        other agents brings no call the panel cannot show."""
        with check_access():
            return {c.id: [r.id for r in cls.search(
                            c._recent_calls_domain(), limit=RECENT_CALLS)]
                for c in calls}

    def _recent_calls_domain(self):
        if self.party:
            same = ('party', '=', self.party.id)
        elif self.number:
            same = ('number', '=', self.number)
        else:
            return [('id', '=', -1)]
        return [same, ('id', '!=', self.id)]

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        if field_names is None or _TIMES & set(field_names):
            wait, talk = self._get_durations()
            if getattr(self, 'wait_duration', None) != wait:
                values['wait_duration'] = wait
            if getattr(self, 'talk_duration', None) != talk:
                values['talk_duration'] = talk
        return values

    def _get_durations(self):
        "Wait and talk durations from the stored times."
        begin = (getattr(self, 'queue_join_at', None)
            or getattr(self, 'start_at', None))
        answer = getattr(self, 'answer_at', None)
        hangup = getattr(self, 'hangup_at', None)
        end = answer or hangup
        wait = end - begin if begin and end and end >= begin else None
        talk = hangup - answer if answer and hangup else None
        return wait, talk

    @classmethod
    def match_number(cls, number):
        """Ids of the customers whose phone, mobile or fax number matches.

        Inside a bridge transaction a number is matched once (the party
        match and both screen pops of a call ask for it)."""
        Mechanism = Pool().get('party.contact_mechanism')
        cache = batch_matches()
        if cache is None:
            return Mechanism.match_parties(number)
        if number not in cache:
            cache[number] = Mechanism.match_parties(number)
        return list(cache[number])

    @classmethod
    def _match_party(cls, call, at, save=True):
        """Link the call to its only matching customer, or create one;
        True when linked (saved unless ``save`` is False)."""
        if call.party or not call.number:
            return False
        parties = cls.match_number(call.number)
        if len(parties) == 1:
            call.party = parties[0]
        elif not parties and call.direction == 'inbound':
            call.party = cls._create_caller_party(call, at)
        if call.party and save:
            call.save()
        return bool(call.party)

    @classmethod
    def _create_caller_party(cls, call, at):
        "A new customer for an unknown caller, when the setting asks for it."
        pool = Pool()
        Configuration = pool.get('callcenter.configuration')
        Party = pool.get('party.party')
        region = Configuration.phone_region()
        key = phone.normalize(call.number, region)
        if (not Configuration(1).create_unknown_callers
                or not phone.is_valid(key)):
            return None
        cache = batch_matches()
        if cache is not None:
            cache.clear()
        party, = Party.create([{
                    'name': key,
                    'first_call_at': at,
                    'contact_mechanisms': [('create', [{
                                    'type': phone.phone_type(key),
                                    'value': key}])],
                    }])
        return party

    @classmethod
    def _screen_pop(cls, call, agent, event):
        "Publish the pop on the agent's own channel; returns the channel."
        return publish(agent.user.id, cls._screen_pop_message(
                call, event, agent))

    @classmethod
    def _screen_pop_message(cls, call, event, agent=None):
        "The bus message that opens the call's customer at the agent."
        agent = agent or call.agent
        parties = cls.match_number(call.number) if call.number else []
        if call.party and call.party.id not in parties:
            parties.insert(0, call.party.id)
        return {
            'type': 'callcenter.screen_pop',
            'call': call.id,
            'event': event,
            'number': call.number,
            'direction': call.direction,
            'party': call.party.id if call.party else None,
            'parties': parties,
            'queue': call.queue.name if call.queue else None,
            'ivr': call.ivr_digits,
            'purpose': call.purpose,
            'pop': agent.preferred_pop if agent else 'customer',
            'open': cls._screen_pop_tabs(call, parties, agent),
            }

    @classmethod
    def _screen_pop_tabs(cls, call, parties, agent=None):
        "The tabs the pop opens, in order: the customer(s), then the panel."
        return (cls._customer_tabs(call, parties, agent)
            + [cls._panel_tab(call)])

    @classmethod
    def _customer_tabs(cls, call, parties, agent=None):
        """One customer → their form (with the card's ``values`` read as
        the agent); several → a list to choose from; none → a new customer
        form prefilled with the number."""
        card = Pool().get('ir.model.data').get_id(
            'callcenter_cti', 'party_view_form_pop')
        if len(parties) == 1:
            tab = {'model': 'party.party', 'res_id': parties[0],
                'mode': ['form'], 'view_ids': [card]}
            values = agent and card_values(parties[0], card, agent.user.id)
            if values:
                tab['values'] = values
            return [tab]
        if parties:
            return [{'model': 'party.party', 'mode': ['tree', 'form'],
                    'domain': [['id', 'in', parties]],
                    'name': gettext('callcenter_cti.msg_pop_customers',
                        number=call.number)}]
        if not call.number:
            return []
        region = Pool().get('callcenter.configuration').phone_region()
        key = phone.normalize(call.number, region) or call.number
        return [{'model': 'party.party', 'mode': ['form'],
                'view_ids': [card], 'context': {
                    # No default address: the phone's country is read from
                    # the party's addresses, which a blank address lacks.
                    'default_addresses': [],
                    'default_contact_mechanisms': [{
                            'type': phone.phone_type(key), 'value': key}],
                    }}]

    @classmethod
    def _panel_tab(cls, call):
        "The call panel: the call's own form in its panel view."
        ModelData = Pool().get('ir.model.data')
        return {
            'model': cls.__name__, 'res_id': call.id, 'mode': ['form'],
            'view_ids': [ModelData.get_id(
                    'callcenter_cti', 'call_view_form_panel')],
            'name': call.number or call.linkedid,
            }

    @classmethod
    @ModelView.button
    def call_back(cls, calls):
        "Ask the user's phone bar to dial the callers back."
        for call in calls:
            publish(Transaction().user, call._dial_message())
        cls.write(calls, {
                'handling': 'called_back',
                'handled_by': Transaction().user})

    def _dial_message(self):
        return {
            'type': 'callcenter.dial',
            'call': self.id,
            'number': self.number,
            'party': self.party.id if self.party else None,
            }

    @classmethod
    @ModelView.button
    def close_handling(cls, calls):
        cls.write(calls, {
                'handling': 'closed', 'handled_by': Transaction().user})

    @classmethod
    @ModelView.button
    def associate_number(cls, calls, party=None):
        """Add the number of each call to ``party`` (or the call's customer).

        The next call from that number pops the customer.
        """
        pool = Pool()
        Party = pool.get('party.party')
        Mechanism = pool.get('party.contact_mechanism')
        to_create = []
        for call in calls:
            target = Party(int(party)) if party is not None else call.party
            if not target or not call.number:
                raise CallNumberError(gettext(
                        'callcenter_cti.msg_call_associate_missing',
                        call=call.rec_name))
            if target.id not in cls.match_number(call.number):
                to_create.append(call._get_number_mechanism(target))
        Mechanism.create(to_create)
        if party is not None:
            cls.relink(calls, party)

    def _get_number_mechanism(self, party=None):
        "Values of a contact mechanism with the number (for ``party``)."
        region = Pool().get('callcenter.configuration').phone_region()
        key = phone.normalize(self.number, region)
        values = {'type': phone.phone_type(key), 'value': key}
        if party:
            values['party'] = party.id
        return values

    @classmethod
    @ModelView.button_action('callcenter_cti.wizard_call_relink')
    def relink_wizard(cls, calls):
        pass

    @classmethod
    def relink(cls, calls, party):
        "Link the calls to another customer (an id, or None to unlink)."
        party = int(party) if party is not None else None
        cls.write(calls, {'party': party})

    @classmethod
    def load_recordings(cls, calls):
        "Store the recording files the phone system left on this host."
        for call in calls:
            path = call.recording_path
            if call.recording_id or not path or not os.path.isfile(path):
                continue
            with open(path, 'rb') as file:
                data = file.read()
            cls.write([call], {
                    'recording': data,
                    'recording_name': os.path.basename(path)})


class CallLeg(ModelSQL, ModelView):
    "One channel of a call: the caller's, an agent's, the customer's."
    __name__ = 'callcenter.call.leg'
    __string__ = "Call Leg"
    call = fields.Many2One(
        'callcenter.call', "Call", required=True, ondelete='CASCADE')
    server = fields.Many2One(
        'callcenter.pbx.server', "PBX Server", required=True,
        ondelete='RESTRICT')
    uniqueid = fields.Char(
        "Channel ID", required=True,
        help="The phone system's id of the channel (Asterisk Uniqueid).")
    channel = fields.Char("Channel")
    interface = fields.Char("Interface")
    agent = fields.Many2One('callcenter.agent', "Agent")
    caller = fields.Char("Caller")
    callee = fields.Char("Callee")
    created_at = fields.Timestamp("Created")
    ring_at = fields.Timestamp("Ringing")
    answer_at = fields.Timestamp("Answered")
    hangup_at = fields.Timestamp("Hung Up")
    hangup_cause = fields.Integer(
        "Hang-Up Cause", help="The Q.850 cause code.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('uniqueid_uniq', Unique(t, t.server, t.uniqueid),
                'callcenter_cti.msg_call_leg_uniqueid_unique'),
            ]
        cls.__access__.add('call')
        cls._order = [('created_at', 'ASC NULLS LAST'), ('id', 'ASC')]

    @property
    def is_origin(self):
        "Whether the leg started the call."
        return self.uniqueid == self.call.linkedid
