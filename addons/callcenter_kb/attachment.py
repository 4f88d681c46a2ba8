"""Text of the documents attached to articles, extracted by the worker."""
import io
import logging
import os

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta

try:
    import docx
except ImportError:
    docx = None
try:
    import pypdf
except ImportError:
    pypdf = None

logger = logging.getLogger(__name__)
ARTICLE = 'callcenter.kb.article'
TEXT_ENCODINGS = ['utf-8-sig', 'gb18030']
MAX_TEXT = 1_000_000


def _docx_text(data):
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(' '.join(c.text for c in row.cells))
    return '\n'.join(lines)


def _pdf_text(data):
    reader = pypdf.PdfReader(io.BytesIO(data))
    return '\n'.join(page.extract_text() or '' for page in reader.pages)


def _txt_text(data):
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode('utf-8', errors='replace')


EXTRACTORS = {
    '.txt': lambda: _txt_text,
    '.docx': lambda: _docx_text if docx else None,
    '.pdf': lambda: _pdf_text if pypdf else None,
    }


def extract_text(name, data):
    "The text of the file ``name`` with content ``data``, '' if unknown."
    extractor = EXTRACTORS.get(os.path.splitext(name or '')[1].lower())
    function = extractor() if extractor else None
    if not function or not data:
        return ''
    try:
        return function(bytes(data))[:MAX_TEXT]
    except Exception:
        logger.warning("could not extract the text of %s", name,
            exc_info=True)
        return ''


class AttachmentText(ModelSQL, ModelView):
    "The text extracted from a document attached to an article."
    __name__ = 'callcenter.kb.article.attachment_text'
    __string__ = "Article Attachment Text"
    article = fields.Many2One(
        ARTICLE, "Article", required=True, ondelete='CASCADE')
    attachment = fields.Many2One(
        'ir.attachment', "Attachment", required=True, ondelete='CASCADE')
    name = fields.Char("Name", readonly=True)
    text = fields.Text("Text", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.article, Index.Equality())))

    @classmethod
    def extract(cls, articles):
        "Replace the texts of the articles' attachments and re-index them."
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        Article = pool.get(ARTICLE)
        cls.delete(cls.search([('article', 'in', [a.id for a in articles])]))
        attachments = Attachment.search([
                ('resource', 'in', [f'{ARTICLE},{a.id}' for a in articles]),
                ('type', '=', 'data'),
                ])
        cls.create([{
                    'article': a.resource.id,
                    'attachment': a.id,
                    'name': a.name,
                    'text': extract_text(a.name, a.data),
                    } for a in attachments])
        Article.index_articles(Article.browse(articles))


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'

    @classmethod
    def on_modification(cls, mode, attachments, field_names=None):
        super().on_modification(mode, attachments, field_names=field_names)
        if mode == 'write' and not field_names & {
                'data', 'name', 'resource', 'type'}:
            return
        articles = {a.resource.id for a in attachments
            if a.resource and a.resource.__name__ == ARTICLE}
        if articles:
            Article = Pool().get(ARTICLE)
            Article.__queue__.extract_attachment_texts(
                Article.browse(sorted(articles)))
