from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class RejectionReasonError(UserError):
    pass


class ArticleDeleteError(AccessError):
    pass


class ExpiryDateError(ValidationError):
    pass
