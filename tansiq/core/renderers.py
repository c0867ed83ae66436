from django.forms.renderers import TemplatesSetting


class TansiqFormRenderer(TemplatesSetting):
    """Every Django form renders with labels, required marks and errors beside fields (Bootstrap)."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
