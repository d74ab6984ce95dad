"""The core's messages as codes, its one error base, and the problem list used by importers.

The core speaks no human language. Every error it raises and every reason it gives for a value
that cannot be computed is a ``Message``: a stable ``Code`` and the parameters of that case
(the name that was not found, the row's text, a limit). The app words each code in the user's
language (``kinerja/lib/coremessages.py``, through gettext), so the same core serves an
Indonesian page, an English API client and a log file. ``str()`` of a message is a plain
technical form ("number.invalid(value='abc')") for logs and tracebacks, not for people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Code(StrEnum):
    """Every message the core can give; values are stable and never reused for another case."""

    # Formula text that is not allowed (FormulaError).
    FORMULA_NOT_TEXT = "formula.not_text"
    FORMULA_TOO_LONG = "formula.too_long"  # limit
    FORMULA_CHARACTER = "formula.character"  # character
    FORMULA_EMPTY = "formula.empty"
    FORMULA_SYNTAX = "formula.syntax"  # detail (Python's own words)
    FORMULA_UNREADABLE = "formula.unreadable"  # detail
    FORMULA_BRACKETS_TOO_DEEP = "formula.brackets_too_deep"  # limit
    FORMULA_UNMATCHED_BRACKET = "formula.unmatched_bracket"
    FORMULA_UNCLOSED_BRACKET = "formula.unclosed_bracket"
    FORMULA_BAD_NAME = "formula.bad_name"  # name
    FORMULA_UNDERSCORE_NAME = "formula.underscore_name"  # name
    FORMULA_FUNCTION_NAME = "formula.function_name"  # name
    FORMULA_TOO_DEEP = "formula.too_deep"  # limit
    FORMULA_OPERATOR = "formula.operator"  # operator: the ast class name ("Pow")
    FORMULA_CONSTRUCT = "formula.construct"  # construct: the ast class name ("Attribute")
    FORMULA_CONSTANT = "formula.constant"  # value
    FORMULA_STRING = "formula.string"
    FORMULA_NUMBER_TYPE = "formula.number_type"  # value
    FORMULA_NUMBER_NOTATION = "formula.number_notation"  # literal
    FORMULA_NUMBER_RANGE = "formula.number_range"  # literal
    FORMULA_FUNCTION = "formula.function"
    FORMULA_KEYWORD_ARGUMENT = "formula.keyword_argument"  # function
    FORMULA_STAR_ARGUMENT = "formula.star_argument"  # function
    FORMULA_PREV_ARITY = "formula.prev_arity"
    FORMULA_PREV_EXPRESSION = "formula.prev_expression"
    FORMULA_ABS_ARITY = "formula.abs_arity"
    FORMULA_MIN_MAX_ARITY = "formula.min_max_arity"  # function
    FORMULA_UNKNOWN_NODE = "formula.unknown_node"  # node
    FORMULA_IDENTICAL_RATIO = "formula.identical_ratio"  # operand

    # Why a value cannot be computed (NotComputable).
    VALUE_MISSING = "value.missing"  # name
    VALUE_MISSING_PREVIOUS = "value.missing_previous"  # name
    VALUE_NOT_A_NUMBER = "value.not_a_number"  # name
    VALUE_DIVISION_BY_ZERO = "value.division_by_zero"  # operand
    VALUE_ZERO_DENOMINATOR = "value.zero_denominator"
    VALUE_OUT_OF_RANGE = "value.out_of_range"  # error
    VALUE_NOT_MEASURED = "value.not_measured"
    COVERAGE_NO_GROUPS = "coverage.no_groups"
    COVERAGE_PREVIOUS_ZERO = "coverage.previous_zero"
    ACHIEVEMENT_NO_TARGET = "achievement.no_target"
    ACHIEVEMENT_ZERO_TARGET = "achievement.zero_target"  # target
    ACHIEVEMENT_RANGE_INVERTED = "achievement.range_inverted"  # low, high
    ACHIEVEMENT_UNKNOWN_POLARITY = "achievement.unknown_polarity"  # polarity

    # IKM.
    IKM_NO_RESPONDENTS = "ikm.no_respondents"
    IKM_UNKNOWN_ELEMENT = "ikm.unknown_element"  # method, code
    IKM_UNKNOWN_METHOD = "ikm.unknown_method"  # name, choices
    IKM_NEGATIVE_RESPONDENTS = "ikm.negative_respondents"
    IKM_TALLY_MISMATCH = "ikm.tally_mismatch"  # method, unknown, missing
    SCORE_EMPTY = "score.empty"
    SCORE_INVALID = "score.invalid"  # value

    # Periods and numbers.
    PERIOD_UNKNOWN_KIND = "period.unknown_kind"  # kind
    PERIOD_INDEX_RANGE = "period.index_range"  # kind, index
    PERIOD_YEAR_RANGE = "period.year_range"  # year
    PERIOD_BAD_KEY = "period.bad_key"  # key
    PERIOD_BAD_MONTH = "period.bad_month"  # key
    NUMBER_INVALID = "number.invalid"  # value
    NUMBER_NOT_FINITE = "number.not_finite"  # value

    # Files: CSV fields and the survey CSV (Problem messages).
    INPUT_INVALID = "input.invalid"  # count: the problems of an InputError
    CSV_FIELD_TOO_LONG = "csv.field_too_long"  # field (1-based)
    TEXT_CONTROL_CHARACTER = "text.control_character"  # code ("U+0000")
    SURVEY_NO_HEADER = "survey.no_header"
    SURVEY_EMPTY_COLUMN_NAME = "survey.empty_column_name"
    SURVEY_UNKNOWN_COLUMN = "survey.unknown_column"
    SURVEY_DUPLICATE_COLUMN = "survey.duplicate_column"  # first, target
    SURVEY_MISSING_COLUMN = "survey.missing_column"  # column
    SURVEY_MISSING_ELEMENT_COLUMN = "survey.missing_element_column"  # column, name
    SURVEY_TOO_MANY_CELLS = "survey.too_many_cells"  # count, width
    SURVEY_CELL_TOO_LONG = "survey.cell_too_long"  # n (bytes)
    SURVEY_DATE_REQUIRED = "survey.date_required"
    SURVEY_DATE_INVALID = "survey.date_invalid"  # value
    SURVEY_DATE_RANGE = "survey.date_range"  # earliest, latest, value
    SURVEY_GENDER = "survey.gender"  # value
    SURVEY_AGE = "survey.age"  # low, high, value
    SURVEY_EDUCATION = "survey.education"  # value, choices
    SURVEY_OCCUPATION = "survey.occupation"  # value, choices
    SURVEY_SUGGESTION_TOO_LONG = "survey.suggestion_too_long"  # n (characters)
    SURVEY_MORE_PROBLEMS = "survey.more_problems"  # limit
    # Bare element codes in the header and no order said (docs/rules.md#survey-csv-element-order).
    SURVEY_ELEMENT_ORDER_REQUIRED = (
        "survey.element_order_required"  # columns, regulation, questionnaire, example
    )
    SURVEY_UNKNOWN_ORDER = "survey.unknown_order"  # value, choices

    # What is wrong with a measure definition (kinerja_core.measures.problems).
    MEASURE_NOT_A_MEASURE = "measure.not_a_measure"  # type, value
    MEASURE_BAD_NAME = "measure.bad_name"  # name
    MEASURE_EMPTY_LABEL = "measure.empty_label"
    MEASURE_COMPUTE_NOT_CALLABLE = "measure.compute_not_callable"  # value
    MEASURE_BATCH_NOT_CALLABLE = "measure.batch_not_callable"  # value
    MEASURE_BAD_FILTERS = "measure.bad_filters"  # value
    MEASURE_BAD_UNIT = "measure.bad_unit"  # unit, units


@dataclass(frozen=True)
class Message:
    """A code and its parameters. Hashable, so a reason can key a dict (parameters are plain
    values: text, numbers, dates)."""

    code: Code
    items: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, code: Code, /, **params: object) -> Message:
        return cls(code, tuple(params.items()))

    @property
    def params(self) -> dict[str, object]:
        return dict(self.items)

    def __str__(self) -> str:
        if not self.items:
            return self.code.value
        args = ", ".join(f"{name}={value!r}" for name, value in self.items)
        return f"{self.code.value}({args})"


class CoreError(Exception):
    """Base of every error the core raises on purpose; callers catch only this."""

    def __init__(self, code: Code, /, **params: object) -> None:
        self.message = Message.of(code, **params)
        super().__init__(str(self.message))

    @property
    def code(self) -> Code:
        return self.message.code

    @property
    def params(self) -> dict[str, object]:
        return self.message.params


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located by row (1-based, as a user counts) and field.

    ``message`` is a core ``Message``, or text an app has already put in its user's words (an
    app's importer reports its own problems in the same list)."""

    row: int | None
    field: str | None
    message: Message | str

    def __str__(self) -> str:
        if self.row is None and self.field is None:
            return str(self.message)
        row = "" if self.row is None else self.row
        return f"{row}:{self.field or ''}: {self.message}"


class InputError(CoreError):
    """Bad input data; carries every problem found, so a user fixes a file in one pass."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(Code.INPUT_INVALID, count=len(self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
