from django.core.exceptions import ValidationError


class FieldErrors:
    """Collects every problem with a submitted form, by field, so the person sees them all at once;
    ``raise_if_any`` turns them into one ValidationError (a dict by field) before anything is written."""

    def __init__(self):
        self.by_field: dict[str, list[str]] = {}

    def add(self, name: str, message) -> None:
        self.by_field.setdefault(name, []).append(str(message))

    def check(self, name: str, func, *args):
        try:
            return func(*args)
        except ValidationError as exc:
            for message in exc.messages:
                self.add(name, message)
            return None

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)
