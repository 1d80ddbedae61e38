"""One access check per view: a predicate from a permissions module, nothing else."""

from collections.abc import Callable

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ombudsman import roles


class PredicateRequiredMixin(AccessMixin):
    """Anonymous users go to the sign-in page; signed-in users failing the predicate get 403. A view
    that names `visible_to` (a predicate of the user) answers 404 to everyone it refuses, like a URL
    that does not exist; ombudsman.middleware.HiddenPagesMiddleware asks the same before the CSRF check."""

    predicate: Callable = staticmethod(lambda user: False)
    visible_to: Callable | None = None

    def dispatch(self, request, *args, **kwargs):
        if type(self).visible_to is not None and not type(self).visible_to(request.user):
            raise Http404("No such page")
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not type(self).predicate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ManagerRequiredMixin(PredicateRequiredMixin):
    predicate = staticmethod(roles.is_manager)


class CouncilUserRequiredMixin(PredicateRequiredMixin):
    predicate = staticmethod(roles.is_council_user)
