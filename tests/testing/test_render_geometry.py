"""Plan step + input size → boxes, checked with numbers against DELIVERY.md §5's worked examples."""
import pytest

from imagekitio.testing.render.geometry import (Hints, condition_holds, evaluate, layer_position, resize_box,
                                                rotated_size, target_size, variables)
from imagekitio.testing.render.parse import Step, TransformError, parse

CAFE = (600, 600)
P = (1480, 2000)  # the docs' plant.jpeg stand-in


def box_for(transformation, size, hints=None):
    hints = hints or Hints()
    step = parse(transformation).steps[0]
    names = variables(size, size)
    tw, th, headers = target_size(step, size, names, hints)
    return resize_box(step, size, (tw, th), names), headers


@pytest.mark.parametrize("row, size, transformation, canvas", [
    (1, CAFE, "w-300,h-300", (300, 300)), (3, CAFE, "w-200", (200, 200)), (4, CAFE, "w-0.4", (240, 240)),
    (5, CAFE, "h-200", (200, 200)), (6, CAFE, "h-0.4", (240, 240)), (7, CAFE, "ar-4-3,w-400", (400, 300)),
    (8, P, "w-300,h-200,c-at_max", (148, 200)), (9, P, "w-850,h-1000,c-at_max_enlarge", (740, 1000)),
    (10, P, "w-300,h-200,c-at_least", (300, 405)), (11, P, "w-300,h-200,c-force", (300, 200)),
    (12, P, "w-300,h-200", (300, 200)), (13, P, "w-300,h-200,cm-pad_resize,bg-F3F3F3", (300, 200)),
    (20, CAFE, "w-700,h-700,cm-pad_extract,bg-F3F3F3", (700, 700)),
    (22, CAFE, "h-600,w-800,cm-pad_resize,bg-blurred", (800, 600)),
    (24, CAFE, "w-iw_div_2,h-ih_div_2,cm-extract,x-iw_mul_0.2,y-ih_mul_0.2", (300, 300)),
    (43, (3000, 3000), "w-300,dpr-2", (600, 600)), (44, (3000, 3000), "w-3000,dpr-2", (3000, 3000)),
    (45, CAFE, "w-300,h-200,ar-16-9", (300, 200)), (46, CAFE, "h-300,ar-16-9", (533, 300)),
    (47, CAFE, "w-2000,h-2000,c-at_max", (600, 600)), (48, CAFE, "w-1200,h-900,c-at_max_enlarge", (900, 900)),
    (49, CAFE, "w-300,h-200,c-at_least", (300, 300)), (50, CAFE, "w-0.5,h-0.25,c-force", (300, 150)),
    (52, CAFE, "w-70000", (600, 600)),
])
def test_worked_examples_output_sizes(row, size, transformation, canvas):
    box, _ = box_for(transformation, size)
    assert box.canvas == canvas, row


def test_maintain_ratio_cuts_a_centred_window_in_scaled_pixels():
    box, _ = box_for("w-300,h-200", P)  # row 12: scaled to 300x405, rows 102..301 kept
    scale = 300 / 1480
    assert box.size == (300, 200)
    assert box.source[1] * scale == pytest.approx(102, abs=0.5) and box.source[3] * scale == pytest.approx(302, abs=0.5)
    top, _ = box_for("w-300,h-200,fo-top", P)
    assert top.source[1] == 0
    bottom, _ = box_for("w-300,h-200,fo-bottom", P)
    assert bottom.source[3] == pytest.approx(2000)


@pytest.mark.parametrize("transformation, inner, offset", [
    ("w-300,h-200,cm-pad_resize,bg-F3F3F3", (148, 200), (76, 0)),            # row 13
    ("w-300,h-200,cm-pad_resize,bg-F3F3F3,fo-left", (148, 200), (0, 0)),     # row 14
    ("w-100,h-200,cm-pad_resize,bg-F3F3F3,fo-top", (100, 135), (0, 0)),      # row 15
    ("w-100,h-200,cm-pad_resize,fo-bottom_right", (100, 135), (0, 65)),
])
def test_pad_resize_places_the_image_by_focus(transformation, inner, offset):
    box, _ = box_for(transformation, P)
    assert (box.size, box.offset) == (inner, offset)


