from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0004_vendor_surfaces"),
    ]

    operations = []
