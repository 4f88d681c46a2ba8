"""Re-link a call to another customer, or to a new one with its number."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import CallRelinkError


class RelinkStart(ModelView):
    "Choose the customer of the call, or name a new one."
    __name__ = 'callcenter.call.relink.start'
    __string__ = "Re-link Call"
    number = fields.Char("Number", readonly=True)
    party = fields.Many2One(
        'party.party', "Customer",
        states={'readonly': Bool(Eval('new_name'))},
        help="The customer the call belongs to.")
    new_name = fields.Char(
        "New Customer",
        states={'readonly': Bool(Eval('party'))},
        help="The name of a new customer created with the call's number.")


class Relink(Wizard):
    "Link a call to another customer or to a new one."
    __name__ = 'callcenter.call.relink'
    start = StateView(
        'callcenter.call.relink.start',
        'callcenter_cti.call_relink_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Re-link", 'relink', 'tryton-ok', default=True),
            ])
    relink = StateTransition()

    def default_start(self, fields):
        return {
            'number': self.record.number,
            'party': self.record.party.id if self.record.party else None,
            }

    def transition_relink(self):
        party = self.start.party
        if self.start.new_name:
            party = self._create_party(self.start.new_name)
        if not party:
            raise CallRelinkError(gettext(
                    'callcenter_cti.msg_call_relink_missing',
                    call=self.record.rec_name))
        self.model.relink([self.record], party.id)
        return 'end'

    def _create_party(self, name):
        "A new customer having the call's number, when there is one."
        Party = Pool().get('party.party')
        values = {'name': name}
        if self.record.number:
            values['contact_mechanisms'] = [('create', [
                        self.record._get_number_mechanism()])]
        party, = Party.create([values])
        return party

    def end(self):
        return 'reload'
