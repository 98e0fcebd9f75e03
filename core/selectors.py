from dataclasses import dataclass

from core.models import SiteIdentity, in_language
from core.pagecache import generation_cached, page_generation

SITE_GENERATION = "site"


@dataclass(frozen=True)
class SiteHeader:
    name_ar: str = ""
    name_en: str = ""
    emblem_version: str = ""  # empty: no emblem

    @property
    def name(self) -> str:
        return in_language(self.name_ar, self.name_en)


def site_header() -> SiteHeader:
    """The header's governorate name and emblem version, from the cache until the administrator changes
    them (every shared page's key names the same generation)."""

    def read() -> SiteHeader:
        identity = SiteIdentity.objects.filter(pk=1).first()
        if identity is None:
            return SiteHeader()
        version = f"{identity.updated_at:%Y%m%d%H%M%S%f}" if identity.emblem else ""
        return SiteHeader(identity.name_ar, identity.name_en, version)

    return generation_cached(SITE_GENERATION, "header", read)


def site_emblem() -> bytes:
    identity = SiteIdentity.objects.filter(pk=1).only("emblem").first()
    return bytes(identity.emblem) if identity else b""


def site_generation() -> str:
    return page_generation(SITE_GENERATION)
