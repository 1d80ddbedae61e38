"""Service categories, for managers: the list, adding, renaming, reordering, retiring."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from complaints import permissions, selectors
from complaints.forms import (
    CategoryEditForm,
    CategoryForm,
    add_service_errors,
)
from complaints.models import Category
from complaints.services.categories import category_create, category_update
from ombudsman.mixins import PredicateRequiredMixin


class CategoryAccessMixin(PredicateRequiredMixin):
    predicate = staticmethod(permissions.can_manage_categories)


class CategoryListView(CategoryAccessMixin, TemplateView):
    template_name = "complaints/category_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=selectors.category_groups(), **kwargs)


class CategoryCreateView(CategoryAccessMixin, FormView):
    """A top-level category, or a sub-category when ?parent=<id> names a top-level one."""

    template_name = "complaints/category_form.html"
    form_class = CategoryForm

    def dispatch(self, request, *args, **kwargs):
        self.parent = None
        parent_id = request.GET.get("parent") or request.POST.get("parent")
        if parent_id:
            if not (parent_id.isascii() and parent_id.isdigit()):  # "²".isdigit() is true, int("²") fails
                raise Http404("No such category")
            self.parent = get_object_or_404(Category, pk=parent_id, parent__isnull=True)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(parent=self.parent, category=None, **kwargs)

    def form_valid(self, form):
        try:
            category = category_create(name=form.cleaned_data["name"], parent=self.parent)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{category} has been added.")
        return redirect("complaints:category-list")


class CategoryEditView(CategoryAccessMixin, FormView):
    template_name = "complaints/category_form.html"
    form_class = CategoryEditForm

    def dispatch(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category.objects.select_related("parent"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"name": self.category.name, "position": self.category.position, "is_active": self.category.is_active}

    def get_context_data(self, **kwargs):
        return super().get_context_data(parent=self.category.parent, category=self.category, **kwargs)

    def form_valid(self, form):
        try:
            category = category_update(category=self.category, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{category} has been saved.")
        return redirect("complaints:category-list")
