"""Saved column mappings of an import, remembered by name.

A module declares its mapping and mapping line models with these mixins,
the ``mapping``/``lines`` fields between them, and the line's
``get_fields`` (the fields of its target).
"""
from trytond.model import ModelSQL, ModelView, fields, sequence_ordered
from trytond.transaction import Transaction

from .importer.convert import fold, parse_codes


class ImportMappingMixin(ModelSQL, ModelView):
    "Which column of a file fills which field, under a name."
    __slots__ = ()
    name = fields.Char("Name", required=True,
        help="Choose the mapping by this name on the next import.")
    company = fields.Many2One('company.company', "Company", required=True)

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    def engine_mapping(self):
        "Folded header → (target, codes), as the engine takes it."
        return {fold(line.header): (line.field, parse_codes(line.codes))
            for line in self.lines}


class ImportMappingLineMixin(sequence_ordered(), ModelSQL, ModelView):
    "A column header and the field it fills."
    __slots__ = ()
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
