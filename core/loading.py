"""Idempotent loading of reference data (organisation, catalog) from YAML into the database.

Loaders validate each record and write it with ``sync_row``; they run inside one transaction, so a
malformed record stops the load with an error naming that record and leaves nothing half-loaded.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models


class ReferenceDataError(Exception):
    """Malformed reference data; the message names the offending record."""


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)

    def add(self, model: type[models.Model], status: str) -> None:
        self.counts[(model, status)] += 1

    @property
    def changed(self) -> int:
        return sum(n for (_, status), n in self.counts.items() if status != "unchanged")

    def lines(self) -> list[str]:
        loaded = sorted({model for model, _ in self.counts}, key=lambda m: m._meta.label)
        return [
            f"{model._meta.verbose_name_plural}: "
            + ", ".join(
                f"{self.counts[(model, s)]} {s}" for s in ("created", "updated", "deleted", "unchanged")
            )
            for model in loaded
        ]


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceDataError(f"{path}: {exc}") from exc


class Record:
    """Typed access to one YAML mapping whose errors name the record."""

    def __init__(self, label: str, data: Any):
        if not isinstance(data, dict):
            raise ReferenceDataError(f"{label}: expected a mapping, got {data!r}")
        self.label = label
        self.data = data

    def get(self, key: str, kind: type | tuple[type, ...], *, default: Any = ...) -> Any:
        if key not in self.data or self.data[key] is None:
            if default is ...:
                raise ReferenceDataError(f"{self.label}: missing '{key}'")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise ReferenceDataError(f"{self.label}: '{key}' has the wrong type ({value!r})")
        return value


def records(label: str, items: Any, key: str = "code") -> list[Record]:
    if not isinstance(items, list):
        raise ReferenceDataError(f"{label}: expected a list")
    result = []
    for index, item in enumerate(items, start=1):
        code = item.get(key) if isinstance(item, dict) else None
        result.append(Record(f"{label} {code or f'#{index}'}", item))
    duplicates = [c for c, n in Counter(r.data.get(key) for r in result).items() if n > 1]
    if duplicates:
        raise ReferenceDataError(f"{label}: duplicate {key} {duplicates[0]!r}")
    return result


def sync_row(
    model: type[models.Model], *, lookup: dict, values: dict, label: str, report: LoadReport
) -> models.Model:
    """Create the row or bring it in line with ``values``; an unchanged row is not written."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj, status = model(**lookup, **values), "created"
    else:
        changed = {name: value for name, value in values.items() if _differs(obj, name, value)}
        if not changed:
            report.add(model, "unchanged")
            return obj
        for name, value in changed.items():
            setattr(obj, name, value)
        status = "updated"
    try:
        obj.full_clean()
        obj.save()
    except ValidationError as exc:
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise ReferenceDataError(f"{label}: {details}") from exc
    except IntegrityError as exc:
        raise ReferenceDataError(f"{label}: {exc}") from exc
    report.add(model, status)
    return obj


def delete_rows(queryset: models.QuerySet, report: LoadReport) -> None:
    for obj in queryset:
        obj.delete()
        report.add(queryset.model, "deleted")


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    if isinstance(value, models.Model):
        return getattr(obj, obj._meta.get_field(name).attname) != value.pk
    return getattr(obj, name) != value