@pytest.mark.parametrize("transformation, source", [
    ("w-200,h-200,cm-extract", (640, 900, 840, 1100)),                       # row 16
    ("w-300,h-300,cm-extract,fo-bottom_right", (1180, 1700, 1480, 2000)),    # row 17
    ("w-300,h-300,cm-extract,x-100,y-300", (100, 300, 400, 600)),            # row 18
    ("w-300,h-300,cm-extract,xc-300,yc-500", (150, 350, 450, 650)),          # row 19
])
def test_extract_cuts_unscaled_regions(transformation, source):
    box, _ = box_for(transformation, P)
    assert box.source == source and box.size == box.canvas


def test_extract_region_outside_the_image_is_400_and_pad_extract_pads():
    with pytest.raises(TransformError):
        box_for("w-300,h-300,cm-extract,xc-50,yc-50", CAFE)   # row 51
    box, _ = box_for("w-700,h-700,cm-pad_extract", CAFE)     # row 20: original at (50,50)
    assert box.offset == (50, 50) and box.size == (600, 600)
    box, _ = box_for("w-400,h-700,cm-pad_extract", CAFE)     # crop across, pad down
    assert box.source == (100, 0, 500, 600) and box.offset == (0, 50) and box.canvas == (400, 700)


def test_expressions_follow_the_documented_order():
    names = {"iw": 1000, "ih": 500}
    assert evaluate("ih_mul_0.8_add_iw_mul_0.4", names) == 800
    assert evaluate("iw_mod_5_add_2", names) == 1000 % 7
    assert evaluate("iw_div_4_pow_2", names) == 250 ** 2
    with pytest.raises(TransformError):
        evaluate("iw_div_0", names)
    with pytest.raises(TransformError):
        evaluate("bw_mul_2", names)


def test_client_hints():
    box, headers = box_for("w-100,dpr-auto", CAFE, Hints(dpr=2))                  # row 39
    assert box.canvas == (200, 200) and headers == {"Content-DPR": "2"}
    box, _ = box_for("w-auto,dpr-auto", (1000, 1000), Hints(dpr=2, width=600))   # row 40
    assert box.canvas == (600, 600)
    box, headers = box_for("w-auto,dpr-auto", (1000, 1000), Hints(dpr=2, width=212))  # row 41
    assert box.canvas == (300, 300) and headers["Content-DPR"] == "2.83"
    box, _ = box_for("w-auto", (1000, 1000), Hints(width=150))                   # row 42
    assert box.canvas == (200, 200)
    box, _ = box_for("w-auto", (1000, 1000))                                      # no hint: as if absent
    assert box.identity


def test_no_enlarge_variants_keep_the_size():
    assert box_for("w-1200,c-at_max", CAFE)[0].canvas == CAFE
    assert box_for("w-1200,h-1200,cm-pad_resize_no_enlarge", CAFE)[0].size == CAFE
    assert box_for("w-1200,h-1200,cm-pad_resize_no_enlarge", CAFE)[0].canvas == (1200, 1200)
    assert box_for("w-800,h-800,cm-pad_extract_no_shrink", CAFE)[0].canvas == (800, 800)
    assert box_for("w-1200,h-600,c-maintain_ratio_no_enlarge", CAFE)[0].canvas == (600, 300)


def test_layer_positions():
    names = variables((100, 50), (100, 50), CAFE)
    assert layer_position(Step(), CAFE, (100, 50), names) == (250, 275)                          # centred
    assert layer_position(Step((("lx", "35"),)), CAFE, (100, 50), names) == (35, 275)           # row 58
    assert layer_position(Step((("lx", "N35"),)), CAFE, (100, 50), names) == (465, 275)         # row 59
    assert layer_position(Step((("lfo", "bottom_left"),)), CAFE, (100, 50), names) == (0, 550)
    assert layer_position(Step((("lxc", "300"), ("ly", "0"))), CAFE, (100, 50), names) == (250, 0)
    assert layer_position(Step((("lap", "bottom_right"), ("lx", "10"), ("ly", "10"))), CAFE, (100, 50),
                          names) == (490, 540)
    assert layer_position(Step((("lx", "bw_div_8"), ("ly", "bh_sub_ch"))), CAFE, (100, 50), names) == (75, 550)


def test_conditions_and_rotation_sizes():
    assert condition_holds("ar_gt_1", (800, 600), (800, 600))
    assert not condition_holds("ar_gt_1", (600, 800), (600, 800))
    assert condition_holds("h_gte_100_and_h_lte_400_or_ar_lt_4-3", (1000, 1000), (1, 1))
    assert rotated_size((400, 300), -40) in ((499, 487), (500, 488))   # row 70
