"""Packaging: one source for the dependency ranges, types shipped to users."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _project_list(name):
    text = (ROOT / "pyproject.toml").read_text()
    block = re.search(rf"^{name} = \[(.*?)\]", text, flags=re.S | re.M).group(1)
    return re.findall(r'"([^"]+)"', block)


def _requirements(file):
    lines = (ROOT / "requirements" / file).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith(("#", "-r"))]


def test_requirements_repeat_the_pyproject_ranges():
    assert _requirements("requirements.txt") == _project_list("dependencies")
    assert _requirements("test.txt") == _project_list("test")


def test_runtime_needs_only_requests_and_toolbelt_with_loose_ranges():
    deps = _project_list("dependencies")
    assert [re.split(r"[<>=!~ ]", d)[0] for d in deps] == ["requests", "requests-toolbelt"]
    assert all("==" not in d for d in deps)


def test_the_package_ships_py_typed():
    assert (ROOT / "imagekitio" / "py.typed").exists()
    assert 'imagekitio = ["py.typed"]' in (ROOT / "pyproject.toml").read_text()
    assert '"Typing :: Typed"' in (ROOT / "pyproject.toml").read_text()
