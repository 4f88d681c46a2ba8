"""Statistics per question of a questionnaire, as graphs and .xlsx."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from sql import Union
from sql.aggregate import Count
from sql import Cast

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.report import Report

# Row ids: a choice is option id x 8, a rating question id x 8 + rating.
ID_STEP = 8


class Statistic(ModelSQL, ModelView):
    "How many submitted responses picked each choice or rating."
    __name__ = 'callcenter.questionnaire.statistic'
    __string__ = "Questionnaire Statistic"
    questionnaire = fields.Many2One(
        'callcenter.questionnaire', "Questionnaire", required=True,
        readonly=True)
    question = fields.Many2One(
        'callcenter.questionnaire.question', "Question", readonly=True)
    question_sequence = fields.Integer("Question Order", readonly=True)
    sequence = fields.Integer("Order", readonly=True)
    choice = fields.Char("Choice", readonly=True)
    count = fields.Integer("Responses", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('question_sequence', 'ASC'), ('question', 'ASC'),
            ('sequence', 'ASC'), ('id', 'ASC')]
        cls.__access__.add('questionnaire')

    @classmethod
    def table_query(cls):
        return Union(cls._choice_query(), cls._rating_query(), all_=True)

    @classmethod
    def _tables(cls):
        pool = Pool()
        return [pool.get(n).__table__() for n in [
                'callcenter.questionnaire.response',
                'callcenter.questionnaire.answer',
                'callcenter.questionnaire.question',
                'callcenter.questionnaire.option',
                'callcenter.questionnaire.answer-option']]

    @classmethod
    def _votes(cls):
        "One row per choice picked in a submitted response."
        response, answer, _, _, _ = cls._tables()
        single = answer.join(response,
            condition=answer.response == response.id).select(
            answer.option.as_('option'),
            where=(response.state == 'submitted')
            & (answer.option != None))  # noqa: E711
        response, answer, _, _, picked = cls._tables()
        multiple = picked.join(answer,
            condition=picked.answer == answer.id).join(response,
            condition=answer.response == response.id).select(
            picked.option.as_('option'),
            where=response.state == 'submitted')
        return Union(single, multiple, all_=True)

    @classmethod
    def _choice_query(cls):
        "Single and multiple choices: every option, picked or not."
        _, _, question, option, _ = cls._tables()
        votes = cls._votes()
        return option.join(question,
            condition=option.question == question.id).join(votes, 'LEFT',
            condition=votes.option == option.id).select(
            (option.id * ID_STEP).as_('id'),
            question.questionnaire.as_('questionnaire'),
            question.id.as_('question'),
            question.sequence.as_('question_sequence'),
            option.sequence.as_('sequence'),
            option.name.as_('choice'),
            Count(votes.option).as_('count'),
            group_by=[option.id, question.id, question.questionnaire,
                question.sequence, option.sequence, option.name])

    @classmethod
    def _rating_query(cls):
        "Rating questions: one row per rating given."
        response, answer, question, _, _ = cls._tables()
        rating = Cast(answer.rating, 'INTEGER')
        return answer.join(response,
            condition=answer.response == response.id).join(question,
            condition=answer.question == question.id).select(
            (question.id * ID_STEP + rating).as_('id'),
            question.questionnaire.as_('questionnaire'),
            question.id.as_('question'),
            question.sequence.as_('question_sequence'),
            rating.as_('sequence'),
            answer.rating.as_('choice'),
            Count(answer.id).as_('count'),
            where=(response.state == 'submitted')
            & (question.type == 'rating')
            & (answer.rating != None),  # noqa: E711
            group_by=[question.id, question.questionnaire,
                question.sequence, answer.rating])


class StatisticSpreadsheet(Report):
    "The statistics of the selected questionnaires as an .xlsx workbook."
    __name__ = 'callcenter.questionnaire.spreadsheet'

    @classmethod
    def _execute(cls, records, header, data, action):
        pool = Pool()
        Questionnaire = pool.get('callcenter.questionnaire')
        Statistic = pool.get('callcenter.questionnaire.statistic')
        workbook = Workbook()
        workbook.remove(workbook.active)
        for questionnaire in Questionnaire.browse([int(r) for r in records]):
            rows = Statistic.search(
                [('questionnaire', '=', questionnaire.id)])
            cls._sheet(workbook, questionnaire, rows)
        output = BytesIO()
        workbook.save(output)
        return 'xlsx', output.getvalue()

    @classmethod
    def _sheet(cls, workbook, questionnaire, rows):
        "A sheet per questionnaire: question, choice, responses, share."
        Statistic = Pool().get('callcenter.questionnaire.statistic')
        title = ''.join(
            c for c in questionnaire.rec_name if c not in '[]:*?/\\')
        sheet = workbook.create_sheet((title or 'Questionnaire')[:31])
        labels = Statistic.fields_get(['question', 'choice', 'count'])
        sheet.append([labels['question']['string'],
                labels['choice']['string'], labels['count']['string'], '%'])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        totals = {}
        for row in rows:
            totals[row.question] = totals.get(row.question, 0) + row.count
        for row in rows:
            total = totals[row.question]
            sheet.append([row.question.rec_name, row.choice, row.count,
                    round(100 * row.count / total, 1) if total else 0.0])
        sheet.column_dimensions['A'].width = 40
        sheet.column_dimensions['B'].width = 24
        sheet.freeze_panes = 'A2'
