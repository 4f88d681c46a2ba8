"Times received from the phone system, stored naive in UTC like Tryton."
import datetime as dt


def parse_time(value):
    """A naive UTC datetime from an ISO string, an epoch or a datetime.

    None stays None: the caller decides what "now" means.
    """
    if value is None or value == '':
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value, dt.timezone.utc).replace(
            tzinfo=None)
    else:
        text = str(value).strip()
        try:
            return parse_time(float(text))
        except ValueError:
            moment = dt.datetime.fromisoformat(text.replace('Z', '+00:00'))
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment


def event_time(event):
    "The time of a bridge event, or now when it has none."
    return parse_time(event.get('time')) or dt.datetime.now()
