from django.views.generic import TemplateView


class TrackView(TemplateView):
    template_name = "complaints/track.html"
