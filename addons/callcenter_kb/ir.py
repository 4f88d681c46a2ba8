from trytond.pool import Pool, PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('callcenter.kb.article|expire_articles',
                    "Expire Knowledge Base Articles"),
                ('callcenter.kb.article|refresh_hot_scores',
                    "Refresh Knowledge Base Hot Ranking"),
                ])


class Rule(metaclass=PoolMeta):
    "Article rules compare dates with today: cache them per day."
    __name__ = 'ir.rule'

    @classmethod
    def _get_cache_key(cls, model_names):
        key = super()._get_cache_key(model_names)
        if 'callcenter.kb.article' in model_names:
            key = (*key, Pool().get('ir.date').today())
        return key
