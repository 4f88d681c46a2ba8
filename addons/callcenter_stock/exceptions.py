from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class BatchPaymentError(ValidationError):
    pass


class BatchNotReceivedError(UserError):
    pass


class OrderShippedError(AccessError):
    pass


class ReturnTicketError(UserError):
    pass
