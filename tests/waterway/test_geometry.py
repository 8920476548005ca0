"""Zone outlines: WKT and GeoJSON accepted, anything else refused with a Chinese reason."""

import json

import pytest
from django.core.exceptions import ValidationError

from jiafa.waterway.geometry import GeometryError, parse_polygon
from jiafa.waterway.models import Zone

SQUARE_WKT = "POLYGON ((120.70 30.70, 120.71 30.70, 120.71 30.71, 120.70 30.71, 120.70 30.70))"


def test_wkt_and_geojson_give_the_same_polygon() -> None:
    geojson = {
        "type": "Feature",
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[120.70, 30.70], [120.71, 30.70], [120.71, 30.71], [120.70, 30.71], [120.70, 30.70]]
            ],
        },
    }
    assert parse_polygon(SQUARE_WKT).equals(parse_polygon(json.dumps(geojson)))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "为空"),
        ("POINT (120.7 30.7)", "应为多边形"),
        ("POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))", "多边形无效"),
        ("POLYGON ((30 120, 31 120, 31 121, 30 121, 30 120))", "超出经纬度范围"),
        ("not a polygon", "无法识别"),
        ("{not json", "无法识别"),
    ],
)
def test_bad_outlines_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(GeometryError, match=reason):
        parse_polygon(text)


def test_zone_validation_names_the_geometry_field() -> None:
    zone = Zone(code="Z1", name="测试码头", kind=Zone.Kind.DOCK, geometry="POINT (120.7 30.7)")
    with pytest.raises(ValidationError) as e:
        zone.clean()
    assert "geometry" in e.value.message_dict
