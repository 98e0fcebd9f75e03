"""The design system's template tags (documented live at /design/): fields with their label, hint and
error tied together for screen readers, the error summary, status tags and money."""

from django import forms, template
from django.utils.html import format_html

from core.models import in_language
from core.money import money as format_money

register = template.Library()

TONES = {"blue", "green", "yellow", "red", "grey"}
FREE_TEXT = (forms.TextInput, forms.Textarea)


@register.filter
def money(amount) -> str:
    """``{{ fee.amount|money }}`` → 1,500.00, kept whole and left-to-right inside Arabic text."""
    text = format_money(amount)
    return format_html('<bdi class="num">{}</bdi>', text) if text else ""


@register.inclusion_tag("components/field.html")
def field(bound_field, width: str = "", hint: str = "", **attrs):
    """``{% field form.mobile width="20" hint=_("…") %}``: label, hint, error and the control, with
    ``aria-describedby`` naming exactly the hint and error shown. Extra keywords become attributes
    (``autofocus=True``); free text reads in its own direction (``dir="auto"``) unless told."""
    widget = bound_field.field.widget
    base = bound_field.auto_id
    hint = hint or bound_field.help_text
    described = [f"{base}-hint"] if hint else []
    if bound_field.errors:
        described.append(f"{base}-error")
    widget_attrs = {key.replace("_", "-"): value for key, value in attrs.items()}
    if described:
        widget_attrs["aria-describedby"] = " ".join(described)
    if width:
        widget_attrs["class"] = f"{widget.attrs.get('class', '')} width-{width}".strip()
    if isinstance(widget, FREE_TEXT) and "dir" not in widget.attrs and "dir" not in widget_attrs:
        widget_attrs["dir"] = "auto"
    return {
        "field": bound_field,
        "control": bound_field.as_widget(attrs=widget_attrs),
        "hint": hint,
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
    }


@register.inclusion_tag("components/error_summary.html")
def error_summary(form, **anchors):
    """The form's errors at the top of the page, each a link to its field. Errors of a part of the form
    (``form.section_errors``, e.g. the documents) or of none link to the element ``anchors`` names
    (``documents="documents"``); without one they are listed unlinked."""
    items = []
    for name, errors in [*form.errors.items(), *getattr(form, "section_errors", {}).items()]:
        target = form[name].auto_id if name in form.fields else anchors.get(name, "")
        items.extend((target, error) for error in errors)
    return {"items": items}


@register.inclusion_tag("components/tag.html")
def tag(text, tone: str = "grey"):
    """``{% tag req.get_state_display "green" %}``: a state in words and colour."""
    return {"text": text, "tone": tone if tone in TONES else "grey"}


@register.filter
def control(bound_field):
    """``{{ form.x|control }}``: the widget alone, pointing at its error message when it has one (for
    fields laid out by hand, e.g. in a table)."""
    if bound_field.errors:
        return bound_field.as_widget(attrs={"aria-describedby": f"{bound_field.auto_id}-error"})
    return bound_field.as_widget()


@register.filter
def localized_name(item) -> str:
    """``{{ fee|localized_name }}``: the English name in English when there is one, else the Arabic —
    for the plain data a request keeps from the catalog (its terms), as BilingualName.name does."""
    if isinstance(item, dict):
        return in_language(item.get("name_ar", ""), item.get("name_en", ""))
    return in_language(getattr(item, "name_ar", ""), getattr(item, "name_en", ""))
