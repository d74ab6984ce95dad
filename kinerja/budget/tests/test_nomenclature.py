import pytest

from kinerja.budget.nomenclature import level_of, parent_code


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("7", "urusan"),
        ("7.01", "bidang"),
        ("7.01.01", "program"),
        ("7.01.01.2.01", "kegiatan"),
        ("7.01.01.2.01.0001", "sub_kegiatan"),
        ("7.01.01.2.01.01", "sub_kegiatan"),
        ("7.1.1", None),
        ("7.01.01.2", None),
        ("7.01.01.2.01.001", None),
        ("7.01.01.02.01", None),
        ("X.XX", None),
        ("", None),
        ("7.01.01 ", None),
    ],
)
def test_the_level_is_read_from_the_shape_of_the_code(code, level):
    assert level_of(code) == level


def test_the_parent_is_one_level_up():
    assert parent_code("7.01.01.2.01.0001") == "7.01.01.2.01"
    assert parent_code("7.01.01.2.01") == "7.01.01"
    assert parent_code("7.01.01") == "7.01"
    assert parent_code("7") is None
