from sql import Null

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from trytond.modules.callcenter_base import phone


class Configuration(metaclass=PoolMeta):
    __name__ = 'callcenter.configuration'
    phone_tail_digits = fields.Integer(
        "Matched Digits", required=True,
        domain=[('phone_tail_digits', '>=', 4), ('phone_tail_digits', '<=', 15)],
        help="How many trailing digits must be equal to match a caller "
        "whose number arrives without country code or trunk prefix.")
    create_unknown_callers = fields.Boolean(
        "Create Unknown Callers",
        help="Create a customer, with the number and the first call time, "
        "when a caller matches no customer.")

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.phone_tail_digits], [phone.DEFAULT_TAIL_DIGITS],
                where=table.phone_tail_digits == Null))

    @staticmethod
    def default_phone_tail_digits():
        return phone.DEFAULT_TAIL_DIGITS

    @staticmethod
    def default_create_unknown_callers():
        return False

    @classmethod
    def _get_phone_settings(cls):
        settings = super()._get_phone_settings()
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.phone_tail_digits,
                order_by=table.id, limit=1))
        row = cursor.fetchone()
        settings['tail_digits'] = (
            row and row[0]) or phone.DEFAULT_TAIL_DIGITS
        return settings

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        Mechanism = Pool().get('party.contact_mechanism')
        if mode == 'create' or (field_names and (
                {'phone_country', 'phone_tail_digits'} & set(field_names))):
            Mechanism.update_phone_keys()
