from django import template

from principles.models import Principle

from ..charts import profile_chart

register = template.Library()


@register.inclusion_tag("includes/_profile_chart.html")
def principle_profile(cases, principles=None, chart_id="profile"):
    """The principle profile chart for one case (bars) or several (a dot plot). `cases` may be one case."""
    if not isinstance(cases, list | tuple):
        cases = [cases]
    principles = principles if principles is not None else Principle.objects.all()
    return {"chart": profile_chart(cases, principles), "chart_id": chart_id}
