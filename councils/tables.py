import django_tables2 as tables

from councils.models import Council


class CouncilTable(tables.Table):
    caption = "Councils"
    caption_hidden = True  # the page's heading says it
    name = tables.LinkColumn(
        "councils:council-detail",
        args=[tables.A("gss_code")],
        verbose_name="Council",
        order_by=("sort_name",),
        attrs={"a": {"class": "govuk-link"}},
    )
    gss_code = tables.Column(verbose_name="GSS code")
    authority_type = tables.Column(verbose_name="Type")
    region = tables.Column()
    active_from = tables.DateColumn(verbose_name="Active from", format="j M Y", default="–")
    active_to = tables.DateColumn(verbose_name="Active to", format="j M Y", default="–")

    class Meta:
        model = Council
        fields = ["name", "gss_code", "authority_type", "region", "active_from", "active_to"]
        empty_text = "No councils match these filters. Clear the filters to see every council."
