from django import template

from principles.models import Principle

from ..charts import profile_chart
from .pdf_tags import http_url

register = template.Library()
# Links to stored addresses go through |http_url: a `javascript:` or `data:` website never becomes a link.
register.filter("http_url", http_url)


@register.filter(is_safe=True)
def svg_number(value, places=1) -> str:
    """A coordinate as SVG writes numbers: a point before the decimals and nothing else, whatever the locale
    (`floatformat` follows the locale's separators, and costs a Decimal and a localisation a number)."""
    return f"{float(value):.{int(places)}f}"


@register.inclusion_tag("includes/_profile_chart.html")
def principle_profile(cases, principles=None, chart_id="profile", font_family=""):
    """The principle profile chart for one case (bars) or several (a dot plot). `cases` may be one case.

    `font_family` names the font of the chart's text where the page's CSS does not reach the SVG (the PDFs);
    on web pages leave it empty and the text inherits the page's font.
    """
    if not isinstance(cases, list | tuple):
        cases = [cases]
    principles = principles if principles is not None else Principle.objects.all()
    return {"chart": profile_chart(cases, principles), "chart_id": chart_id, "font_family": font_family}
