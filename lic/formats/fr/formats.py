"""French here is Canadian French: dates and times as Quebec writes them ("2 décembre 2026,
18 h 30"), not as France does ("18:30"). The catalogue stays `fr`; the formats are Canada's,
with the "h" escaped (Django's fr_CA formats print it as the 12-hour clock's hour)."""

from django.conf.locale.fr_CA.formats import *  # noqa: F403

TIME_FORMAT = "H\xa0\\h\xa0i"  # 18 h 30
DATETIME_FORMAT = "j F Y, H\xa0\\h\xa0i"  # 2 décembre 2026, 18 h 30
SHORT_DATETIME_FORMAT = "Y-m-d H\xa0\\h\xa0i"
