"""The "Write your own indicator" guide documents every hook, and each hook documents itself."""

import inspect
from pathlib import Path

import pytest

from jixiao_sdk import hookspecs
from jixiao_sdk.manager import HOOK_NAMES

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "write-your-own-indicator.md"


@pytest.mark.parametrize("hook", HOOK_NAMES)
def test_every_hook_is_in_the_guide(hook):
    assert f"`{hook}`" in GUIDE.read_text(encoding="utf-8"), f"{hook} is missing from {GUIDE.name}"


@pytest.mark.parametrize("hook", HOOK_NAMES)
def test_every_hook_docstring_says_what_it_receives_returns_and_if_first_result_wins(hook):
    doc = inspect.getdoc(getattr(hookspecs, hook))
    for part in ("Receives:", "Returns:", "First result wins:"):
        assert part in doc, f"{hook} docstring lacks {part!r}"
    firstresult = getattr(hookspecs, hook).jixiao_spec["firstresult"]
    assert ("First result wins: yes" in doc) == firstresult


def test_guide_code_blocks_compile():
    text = GUIDE.read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```python\n")[1:]]
    assert len(blocks) >= 3
    for block in blocks:
        if not block.startswith("    "):  # indented blocks are fragments of a function body
            compile(block, str(GUIDE), "exec")
