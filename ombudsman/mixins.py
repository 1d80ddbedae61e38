"""One access check per view: a predicate from a permissions module, nothing else."""

from collections.abc import Callable

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from ombudsman import roles


class PredicateRequiredMixin(AccessMixin):
    """Anonymous users go to the sign-in page; signed-in users failing the predicate get 403."""

    predicate: Callable = staticmethod(lambda user: False)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not type(self).predicate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ManagerRequiredMixin(PredicateRequiredMixin):
    predicate = staticmethod(roles.is_manager)


class CouncilUserRequiredMixin(PredicateRequiredMixin):
    predicate = staticmethod(roles.is_council_user)
