"""Vietnamese formats as official documents print them (Decree 30/2020).

Django's own ``vi`` locale has the right separators but no grouping, so
7856474 would print unseparated; documents write 7.856.474 and 93,95.
"""

from django.conf.locale.vi.formats import *  # noqa: F401,F403

NUMBER_GROUPING = 3
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
FIRST_DAY_OF_WEEK = 1
