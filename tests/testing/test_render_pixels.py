"""Plans run on images made here (quadrants of known colours, gradients, transparency, text): output
size, mode and pixels at chosen points, for every parameter group."""
import io

import pytest

Image = pytest.importorskip("PIL.Image")
from PIL import ImageDraw, ImageFilter, ImageStat  # noqa: E402

from imagekitio.testing.render import pixels  # noqa: E402
from imagekitio.testing.render.geometry import Hints  # noqa: E402
from imagekitio.testing.render.parse import TransformError, parse  # noqa: E402

RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)


def quadrants(width=200, height=200):
    """Red top-left, green top-right, blue bottom-left, white bottom-right."""
    image = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width // 2 - 1, height // 2 - 1), fill=RED)
    draw.rectangle((width // 2, 0, width - 1, height // 2 - 1), fill=GREEN)
    draw.rectangle((0, height // 2, width // 2 - 1, height - 1), fill=BLUE)
    return image


def logo(width=60, height=20, margin=10):
    """An opaque red bar on a transparent canvas with a transparent margin (which trimming removes)."""
    image = Image.new("RGBA", (width + 2 * margin, height + 2 * margin), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((margin, margin, margin + width - 1, margin + height - 1), fill=RED + (255,))
    return image


def render(transformation, image, files=None, hints=None):
    hints = hints or Hints()
    def load(path):
        if path not in (files or {}):
            raise TransformError(f"{path} not found", code="ENOENT")
        return files[path]
    return pixels.run(parse(transformation).steps, image, pixels.Context(image.size, hints, load))


def near(actual, expected, tolerance=12):
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected))


# ---------------------------------------------------------------------------------- resize and crop
def test_resize_keeps_quadrants():
    out = render("w-100,h-100", quadrants())
    assert out.size == (100, 100)
    assert near(out.getpixel((25, 25)), RED) and near(out.getpixel((75, 25)), GREEN)
    assert near(out.getpixel((25, 75)), BLUE) and near(out.getpixel((75, 75)), WHITE)


def test_maintain_ratio_crops_and_focus_moves_the_window():
    image = quadrants(400, 200)
    assert near(render("w-100,h-100", image).getpixel((5, 5)), RED)        # centre crop: left half red
    assert near(render("w-100,h-100,fo-right", image).getpixel((90, 10)), GREEN)
    assert near(render("w-100,h-100,fo-left", image).getpixel((90, 10)), RED)
    assert near(render("w-100,h-100,c-force", image).getpixel((90, 10)), GREEN)
    assert render("w-100,h-100,c-at_max", image).size == (100, 50)
    assert render("w-100,h-100,c-at_least", image).size == (200, 100)


def test_pad_resize_padding_colour_and_placement():
    image = Image.new("RGB", (1480, 2000), RED)          # rows 13-15 and 65
    out = render("w-300,h-200,cm-pad_resize,bg-F3F3F3", image)
    assert out.size == (300, 200) and out.getpixel((10, 100)) == (243, 243, 243)
    assert near(out.getpixel((150, 100)), RED) and out.getpixel((80, 100)) != (243, 243, 243)
    left = render("w-300,h-200,cm-pad_resize,bg-F3F3F3,fo-left", image)
    assert near(left.getpixel((5, 100)), RED) and left.getpixel((290, 100)) == (243, 243, 243)
    top = render("w-100,h-200,cm-pad_resize,bg-F3F3F3,fo-top", image)
    assert near(top.getpixel((50, 5)), RED) and top.getpixel((50, 190)) == (243, 243, 243)
    assert render("w-300,h-200,cm-pad_resize", image).getpixel((10, 100)) == (0, 0, 0)   # default black


def test_pad_with_blurred_and_dominant_backgrounds():
    image = quadrants(600, 600)
    out = render("h-600,w-800,cm-pad_resize,bg-blurred", image)                     # row 22
    assert out.size == (800, 600) and near(out.getpixel((150, 150)), RED)
    assert out.getpixel((20, 300)) != (0, 0, 0)
    darker = render("h-600,w-800,cm-pad_resize,bg-blurred_25_N30", image)           # row 23
    assert sum(darker.getpixel((20, 20))) < sum(render("h-600,w-800,cm-pad_resize,bg-blurred_25", image)
                                                .getpixel((20, 20)))
    red = Image.new("RGB", (100, 100), RED)
    assert near(render("w-200,h-100,cm-pad_resize,bg-dominant", red).getpixel((5, 50)), RED)


def test_extract_and_pad_extract_cut_unscaled_regions():
    image = quadrants(600, 600)
    out = render("w-iw_div_2,h-ih_div_2,cm-extract,x-iw_mul_0.2,y-ih_mul_0.2", image)   # row 24
    assert out.size == (300, 300) and out.getpixel((0, 0)) == RED and out.getpixel((299, 299)) == WHITE
    padded = render("w-700,h-700,cm-pad_extract,bg-F3F3F3", image)                     # row 20
    assert padded.size == (700, 700) and padded.getpixel((25, 25)) == (243, 243, 243)
    assert padded.getpixel((50, 50)) == RED and padded.getpixel((649, 649)) == WHITE
    with pytest.raises(TransformError):
        render("w-300,h-300,cm-extract,xc-50,yc-50", image)                           # row 51


# ---------------------------------------------------------------------------------- rotation, flip, corners
def test_rotation_and_flips():
    image = quadrants(200, 100)
    turned = render("rt-90", image)
    assert turned.size == (100, 200) and turned.getpixel((90, 10)) == RED   # clockwise: top-left → top-right
    assert render("rt-N90", image).getpixel((10, 190)) == RED
    assert render("fl-h", image).getpixel((190, 10)) == RED
    assert render("fl-v", image).getpixel((10, 90)) == RED
    assert render("fl-h_v", image).getpixel((190, 90)) == RED
    tilted = render("rt-N40", Image.new("RGB", (400, 300), RED))            # row 70
    assert abs(tilted.size[0] - 499) <= 1 and abs(tilted.size[1] - 487) <= 1
    assert tilted.mode == "RGBA" and tilted.getpixel((0, 0))[3] == 0


def test_radius_and_border():
    image = Image.new("RGB", (200, 100), RED)
    circle = render("r-max", image)
    assert circle.mode == "RGBA" and circle.getpixel((0, 0))[3] == 0 and circle.getpixel((100, 50))[3] == 255
    rounded = render("r-20", image)
    assert rounded.getpixel((1, 1))[3] == 0 and rounded.getpixel((25, 1))[3] == 255
    corners = render("r-30_0_0_0", image)
    assert corners.getpixel((1, 1))[3] == 0 and corners.getpixel((198, 1))[3] == 255
    bordered = render("w-300,b-5_FFF000", Image.new("RGB", (600, 600), RED))          # row 26
    assert bordered.size == (310, 310) and bordered.getpixel((2, 2)) == (255, 240, 0)
    assert near(bordered.getpixel((155, 155)), RED)
    chained = render("w-iw_div_4,h-ih_div_2:b-cw_mul_0.05_yellow", Image.new("RGB", (1480, 2000), RED))  # row 25
    assert chained.size == (408, 1038) and chained.getpixel((5, 5)) == (255, 255, 0)


# ---------------------------------------------------------------------------------- background, opacity, trim
def test_background_fills_transparency_and_opacity_blends():
    out = render("bg-F00000", logo())
    assert out.mode == "RGB" and out.getpixel((0, 0)) == (240, 0, 0)
    half = render("o-50,bg-blue", Image.new("RGB", (10, 10), RED))                        # row 66
    assert half.mode == "RGB" and near(half.getpixel((5, 5)), (128, 0, 127), 2)
    faded = render("o-50", Image.new("RGB", (10, 10), RED))
    assert faded.getpixel((5, 5))[3] in (127, 128)


def test_trim_removes_uniform_edges():
    image = Image.new("RGB", (100, 80), WHITE)
    ImageDraw.Draw(image).rectangle((20, 10, 59, 49), fill=RED)
    assert render("t-true", image).size == (40, 40)
    assert render("t-true", Image.new("RGB", (30, 30), WHITE)).size == (30, 30)


# ---------------------------------------------------------------------------------- effects
def test_grayscale_contrast_and_blur():
    gray = render("e-grayscale", quadrants())
    assert all(len(set(gray.getpixel(p))) == 1 for p in ((10, 10), (150, 10), (10, 150)))
    dull = Image.new("RGB", (20, 10), (100, 100, 100))
    ImageDraw.Draw(dull).rectangle((10, 0, 19, 9), fill=(150, 150, 150))
    stretched = render("e-contrast", dull)
    assert stretched.getpixel((0, 0)) == (0, 0, 0) and stretched.getpixel((19, 0)) == (255, 255, 255)
    blurred = render("bl-10", quadrants())
    assert not near(blurred.getpixel((99, 50)), RED, 30)       # edge pixels mix colours
    assert near(blurred.getpixel((20, 50)), RED, 30)


def edge_contrast(image):
    return ImageStat.Stat(image.convert("L").filter(ImageFilter.FIND_EDGES)).mean[0]


def test_sharpen_and_unsharp_mask_raise_edge_contrast():
    soft = quadrants().filter(ImageFilter.GaussianBlur(3))
    assert edge_contrast(render("e-sharpen", soft)) > edge_contrast(soft)
    assert edge_contrast(render("e-sharpen-10", soft)) > edge_contrast(render("e-sharpen-1", soft))
    assert edge_contrast(render("e-usm-2-2-0.8-0.024", soft)) > edge_contrast(soft)


def test_shadow_under_transparent_subjects_and_its_size_limit():
    out = render("e-shadow-bl-0_st-100_x-10_y-10", logo())
    assert out.getpixel((15, 15))[3] == 255 and out.getpixel((75, 32))[3] > 200   # shadow 8, 4 px below-right
    assert out.getpixel((75, 32))[:3] == (0, 0, 0) and out.getpixel((5, 5))[3] == 0
    big = Image.new("RGB", (2216, 1500), RED)
    with pytest.raises(TransformError):
        render("e-shadow", big)                                                  # row 27
    assert render("w-500,e-shadow", big).size == (500, 338)                      # row 28
    assert render("w-500:e-shadow", big).size == (500, 338)                      # row 29


def test_gradient_runs_from_the_top_to_transparent():
    out = render("e-gradient", Image.new("RGB", (100, 100), (0, 0, 0)))
    assert out.getpixel((50, 1))[0] > 240 and out.getpixel((50, 98))[0] < 15
    sideways = render("e-gradient-ld-right_from-FF0000_to-0000FF_sp-1", Image.new("RGB", (100, 10), WHITE))
    assert near(sideways.getpixel((0, 5)), RED, 8) and near(sideways.getpixel((99, 5)), BLUE, 8)


# ---------------------------------------------------------------------------------- chains and conditionals
def test_chained_steps_and_conditionals():
    image = Image.new("RGB", (1000, 800), RED)
    assert render("w-400,h-300:rt-90", image).size == (300, 400)                   # row 34
    assert render("rt-90:w-400,h-300", image).size == (400, 300)                   # row 35
    rule = "if-ar_gt_1,w-200,if-else,w-300,if-end"
    assert render(rule, Image.new("RGB", (800, 600))).size == (200, 150)           # row 36
    assert render(rule, Image.new("RGB", (600, 800))).size == (300, 400)           # row 37
    assert render("h-200,cm-pad_resize:if-h_eq_200,w-100,if-end:rt-90",
                  Image.new("RGB", (600, 600))).size == (100, 100)                 # row 38
    assert render("w-100,dpr-auto", Image.new("RGB", (600, 600)), hints=Hints(dpr=2)).size == (200, 200)


# ---------------------------------------------------------------------------------- layers
def test_solid_and_image_layers_are_placed():
    base = Image.new("RGB", (600, 600), WHITE)
    out = render("l-image,i-ik_canvas,bg-FF0000,w-300,h-100,l-end", base)             # row 60
    assert out.size == (600, 600) and out.getpixel((150, 250)) == RED and out.getpixel((149, 250)) == WHITE
    assert out.getpixel((449, 349)) == RED and out.getpixel((450, 350)) == WHITE
    files = {"/logo.png": logo()}
    centred = render("l-image,i-logo.png,l-end", base, files)                            # row 57 (trimmed 60x20)
    assert centred.getpixel((270, 290)) == RED and centred.getpixel((269, 290)) == WHITE
    shifted = render("l-image,i-logo.png,lx-35,l-end", base, files)                     # row 58
    assert shifted.getpixel((35, 295)) == RED and shifted.getpixel((34, 295)) == WHITE
    right = render("l-image,i-logo.png,lx-N35,l-end", base, files)                      # row 59
    assert right.getpixel((564, 295)) == RED and right.getpixel((565, 295)) == WHITE
    untrimmed = render("l-image,i-logo.png,t-false,lx-0,ly-0,l-end", base, files)
    assert untrimmed.getpixel((10, 10)) == RED and untrimmed.getpixel((5, 5)) == WHITE
    padded = render("l-image,i-logo.png,cm-pad_resize,bg-yellow,w-bw_div_2,h-bh_div_2,lx-bw_div_8,"
                    "ly-bh_div_8,l-end", base, files)                                   # row 61
    assert padded.getpixel((76, 76)) == (255, 255, 0) and padded.getpixel((74, 74)) == WHITE
    assert padded.getpixel((374, 374)) == (255, 255, 0) and near(padded.getpixel((225, 225)), RED)
    half = render("l-image,i-ik_canvas,bg-0000FF,al-5,l-end", base)
    assert near(half.getpixel((300, 300)), (127, 127, 255), 2)


def test_nested_layers_position_relative_to_their_parent():
    base = Image.new("RGB", (600, 600), WHITE)
    files = {"/dress.png": Image.new("RGB", (300, 400), BLUE), "/logo.png": logo()}
    out = render("l-image,i-dress.png,h-400,b-10_red,lfo-bottom_left,l-image,i-logo.png,w-150,lfo-top_right,"
                 "l-end,l-end", base, files)                                             # row 64
    assert out.getpixel((0, 599)) == RED and out.getpixel((100, 400)) == BLUE           # dress + border
    assert out.getpixel((200, 200)) == RED and out.getpixel((200, 240)) == BLUE         # logo at its top right
    assert out.getpixel((200, 175)) == WHITE
    with pytest.raises(TransformError):
        render("l-image,i-missing.png,l-end", base, files)


def test_text_layers_draw_text_in_a_padded_box():
    base = Image.new("RGB", (600, 600), WHITE)
    out = render("l-text,i-overlay%20made%20easy,fs-45,l-end", base)                   # row 62
    dark = [(x, y) for x in range(0, 600, 3) for y in range(250, 350, 3) if out.getpixel((x, y))[0] < 100]
    assert dark and abs((min(x for x, _ in dark) + max(x for x, _ in dark)) / 2 - 300) < 10   # centred
    assert abs((min(y for _, y in dark) + max(y for _, y in dark)) / 2 - 300) < 15
    boxed = render("l-text,i-overlay%20made%20easy,fs-45,bg-blue,pa-25_50_75_100,co-white,l-end", base)  # row 63
    blue = [(x, y) for x in range(0, 600, 2) for y in range(0, 600, 2) if boxed.getpixel((x, y)) == BLUE]
    width = max(x for x, _ in blue) - min(x for x, _ in blue)
    height = max(y for _, y in blue) - min(y for _, y in blue)
    assert width > 150 + 300 and height > 100 + 40   # text plus padding left+right and top+bottom
    wrapped = render("l-text,i-one%20two%20three%20four,w-100,fs-30,bg-blue,l-end", base)
    rows = {y for x in range(0, 600, 2) for y in range(0, 600, 2) if wrapped.getpixel((x, y)) == BLUE}
    assert max(rows) - min(rows) > 60   # wrapped onto several lines


# ---------------------------------------------------------------------------------- encoding
@pytest.mark.parametrize("fmt, magic", [("JPEG", b"\xff\xd8"), ("PNG", b"\x89PNG"), ("WEBP", b"RIFF"),
                                        ("GIF", b"GIF8")])
def test_encoding_formats(fmt, magic):
    data = pixels.encode(quadrants(), fmt, 80, False, False)
    assert data.startswith(magic) and Image.open(io.BytesIO(data)).size == (200, 200)


def test_quality_progressive_and_lossless():
    noisy = Image.effect_noise((200, 200), 60).convert("RGB")
    assert len(pixels.encode(noisy, "JPEG", 10, False, False)) < len(pixels.encode(noisy, "JPEG", 90, False, False))
    progressive = Image.open(io.BytesIO(pixels.encode(noisy, "JPEG", 80, True, False)))
    assert progressive.info.get("progressive") or progressive.info.get("progression")
    lossless = Image.open(io.BytesIO(pixels.encode(quadrants(), "WEBP", 80, False, True)))
    assert lossless.convert("RGB").getpixel((10, 10)) == RED
    flat = Image.open(io.BytesIO(pixels.encode(logo(), "JPEG", 95, False, False, (0, 0, 255, 255))))
    assert near(flat.getpixel((1, 1)), BLUE)


def test_chained_pad_and_logo_layer_row_33():
    files = {"/logo-white.png": logo(60, 20, margin=0)}
    out = render("w-400,h-400:w-500,h-400,cm-pad_resize,fo-right,bg-000000:l-image,i-logo-white.png,lx-10,ly-50,"
                 "h-20,l-end", Image.new("RGB", (1000, 800), BLUE), files)
    assert out.size == (500, 400) and out.getpixel((50, 300)) == (0, 0, 0) and near(out.getpixel((300, 300)), BLUE)
    assert out.getpixel((12, 55)) == RED and out.getpixel((12, 45)) == (0, 0, 0)


def test_custom_focus_uses_the_stored_coordinates():
    image = quadrants(400, 400)
    steps = parse("w-100,h-100,cm-extract,fo-custom").steps
    out = pixels.run(steps, image, pixels.Context(image.size, Hints(), None, (300, 300, 50, 50)))
    assert out.getpixel((50, 50)) == WHITE and out.getpixel((0, 0)) == WHITE
    out = pixels.run(steps, image, pixels.Context(image.size, Hints(), None, (0, 0, 40, 40)))
    assert out.getpixel((10, 10)) == RED


@pytest.mark.parametrize("transformation", ["w-60000,h-60000,c-force", "b-20000_red", "w-1:w-20000,h-20000,c-force",
                                            "l-image,i-ik_canvas,w-60000,h-60000,bg-red,l-end"])
def test_outputs_beyond_100_megapixels_are_refused_before_allocation(transformation):
    with pytest.raises(TransformError) as caught:
        render(transformation, Image.new("RGB", (10, 10)))
    assert caught.value.code == "ELIMIT"
