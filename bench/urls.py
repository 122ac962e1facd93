"""The product's URLs plus the baseline view the preview is compared with (benchmarks only)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from menueditor.urls import urlpatterns as product_urlpatterns


@login_required
@require_POST
def baseline(request: HttpRequest, pk: int) -> HttpResponse:
    """The least a signed-in POST can cost: the same middleware and session, no work of its own."""
    return HttpResponse(f"<p>{pk}</p>")


urlpatterns = [
    path("_bench/baseline/<int:pk>/", baseline, name="bench_baseline"),
    *product_urlpatterns,
]
