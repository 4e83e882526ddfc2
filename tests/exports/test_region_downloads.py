"""City and province offices download the files of the counties beneath them, titled with their own place."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse

from tests.exports.factories import county_with_clusters


def _cells(content: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [str(cell.value) for sheet in book for row in sheet.iter_rows(max_row=4) for cell in row if cell.value]


@pytest.mark.django_db
def test_a_city_office_downloads_the_county_workbook_of_its_counties_under_its_own_name(
    client, city_office, other_city_office, cadre_a, county_office
):
    cluster = county_with_clusters(cadre_a, county_office, name_prefix="城乡")[0]
    client.force_login(city_office)
    response = client.get(reverse("exports:workbook", args=["county"]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    city = city_office.city.name
    assert unquote(response["Content-Disposition"]).count(city) == 1
    cells = _cells(content)
    assert any(f"{city}联村自治办公室" in cell for cell in cells)
    assert any(
        cluster.name in str(cell.value)
        for sheet in openpyxl.load_workbook(io.BytesIO(content))
        for row in sheet.iter_rows()
        for cell in row
    )
    # Another city's office gets the file of its own (empty) counties, never this county's clusters.
    client.force_login(other_city_office)
    other = b"".join(client.get(reverse("exports:workbook", args=["county"])).streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(other))
    assert not any(cluster.name in str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row)
    assert client.get(reverse("exports:cluster-profile-pdf", args=[cluster.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["exports:county-summary-pdf", "exports:weekly-compilation-pdf"])
def test_the_summary_and_the_compilation_of_many_villages_go_to_a_worker(
    name, client, settings, city_office, cadre_a, county_office
):
    """Sized like the county workbook (8 rows a village): ten counties' PDFs took over 5 s in the request."""
    county_with_clusters(cadre_a, county_office, name_prefix="城乡")  # three villages: 24 rows
    settings.EXPORT_BACKGROUND_ROWS = 20
    client.force_login(city_office)
    response = client.get(reverse(name))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    settings.EXPORT_BACKGROUND_ROWS = 24
    assert client.get(reverse(name))["Content-Type"] == "application/pdf"


@pytest.fixture
def two_counties(city, county, township_a, cadre_a, county_office):
    """清河县 with one established cluster of three villages in 城关镇, beside 临水县 with two villages and none."""
    from tests import factories
    from tests.exports.factories import make_village

    county_with_clusters(cadre_a, county_office, name_prefix="城关")
    neighbour = factories.CountyFactory(code="379902000000", name="临水县", city=city)
    township = factories.TownshipFactory(county=neighbour, code="379902101000", name="临水镇")
    make_village(township)
    make_village(township)
    return county, neighbour


def _sheet_rows(content: bytes, name: str) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))[name]
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]


@pytest.mark.django_db
def test_a_city_summary_sheet_groups_townships_by_county_with_a_subtotal_each(client, two_counties, city_office):
    client.force_login(city_office)
    content = b"".join(client.get(reverse("exports:workbook", args=["county"])).streaming_content)
    header, *rows = _sheet_rows(content, "分乡镇汇总")
    assert header[:3] == ["县（市、区）", "乡镇代码", "乡镇"]
    table = [(row[0], row[2], row[3], row[4]) for row in rows if row[2]]  # county, township, villages, clusters
    assert table == [
        ("清河县", "城关镇", 3, 1),
        ("清河县", "小计", 3, 1),
        ("临水县", "临水镇", 2, 0),
        ("临水县", "小计", 2, 0),
        (None, "合计", 5, 1),
    ]


@pytest.mark.django_db
def test_a_county_summary_sheet_keeps_its_township_table(client, two_counties, county_office):
    client.force_login(county_office)
    content = b"".join(client.get(reverse("exports:workbook", args=["county"])).streaming_content)
    header, *rows = _sheet_rows(content, "分乡镇汇总")
    assert header[:2] == ["乡镇代码", "乡镇"]
    assert [row[1] for row in rows if row[1]] == ["城关镇", "合计"]


@pytest.mark.django_db
def test_a_city_summary_pdf_prints_each_county_and_its_subtotal(widest_day, client, two_counties, city_office):
    from tests.exports import pdfcheck

    client.force_login(city_office)
    response = client.get(reverse("exports:county-summary-pdf"))
    text = pdfcheck.compact(pdfcheck.text_of(b"".join(response.streaming_content)))
    assert "二、分县、分乡镇情况" in text
    assert text.index("清河县城关镇") < text.index("清河县小计") < text.index("临水县临水镇")
    assert text.index("临水县临水镇") < text.index("临水县小计") < text.index("合计")
    clusters = text[text.index("三、联村名单") :]
    assert clusters.startswith("三、联村名单县"), "the clusters list names each cluster's county first"
    assert "清河县城关镇城关" in clusters
    assert re.search(r"已组建\d{4}年\d{1,2}月\d{1,2}日", clusters), "the date of establishment fits on one line"


@pytest.mark.django_db
def test_the_downloads_page_words_the_files_for_the_users_tier(client, two_counties, city_office, county_office):
    client.force_login(city_office)
    page = client.get(reverse("exports:index")).content.decode()
    assert "用于向省里报送" in page and "青州市分县、分乡镇汇总材料" in page
    assert "用于向县里报送" not in page and "全县（乡镇）汇总材料" not in page
    client.force_login(county_office)
    page = client.get(reverse("exports:index")).content.decode()
    assert "用于向市里报送" in page and "全县（乡镇）汇总材料" in page
