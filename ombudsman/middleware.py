"""Rules every request meets before a view runs (issue 12).

- RequestShapeMiddleware (early, before anything reads the session or the database): a NUL
  character in the path, the query string or a cookie is a 400. PostgreSQL text cannot hold one,
  so any lookup with it failed with a 500; no URL, parameter or cookie of ours ever has one.
- RequestSizeMiddleware (after AuthenticationMiddleware, before any body is read: CSRF reads the
  POST in process_view, which runs after every middleware's request phase): a body larger than
  settings.REQUEST_MAX_BYTES is a 413 for everyone, and larger than ANONYMOUS_REQUEST_MAX_BYTES for
  anyone not signed in (sign-in, password reset and invitation forms are a few hundred bytes);
  a signed-in user's body to one of settings.LARGE_UPLOAD_PATHS (a set of case documents) may be
  up to LARGE_UPLOAD_MAX_BYTES.
  Django would otherwise spool an anonymous multipart body to disk to find the CSRF token in it.
- HiddenPagesMiddleware (just before CsrfViewMiddleware): a view whose class names `visible_to`, a
  predicate of the user (the case file's pages: staff), answers 404 to everyone else, like a URL that
  does not exist, before the CSRF check and the sign-in rule: a sign-in page would say the URL is real,
  and so would the 403 of a POST without a CSRF token. Staff still meet the CSRF check.
- SignInRequiredMiddleware (after the second-factor middleware): outside PUBLIC_PATHS, an
  anonymous request is redirected to the sign-in page before the view looks anything up, so the
  answer is the same for objects that exist and objects that do not. Every response to a signed-in
  user, and every response outside PUBLIC_PATHS, says Cache-Control: no-store.
"""

import re

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control

# The pages anyone may open: the public site, sign-in and password reset, invitation links, static
# files and the admin (which has its own sign-in). Everything else is for signed-in users.
PUBLIC_PATHS = re.compile(
    r"^/(?:$|healthz$|sign-in/|sign-out/|password-reset/|invitation/|figures/|councils/|open-data/|static/|admin/)"
)


def is_public_path(path: str) -> bool:
    return PUBLIC_PATHS.match(path) is not None


class RequestShapeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or _has_nul(request.GET.lists()) or _has_nul(request.COOKIES.items()):
            raise BadRequest("A NUL character in the request")
        return self.get_response(request)


def _has_nul(pairs) -> bool:
    for key, values in pairs:
        if "\x00" in key or any("\x00" in value for value in ([values] if isinstance(values, str) else values)):
            return True
    return False


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise BadRequest("Content-Length is not a number") from None
        limit = settings.REQUEST_MAX_BYTES
        if length > settings.ANONYMOUS_REQUEST_MAX_BYTES and not request.user.is_authenticated:
            limit = settings.ANONYMOUS_REQUEST_MAX_BYTES
        elif length > limit and re.match(settings.LARGE_UPLOAD_PATHS, request.path_info):
            limit = settings.LARGE_UPLOAD_MAX_BYTES
        if length > limit:
            return render(request, "errors/413.html", {"limit": limit}, status=413)
        return self.get_response(request)


class HiddenPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        visible_to = getattr(getattr(view_func, "view_class", None), "visible_to", None)
        if visible_to is not None and not visible_to(request.user):
            raise Http404("No such page")


class SignInRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated or not is_public_path(request.path_info):
            patch_cache_control(response, no_store=True, private=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated or is_public_path(request.path_info):
            return None
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
