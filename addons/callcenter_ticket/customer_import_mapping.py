"Saved column mappings of the customer import, remembered by name."
import re

from trytond.model import ModelSQL, ModelView, Unique, fields, sequence_ordered
from trytond.transaction import Transaction

from .customer_import_target import target_selection
from .import_convert import fold

CODE_LINE = re.compile(r'^\s*(.+?)\s*(?:=|:|：|->|→|\t)\s*(.*?)\s*$')


def parse_codes(text):
    "((code, value), ...) from lines such as ``1=male`` or ``300001: 男``."
    pairs = []
    for line in (text or '').splitlines():
        match = CODE_LINE.match(line)
        if match and match.group(1):
            pairs.append((match.group(1), match.group(2)))
    return tuple(pairs)


class CustomerImportMapping(ModelSQL, ModelView):
    "Which column of a customer file fills which field, under a name."
    __name__ = 'callcenter.customer.import.mapping'
    __string__ = "Customer Import Mapping"
    name = fields.Char("Name", required=True,
        help="Choose the mapping by this name on the next import.")
    company = fields.Many2One('company.company', "Company", required=True)
    lines = fields.One2Many(
        'callcenter.customer.import.mapping.line', 'mapping', "Columns")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('name_company_unique', Unique(t, t.name, t.company),
                'callcenter_ticket.msg_import_mapping_name_unique'),
            ]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    def engine_mapping(self):
        "Folded header → (target, codes), as the engine takes it."
        return {fold(line.header): (line.field, parse_codes(line.codes))
            for line in self.lines}


class CustomerImportMappingLine(sequence_ordered(), ModelSQL, ModelView):
    "A column header and the customer field it fills."
    __name__ = 'callcenter.customer.import.mapping.line'
    __string__ = "Customer Import Mapping Column"
    mapping = fields.Many2One(
        'callcenter.customer.import.mapping', "Mapping", required=True,
        ondelete='CASCADE')
    header = fields.Char("Column Header", required=True,
        help="The header in the file; case and spaces do not matter.")
    field = fields.Selection('get_fields', "Field",
        help="Leave empty to ignore the column.")
    codes = fields.Text("Codes",
        help="Coded values, one per line, e.g. \"1=Male\" or \"300001=男\".")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Model.__setup__ resets __access__: a class attribute is lost.
        cls.__access__.add('mapping')

    @classmethod
    def get_fields(cls):
        return target_selection()
