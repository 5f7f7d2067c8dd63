"""Responsive image attributes (srcset / sizes)."""
from imagekitio import ImageKit

from .conftest import API_KEYS

ik = ImageKit(**API_KEYS)
PREFIX = "https://ik.imagekit.io/demo_id/"


def test_responsive_dpr_set_for_a_fixed_width():
    attrs = ik.responsive_image_attributes("/a.jpg", width=400)
    assert attrs["srcset"] == (f"{PREFIX}tr:w-640,c-at_max/a.jpg 1x, {PREFIX}tr:w-828,c-at_max/a.jpg 2x")
    assert attrs["src"] == f"{PREFIX}tr:w-828,c-at_max/a.jpg" and attrs["width"] == 400 and "sizes" not in attrs


def test_responsive_width_set_from_sizes_skips_too_small_widths():
    attrs = ik.responsive_image_attributes("/a.jpg", sizes="(max-width: 600px) 100vw, 50vw",
                                           transformation=[{"quality": 80}])
    widths = [int(entry.rsplit(" ", 1)[1][:-1]) for entry in attrs["srcset"].split(", ")]
    assert widths == [384, 640, 750, 828, 1080, 1200, 1920, 2048, 3840]  # >= 50% of 640 px
    assert attrs["sizes"] == "(max-width: 600px) 100vw, 50vw"
    assert f"{PREFIX}tr:q-80:w-384,c-at_max/a.jpg 384w" in attrs["srcset"]


def test_responsive_defaults_and_custom_breakpoints_and_signing():
    attrs = ik.responsive_image_attributes(src=PREFIX + "a.jpg", device_breakpoints=[320, 640],
                                           image_breakpoints=[], signed=True, expire_seconds=60)
    assert attrs["sizes"] == "100vw"
    entries = attrs["srcset"].split(", ")
    assert [e.rsplit(" ", 1)[1] for e in entries] == ["320w", "640w"]
    assert all("ik-t=" in e and "ik-s=" in e for e in entries)
