"""The core's message codes in the user's language: the one place the app words them.

``kinerja_core`` raises errors and gives reasons as a ``Code`` with parameters and no words
(``kinerja_core/errors.py``). Every page, form, command and API body that shows one goes
through this module, which maps each code to an English msgid with ``%(name)s`` placeholders;
the Indonesian msgstr is in ``locale/id/LC_MESSAGES/django.po``. Text the apps already wrote in
their user's words (an importer's own problems, a reason the results engine found) passes
through unchanged, so a list mixing both reads as one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_noop as _

from kinerja_core.errors import Code, CoreError, InputError, Message, Problem
from kinerja_core.formula import FormulaError, NotComputable

MESSAGES: dict[Code, str] = {
    Code.FORMULA_NOT_TEXT: _("the formula must be text"),
    Code.FORMULA_TOO_LONG: _("the formula is too long (at most %(limit)s characters)"),
    Code.FORMULA_CHARACTER: _("character not allowed: %(character)r"),
    Code.FORMULA_EMPTY: _("empty formula"),
    Code.FORMULA_SYNTAX: _("invalid syntax (%(detail)s)"),
    Code.FORMULA_UNREADABLE: _("the formula cannot be read (%(detail)s)"),
    Code.FORMULA_BRACKETS_TOO_DEEP: _("brackets nested too deep (at most %(limit)s)"),
    Code.FORMULA_UNMATCHED_BRACKET: _("closing bracket without a pair"),
    Code.FORMULA_UNCLOSED_BRACKET: _("bracket not closed"),
    Code.FORMULA_BAD_NAME: _(
        "invalid measure name: %(name)r (lowercase letters a–z, digits, underscore)"
    ),
    Code.FORMULA_UNDERSCORE_NAME: _("a measure name may not start with an underscore: %(name)r"),
    Code.FORMULA_FUNCTION_NAME: _("%(name)s is a function and must be called: %(name)s(...)"),
    Code.FORMULA_TOO_DEEP: _("the formula is nested too deep (at most %(limit)s)"),
    Code.FORMULA_OPERATOR: _("operator not allowed: %(operator)s"),
    Code.FORMULA_CONSTRUCT: _("not allowed in a formula: %(construct)s"),
    Code.FORMULA_CONSTANT: _("constant not allowed: %(value)r"),
    Code.FORMULA_STRING: _("text (a string) is not allowed in a formula"),
    Code.FORMULA_NUMBER_TYPE: _("number not allowed: %(value)r"),
    Code.FORMULA_NUMBER_NOTATION: _("write numbers as plain decimals: %(literal)s"),
    Code.FORMULA_NUMBER_RANGE: _("number out of bounds: %(literal)s"),
    Code.FORMULA_FUNCTION: _("only the functions prev(), min(), max() and abs() are allowed"),
    Code.FORMULA_KEYWORD_ARGUMENT: _("%(function)s() takes no named arguments"),
    Code.FORMULA_STAR_ARGUMENT: _("%(function)s() takes no star arguments (*)"),
    Code.FORMULA_PREV_ARITY: _("prev() needs exactly one measure name: prev(name)"),
    Code.FORMULA_PREV_EXPRESSION: _(
        "the argument of prev() must be one measure name, not an expression"
    ),
    Code.FORMULA_ABS_ARITY: _("abs() needs exactly one argument"),
    Code.FORMULA_MIN_MAX_ARITY: _("%(function)s() needs at least two arguments"),
    Code.FORMULA_UNKNOWN_NODE: _("unknown node: %(node)s"),
    Code.FORMULA_IDENTICAL_RATIO: _("numerator identical to denominator: %(operand)s"),
    Code.VALUE_MISSING: _("data not available: %(name)s"),
    Code.VALUE_MISSING_PREVIOUS: _("data of the previous period not available: %(name)s"),
    Code.VALUE_NOT_A_NUMBER: _("the data is not a number: %(name)s"),
    Code.VALUE_DIVISION_BY_ZERO: _("division by zero: %(operand)s = 0"),
    Code.VALUE_ZERO_DENOMINATOR: _("division by zero: denominator = 0"),
    Code.VALUE_OUT_OF_RANGE: _("result outside the range of computation (%(error)s)"),
    Code.VALUE_NOT_MEASURED: _("not measured yet"),
    Code.COVERAGE_NO_GROUPS: _("division by zero: number of groups and institutions = 0"),
    Code.COVERAGE_PREVIOUS_ZERO: _("division by zero: value of the previous period = 0"),
    Code.ACHIEVEMENT_NO_TARGET: _("no target set yet"),
    Code.ACHIEVEMENT_ZERO_TARGET: _(
        "target = %(target)s: the achievement cannot be computed (division by zero)"
    ),
    Code.ACHIEVEMENT_RANGE_INVERTED: _(
        "the lower bound of the target (%(low)s) is above its upper bound (%(high)s)"
    ),
    Code.ACHIEVEMENT_UNKNOWN_POLARITY: _("unknown polarity: %(polarity)r (higher/lower/stable)"),
    Code.IKM_NO_RESPONDENTS: _("no respondents yet"),
    Code.IKM_UNKNOWN_ELEMENT: _("unknown element for method %(method)s: %(code)r"),
    Code.IKM_UNKNOWN_METHOD: _("unknown IKM method: %(name)r; choices: %(choices)s"),
    Code.IKM_NEGATIVE_RESPONDENTS: _("negative number of respondents"),
    Code.IKM_TALLY_MISMATCH: _(
        "the tally does not match method %(method)s: unknown elements %(unknown)s, "
        "missing elements %(missing)s"
    ),
    Code.SCORE_EMPTY: _("empty value; every element must be answered 1–4"),
    Code.SCORE_INVALID: _("the value must be a whole number 1–4, not %(value)r"),
    Code.PERIOD_UNKNOWN_KIND: _("unknown kind of period: %(kind)r"),
    Code.PERIOD_INDEX_RANGE: _("period index out of bounds: %(kind)s %(index)s"),
    Code.PERIOD_YEAR_RANGE: _("year out of bounds: %(year)s"),
    Code.PERIOD_BAD_KEY: _("invalid period key: %(key)r (e.g. 2024, 2024-S1, 2024-Q3, 2024-07)"),
    Code.PERIOD_BAD_MONTH: _("invalid month in the period key: %(key)r"),
    Code.NUMBER_INVALID: _("not a number: %(value)r"),
    Code.NUMBER_NOT_FINITE: _("not a finite number: %(value)r"),
    Code.INPUT_INVALID: _("the data is not valid (%(count)s problems)"),
    Code.CSV_FIELD_TOO_LONG: _("field %(field)s is too long"),
    Code.TEXT_CONTROL_CHARACTER: _("holds the invisible control character %(code)s; remove it"),
    Code.SURVEY_NO_HEADER: _("empty file: no header row"),
    Code.SURVEY_EMPTY_COLUMN_NAME: _("empty column name"),
    Code.SURVEY_UNKNOWN_COLUMN: _("unknown column"),
    Code.SURVEY_DUPLICATE_COLUMN: _("duplicate column: the same as column %(first)r (%(target)s)"),
    Code.SURVEY_MISSING_COLUMN: _("required column missing: %(column)s"),
    Code.SURVEY_MISSING_ELEMENT_COLUMN: _("required column missing: %(column)s (%(name)s)"),
    Code.SURVEY_TOO_MANY_CELLS: _("number of cells (%(count)s) exceeds the header (%(width)s)"),
    Code.SURVEY_CELL_TOO_LONG: _("more than %(n)d bytes in one cell"),
    Code.SURVEY_DATE_REQUIRED: _(
        "the date is required (ISO format, e.g. 2024-07-15 or 2024-07-15T09:30)"
    ),
    Code.SURVEY_DATE_INVALID: _(
        "invalid date: %(value)r (ISO format, e.g. 2024-07-15 or 2024-07-15T09:30)"
    ),
    Code.SURVEY_DATE_RANGE: _("date outside %(earliest)s to %(latest)s: %(value)r"),
    Code.SURVEY_GENDER: _("gender must be L or P, not %(value)r"),
    Code.SURVEY_AGE: _("age must be a whole number %(low)s–%(high)s, not %(value)r"),
    Code.SURVEY_EDUCATION: _("unknown education: %(value)r (choices: %(choices)s)"),
    Code.SURVEY_OCCUPATION: _("unknown occupation: %(value)r (choices: %(choices)s)"),
    Code.SURVEY_SUGGESTION_TOO_LONG: _("longer than %(n)d characters"),
    Code.SURVEY_MORE_PROBLEMS: _("further problems not shown (more than %(limit)s)"),
    Code.SURVEY_ELEMENT_ORDER_REQUIRED: _(
        "the element columns are bare codes (%(columns)s), which two orders number differently: "
        "the regulation's list (%(regulation)s) and its sample questionnaire (%(questionnaire)s). "
        "Choose the order the file uses, or name the elements in the header "
        "(e.g. %(example)r)"
    ),
    Code.SURVEY_UNKNOWN_ORDER: _("unknown element order %(value)r (choices: %(choices)s)"),
    Code.MEASURE_NOT_A_MEASURE: _("not a Measure but %(type)s: %(value)r"),
    Code.MEASURE_BAD_NAME: _(
        "the name %(name)r cannot be used in a formula (a Python-style identifier)"
    ),
    Code.MEASURE_EMPTY_LABEL: _("the label is empty"),
    Code.MEASURE_COMPUTE_NOT_CALLABLE: _("compute is not callable: %(value)r"),
    Code.MEASURE_BATCH_NOT_CALLABLE: _("batch is neither None nor callable: %(value)r"),
    Code.MEASURE_BAD_FILTERS: _("filters must be a tuple of names: %(value)r"),
    Code.MEASURE_BAD_UNIT: _("the unit %(unit)r is none of %(units)s"),
}

# Parameters that are themselves words: the formula parser names a construct or an operator
# it refuses by its ``ast`` class; the planner reads what it is. A name missing here is shown
# as it is.
WORDS: dict[str, dict[str, str]] = {
    "construct": {
        "Attribute": _("attribute access (a.b)"),
        "Subscript": _("index/subscript (a[0])"),
        "Lambda": _("lambda"),
        "ListComp": _("list comprehension"),
        "SetComp": _("set comprehension"),
        "DictComp": _("dict comprehension"),
        "GeneratorExp": _("generator"),
        "Compare": _("comparison"),
        "BoolOp": _("boolean operation (and/or)"),
        "IfExp": _("conditional expression (if/else)"),
        "List": _("list"),
        "Tuple": _("tuple"),
        "Set": _("set"),
        "Dict": _("dict"),
        "JoinedStr": _("text (string)"),
        "Starred": _("star argument (*a)"),
        "NamedExpr": _("assignment (:=)"),
        "Await": _("await"),
        "Yield": _("yield"),
        "YieldFrom": _("yield"),
        "Slice": _("slice"),
    },
    "operator": {
        "Pow": _("power (**)"),
        "FloorDiv": _("whole division (//)"),
        "Mod": _("modulo (%)"),
        "MatMult": _("matrix multiplication (@)"),
        "LShift": _("bit shift (<<)"),
        "RShift": _("bit shift (>>)"),
        "BitAnd": _("bit operation (&)"),
        "BitOr": _("bit operation (|)"),
        "BitXor": _("bit operation (^)"),
        "Not": _("not"),
        "Invert": _("bit operation (~)"),
    },
}


def params_of(message: Message) -> dict[str, object]:
    """The message's parameters, with word parameters in the user's language."""
    params = message.params
    for name, words in WORDS.items():
        value = params.get(name)
        if isinstance(value, str) and value in words:
            params[name] = gettext(words[value])
    return params


def text(message: Message | str) -> str:
    """A core message in the active language; text an app already worded is returned as is."""
    if isinstance(message, str):
        return message
    # Keyed on how each parameter reads, not on its value: equal values may read differently
    # (Decimal("0") and Decimal("0.0000"), 1 and 1.0), and a list parameter has no hash.
    key = (message.code, get_language(), tuple((n, repr(v)) for n, v in message.items))
    found = WORDED.get(key)
    if found is None:
        found = gettext(MESSAGES[message.code]) % params_of(message)
        if len(WORDED) >= settings.KINERJA_WORDED_MESSAGES_KEPT:
            WORDED.clear()
        WORDED[key] = found
    return found


# A recompute words the same few reasons ("no respondents yet") for tens of thousands of
# results: wording each afresh (gettext, the word parameters, the formatting) was a tenth of
# a city's recompute. Catalogs do not change while a process runs, so a code, a language and
# parameters that read the same always give the same text. Bounded, as parameters vary
# (KINERJA_WORDED_MESSAGES_KEPT).
WORDED: dict[tuple[Code, str | None, tuple[tuple[str, str], ...]], str] = {}


def reason(value: NotComputable) -> str:
    """Why a value cannot be computed, in the active language."""
    return text(value.reason)


def problem_text(problem: Problem) -> str:
    """A problem with its row and column, as users read it ("baris 3, kolom U1: …")."""
    message = text(problem.message)
    if problem.row is not None and problem.field is not None:
        where = {"row": problem.row, "field": problem.field, "message": message}
        return gettext("row %(row)s, column %(field)s: %(message)s") % where
    if problem.row is not None:
        return gettext("row %(row)s: %(message)s") % {"row": problem.row, "message": message}
    if problem.field is not None:
        where = {"field": problem.field, "message": message}
        return gettext("column %(field)s: %(message)s") % where
    return message


def problem_texts(problems: Iterable[Problem]) -> list[str]:
    return [problem_text(p) for p in problems]


def error_text(error: CoreError) -> str:
    """A core error as users read it: a formula error with its position, an input error with
    every problem on its own line."""
    if isinstance(error, InputError):
        return "\n".join(problem_texts(error.problems))
    if isinstance(error, FormulaError):
        where = {"position": error.position, "message": text(error.message)}
        return gettext("position %(position)s: %(message)s") % where
    return text(error.message)
