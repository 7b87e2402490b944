"""The README keeps up with the code: every setting is documented."""

from pathlib import Path

import pytest

from service.settings import Settings

README = (Path(__file__).parent.parent / "README.md").read_text()


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(field):
    assert f"`FOOTNOTED_{field.upper()}`" in README
