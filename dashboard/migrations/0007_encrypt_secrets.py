"""Upstream secrets encrypted at rest (issue 14): the fields become EncryptedTextField
and every row written in plain text is encrypted. Reversible: going back writes the
plain text again (with raw SQL, as the field would encrypt anything it saves)."""
from __future__ import annotations

from django.db import migrations

import dashboard.access.crypto_fields

SECRET_FIELDS = [("UpstreamAuthorization", "refresh_token"), ("SkillSource", "secret")]


def encrypt_rows(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    """Each value reads as plain (a legacy row has no prefix) and is written encrypted."""
    for model_name, field in SECRET_FIELDS:
        model = apps.get_model("dashboard", model_name)
        for pk, value in model.objects.exclude(**{field: ""}).values_list("pk", field):
            model.objects.filter(pk=pk).update(**{field: value})


def decrypt_rows(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    for model_name, field in SECRET_FIELDS:
        model = apps.get_model("dashboard", model_name)
        table, column = model._meta.db_table, model._meta.get_field(field).column
        rows = list(model.objects.exclude(**{field: ""}).values_list("pk", field))
        with connection.cursor() as cursor:
            for pk, plain in rows:
                cursor.execute(f"UPDATE {connection.ops.quote_name(table)} SET {connection.ops.quote_name(column)} = %s"
                               f" WHERE {connection.ops.quote_name(model._meta.pk.column)} = %s", [plain, pk])


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0005_skill_source_identity_and_oauth")]

    operations = [
        migrations.AlterField(
            model_name="skillsource", name="secret",
            field=dashboard.access.crypto_fields.EncryptedTextField(
                blank=True, help_text="The Web Services password or the export's bearer token", max_length=500),
        ),
        migrations.AlterField(
            model_name="upstreamauthorization", name="refresh_token",
            field=dashboard.access.crypto_fields.EncryptedTextField(),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
