import re

from trytond.i18n import gettext
from trytond.model import Index, fields
from trytond.modules.callcenter_base import phone
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .contact_role import CUSTOMER_KINDS
from .exceptions import CustomerReadOnlyError, RequiredAttributeError
from .follow_up import SALES_STAGES

try:
    from pypinyin import Style, lazy_pinyin
except ImportError:
    lazy_pinyin = None

# who may change customers besides agents allowed by the settings
EDITOR_GROUPS = ('group_team_leader', 'group_qa', 'group_admin')

CUSTOMER_LEVELS = [
    (None, ""),
    ('potential', "Potential"),
    ('individual', "Individual"),
    ('corporate', "Corporate"),
    ('vip', "VIP"),
    ]
SERVICE_LEVELS = [
    (None, ""),
    ('standard', "Standard"),
    ('silver', "Silver"),
    ('gold', "Gold"),
    ('platinum', "Platinum"),
    ]
SOURCE_CHANNELS = [
    (None, ""),
    ('phone', "Phone"),
    ('web', "Web"),
    ('email', "Email"),
    ('referral', "Referral"),
    ('campaign', "Campaign"),
    ('walk_in', "Walk-in"),
    ('import', "Import"),
    ('other', "Other"),
    ]


def search_key(name):
    "The name in lower case, its pinyin spelling and its initials."
    name = (name or '').strip().lower()
    parts = [name]
    if lazy_pinyin and any('\u4e00' <= c <= '\u9fff' for c in name):
        syllables = [s.strip() for s in lazy_pinyin(name) if s.strip()]
        initials = lazy_pinyin(name, style=Style.FIRST_LETTER)
        parts.append(''.join(syllables))
        parts.append(''.join(i.strip()[:1] for i in initials if i.strip()))
    return ' '.join(p for p in parts if p)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    customer_kind = fields.Selection(
        CUSTOMER_KINDS, "Kind", sort=False,
        help="A company, or a contact person who may work for companies.")
    companies = fields.One2Many(
        'callcenter.customer.contact_role', 'contact', "Companies",
        states={'invisible': Eval('customer_kind') != 'person'},
        help="The companies this contact works for, with the role.")
    contacts = fields.One2Many(
        'callcenter.customer.contact_role', 'company', "Contacts",
        states={'invisible': Eval('customer_kind') != 'company'},
        help="The people to talk to at this company, with their role.")
    customer_level = fields.Selection(
        CUSTOMER_LEVELS, "Customer Level", sort=False)
    service_level = fields.Selection(
        SERVICE_LEVELS, "Service Level", sort=False,
        help="The service the customer is entitled to.")
    source_channel = fields.Selection(
        SOURCE_CHANNELS, "Source Channel",
        help="How the customer first came to the company.")
    owner = fields.Many2One(
        'res.user', "Owner Agent",
        help="The agent who looks after the customer.")
    customer_groups = fields.Many2Many(
        'callcenter.customer.group-party.party', 'party', 'group',
        "Customer Groups")
    cc_attributes = fields.Dict(
        'callcenter.attribute', "Attributes",
        domain=[('usage', '=', 'customer')],
        help="The fields the company added to its customers.")
    search_key = fields.Char(
        "Search Key", readonly=True,
        help="Name, pinyin spelling and initials, for quick search.")
    tickets = fields.One2Many('callcenter.ticket', 'party', "Tickets",
        readonly=True)
    sales_stage = fields.Selection(
        [(None, "")] + SALES_STAGES, "Sales Stage", sort=False,
        help="Where the customer stands in the sales funnel; the latest "
        "follow-up with a stage sets it.")
    follow_ups = fields.One2Many(
        'callcenter.customer.follow_up', 'party', "Follow-ups")
    funnel_count = fields.Function(fields.Integer("Customers",
            help="1 for each customer, summed by the sales funnel graph."),
        'get_funnel_count')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.search_key, Index.Similarity())))

    @staticmethod
    def default_customer_kind():
        return 'person'

    @classmethod
    def get_funnel_count(cls, parties, name):
        return {p.id: 1 for p in parties}

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'name' in values:
            values['search_key'] = search_key(values['name'])
        if mode == 'create' and 'code' in values:
            values.update(code_parts(values['code']))
        return values

    @classmethod
    def search_rec_name(cls, name, clause):
        domain = super().search_rec_name(name, clause)
        _, operator, operand, *extra = clause
        if isinstance(operand, str) and operator.endswith('like'):
            key = operand.lower()
            domain.extend([
                    ('search_key', operator, key, *extra),
                    ('addresses.street', operator, operand, *extra),
                    ('addresses.city', operator, operand, *extra),
                    ('contact_mechanisms.value_compact', operator,
                        operand.replace(' ', ''), *extra),
                    ])
        return domain

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        if 'cc_attributes' in field_names:
            cls.check_required_attributes(parties)

    @classmethod
    def check_required_attributes(cls, parties):
        "Refuse customers missing a required attribute of the company."
        Attribute = Pool().get('callcenter.attribute')
        company = Transaction().context.get('company')
        if not company:
            return
        attributes = Attribute.search([
                ('company', '=', company),
                ('usage', '=', 'customer'),
                ('required', '=', True),
                ])
        for party in parties:
            missing = Attribute.missing(party.cc_attributes, attributes)
            if missing:
                raise RequiredAttributeError(gettext(
                        'callcenter_ticket.msg_required_attribute',
                        party=party.rec_name, attributes=', '.join(missing)))

    @classmethod
    def check_modification(cls, mode, parties, values=None, external=False):
        super().check_modification(
            mode, parties, values=values, external=external)
        if not may_edit_customers(external):
            raise CustomerReadOnlyError(gettext(
                    'callcenter_ticket.msg_customer_read_only'))

    def compute_fields(self, field_names=None):
        "Only the computed values that change: no UPDATE of each new one."
        values = super().compute_fields(field_names=field_names)
        return {name: value for name, value in values.items()
            if getattr(self, name, None) != value}


