# Wallboards' time zone and language; users' chosen language (dashboard/i18n/).
# Dashboard.time_zone is in 0019a (history-compare's 0016 adds the same field: drop one).

import dashboard.boards.time_zones
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0018_supervisor'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='wallboard',
            name='language',
            field=models.CharField(blank=True, choices=[('', "the site's default"), ('en', 'English'), ('de', 'Deutsch')], default='', help_text="Language of the wallboard's labels (empty: the site's default)", max_length=10),
        ),
        migrations.AddField(
            model_name='wallboard',
            name='time_zone',
            field=models.CharField(default=dashboard.boards.time_zones.default_time_zone, help_text="IANA time zone of the wallboard's clock and times, e.g. Europe/Berlin", max_length=64, validators=[dashboard.boards.time_zones.validate_time_zone]),
        ),
        migrations.CreateModel(
            name='LanguagePreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=[('en', 'English'), ('de', 'Deutsch')], help_text="The interface language of this user's pages", max_length=10)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='language_preference', to=settings.AUTH_USER_MODEL)),
            ],
        ),
    ]
