"""Fill a Word (.docx) template with python-docx, free of Tryton.

Placeholders are ``{{name}}`` anywhere in the body, tables, headers and
footers. A table row holding ``{{history.<name>}}`` placeholders is the
model of one row: it is repeated for each history row, then removed.
"""
import copy
import re
from io import BytesIO

from docx import Document
from docx.table import _Row

PLACEHOLDER = re.compile(r'\{\{\s*([\w.]+)\s*\}\}')
ROW_PREFIX = 'history.'


def fill(template, values, rows):
    "The .docx bytes of template filled with values and the rows."
    document = Document(BytesIO(template))
    for table in iter_tables(document):
        expand_rows(table, rows)
    for paragraph in iter_paragraphs(document):
        replace(paragraph, values)
    output = BytesIO()
    document.save(output)
    return output.getvalue()


def check(template):
    "Raise ValueError when template is not a .docx document."
    try:
        Document(BytesIO(template))
    except Exception as exception:
        raise ValueError(str(exception)) from exception


def iter_parts(document):
    "The body, headers and footers of the document."
    yield document
    for section in document.sections:
        yield section.header
        yield section.footer


def iter_tables(document):
    for part in iter_parts(document):
        yield from _tables(part.tables)


def _tables(tables):
    for table in tables:
        yield table
        for row in table.rows:
            for cell in row.cells:
                yield from _tables(cell.tables)


def iter_paragraphs(document):
    for part in iter_parts(document):
        yield from part.paragraphs
        for table in _tables(part.tables):
            for row in table.rows:
                for cell in row.cells:
                    yield from cell.paragraphs


def expand_rows(table, rows):
    "Repeat the row model of table once per row of values."
    for row in list(table.rows):
        names = [m.group(1) for m in PLACEHOLDER.finditer(_row_text(row))]
        if not any(n.startswith(ROW_PREFIX) for n in names):
            continue
        model = row._tr
        for values in rows:
            new = copy.deepcopy(model)
            model.addprevious(new)
            prefixed = {ROW_PREFIX + k: v for k, v in values.items()}
            for cell in _Row(new, table).cells:
                for paragraph in cell.paragraphs:
                    replace(paragraph, prefixed)
        model.getparent().remove(model)


def _row_text(row):
    return ' '.join(cell.text for cell in row.cells)


def replace(paragraph, values):
    """Put the values in place of the placeholders of paragraph.

    Placeholders inside one run keep the run's formatting; one split over
    several runs (as Word often saves them) makes the paragraph take the
    formatting of its first run.
    """
    def substitute(text):
        return PLACEHOLDER.sub(
            lambda m: _text(values[m.group(1)])
            if m.group(1) in values else m.group(0), text)
    if '{{' not in paragraph.text:
        return
    for run in paragraph.runs:
        if '{{' in run.text:
            run.text = substitute(run.text)
    if _has_known(paragraph.text, values):
        runs = paragraph.runs
        runs[0].text = substitute(paragraph.text)
        for run in runs[1:]:
            run.text = ''


def _has_known(text, values):
    return any(m.group(1) in values for m in PLACEHOLDER.finditer(text))


def _text(value):
    return '' if value is None else str(value)
