from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0003_skills")]

    operations = [
        migrations.AddField(
            model_name="statistic", name="refused",
            field=models.TextField(blank=True, editable=False,
                                   help_text="Genesys' reason for refusing this statistic"),
        ),
        migrations.AddField(
            model_name="statistic", name="refused_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
