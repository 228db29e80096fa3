"""The sitemap is written without ElementTree (memory at 100,000 notes): it must stay what
ElementTree wrote, byte for byte."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from tilbook.site.feeds import SITEMAP, absolute, sitemap


def sitemap_by_elementtree(base_url: str, urls: list[tuple[str, dt.date | None]]) -> bytes:
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for rel, lastmod in urls:
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = absolute(base_url, rel)
        if lastmod:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = lastmod.isoformat()
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://til.example.org/a&b/<x>/", "http://h/?q='\"'"])
@pytest.mark.parametrize("urls", [
    [],
    [("", dt.date(2024, 5, 21))],
    [("", None), ("2021/04/25/텐서플로우-map-fn/", dt.date(2021, 4, 25)), ("tags/c++/", None),
     ("a&b/<c>/'d'/\"e\"/", dt.date(2000, 1, 1)), ("digest/2021/2/", None), ("404.html", None)],
])
def test_sitemap_is_what_elementtree_wrote(base_url: str, urls: list[tuple[str, dt.date | None]]) -> None:
    assert sitemap(base_url, urls) == sitemap_by_elementtree(base_url, urls)
