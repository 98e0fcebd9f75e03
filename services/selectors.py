from decimal import Decimal

from django.db.models import DecimalField, Prefetch, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from core.models import in_language
from core.pagecache import generation_cached
from core.text import fold_arabic
from organisation.models import Center
from services.models import Category, FeeItem, RouteStep, Service, ServiceDocument


def _with_fee_total(queryset: QuerySet[Service]) -> QuerySet[Service]:
    return queryset.annotate(
        fees_total=Coalesce(
            Sum("fee_items__amount"),
            Value(Decimal("0.00")),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
    )


def catalog_search(*, query: str = "", category_code: str = "") -> QuerySet[Service]:
    """Active services matching every word of ``query`` (hamza, taa marbuta and diacritics folded)."""
    services = Service.objects.filter(is_active=True).select_related("category")
    for word in fold_arabic(query).split():
        services = services.filter(search_text__contains=word)
    if category_code:
        services = services.filter(category__code=category_code)
    return _with_fee_total(services).order_by("category__position", "category__code", "code")


def catalog_categories() -> QuerySet[Category]:
    return Category.objects.filter(services__is_active=True).distinct().order_by("position", "code")


def catalog_service_detail(*, code: str) -> Service:
    """One active service with everything its public page shows, or 404."""
    queryset = _with_fee_total(
        Service.objects.filter(is_active=True).select_related("category")
    ).prefetch_related(
        Prefetch("fee_items", queryset=FeeItem.objects.order_by("position")),
        Prefetch("documents", queryset=ServiceDocument.objects.select_related("document_type")),
        Prefetch("route_steps", queryset=RouteStep.objects.select_related("department_type")),
    )
    return get_object_or_404(queryset, code=code)


def window_service(*, code: str) -> Service:
    """One active service as the window's intake form needs it (its terms come from service_terms)."""
    return get_object_or_404(_with_fee_total(Service.objects.filter(is_active=True)), code=code)


def active_service_choices() -> list[tuple[int, str]]:
    """(id, name) of every active service in the current language, by code: the queue's filter. Kept in
    the cache until the catalog changes."""
    rows = generation_cached(
        "catalog",
        "service-choices",
        lambda: list(
            Service.objects.filter(is_active=True).order_by("code").values_list("pk", "name_ar", "name_en")
        ),
    )
    return [(pk, in_language(name_ar, name_en)) for pk, name_ar, name_en in rows]


def service_terms(*, service: Service) -> dict:
    """``service.terms()``, kept in the cache until the catalog changes (the window reads them for the
    form and again in the intake transaction, for every request taken)."""
    return generation_cached("catalog", f"service-terms:{service.pk}", service.terms)


def service_centers(*, service: Service) -> QuerySet[Center]:
    """Where the service is offered: its chosen centers, or every active center when none is chosen."""
    chosen = service.centers.filter(is_active=True)
    centers = chosen if chosen.exists() else Center.objects.filter(is_active=True)
    return centers.select_related("governorate", "local_unit").order_by("governorate__code", "kind", "code")


def service_lookup(*, text: str) -> Service | None:
    """The active service a clerk typed: its code, "CODE — name" from the list, or a unique name match."""
    code = text.split("—")[0].strip().upper()
    exact = Service.objects.filter(is_active=True, code=code).first()
    if exact is not None:
        return exact
    matches = list(catalog_search(query=text)[:2])
    return matches[0] if len(matches) == 1 else None
