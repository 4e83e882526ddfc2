"""zh_Hans formats with a working Chinese date input.

Django 5.2 ships "%Y年%n月%j日", which strptime cannot parse, so a date typed as
2016年9月5日 was refused. Keep Django's display formats and fix the inputs.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2016-09-05
    "%Y/%m/%d",  # 2016/09/05
    "%Y.%m.%d",  # 2016.09.05
    "%Y年%m月%d日",  # 2016年9月5日
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日 %H时%M分",
]
