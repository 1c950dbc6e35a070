"""A diagram draws no file of the building machine and links nowhere a page may not.

Graphviz loads the images a DOT source names (``image``, ``shapefile``, ``<IMG>`` in an
HTML label) from anywhere and draws them into the published PNG, and turns ``URL`` /
``href`` into the links of an image map that Sphinx writes into the page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import AS_OF
from PIL import Image

MAGENTA = (255, 0, 255)


@pytest.fixture
def outside_image(tmp_path: Path) -> Path:
    """An image beside the package, all magenta: a colour no diagram draws by itself."""
    path = tmp_path / "elsewhere" / "scan.png"
    path.parent.mkdir()
    Image.new("RGB", (120, 120), MAGENTA).save(path)
    return path


def _magenta_pixels(site: Path) -> int:
    count = 0
    for png in (site / "_images").glob("*.png"):
        with Image.open(png) as image:
            colours = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
            count += sum(number for number, colour in colours if colour == MAGENTA)
    return count


@pytest.mark.parametrize(
    "dot",
    [
        'digraph G {{ a [image="{image}", label=""]; }}',
        'digraph G {{ a [shapefile="{image}"]; b -> a; }}',
        'digraph G {{ imagepath="{folder}"; a [image="{name}", label=""]; }}',
        'digraph G {{ a [shape=none, label=<<TABLE><TR><TD><IMG SRC="{image}"/></TD></TR></TABLE>>]; }}',
    ],
)
def test_a_diagram_draws_no_file_of_the_machine(cli, package, outside_image, dot):
    source = dot.format(image=outside_image, folder=outside_image.parent, name=outside_image.name)
    package.page("chapters/diagram", f"# Diagram\n\n```{{graphviz}}\n{source}\n```\n")
    built = cli("build", package.root, "--as-of", AS_OF)
    assert "Traceback" not in built.output
    assert built.code in (0, 1), built.output
    assert _magenta_pixels(package.root / "_build" / "html") == 0
    assert "SERVER_NAME" not in os.environ or os.environ["SERVER_NAME"] != "handover-kit"


def test_a_diagram_of_the_package_itself_still_draws(cli, package):
    package.page("chapters/diagram", "# Diagram\n\n```{graphviz}\ndigraph G { a -> b; }\n```\n")
    built = cli("build", package.root, "--as-of", AS_OF)
    assert "graphviz" not in built.err, built.err
    assert list((package.root / "_build" / "html" / "_images").glob("graphviz-*.png"))


def test_image_map_links_follow_the_pages_link_rule(cli, package):
    package.page(
        "chapters/diagram",
        """\
        # Diagram

        ```{graphviz}
        digraph G {
          a [URL="javascript:alert(1)"]; b [href="data:text/html,<script>alert(2)</script>"];
          c [URL="JaVaScRiPt:alert(3)"]; d [URL="vbscript:msgbox(4)"]; e [URL="file:///etc/passwd"];
          f [URL="https://example.org/kept"]; g [URL="diagram.html#kept"];
          a -> b -> c -> d -> e -> f -> g;
        }
        ```
        """,
    )
    cli("build", package.root, "--as-of", AS_OF)
    html = (package.root / "_build" / "html" / "chapters" / "diagram.html").read_text("utf-8")
    areas = [line for line in html.splitlines() if "<area " in line]
    hrefs = " ".join(areas).lower()
    for refused in ("javascript:", "data:", "vbscript:", "file:"):
        assert refused not in hrefs, areas
    assert "https://example.org/kept" in hrefs
    assert "diagram.html#kept" in hrefs
