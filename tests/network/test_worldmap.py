"""The members-by-country map: the build script's geometry, the pure renderer, the network home."""

import importlib.util
import itertools
import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tansiq.network import worldmap
from tests.network.factories import NetworkFactory, NetworkMembershipFactory, OrganisationFactory

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


def _build_script():
    spec = importlib.util.spec_from_file_location("world_map_build", ROOT / "scripts" / "world_map.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _build_script()


def _labels(counts, breaks, **overrides):
    values = {
        "title": "Members by country",
        "description": "Where the members are",
        "legend_title": "Members",
        "ranges": [f"{low}-{high}" for low, high in breaks],
        "empty": "No members",
        "countries": {code: f"Country {code}: {count} members" for code, count in counts.items()},
    }
    values.update(overrides)
    return worldmap.Labels(**values)


def _render(counts, *, rtl=False, **overrides):
    breaks = worldmap.class_breaks(counts)
    return worldmap.render(counts, breaks=breaks, labels=_labels(counts, breaks, **overrides), rtl=rtl)


# The build script: TopoJSON decoding and the projection


def test_decode_undoes_delta_encoding_and_quantization():
    topology = {
        "transform": {"scale": [0.5, 2.0], "translate": [-10, 5]},
        "arcs": [[[0, 0], [2, 0], [0, 3]], [[4, 1], [-2, -1]]],
    }
    assert build.decode_arcs(topology) == [[(-10, 5), (-9, 5), (-9, 11)], [(-8, 7), (-9, 5)]]


def test_decode_reads_unquantized_arcs_as_they_are():
    assert build.decode_arcs({"arcs": [[[1, 2], [3, 4]]]}) == [[(1.0, 2.0), (3.0, 4.0)]]


def test_rings_join_arcs_and_reverse_negative_indexes():
    arcs = [[(0, 0), (1, 0), (1, 1)], [(0, 0), (0, 1), (1, 1)]]
    # ~1 == -2: arc 1 walked backwards closes the ring without repeating the shared point.
    assert build.ring_from_arcs([0, ~1], arcs) == [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]


def test_equal_earth_known_points():
    assert build.equal_earth(0, 0) == (0.0, 0.0)
    x, y = build.equal_earth(180, 0)
    assert x == pytest.approx(math.pi / (build.M * build.A1)) == pytest.approx(2.7066, abs=1e-4)
    assert y == 0
    x, y = build.equal_earth(0, 90)
    assert x == 0 and y == pytest.approx(1.3173, abs=1e-4)
    # symmetric about both axes
    assert build.equal_earth(-30, -45) == pytest.approx(tuple(-v for v in build.equal_earth(30, 45)))


def test_equal_earth_is_equal_area():
    def area(lon, lat, d=1.0):
        corners = [build.equal_earth(lon, lat), build.equal_earth(lon + d, lat)]
        corners += [build.equal_earth(lon + d, lat + d), build.equal_earth(lon, lat + d)]
        return build.ring_area(corners)

    # A 1° cell has sphere area proportional to sin(lat + 1) - sin(lat); so must its projection.
    ratio_equator = area(0, 0) / (math.sin(math.radians(1)) - 0)
    ratio_north = area(40, 60) / (math.sin(math.radians(61)) - math.sin(math.radians(60)))
    assert ratio_north == pytest.approx(ratio_equator, rel=1e-3)


def test_simplify_keeps_the_ends_and_drops_collinear_points():
    assert build.simplify([(0, 0), (1, 0.01), (2, 0), (3, 5)], 0.1) == [(0, 0), (2, 0), (3, 5)]


def test_path_data_is_relative_with_one_decimal():
    assert build.path_data([[(1, 1), (3.5, 1), (3.5, 2), (1, 1)]]) == "M1 1l2.5 0 0 1z"
    assert build._n(-5) == "-.5" and build._n(15) == "1.5" and build._n(20) == "2"


def test_generated_data_records_its_source_and_stays_small():
    path = ROOT / "tansiq" / "network" / "data" / "world-equal-earth.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["source"]["package"] == "world-atlas"
    assert data["source"]["license"] == "ISC" and data["source"]["integrity"].startswith("sha512-")
    assert {"MY", "TR", "ID", "SG", "BH", "PS"} <= set(data["countries"])
    assert "point" in data["countries"]["SG"]  # too small to see, so it gets a marker
    assert path.stat().st_size < 300_000


# Classification


def test_breaks_split_counts_by_quantiles_without_overlap():
    counts = [1] * 30 + [2] * 10 + [3, 4, 5, 8, 12, 20, 40]
    breaks = worldmap.class_breaks(counts)
    assert breaks[0][0] == 1 and breaks[-1][1] == 40
    assert len(breaks) <= 5
    for (_low, high), (next_low, _next_high) in itertools.pairwise(breaks):
        assert next_low == high + 1
    assert all(worldmap.class_of(count, breaks) is not None for count in counts)


def test_few_distinct_counts_are_each_a_class():
    assert worldmap.class_breaks({"MY": 3, "TR": 1, "ID": 3}) == [(1, 1), (3, 3)]
    assert worldmap.class_breaks({}) == [] and worldmap.class_breaks([0, 0]) == []


def test_colours_stay_distinct_and_reach_the_darkest():
    colours = worldmap.colours_for([(1, 1), (2, 2), (3, 3)])
    assert len(set(colours)) == 3 and colours[-1] == worldmap.PALETTE[-1]


def test_palette_has_contrast_against_white():
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    assert all(1.05 / (luminance(colour) + 0.05) >= 3 for colour in worldmap.PALETTE)


# Rendering


def test_output_is_well_formed_svg_with_an_accessible_name():
    root = ET.fromstring(_render({"MY": 12, "TR": 3}))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("viewBox").startswith("0 0 1000 ")
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id


def test_member_countries_carry_their_counts_and_others_are_grey():
    root = ET.fromstring(_render({"MY": 12, "TR": 3}))
    shaded = {path.get("data-country"): path for path in root.iter(f"{SVG}path") if path.get("data-country")}
    assert set(shaded) == {"MY", "TR"}
    assert shaded["MY"].find(f"{SVG}title").text == "Country MY: 12 members"
    assert shaded["MY"].get("fill") != shaded["TR"].get("fill")
    greys = [path for path in root.iter(f"{SVG}path") if not path.get("data-country")]
    assert greys and all(path.get("fill") == worldmap.EMPTY for path in greys)


def test_small_countries_with_members_get_a_marker():
    root = ET.fromstring(_render({"SG": 2}))
    (marker,) = root.iter(f"{SVG}circle")
    assert marker.get("data-country") == "SG" and marker.find(f"{SVG}title").text == "Country SG: 2 members"


def test_unknown_codes_are_ignored():
    root = ET.fromstring(_render({"MY": 1, "ZZ": 4, "": 2, "xx": 1}))
    assert [path.get("data-country") for path in root.iter(f"{SVG}path") if path.get("data-country")] == ["MY"]


def test_text_is_escaped():
    svg = _render({"MY": 1}, title="<b>&", countries={"MY": 'Malaysia "<1>"'})
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "<b>&"
    assert "<b>" not in svg


def test_legend_follows_the_reading_direction_but_the_map_does_not():
    ltr, rtl = _render({"MY": 1, "TR": 5}), _render({"MY": 1, "TR": 5}, rtl=True)

    def legend(svg):
        return next(g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "world-map-legend")

    assert legend(ltr).get("direction") == "ltr" and legend(rtl).get("direction") == "rtl"
    assert float(legend(rtl).find(f"{SVG}text").get("x")) > 900 > 100 > float(legend(ltr).find(f"{SVG}text").get("x"))
    assert [t.text for t in legend(rtl).iter(f"{SVG}text")] == ["Members", "1-1", "5-5", "No members"]
    paths = [path.get("d") for path in ET.fromstring(ltr).iter(f"{SVG}path")]
    assert paths == [path.get("d") for path in ET.fromstring(rtl).iter(f"{SVG}path")]


# The network home


@pytest.mark.parametrize("language", ["ar", "en"])
def test_network_home_shows_the_map_within_its_query_budget(
    client, network, org, other_org, language, django_assert_max_num_queries
):
    from django.core.cache import cache

    cache.clear()
    for index in range(3):
        NetworkMembershipFactory(network=network, organisation=OrganisationFactory(slug=f"t{index}", country="TR"))
    with django_assert_max_num_queries(10):
        response = client.get(f"/{language}/networks/{network.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    start = html.index("<svg")
    root = ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])
    titles = {el.get("data-country"): el.find(f"{SVG}title").text for el in root.iter() if el.get("data-country")}
    assert "TR" in titles
    digits = "٤" if language == "ar" else "4"
    assert digits in titles["TR"]
    assert 'id="map-heading"' in html
    # The second view is served from the cache.
    with django_assert_max_num_queries(9):
        assert client.get(f"/{language}/networks/{network.slug}/").status_code == 200


