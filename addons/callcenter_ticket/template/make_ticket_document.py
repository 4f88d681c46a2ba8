"""Build the default ticket document template ``ticket_document.docx``.

    python make_ticket_document.py

Admins replace it by uploading their own .docx in the ticket settings;
this script documents the placeholders the default one uses.
"""
from pathlib import Path

from docx import Document
from docx.shared import Pt

FIELDS = [
    ("工单类型 Type", '{{type}}'),
    ("状态 State", '{{state}}'),
    ("优先级 Priority", '{{priority}}'),
    ("渠道 Channel", '{{channel}}'),
    ("客户 Customer", '{{customer}}'),
    ("电话 Phone", '{{customer_phone}}'),
    ("地址 Address", '{{customer_address}}'),
    ("联系人 Contact", '{{contact}}'),
    ("处理人 Assignee", '{{assignee}}'),
    ("团队 Team", '{{team}}'),
    ("受理时间 Opened", '{{opened_at}}'),
    ("响应期限 Response due", '{{response_due}}'),
    ("解决期限 Resolution due", '{{resolution_due}}'),
    ("解决时间 Resolved", '{{resolved_at}}'),
    ]
HISTORY = [
    ("时间 Date", '{{history.date}}'),
    ("操作人 By", '{{history.user}}'),
    ("原状态 From", '{{history.from_state}}'),
    ("新状态 To", '{{history.to_state}}'),
    ("处理人 Assignee", '{{history.assignee}}'),
    ("说明 Comment", '{{history.comment}}'),
    ]


def build():
    document = Document()
    document.styles['Normal'].font.size = Pt(10)
    document.sections[0].header.paragraphs[0].text = '{{company}}'
    document.add_heading('工单 Ticket {{number}}', level=1)
    document.add_paragraph('{{subject}}', style='Title')
    table = document.add_table(rows=0, cols=2, style='Table Grid')
    for label, placeholder in FIELDS:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, placeholder
    document.add_heading('问题描述 Description', level=2)
    document.add_paragraph('{{description}}')
    document.add_heading('处理记录 History', level=2)
    history = document.add_table(rows=2, cols=len(HISTORY),
        style='Table Grid')
    for cell, (label, placeholder) in zip(history.rows[0].cells, HISTORY):
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
    for cell, (label, placeholder) in zip(history.rows[1].cells, HISTORY):
        cell.text = placeholder
    document.sections[0].footer.paragraphs[0].text = (
        '打印时间 Printed {{printed_at}}')
    return document


if __name__ == '__main__':
    build().save(Path(__file__).with_name('ticket_document.docx'))
