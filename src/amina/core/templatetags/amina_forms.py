"""``{% form_errors form other_form formset … %}``: the summary of a refused form.

Every problem of every form given (and of every form of a formset) in one list at the top
of the page, in the reader's language, each linked to its field (``href="#id_…"``); the
summary takes the focus when the page loads (``amina.js``), so a person on a phone sees at
once what to fix and goes to it with one tap. A form class may name what its fields belong
to with ``summary_label`` (``"Member %(n)s"`` is numbered from 1 within a formset).
"""

from __future__ import annotations

from django import forms, template

register = template.Library()


def _problems(form, label: str = "") -> list[dict]:
    out = []
    prefix = f"{label}: " if label else ""
    for message in form.non_field_errors():
        out.append({"id": "", "label": label, "message": message})
    for name, messages in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            continue
        field = form[name]
        for message in messages:
            out.append(
                {
                    "id": field.id_for_label or field.auto_id,
                    "label": f"{prefix}{field.label}",
                    "message": message,
                }
            )
    return out


@register.inclusion_tag("core/_form_errors.html")
def form_errors(*items) -> dict:
    problems: list[dict] = []
    flat = []
    for item in items:  # a list of forms counts as its forms
        flat += list(item) if isinstance(item, list | tuple) else [item]
    for item in flat:
        if item is None or not getattr(item, "is_bound", False):
            continue
        if isinstance(item, forms.BaseFormSet):
            problems += [{"id": "", "label": "", "message": m} for m in item.non_form_errors()]
            for i, form in enumerate(item.forms, 1):
                if item.can_delete and item._should_delete_form(form):
                    continue
                label = str(getattr(form, "summary_label", "") or "")
                problems += _problems(form, label.replace("%(n)s", str(i)) if label else "")
        else:
            problems += _problems(item, str(getattr(item, "summary_label", "") or ""))
    return {"problems": problems}
