from itertools import groupby

from django.views.generic import TemplateView

from core.pagecache import SharedPageMixin
from services.forms import CatalogSearchForm
from services.selectors import catalog_search, catalog_service_detail, service_centers


class CatalogView(SharedPageMixin, TemplateView):
    page_generations = ("catalog",)
    template_name = "services/catalog.html"

    def get_context_data(self, **kwargs):
        form = CatalogSearchForm(self.request.GET or None)
        query = category = ""
        if form.is_valid():
            query, category = form.cleaned_data["q"], form.cleaned_data["category"]
        services = list(catalog_search(query=query, category_code=category))
        groups = [(cat, list(items)) for cat, items in groupby(services, key=lambda s: s.category)]
        return super().get_context_data(
            form=form, groups=groups, result_count=len(services), searching=bool(query or category), **kwargs
        )


class ServiceDetailView(SharedPageMixin, TemplateView):
    page_generations = ("catalog",)
    template_name = "services/service_detail.html"

    def get_context_data(self, **kwargs):
        service = catalog_service_detail(code=self.kwargs["code"])
        centers = service_centers(service=service)
        by_governorate = [(gov, list(items)) for gov, items in groupby(centers, key=lambda c: c.governorate)]
        documents = list(service.documents.all())
        return super().get_context_data(
            service=service,
            required_documents=[d for d in documents if d.is_required],
            optional_documents=[d for d in documents if not d.is_required],
            centers_by_governorate=by_governorate,
            **kwargs,
        )
