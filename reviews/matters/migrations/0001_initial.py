import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import reviews.matters.models
from accounts.content_types import move_content_types


class Migration(migrations.Migration):
    """The matter and document tables, created by the reviews app's migrations: this takes them over in the migration state only (same tables)."""

    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('reviews', '0004_jurisdiction_risk_seed'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Matter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(max_length=64, unique=True, verbose_name='reference')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('client', models.CharField(blank=True, max_length=200, verbose_name='client')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('owner', models.ForeignKey(help_text='Certifies who may access the matter in access reviews.', on_delete=django.db.models.deletion.PROTECT, related_name='owned_matters', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                    ],
                    options={
                        'verbose_name': 'matter',
                        'verbose_name_plural': 'matters',
                        'db_table': 'reviews_matter',
                        'ordering': ['reference'],
                        'permissions': [('manage_matter_access', 'Can grant and revoke access to the matter')],
                    },
                ),
                migrations.CreateModel(
                    name='Document',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=255, verbose_name='file name')),
                        ('file', models.FileField(max_length=200, upload_to=reviews.matters.models._document_path, verbose_name='file')),
                        ('sha256', models.CharField(db_index=True, max_length=64, verbose_name='SHA-256')),
                        ('size', models.PositiveBigIntegerField(verbose_name='size in bytes')),
                        ('kind', models.CharField(max_length=8, verbose_name='type')),
                        ('mime_type', models.CharField(max_length=100, verbose_name='media type')),
                        ('pages', models.PositiveIntegerField(blank=True, null=True, verbose_name='pages')),
                        ('text', models.TextField(verbose_name='extracted text')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('matter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='matters.matter', verbose_name='matter')),
                    ],
                    options={
                        'verbose_name': 'document',
                        'verbose_name_plural': 'documents',
                        'db_table': 'reviews_document',
                        'ordering': ['-uploaded_at'],
                        'constraints': [models.UniqueConstraint(fields=('matter', 'sha256'), name='document_once_per_matter')],
                    },
                ),
                migrations.CreateModel(
                    name='MatterGroupObjectPermission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='matters.matter')),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.group')),
                        ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                    ],
                    options={
                        'db_table': 'reviews_mattergroupobjectpermission',
                        'abstract': False,
                        'unique_together': {('group', 'permission', 'content_object')},
                    },
                ),
                migrations.CreateModel(
                    name='MatterUserObjectPermission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='matters.matter')),
                        ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'reviews_matteruserobjectpermission',
                        'abstract': False,
                        'unique_together': {('user', 'permission', 'content_object')},
                    },
                ),
            ],
        ),
        move_content_types('reviews', 'matters', ['matter', 'matteruserobjectpermission', 'mattergroupobjectpermission', 'document']),
    ]
