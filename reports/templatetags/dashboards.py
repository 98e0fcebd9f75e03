"""``{% kept_figures %}…{% endkept_figures %}``: the period part of a dashboard, rendered with the values
of the context's ``kept_figures`` (``reports.kept_figures.KeptFigures``) or read as it was kept; with none
(nothing is kept), rendered with the context as it is."""

from django import template

register = template.Library()


class KeptFiguresNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        def render_with(values: dict) -> str:
            with context.push(values):
                return self.nodelist.render(context)

        kept = context.get("kept_figures")
        return self.nodelist.render(context) if kept is None else kept.html(render_with)


@register.tag("kept_figures")
def kept_figures(parser, token):
    nodelist = parser.parse(("endkept_figures",))
    parser.delete_first_token()
    return KeptFiguresNode(nodelist)
