# Dashboard.time_zone, exactly as history-compare's 0016_intraday_compare adds it: when
# both branches are merged, drop this file (nothing depends on it).

import dashboard.boards.time_zones
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0019_time_zones_languages'),
    ]

    operations = [
        migrations.AddField(
            model_name='dashboard',
            name='time_zone',
            field=models.CharField(default=dashboard.boards.time_zones.default_time_zone, help_text='IANA time zone, e.g. Europe/Berlin: where the day begins for intraday tables and comparisons', max_length=64, validators=[dashboard.boards.time_zones.validate_time_zone]),
        ),
    ]
