"""The glance's bar charts: the markup the tag writes, escaped, with zero bars left out and long labels cut."""

from __future__ import annotations

from django.template import engines
from django.utils import translation

from overview.charts import stacked_bars


def test_bars_are_drawn_with_their_figures_and_every_label_escaped():
    chart = stacked_bars(
        [
            ("南湖镇<东>", [(3, "bar-on-time"), (0, "bar-late"), (1, "bar-missing")], "3/4"),
            ("一个很长很长的乡镇名称", [(2, "bar-on-time")], "2/2"),
        ]
    )
    with translation.override("zh-hans"):
        html = (
            engines["django"]
            .from_string("{% load chart_tags %}{% bars_svg chart label %}")
            .render({"chart": chart, "label": "按时 & 迟报"})
        )
    assert html == (
        '<svg class="mini-chart" viewBox="0 0 412 52" width="412" height="52" role="img" aria-label="按时 &amp; 迟报">\n'
        "  <title>按时 &amp; 迟报</title>\n  \n"
        '  <text x="86" y="18" text-anchor="end" class="chart-label">南湖镇&lt;东&gt;</text>\n'
        '  <rect x="92" y="4" width="157" height="16" class="bar-on-time"><title>3</title></rect>'
        '<rect x="249" y="4" width="52" height="16" class="bar-missing"><title>1</title></rect>\n'
        '  <text x="306" y="18" class="chart-value">3/4</text>\n  \n'
        '  <text x="86" y="40" text-anchor="end" class="chart-label">一个很长很...</text>\n'
        '  <rect x="92" y="26" width="105" height="16" class="bar-on-time"><title>2</title></rect>\n'
        '  <text x="202" y="40" class="chart-value">2/2</text>\n  \n'
        "</svg>\n"
    )
