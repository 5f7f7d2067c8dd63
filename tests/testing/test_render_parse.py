"""Transformation strings → plans (no images): grammar, layers, conditionals, named, validation."""
import pytest

from imagekitio.testing.render.parse import Step, TransformError, parse, split_key


def test_steps_and_params_keep_their_order():
    plan = parse("w-400,h-300:rt-90")
    assert [s.params for s in plan.steps] == [(("w", "400"), ("h", "300")), (("rt", "90"),)]
    assert parse("tr:w-1").steps[0].params == (("w", "1"),)
    assert parse("").empty and parse("tr:").empty


@pytest.mark.parametrize("token, expected", [
    ("e-usm-2-2-0.8-0.024", ("e-usm", "2-2-0.8-0.024")), ("e-grayscale", ("e-grayscale", "")),
    ("e-shadow-bl-15_st-40_x-10_y-N5", ("e-shadow", "bl-15_st-40_x-10_y-N5")), ("ar-4-3", ("ar", "4-3")),
    ("ie-aGVsbG8=", ("ie", "aGVsbG8=")), ("l-image", ("l-image", "")), ("w-300", ("w", "300")),
])
def test_keys_split_at_the_first_dash_except_effects(token, expected):
    assert split_key(token) == expected


def test_values_are_percent_decoded_once_and_query_separators_may_be_encoded():
    plan = parse("l-text,i-overlay%20made%20easy,l-end")
    assert plan.steps[0].layers[0].source == "overlay made easy"
    assert parse("w-100%2Ch-50").steps[0].params == (("w", "100"), ("h", "50"))


def test_layers_nest_and_carry_their_own_chain():
    plan = parse("w-300,l-image,i-outer.png,w-bw_div_3:rt-90,l-image,i-inner.png,lfo-top_left,l-end,l-end,h-10")
    step = plan.steps[0]
    assert step.params == (("w", "300"), ("h", "10"))
    outer = step.layers[0]
    assert outer.kind == "image" and outer.source == "outer.png" and len(outer.steps) == 2
    assert outer.steps[1].layers[0].source == "inner.png"
    assert parse("l-image,i-ik_canvas,bg-FF0000,l-end").steps[0].layers[0].kind == "solid"
    assert parse("l-solid,bg-FF0000,l-end").steps[0].layers[0].kind == "solid"
    assert parse("l-text,ie-aGVsbG8%3D,l-end").steps[0].layers[0].source == "hello"


@pytest.mark.parametrize("bad", [
    "l-image,i-a.png", "l-end", "l-image,l-end", "w-0", "w-N5", "w-abc", "q-101", "q-0", "f-tiff", "c-squash",
    "bg-notacolour", "bg-GGGGGG", "rt-left", "fl-x", "bl-0", "o-101", "t-100", "r-0", "b-5", "pr-yes",
    "e-usm-1-2", "e-shadow-bl-40", "e-gradient-ld-400", "xyz-1", "oi-logo.png", "lx-10", "dpr-9",
    "h-100,if-w_gt_1,w-1,if-end", "if-w_gt_1,w-1", "e-removedotbg,h-200,e-dropshadow", "fo-sideways",
    "l-image,i-a.png,e-upscale,l-end", "l-image,i-a,l-image,i-b,l-image,i-c,l-image,i-d,l-end,l-end,l-end,l-end",
])
def test_malformed_values_are_400(bad):
    with pytest.raises(TransformError) as caught:
        parse(bad)
    assert caught.value.status == 400


def test_conditionals_hold_both_branches():
    cond = parse("if-ar_gt_1,w-200,if-else,w-300,if-end").steps[0].conditional
    assert cond is not None and cond.condition == "ar_gt_1"
    assert cond.then == (Step((("w", "200"),)),) and cond.otherwise == (Step((("w", "300"),)),)
    assert parse("if-h_gte_100_and_h_lte_400_or_ar_lt_4-3,w-1,if-end").steps[0].conditional is not None


def test_named_transformations_expand_in_place_and_unknown_names_are_400():
    stored = {"thumb": "tr:w-300,h-200:bl-10", "inner": "n-thumb"}
    plan = parse("n-inner:rt-90", stored.get)
    assert [s.params for s in plan.steps] == [(("w", "300"), ("h", "200")), (("bl", "10"),), (("rt", "90"),)]
    assert plan.named == ("inner", "thumb")
    with pytest.raises(TransformError):
        parse("n-doesnotexist", stored.get)


def test_ai_video_and_other_media_params_are_reported_not_rendered():
    plan = parse("e-bgremove,w-10:e-upscale,fo-face,vc-h264,z-0.5,c2pa-true")
    assert plan.passthrough == ("e-bgremove", "e-upscale", "fo-face")
    assert set(plan.ignored) == {"vc", "z", "c2pa"}
    assert parse("e-removedotbg,h-100:e-dropshadow").steps[1].params == (("e-dropshadow", ""),)


def test_flags_default_image_and_original():
    plan = parse("di-@@path@@to@@default.jpg,w-300")
    assert plan.default_image == "/path/to/default.jpg" and plan.steps[0].params == (("w", "300"),)
    assert parse("orig-true,w-100").original
    assert parse("w-100:f-png,q-50").last("f") == "png" and parse("c-pad_resize,w-1,h-1").steps[0].get("cm")
