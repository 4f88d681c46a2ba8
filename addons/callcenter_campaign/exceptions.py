from trytond.model.exceptions import ValidationError


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


class CampaignJoinError(ValidationError):
    pass


class PreviewError(ValidationError):
    pass
