# Written for LetterDownload only (another engineer's model changes have their own migration).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='LetterDownload',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveSmallIntegerField(help_text="The letter's version when it was downloaded.")),
                ('kind', models.CharField(choices=[('letter', 'Letter (PDF)'), ('annex_received', 'Annex: complaints received (CSV)'), ('annex_decided', 'Annex: decisions made (CSV)'), ('annex_compliance', 'Annex: compliance outcomes (CSV)')], default='letter', max_length=20)),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True)),
                ('downloaded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('letter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='downloads', to='reviews.annualletter')),
                ('user', models.ForeignKey(blank=True, help_text='Empty for a download from the public pages by someone not signed in.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-downloaded_at', '-pk'],
                'indexes': [models.Index(fields=['letter', 'downloaded_at'], name='letter_download_letter_at')],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['letter', 'annex_received', 'annex_decided', 'annex_compliance'])), name='letter_download_kind_valid'), models.CheckConstraint(condition=models.Q(('version__gte', 1)), name='letter_download_version_positive')],
            },
        ),
    ]