def may_edit_customers(external=True):
    """Whether the current user may change customers.

    ``party.party`` has no access rows of its own (sales and stock users
    keep their rights), so the call-center rule is a check on
    modification: a user who is an agent and not a team leader, QA or
    admin may not create, write or delete customers while "Agents May Edit
    Customers" is off. ``external`` is Tryton's flag of a change asked by
    a user through the access-checked API, as opposed to one the server
    makes itself.
    """
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    Configuration = pool.get('callcenter.configuration')
    if not external or Transaction().user == 0:
        return True
    groups = set(User.get_groups())
    agent = ModelData.get_id('callcenter_base', 'group_agent')
    editors = {ModelData.get_id('callcenter_base', g) for g in EDITOR_GROUPS}
    if agent not in groups or groups & editors:
        return True
    return bool(Configuration(1).agents_edit_customers)


def code_parts(code):
    "party's code_alnum and code_digit of a code, filled at creation."
    try:
        digit = int(re.sub(r'\D', '', code or '')[-18:])
    except ValueError:
        digit = None
    alnum = re.sub(r'[\W_]', '', code) if code is not None else None
    return {'code_alnum': alnum, 'code_digit': digit}


class ContactMechanism(metaclass=PoolMeta):
    """A number written with its ``+`` prefix is parsed directly.

    party parses each phone number once per country of the customer's and
    the company's addresses, reading those addresses for every mechanism;
    a number with its prefix does not depend on any country (phonenumbers
    ignores the region then): large imports spent most of their time
    there.
    """
    __name__ = 'party.contact_mechanism'

    @fields.depends(methods=['_phone_country_codes'])
    def _parse_phonenumber(self, value):
        if value and value.lstrip().startswith('+'):
            number = phone.valid(value)
            if number is not None:
                return number
        return super()._parse_phonenumber(value)
