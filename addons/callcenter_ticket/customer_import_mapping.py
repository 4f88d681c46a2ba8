"Saved column mappings of the customer import, remembered by name."
from trytond.model import Unique, fields

from trytond.modules.callcenter_base.import_mapping import (
    ImportMappingLineMixin, ImportMappingMixin)

from .importer.customer import target_selection


class CustomerImportMapping(ImportMappingMixin):
    "Which column of a customer file fills which field, under a name."
    __name__ = 'callcenter.customer.import.mapping'
    __string__ = "Customer Import Mapping"
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


class CustomerImportMappingLine(ImportMappingLineMixin):
    "A column header and the customer field it fills."
    __name__ = 'callcenter.customer.import.mapping.line'
    __string__ = "Customer Import Mapping Column"
    mapping = fields.Many2One(
        'callcenter.customer.import.mapping', "Mapping", required=True,
        ondelete='CASCADE')

    @classmethod
    def get_fields(cls):
        return target_selection()
