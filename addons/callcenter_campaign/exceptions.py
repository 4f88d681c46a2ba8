from trytond.model.exceptions import AccessError, ValidationError


class PacingRatioError(ValidationError):
    pass


class AbandonDelayError(ValidationError):
    pass


class CampaignWindowError(ValidationError):
    pass


class CallbackTimeError(ValidationError):
    pass


class PoolLimitError(ValidationError):
    pass


class QuestionnairePublishedError(AccessError):
    pass


class QuestionnaireEmptyError(ValidationError):
    pass


class QuestionnaireNotPublishedError(ValidationError):
    pass


class ResponseSubmittedError(AccessError):
    pass


class ResponseIncompleteError(ValidationError):
    pass


class CampaignJoinError(ValidationError):
    pass


class PreviewError(ValidationError):
    pass
