"""Recording retention (CTI-09): recordings are deleted after N days.

A nightly cron clears the recordings of calls older than the retention
setting. Clearing the Binary field queues the stored file for Tryton's
own file-store clean-up (``ir.filestore.queue``); the file the phone system
left on this host, if it is still there, is removed at once. The call
itself, its times and notes stay in the log, with the moment its recording
was deleted.
"""
import datetime as dt
import logging
import os

from sql import Null
from sql.conditionals import Coalesce

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

logger = logging.getLogger(__name__)


class Configuration(metaclass=PoolMeta):
    __name__ = 'callcenter.configuration'
    recording_retention_days = fields.Integer(
        "Keep Recordings (Days)",
        domain=['OR',
            ('recording_retention_days', '=', None),
            ('recording_retention_days', '>=', 1)],
        help="Recordings of calls older than this are deleted every night; "
        "the calls stay in the log. Leave empty to keep them forever.")


class Call(metaclass=PoolMeta):
    __name__ = 'callcenter.call'
    recording_deleted_at = fields.Timestamp(
        "Recording Deleted", readonly=True,
        help="When the recording was deleted under the retention setting.")

    @classmethod
    def delete_expired_recordings(cls):
        "Delete the recordings older than the retention setting."
        days = Pool().get('callcenter.configuration')(
            1).recording_retention_days
        if not days:
            return 0
        now = dt.datetime.now()
        expired = cls._expired_recordings(now - dt.timedelta(days=days))
        for calls in grouped_slice(expired):
            calls = cls.browse(list(calls))
            cls._remove_pbx_files(calls)
            cls.write(calls, {
                    'recording': None,
                    'recording_deleted_at': now,
                    })
        logger.info("deleted %d recordings older than %d days",
            len(expired), days)
        return len(expired)

    @classmethod
    def _expired_recordings(cls, before):
        "Ids of the calls started before ``before`` that keep a recording."
        call = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*call.select(call.id,
                where=(call.recording_id != Null)
                & (Coalesce(call.start_at, call.create_date) < before)))
        return [i for i, in cursor]

    @classmethod
    def _remove_pbx_files(cls, calls):
        "Remove what the phone system wrote on this host for the calls."
        for call in calls:
            path = call.recording_path
            if path and os.path.isfile(path):
                try:
                    os.remove(path)
                except OSError as error:
                    logger.warning("call %s: recording %s not removed: %s",
                        call.id, path, error)


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('callcenter.call|delete_expired_recordings',
                "Delete Expired Call Recordings"))
