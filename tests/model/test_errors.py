"""One exception tree and one warning tree, documented in one docstring."""

from __future__ import annotations

import pickle
import warnings

import pytest

import zopa
import zopa.model
import zopa.model.errors as errors
from zopa.model.errors import (
    ArgumentError,
    ConversionWarning,
    DiscretisationWarning,
    NoAgreementWarning,
    OutputError,
    ScenarioError,
    SpaceTooLargeError,
    UnsafeInputError,
    ZopaError,
    ZopaWarning,
    check_unique,
    show_names,
    show_value,
)

TREE = [
    (ScenarioError, (ZopaError, ValueError)),
    (UnsafeInputError, (ScenarioError,)),
    (SpaceTooLargeError, (ZopaError, ValueError)),
    (ArgumentError, (ZopaError, ValueError)),
    (OutputError, (ZopaError, OSError)),
    (ZopaWarning, (UserWarning,)),
    (NoAgreementWarning, (ZopaWarning,)),
    (DiscretisationWarning, (ZopaWarning,)),
    (ConversionWarning, (ZopaWarning,)),
]


@pytest.mark.parametrize(("cls", "bases"), TREE, ids=[c.__name__ for c, _ in TREE])
def test_tree(cls: type, bases: tuple[type, ...]) -> None:
    assert all(issubclass(cls, base) for base in bases)


def test_docstring_documents_every_class() -> None:
    doc = errors.__doc__ or ""
    for cls, _ in TREE:
        assert f":class:`{cls.__name__}`" in doc, cls.__name__


def test_every_class_is_public_in_zopa_and_zopa_model() -> None:
    for cls, _ in [(ZopaError, ()), *TREE]:
        assert getattr(zopa, cls.__name__) is cls
        assert getattr(zopa.model, cls.__name__) is cls


def test_argument_error_names_the_argument() -> None:
    exc = ArgumentError("--draws: expected an integer >= 1, got 0")
    assert str(exc) == "--draws: expected an integer >= 1, got 0"
    with pytest.raises(ValueError, match="draws"):
        raise exc


def test_output_error_names_the_path_and_keeps_errno(tmp_path: object) -> None:
    exc = OutputError("out/report.html", "cannot write file: No space left on device", errno=28)
    assert str(exc) == "out/report.html: cannot write file: No space left on device"
    assert exc.errno == 28 and exc.filename == "out/report.html"
    with pytest.raises(OSError, match="No space left"):
        raise exc


@pytest.mark.parametrize(
    "exc",
    [
        ArgumentError("draws: expected an integer >= 1, got 0"),
        OutputError("a.yaml", "cannot write file: Permission denied", errno=13),
        ScenarioError("expected a number", path="parties[0].power", source="s.yaml", line=3),
        UnsafeInputError("too large", source="big.yaml"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_survive_pickling(exc: ZopaError) -> None:
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is type(exc)
    assert str(back) == str(exc)
    assert vars(back) == vars(exc)


def test_warnings_can_be_filtered_as_one_family() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore")
        warnings.simplefilter("always", ZopaWarning)
        warnings.warn("lossy", ConversionWarning, stacklevel=1)
        warnings.warn("other", UserWarning, stacklevel=1)
    assert [type(w.message) for w in caught] == [ConversionWarning]


def test_show_value_speaks_the_format_of_the_file() -> None:
    assert [show_value(v) for v in ("x", None, True, {}, [], 2.5)] == [
        '"x"', "nothing", "true", "a mapping", "a list", "2.5",
    ]  # fmt: skip
    assert [show_value(v, dialect="json") for v in ("x", None, {})] == [
        'the string "x"', "null", "an object",
    ]  # fmt: skip
    assert show_value("y" * 100) == '"' + "y" * 57 + '..."'


def test_show_names_cuts_long_lists() -> None:
    assert show_names(["a", 2]) == '("a", 2)'
    assert (
        show_names([f"o{i}" for i in range(10)], limit=3) == '("o0", "o1", "o2", ... (10 in all))'
    )


def test_check_unique_names_both_places() -> None:
    check_unique(["a", "b"], "parties", "party")
    with pytest.raises(ScenarioError) as info:
        check_unique(["a", "b", "b"], "options", "option", field="")
    assert str(info.value) == 'options[2]: duplicate option name "b" (also options[1])'
