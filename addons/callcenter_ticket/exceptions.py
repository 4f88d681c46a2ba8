from trytond.model.exceptions import ValidationError


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
