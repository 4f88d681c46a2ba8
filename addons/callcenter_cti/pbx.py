from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields
from trytond.modules.callcenter_base.model_data import prepare_module_data
from trytond.pyson import Eval

LINK_STATES = [
    ('unknown', "Unknown"),
    ('connecting', "Connecting"),
    ('connected', "Connected"),
    ('auth_failed', "Authentication Failed"),
    ('unreachable', "Unreachable"),
    ]


class PbxServer(DeactivableMixin, ModelSQL, ModelView):
    "An Asterisk server reached over the Asterisk Manager Interface."
    __name__ = 'callcenter.pbx.server'
    __string__ = "PBX Server"
    name = fields.Char("Name", required=True)
    host = fields.Char(
        "Host", required=True,
        help="Name or address of the Asterisk server.")
    port = fields.Integer(
        "Port", required=True,
        domain=[('port', '>', 0), ('port', '<', 65536)],
        help="TCP port of the manager interface (manager.conf).")
    username = fields.Char(
        "User", required=True,
        help="The [user] section of manager.conf.")
    secret = fields.Char(
        "Secret", strip=False,
        help="The secret of that user; the environment variable "
        "CALLCENTER_AMI_SECRET_<ID> overrides it.")
    use_tls = fields.Boolean(
        "TLS", help="Connect with TLS (tlsenable in manager.conf).")
    link_state = fields.Selection(
        LINK_STATES, "Link", readonly=True,
        help="The state of the bridge's connection, kept by the bridge.")
    link_message = fields.Char(
        "Link Message", readonly=True,
        states={'invisible': ~Eval('link_message')})
    last_event_at = fields.Timestamp("Last Event", readonly=True)

    @classmethod
    def __register__(cls, module):
        prepare_module_data(module)
        super().__register__(module)

    @staticmethod
    def default_host():
        return '127.0.0.1'

    @staticmethod
    def default_port():
        return 5038

    @staticmethod
    def default_link_state():
        return 'unknown'
