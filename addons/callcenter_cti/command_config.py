"The reasons an agent may give for being not ready."
from trytond.model import fields
from trytond.pool import PoolMeta

DEFAULT_REASONS = "Break\nLunch\nTraining\nMeeting\nBack Office"


class Configuration(metaclass=PoolMeta):
    __name__ = 'callcenter.configuration'
    not_ready_reasons = fields.Text(
        "Not Ready Reasons",
        help="One reason per line, offered by the phone bar when an agent "
        "goes not ready.")

    @staticmethod
    def default_not_ready_reasons():
        return DEFAULT_REASONS

    def get_not_ready_reasons(self):
        text = self.not_ready_reasons
        if text is None:
            text = DEFAULT_REASONS
        return [r.strip() for r in text.splitlines() if r.strip()]
