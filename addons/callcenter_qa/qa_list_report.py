"""The .xlsx download of a QA list's samples (openpyxl)."""
import io

from openpyxl import Workbook

from trytond.pool import Pool
from trytond.report import Report


class QaListSpreadsheet(Report):
    "The samples of QA lists, one sheet per list."
    __name__ = 'callcenter.qa.list.xlsx'

    @classmethod
    def _execute(cls, records, header, data, action):
        QaList = Pool().get('callcenter.qa.list')
        workbook = Workbook()
        workbook.remove(workbook.active)
        for qa_list in QaList.browse([int(r) for r in records]):
            cls._sheet(workbook, qa_list)
        content = io.BytesIO()
        workbook.save(content)
        return 'xlsx', content.getvalue()

    @classmethod
    def _sheet(cls, workbook, qa_list):
        Sample = Pool().get('callcenter.qa.sample')
        names = ['agent', 'call', 'call_start', 'talk_duration', 'survey',
            'reasons_string', 'assignee', 'state']
        fields = Sample.fields_get(names)
        sheet = workbook.create_sheet(f'{qa_list.id} {qa_list.name}'[:31])
        sheet.append([fields[n]['string'] for n in names])
        for sample in qa_list.samples:
            sheet.append(cls._row(sample, fields))

    @classmethod
    def _row(cls, sample, fields):
        survey = dict(fields['survey']['selection']).get(sample.survey)
        state = dict(fields['state']['selection']).get(sample.state)
        talk = sample.talk_duration
        return [
            sample.agent.rec_name if sample.agent else None,
            sample.call.rec_name,
            sample.call_start,
            int(talk.total_seconds()) if talk is not None else None,
            survey, sample.reasons_string,
            sample.assignee.rec_name if sample.assignee else None,
            state,
            ]
