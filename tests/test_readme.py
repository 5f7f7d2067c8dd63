"""The README's ```python blocks run, in order, against the emulator (```py blocks are illustrations)."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def python_blocks():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_readme_examples_run(local_imagekit, monkeypatch):
    monkeypatch.chdir(ROOT)
    blocks = python_blocks()
    assert len(blocks) >= 10
    namespace = {"imagekit": local_imagekit.client(), "__name__": "readme"}
    for number, block in enumerate(blocks, 1):
        try:
            exec(compile(block, f"README.md python block {number}", "exec"), namespace)  # noqa: S102
        except Exception as error:
            raise AssertionError(f"README python block {number} failed: {error!r}\n{block}") from error


def test_quick_start_block_has_exactly_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1]
    block = re.search(r"```[a-z]*\n(.*?)```", section, flags=re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "examples/quickstart.py" in commands[0] and "[test]" in commands[1] and "pytest" in commands[1]
