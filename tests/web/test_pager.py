"""Paging a filtered list keeps its filters: page 2 of the overdue cases of 海宁 is still those cases."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def _pager(url: str, **context: object) -> str:
    request = RequestFactory().get(url)
    page = Paginator(list(range(95)), 30).page(int(request.GET.get("page", 1)))
    return render_to_string("web/pager.html", {"page": page, **context}, request=request)


def test_next_and_previous_keep_every_filter():
    html = _pager("/cases/?status=executing&unit=330481&overdue=1&page=2")
    assert 'href="?status=executing&amp;unit=330481&amp;overdue=1&amp;page=3"' in html
    assert 'href="?status=executing&amp;unit=330481&amp;overdue=1&amp;page=1"' in html
    assert "第 2 / 4 页，共 95 条" in html


def test_the_views_own_filters_win_after_a_posted_form():
    html = _pager("/overload/", query="plate=%E6%B5%99F&station=JX-WIM-01")
    assert 'href="?plate=%E6%B5%99F&amp;station=JX-WIM-01&amp;page=2"' in html
    assert "上一页" not in html


def test_one_page_needs_no_pager():
    request = RequestFactory().get("/cases/")
    page = Paginator(list(range(5)), 30).page(1)
    assert render_to_string("web/pager.html", {"page": page}, request=request).strip() == ""
