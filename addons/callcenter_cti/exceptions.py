from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError


class CallNumberError(UserError):
    pass


class BridgeAccessError(AccessError):
    pass


class CallRelinkError(UserError):
    pass


class CommandError(UserError):
    pass


class CommandAccessError(AccessError):
    pass
