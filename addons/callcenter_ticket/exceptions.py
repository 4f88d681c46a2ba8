from trytond.model.exceptions import ValidationError
from trytond.model.exceptions import AccessError


class ReassignTargetError(ValidationError):
    pass


class CalendarError(ValidationError):
    pass


class RequiredAttributeError(ValidationError):
    pass


class DocumentTemplateError(ValidationError):
    pass


class SLAExtensionDecisionError(ValidationError):
    pass


class SLAExtensionReasonError(ValidationError):
    pass


class CustomerReadOnlyError(AccessError):
    pass


class ImportFileError(ValidationError):
    pass


class ImportUnmatchedColumnError(ValidationError):
    pass
