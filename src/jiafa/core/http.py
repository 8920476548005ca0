from django.http import HttpRequest

from jiafa.core.models import User


class AuthedRequest(HttpRequest):
    """The request a login-required view gets: its user is a real User."""

    user: User
