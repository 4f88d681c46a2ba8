"""The customer import's target: the fields a column can fill, the hooks.

Headers match the English label, the Chinese labels below or the field
name; selections accept their value, their label in English or Chinese,
and the Chinese label without its "客户" (customer) suffix: 「VIP客户」,
「VIP」 and 'vip' are the same level. Text fields have the length limits
of ``MAX_LENGTHS`` (the others the engine's, 1,000 characters).
"""
import json

from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from trytond.modules.callcenter_base.importer.engine import Target, error
from trytond.modules.callcenter_base.importer.target import ImportTarget

from . import bulk, write
from .write import ATTRIBUTE_PREFIX

# name, kind, English label, Chinese labels
FIXED = [
    ('name', 'char', "Name", ("姓名", "名称", "客户名称", "客户姓名")),
    ('code', 'char', "Code", ("编码", "客户编码", "编号")),
    ('customer_level', 'selection', "Customer Level",
        ("客户级别", "客户等级")),
    ('service_level', 'selection', "Service Level", ("服务级别", "服务等级")),
    ('source_channel', 'selection', "Source Channel", ("来源渠道", "来源")),
    ('phone', 'phone', "Phone", ("电话", "联系电话", "固话", "座机")),
    ('mobile', 'phone', "Mobile", ("手机", "手机号码", "移动电话")),
    ('email', 'email', "Email", ("邮箱", "电子邮件", "E-mail")),
    ('street', 'char', "Street", ("地址", "街道", "住址", "Address")),
    ('city', 'char', "City", ("城市",)),
    ('postal_code', 'char', "Postal Code", ("邮编", "邮政编码", "Zip")),
    ('country', 'selection', "Country", ("国家",)),
    ('customer_group', 'selection', "Customer Group",
        ("客户组", "客户分组")),
    ]
MAX_LENGTHS = {'name': 200, 'code': 50, 'street': 300, 'city': 100,
    'postal_code': 20, 'email': 254}
SUFFIX = "客户"
PARTY_SELECTIONS = ('customer_level', 'service_level', 'source_channel')
ATTRIBUTE_KINDS = {
    'boolean': 'boolean', 'integer': 'integer', 'float': 'float',
    'numeric': 'numeric', 'date': 'date', 'datetime': 'datetime',
    'selection': 'selection', 'char': 'char',
    }


def target_selection():
    "(value, label) of every target, for the mapping lines."
    return ([(None, '')] + [(n, label) for n, _, label, _ in FIXED]
        + [(ATTRIBUTE_PREFIX + a.name, a.string) for a in _attributes()])


class CustomerTarget(ImportTarget):
    "Customers (``party.party``) with numbers, address and group."

    def __init__(self, job=None):
        self.job = job

    def fields(self):
        return get_targets()

    def region(self):
        "The country of numbers without a country code (the settings')."
        return Pool().get('callcenter.configuration').phone_region()

    def existing(self, rows):
        return write.find_duplicates(rows)

    def check(self, rows, columns):
        return code_conflicts(rows, columns)

    def create(self, rows, progress, phones):
        if bulk.supported():
            return bulk.create_customers(rows, progress, phones)
        return write.create_customers(rows, progress)

    def update(self, rows, existing):
        return write.update_customers(rows, existing)


def code_conflicts(rows, columns):
    "Codes of new customers used twice or by an existing customer."
    Party = Pool().get('party.party')
    header = next((c.header for c in columns
            if c.target.name == 'code'), 'Code')
    codes, errors = {}, []
    for number, values in rows:
        code = values.get('code')
        if code and code in codes:
            errors.append(error(number, header,
                    'callcenter_ticket.msg_import_code_twice',
                    value=code, other=codes[code]))
        elif code:
            codes[code] = number
    for chunk in grouped_slice(sorted(codes), write.LOOKUP_BATCH):
        for party in Party.search([('code', 'in', list(chunk))]):
            errors.append(error(codes[party.code], header,
                    'callcenter_ticket.msg_import_code_taken',
                    value=party.code, party=party.rec_name))
    return errors


def get_targets():
    "The targets of the current company with their choices."
    targets = [Target(name, kind, (label, *zh),
            choices=_choices(name), required=name == 'name',
            **({'max_length': MAX_LENGTHS[name]}
                if name in MAX_LENGTHS else {}))
        for name, kind, label, zh in FIXED]
    targets.extend(_attribute_target(a) for a in _attributes())
    return targets


def _attributes():
    Attribute = Pool().get('callcenter.attribute')
    company = Transaction().context.get('company')
    return Attribute.search([
            ('usage', '=', 'customer'),
            ('company', '=', company or -1),
            ], order=[('id', 'ASC')])


def _attribute_target(attribute):
    kind = ATTRIBUTE_KINDS.get(attribute.type_, 'char')
    choices = ()
    if kind == 'selection':
        choices = tuple((value, (label,))
            for value, label in json.loads(attribute.selection_json or '[]'))
    return Target(ATTRIBUTE_PREFIX + attribute.name, kind,
        (attribute.string, attribute.name), choices=choices,
        required=attribute.required)


def _choices(name):
    if name in PARTY_SELECTIONS:
        return _selection_labels(name)
    if name == 'country':
        return _countries()
    if name == 'customer_group':
        return _groups()
    return ()


def _selection_labels(name):
    "Labels in English and in Chinese when zh_CN is loaded."
    Party = Pool().get('party.party')
    labels = {}
    for language in ('en', 'zh_CN'):
        with Transaction().set_context(language=language):
            selection = Party.fields_get([name])[name]['selection']
        for value, label in selection:
            if value:
                labels.setdefault(value, []).append(label)
                if label.endswith(SUFFIX) and label != SUFFIX:
                    labels[value].append(label[:-len(SUFFIX)])
    return tuple((v, tuple(ls)) for v, ls in labels.items())


def _countries():
    Country = Pool().get('country.country')
    return tuple((c.id, (c.code, c.code3 or c.code, c.name))
        for c in Country.search([]))


def _groups():
    Group = Pool().get('callcenter.customer.group')
    return tuple((g.id, (g.name,)) for g in Group.search([]))
