"""What is kept of a post that arrives after the session ran out (lianchun/unsaved.py): text, not megabytes."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianchun.unsaved import KEEP_CHARACTERS
from tests.factories import session_runs_out


def _post_logged_out(client, url, data, user):
    """Post as `user` whose session has run out on `client`'s browser."""
    session_runs_out(client, user)
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    return response.content.decode()


def test_a_post_longer_than_what_is_kept_is_not_kept_nor_cut_short(client, cadre_a):
    url = reverse("clusters:cluster-propose")
    login_page = _post_logged_out(client, url, {"name": "联" * (KEEP_CHARACTERS + 1)}, cadre_a)
    assert "已保留" not in login_page  # no promise that cannot be kept
    client.force_login(cadre_a)
    page = client.get(url).content.decode()
    assert "尚未保存" not in page and "联联联联联" not in page


def test_a_post_of_nothing_promises_nothing(client, cadre_a):
    url = reverse("clusters:cluster-propose")
    login_page = _post_logged_out(client, url, {"name": "  "}, cadre_a)
    assert "已保留" not in login_page
    client.force_login(cadre_a)
    assert "尚未保存" not in client.get(url).content.decode()


def test_text_within_the_limit_is_kept_and_the_login_page_says_so(client, cadre_a):
    url = reverse("clusters:cluster-propose")
    login_page = _post_logged_out(client, url, {"name": "马园联村"}, cadre_a)
    assert "登录已过期。请重新登录：您填写的内容已保留。" in login_page
    client.force_login(cadre_a)
    assert 'value="马园联村"' in client.get(url).content.decode()


def test_after_the_login_the_browser_comes_back_to_the_page_the_form_was_on(client, cadre_a):
    # "Mark all read" on the notifications page posts to an address that answers nothing but a post.
    page, action = reverse("notifications:notification-list"), reverse("notifications:notification-read-all")
    response = client.post(action, {"confirm": "1"}, HTTP_REFERER=f"http://testserver{page}?unread=1")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={page}%3Funread%3D1"
    client.force_login(cadre_a)
    assert client.get(f"{page}?unread=1").status_code == 200


def test_a_post_from_another_site_does_not_choose_where_the_login_leads(client, db):
    action = reverse("notifications:notification-read-all")
    response = client.post(action, {"confirm": "1"}, HTTP_REFERER="https://evil.example/notifications/")
    assert response["Location"] == f"{reverse('accounts:login')}?next={action}"


def test_one_address_posting_again_and_again_gets_nothing_more_kept(client, cadre_a):
    from lianchun.unsaved import KEEP_PER_ADDRESS

    url = reverse("clusters:cluster-propose")
    for number in range(KEEP_PER_ADDRESS):
        assert "已保留" in _post_logged_out(Client(), url, {"name": f"联村{number}"}, cadre_a)
    assert "已保留" not in _post_logged_out(client, url, {"name": "马园联村"}, cadre_a)
    client.force_login(cadre_a)
    assert "马园联村" not in client.get(url).content.decode()
    # Another address is not held back by this one.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert "已保留" in _post_logged_out(other, url, {"name": "马园联村"}, cadre_a)


def test_a_kept_post_holds_its_place_for_an_hour_and_then_frees_it(cadre_a):
    from lianchun.unsaved import KEEP_PER_ADDRESS

    url = reverse("clusters:cluster-propose")
    for number in range(KEEP_PER_ADDRESS):
        assert "已保留" in _post_logged_out(Client(), url, {"name": f"联村{number}"}, cadre_a)
    assert "已保留" not in _post_logged_out(Client(), url, {"name": "马园联村"}, cadre_a)
    # The hour of the first kept post has passed (its place in the shared cache table has expired): one more post
    # from the address is kept, and only one, since the other places are held until their own hour is out.
    an_hour_on = connection.ops.adapt_datetimefield_value(timezone.now() - timedelta(seconds=1))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE lianchun_cache SET expires = %s WHERE cache_key LIKE %s", [an_hour_on, "%unsaved-kept:%:0"]
        )
        assert cursor.rowcount == 1
    assert "已保留" in _post_logged_out(Client(), url, {"name": "东岭联村"}, cadre_a)
    assert "已保留" not in _post_logged_out(Client(), url, {"name": "西岭联村"}, cadre_a)


def test_text_kept_for_one_account_is_not_given_to_the_next_one_on_the_same_browser(client, cadre_a, cadre_b):
    """An office PC shared by two cadres: the first one's session runs out with a post typed; the second signs
    in next on that browser and opens the same page. It gets an empty form, not the first one's text."""
    url = reverse("clusters:cluster-propose")
    assert "已保留" in _post_logged_out(client, url, {"name": "困难户王某某的诉求"}, cadre_a)
    client.force_login(cadre_b)
    page = client.get(url)
    assert page.status_code == 200 and "困难户王某某" not in page.content.decode()
    # What the login of another account dropped does not come back to the first cadre either.
    client.force_login(cadre_a)
    assert "困难户王某某" not in client.get(url).content.decode()


def test_after_logging_out_a_post_is_not_kept_for_anyone(client, cadre_a):
    client.force_login(cadre_a)
    page = client.get(reverse("accounts:password-change"))
    assert "lianchun_account" in page.cookies
    answer = client.post(reverse("accounts:logout"))
    assert answer.cookies["lianchun_account"].value == ""  # the browser no longer names an account
    url = reverse("clusters:cluster-propose")
    login_page = client.post(url, {"name": "马园联村"}, follow=True).content.decode()
    assert "已保留" not in login_page
