import pytest


@pytest.mark.parametrize("language", ["ar", "en", "ms"])
def test_home_page_answers_in_each_language(client, db, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert ('dir="rtl"' in html) == (language == "ar")
