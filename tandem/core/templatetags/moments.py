"""`{{ activity.occurred_at|moment:"SHORT_DATETIME_FORMAT" }}`: Django's `date` filter for a
time a user typed in, safe for one stored before tandem/core/validation.py refused far dates.

Why: Django converts every time to the local zone before `date` formats it; 9999-12-31 23:59
UTC is in the year 10000 in Berlin, which no Python date holds, and the whole page answered 500.
Such a time is shown in UTC instead."""

import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

register = template.Library()


@register.filter
def moment(value, arg=None):
    if not isinstance(value, datetime.datetime):
        return date_filter(value, arg)
    if timezone.is_aware(value):
        try:
            value = timezone.localtime(value)
        except OverflowError:
            value = value.astimezone(datetime.UTC)
    return date_filter(value, arg)