def test_network_home_hides_applicants_from_the_map(client, network, org, other_org, applicant):
    from django.core.cache import cache

    cache.clear()
    html = client.get(f"/en/networks/{network.slug}/").content.decode()
    assert "Pending Applicant Society" not in html
    start = html.index("<svg")
    root = ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])
    shown = {el.get("data-country") for el in root.iter(f"{SVG}path") if el.get("data-country")}
    assert shown == {org.country.code, other_org.country.code}


@pytest.mark.parametrize(("language", "heading", "digits"), [("ar", "ماليزيا", "٢"), ("ms", "Malaysia", "2")])
def test_a_national_councils_home_shows_members_by_state_and_no_map(client, db, language, heading, digits):
    """Every admitted member in one country: a world map would be one coloured country; the
    members by state (negeri) say more."""
    from django.core.cache import cache

    cache.clear()
    council = NetworkFactory(slug="majlis")
    for slug, region in (("a", "Selangor"), ("b", "Selangor"), ("c", "Kelantan"), ("d", "")):
        NetworkMembershipFactory(
            network=council, organisation=OrganisationFactory(slug=slug, country="MY", region=region)
        )
    NetworkMembershipFactory(
        network=council, organisation=OrganisationFactory(slug="e", country="TR", region="Konya"), status="applicant"
    )
    response = client.get(f"/{language}/networks/majlis/")
    html = response.content.decode()
    assert response.status_code == 200 and "<svg" not in html
    rows = [
        [cell.strip() for cell in re.findall(r"<td[^>]*>(?:<bdi>)?(.*?)(?:</bdi>)?</td>", row)]
        for row in re.findall(r"<tr><td>.*?</tr>", html)
    ]
    assert rows[:2] == [["Selangor", digits], ["Kelantan", "١" if language == "ar" else "1"]]
    assert len(rows) == 3 and "Konya" not in html
    assert heading in html[html.index('id="map-heading"') :].split("</h2>")[0]


def test_rings_across_the_antimeridian_are_cut_into_one_ring_per_side():
    ring = [(178.0, 60.0), (-178.0, 60.0), (-178.0, 62.0), (178.0, 62.0), (178.0, 60.0)]
    assert build.crosses_antimeridian(ring)
    east, west = build.split_antimeridian(ring)
    assert all(178 <= x <= 180 for x, _y in east) and all(-180 <= x <= -178 for x, _y in west)
    assert build.ring_area(east) == pytest.approx(4) and build.ring_area(west) == pytest.approx(4)
    assert not build.crosses_antimeridian([(10, 0), (20, 0), (20, 10)])


@pytest.mark.parametrize(("language", "separator", "foreign"), [("ar", "، ", ", "), ("en", ", ", "، ")])
def test_the_maps_description_joins_countries_with_the_languages_list_separator(
    client, network, org, other_org, language, separator, foreign
):
    from django.core.cache import cache

    cache.clear()
    html = client.get(f"/{language}/networks/{network.slug}/").content.decode()
    start = html.index("<svg")
    root = ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])
    description = root.find(f"{SVG}desc").text
    assert description.count(separator) == 1 and foreign not in description, description
