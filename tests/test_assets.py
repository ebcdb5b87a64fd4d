"""What a phone downloads of ours: one minified, hashed stylesheet and one script per page kind
(render/assets.py), and a group's logo in the sizes its page offers (render/images.py)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from civic_portal.render.assets import BUNDLES, AssetMissing, build_assets
from civic_portal.render.images import logo_files, logo_sizes

from .conftest import LINE_RE, Built, group_file, load_problems, png

REPO = Path(__file__).resolve().parent.parent
THEME_ASSETS = REPO / "overrides" / "assets"
HASHED = re.compile(r"assets/civic/[a-z]+\.[0-9a-f]{8}\.min\.(css|js)$")


# -- bundles -----------------------------------------------------------------------------------


def test_bundles_are_minified_and_named_by_their_content(tmp_path: Path) -> None:
    assets = {a.name: a for a in build_assets(THEME_ASSETS)}
    assert set(assets) == set(BUNDLES)
    for name, asset in assets.items():
        assert HASHED.search(asset.path), asset.path
        sources = sum((THEME_ASSETS / s).stat().st_size for s in BUNDLES[name])
        assert len(asset.content) < 0.9 * sources, name  # comments and indentation gone
        assert b"/*" not in asset.content, name
    # a changed source changes the bundle's name, so a year-long cache never serves it stale
    copy = tmp_path / "assets"
    for source in {s for sources in BUNDLES.values() for s in sources}:
        (copy / source).parent.mkdir(parents=True, exist_ok=True)
        (copy / source).write_bytes((THEME_ASSETS / source).read_bytes())
    css = copy / "stylesheets" / "civic.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.x { color: red; }\n", encoding="utf-8")
    changed = {a.name: a.path for a in build_assets(copy)}
    assert changed["civic.css"] != assets["civic.css"].path
    assert changed["directory.js"] == assets["directory.js"].path
    css.unlink()
    with pytest.raises(AssetMissing, match=r"civic\.css"):
        build_assets(copy)


def test_every_page_loads_one_stylesheet_and_one_script_of_ours(sample_site: Built) -> None:
    site = sample_site.site
    assert not (site / "assets" / "stylesheets" / "civic.css").exists()  # sources not shipped
    assert not list((site / "assets" / "javascripts").glob("civic-*.js"))
    kinds = {}
    for path in sorted(site.rglob("index.html")):
        if "admin" in path.parts:
            continue  # the web form is Decap's own page
        html = sample_site.html(str(path.relative_to(site)))
        ours = [
            link["href"]
            for link in html.find_all("link", rel="stylesheet")
            if "civic/" in link["href"]
        ]
        scripts = [s for s in html.find_all("script", src=True) if "civic/" in s["src"]]
        where = path.relative_to(site)
        assert len(ours) in (1, 2) and "civic." in ours[0], where
        assert len(scripts) == 1 and scripts[0].has_attr("defer"), where
        for url in [*ours, scripts[0]["src"]]:
            assert HASHED.search(url) and (path.parent / url).resolve().is_file(), (where, url)
        kinds[str(where.parent)] = scripts[0]["src"].rsplit("/", 1)[1].split(".")[0]
    assert kinds["groups"] == "directory"
    assert kinds["events"] == "events"
    assert kinds["search"] == "search"
    assert kinds["."] == kinds["groups/hidamari-salon"] == "page"
    directory = next((site / "assets" / "civic").glob("directory.*.js")).read_text()
    assert "civicFold" in directory and "data-civic-directory" in directory  # fold + filter


# -- logos -------------------------------------------------------------------------------------


def image(width: int, height: int, kind: str = "PNG", exif: Image.Exif | None = None) -> bytes:
    buffer = io.BytesIO()
    picture = Image.new("RGB", (width, height), (200, 120, 40))
    picture.save(buffer, format=kind, **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("size", "box", "widths"),
    [
        ((384, 384), (96, 96), (96, 192, 288)),
        ((200, 100), (96, 48), (96, 192, 200)),
        ((150, 300), (48, 96), (48, 96, 144)),
        ((50, 50), (96, 96), (50,)),  # never enlarged
    ],
)
def test_a_logo_is_offered_in_the_sizes_screens_need(
    tmp_path: Path, size: tuple[int, int], box: tuple[int, int], widths: tuple[int, ...]
) -> None:
    source = tmp_path / "logo.png"
    source.write_bytes(image(*size))
    sizes = logo_sizes("logo.png", source)
    assert sizes is not None
    assert (sizes.width, sizes.height) == box
    assert sizes.widths == widths
    files = logo_files(sizes, source)
    assert list(files) == [f"groups/images/{w}/logo.png" for w in widths]
    for w, data in zip(widths, files.values(), strict=True):
        with Image.open(io.BytesIO(data)) as made:
            assert made.format == "PNG" and made.width == w
            assert made.height == round(size[1] * w / size[0])


def test_a_photo_logo_is_turned_upright_and_loses_its_metadata(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # taken sideways: shown rotated by 90°
    exif[0x8825] = {1: "N", 2: (35.0, 0.0, 0.0)}  # where it was taken
    source = tmp_path / "photo.jpg"
    source.write_bytes(image(300, 150, "JPEG", exif))
    sizes = logo_sizes("photo.jpg", source)
    assert sizes is not None and (sizes.width, sizes.height) == (48, 96)
    for data in logo_files(sizes, source).values():
        with Image.open(io.BytesIO(data)) as made:
            assert made.format == "JPEG" and made.height > made.width
            assert not made.getexif()


def _odd(mode: str, kind: str, **info: object) -> bytes:
    picture = Image.new(mode, (300, 300))
    picture.info.update(info)
    buffer = io.BytesIO()
    picture.save(buffer, format=kind)
    return buffer.getvalue()


def _animated() -> bytes:
    frames = [Image.new("P", (300, 300), i) for i in range(5)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cmyk.jpg", _odd("CMYK", "JPEG")),
        ("deep.png", _odd("I;16", "PNG")),
        ("bits.png", _odd("1", "PNG")),
        ("clear.png", _odd("P", "PNG", transparency=0)),
        ("moving.gif", _animated()),
    ],
)
def test_a_logo_in_any_mode_a_group_may_upload_is_resized(
    tmp_path: Path, name: str, data: bytes
) -> None:
    """Printers' CMYK, 16-bit, 1-bit, transparent palettes, animations: each is cut to its
    sizes in its own format (an animation to its first picture), never a failed build."""
    source = tmp_path / name
    source.write_bytes(data)
    sizes = logo_sizes(name, source)
    assert sizes is not None and sizes.widths == (96, 192, 288)
    kind = Image.open(source).format
    for made in logo_files(sizes, source).values():
        with Image.open(io.BytesIO(made)) as picture:
            assert picture.format == kind and picture.width in sizes.widths
            assert getattr(picture, "n_frames", 1) == 1


def test_the_group_page_offers_every_size_and_each_exists(make_site) -> None:  # type: ignore[no-untyped-def]
    built = make_site(
        {"sun.md": group_file(logo="images/sun.png")}, images={"sun.png": image(400, 200)}
    )
    img = built.html("groups/sun").find("img", class_="civic-group__logo")
    assert (img["width"], img["height"], img["sizes"]) == ("96", "48", "96px")
    candidates = [c.strip().split() for c in img["srcset"].split(",")]
    assert [w for _, w in candidates] == ["96w", "192w", "288w"]
    page = built.site / "groups" / "sun"
    for url, w in candidates:
        with Image.open(page / url) as made:
            assert f"{made.width}w" == w
    assert img["src"] == candidates[0][0]
    assert (built.site / "groups" / "images" / "sun.png").is_file()  # the original, for feeds


def test_a_truncated_logo_is_reported_at_its_line(tmp_path: Path) -> None:
    whole = image(64, 64)
    (tmp_path / "groups" / "images").mkdir(parents=True)
    (tmp_path / "groups" / "images" / "cut.png").write_bytes(whole[: len(whole) // 2] + png()[-12:])
    problems = load_problems(tmp_path, {"cut.md": group_file(logo="images/cut.png")})
    assert len(problems) == 1, problems
    match = LINE_RE.match(problems[0])
    assert match and match["key"] == "logo" and "途中で切れて" in match["message"], problems
