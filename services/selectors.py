from dataclasses import dataclass
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


@dataclass(frozen=True)
class WindowChoice:
    """A service as the window's service box offers it."""

    pk: int
    code: str
    name_ar: str
    name_en: str

    @property
    def name(self) -> str:
        return in_language(self.name_ar, self.name_en)

    @property
    def label(self) -> str:
        """What the box holds once the service is chosen: "CODE — name"."""
        return f"{self.code} — {self.name}"


EXACT, PREFIX, WORDS = 0, 1, 2


def _window_index() -> list[tuple[WindowChoice, tuple[str, ...], str]]:
    """Every active service with its folded code and names, and its search text; kept in the cache
    until the catalog changes."""

    def build():
        rows = Service.objects.filter(is_active=True).order_by("code")
        return [
            (
                WindowChoice(s.pk, s.code, s.name_ar, s.name_en),
                tuple(fold_arabic(t) for t in (s.code, s.name_ar, s.name_en) if t),
                s.search_text,
            )
            for s in rows
        ]

    return generation_cached("catalog", "window-index", build)


def window_service_matches(*, query: str, usage: dict[int, int] | None = None) -> list[WindowChoice]:
    """Active services for what a clerk typed, best first: an exact code or name (Arabic folded), then
    a code or name starting with it, then every word found; within each, the services this center
    takes most (``usage``: service id → requests), then by code."""
    folded, usage = fold_arabic(query), usage or {}
    words = folded.split()
    ranked = []
    for choice, names, search_text in _window_index():
        if not folded:
            rank = WORDS
        elif folded in names:
            rank = EXACT
        elif any(name.startswith(folded) for name in names):
            rank = PREFIX
        elif all(word in search_text for word in words):
            rank = WORDS
        else:
            continue
        ranked.append((rank, -usage.get(choice.pk, 0), choice.code, choice))
    ranked.sort(key=lambda row: row[:3])
    return [row[-1] for row in ranked]


def service_lookup(*, text: str) -> Service | None:
    """The active service a clerk typed: "CODE — name" from the list, its code or its exact name (Arabic
    folded), or the only service matching; None when nothing or several match."""
    choice = _chosen(text)
    return Service.objects.filter(is_active=True, pk=choice.pk).first() if choice else None


def _chosen(text: str) -> WindowChoice | None:
    index = _window_index()
    for candidate in (text.split("—")[0], text):
        folded = fold_arabic(candidate)
        exact = [choice for choice, names, _ in index if folded and folded in names]
        if len(exact) == 1:
            return exact[0]
    matches = window_service_matches(query=text) if text.strip() else []
    return matches[0] if len(matches) == 1 else None
