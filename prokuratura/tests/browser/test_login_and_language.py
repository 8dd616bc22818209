from django.utils import translation


def test_sign_in_lands_on_the_home_page_in_the_users_language(page, login, cast):
    user = cast.registrar_astana
    login(user)
    page.check()
    assert page.locator("html").get_attribute("lang") == user.preferred_language
    with translation.override(user.preferred_language):
        welcome = translation.gettext("Welcome, %(name)s") % {"name": user.full_name}
    assert page.get_by_role("heading", level=1).inner_text() == welcome


def test_wrong_password_is_refused_with_a_message(page, login, cast):
    login(cast.registrar_astana, password="wrong-password")
    page.check()
    assert "not correct" in page.get_by_role("alert").inner_text()


def test_switch_language_to_kazakh_and_russian(page, login, cast):
    login(cast.registrar_astana)
    with page.expect_navigation():
        page.locator("#language-select").select_option("kk")  # app.js submits the form on change
    page.check()
    assert page.locator("html").get_attribute("lang") == "kk"
    with page.expect_navigation():
        page.locator("#language-select").select_option("ru")
    page.check()
    assert page.locator("html").get_attribute("lang") == "ru"
