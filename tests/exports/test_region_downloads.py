"""City and province offices download the files of the counties beneath them, titled with their own place."""

from __future__ import annotations

import io
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
