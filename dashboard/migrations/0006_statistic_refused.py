from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    # 0003_skills as the brief asks, chained after 0007 (merged into main first) so that
    # the graph has one leaf.
    dependencies = [("dashboard", "0007_encrypt_secrets")]

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
