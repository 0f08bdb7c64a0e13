"""Fixtures of the robustness suite: the bad inputs, written once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robustness import inputs


@pytest.fixture(scope="session")
def bad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of bad inputs and damaged models (see inputs.py)."""
    folder = inputs.build(tmp_path_factory.mktemp("bad"))
    inputs.build_models(folder, folder / "tokens.txt")
    return folder
