"Shared fixtures of the knowledge base tests."
import io
from contextlib import contextmanager

from trytond.pool import Pool
from trytond.transaction import Transaction


class KbFixturesMixin:
    "Users per group and articles in a given state."

    def create_user(self, login, *groups):
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        group_ids = [ModelData.get_id(*g.split('.')) for g in groups]
        user, = User.create([{
                    'name': login, 'login': login,
                    'groups': [('add', group_ids)]}])
        return user

    def create_users(self):
        return (
            self.create_user('agent', 'callcenter_base.group_agent'),
            self.create_user('editor', 'callcenter_kb.group_kb_editor'),
            self.create_user('reviewer', 'callcenter_kb.group_kb_reviewer'),
            )

    @contextmanager
    def as_user(self, user):
        "Run as ``user`` with the access checks of an RPC call."
        transaction = Transaction()
        with transaction.set_user(user.id), \
                transaction.set_context(_check_access=True):
            yield

    def create_article(self, title, state='published', **values):
        pool = Pool()
        Article = pool.get('callcenter.kb.article')
        article, = Article.create([{'title': title, **values}])
        if state != 'draft':
            Article.write([article], {'state': state})
        return article

    def search_titles(self, query, **kwargs):
        Article = Pool().get('callcenter.kb.article')
        return [r['title'] for r in Article.search_articles(query, **kwargs)]


def docx_bytes(*paragraphs):
    import docx
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def pdf_bytes(line):
    "A one-page PDF showing ``line`` (ASCII) in Helvetica."
    content = f'BT /F1 12 Tf 72 720 Td ({line}) Tj ET'.encode()
    objects = [
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] '
        b'/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
        b'<< /Length %d >>\nstream\n' % len(content) + content
        + b'\nendstream',
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
        ]
    output = io.BytesIO()
    output.write(b'%PDF-1.4\n')
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(output.tell())
        output.write(b'%d 0 obj\n' % number + body + b'\nendobj\n')
    xref = output.tell()
    output.write(b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1))
    for offset in offsets:
        output.write(b'%010d 00000 n \n' % offset)
    output.write(b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n'
        b'%%%%EOF\n' % (len(objects) + 1, xref))
    return output.getvalue()
