"""Indicator formulas: a tiny arithmetic language over named measures.

Formulas are typed by planners and stored in plan files, so they are untrusted text. They are
parsed once with ``ast.parse(mode="eval")`` and every node is checked against a whitelist;
nothing is ever passed to ``eval``/``compile`` for execution. Evaluation walks the checked
tree in ``Decimal`` so that 0,1 + 0,2 is exactly 0,3, as on the planner's calculator.

Data problems (a missing value, a zero denominator) are not errors: they produce a
``NotComputable`` carrying the reason, because a report must say *why* a cell is empty and
must never show 0 for "unknown".
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, DecimalException, InvalidOperation, localcontext

from kinerja_core.errors import Code, CoreError, Message
from kinerja_core.numbers import to_decimal

MAX_LENGTH = 500
MAX_DEPTH = 30
# Literal magnitudes beyond this are typos or attacks (1e999999 would overflow the context).
MAX_LITERAL_EXPONENT = 30
PRECISION = 50

FUNCTIONS = frozenset({"prev", "min", "max", "abs"})
NAME_RE = re.compile(r"[a-z_][a-z0-9_]*")

# Planners paste formulas from Word; these map one character to one character so positions
# reported to them stay valid in the text they typed.
_UNICODE_OPERATORS = str.maketrans({"×": "*", "÷": "/", "−": "-", "\t": " ", "\n": " ", "\r": " "})


@dataclass(frozen=True)
class NotComputable:
    """A value that cannot be computed, with a reason a person can act on.

    The core's reasons are ``Message`` codes; an app that finds a reason of its own (a measure it
    does not know) gives it as text already in its user's words.
    """

    reason: Message | str

    @classmethod
    def of(cls, code: Code, /, **params: object) -> NotComputable:
        return cls(Message.of(code, **params))

    def __str__(self) -> str:
        return str(self.reason)


Value = Decimal | NotComputable
InputValue = Value | Decimal | int | None


class FormulaError(CoreError):
    """A formula text that is not allowed; ``position`` is the 0-based column of the fault.

    A construct or an operator that is not allowed is named by its ``ast`` class ("Attribute",
    "Pow"), which the app words for the planner.
    """

    def __init__(self, position: int, text: str, code: Code, /, **params: object) -> None:
        self.position = position
        self.text = text
        super().__init__(code, **params)

    def __str__(self) -> str:
        return f"{self.position}: {self.message}"


class Formula:
    """A parsed, validated formula. Build it with ``Formula.parse``."""

    __slots__ = ("_text", "_normalised", "_lead", "_tree", "_current", "_previous")

    def __init__(self, text: str, normalised: str, lead: int, tree: ast.expr) -> None:
        self._text = text
        self._normalised = normalised
        self._lead = lead
        self._tree = tree
        current: set[str] = set()
        previous: set[str] = set()
        _collect_names(tree, current, previous)
        self._current = frozenset(current)
        self._previous = frozenset(previous)

    @classmethod
    def parse(cls, text: str) -> Formula:
        if not isinstance(text, str):
            raise FormulaError(0, repr(text), Code.FORMULA_NOT_TEXT)
        # Checked before anything else so the parser never sees a giant input.
        if len(text) > MAX_LENGTH:
            raise FormulaError(
                MAX_LENGTH, text[:MAX_LENGTH], Code.FORMULA_TOO_LONG, limit=MAX_LENGTH
            )
        normalised = text.translate(_UNICODE_OPERATORS)
        for i, ch in enumerate(normalised):
            if not (ch.isascii() and ch.isprintable()):
                raise FormulaError(i, text, Code.FORMULA_CHARACTER, character=ch)
        _check_brackets(normalised, text)
        body = normalised.lstrip(" ")
        lead = len(normalised) - len(body)
        if not body.strip():
            raise FormulaError(0, text, Code.FORMULA_EMPTY)
        try:
            tree = ast.parse(body, mode="eval")
        except SyntaxError as exc:
            offset = exc.offset if exc.offset is not None and exc.offset >= 1 else len(body) + 1
            position = min(lead + offset - 1, len(text))
            raise FormulaError(position, text, Code.FORMULA_SYNTAX, detail=exc.msg) from None
        except (ValueError, RecursionError, MemoryError) as exc:
            raise FormulaError(0, text, Code.FORMULA_UNREADABLE, detail=str(exc)) from None
        _Validator(text, body, lead).check(tree.body, 1)
        return cls(text, body, lead, tree.body)

    @property
    def text(self) -> str:
        return self._text

    @property
    def variables(self) -> frozenset[str]:
        """Every measure name referenced, including those inside ``prev()``."""
        return self._current | self._previous

    @property
    def current_variables(self) -> frozenset[str]:
        return self._current

    @property
    def previous_variables(self) -> frozenset[str]:
        """Measures needed one period back (used inside ``prev()``)."""
        return self._previous

    def __repr__(self) -> str:
        return f"Formula({self._text!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Formula):
            return NotImplemented
        return ast.dump(self._tree) == ast.dump(other._tree)

    def __hash__(self) -> int:
        return hash(ast.dump(self._tree))

    def segment(self, node: ast.expr) -> str:
        """The planner's own text of a sub-expression, for messages."""
        raw = self._text[self._lead + node.col_offset : self._lead + (node.end_col_offset or 0)]
        return " ".join(raw.split())

    def identical_ratio(self) -> Message | None:
        """Describe the first division whose numerator equals its denominator, if any."""
        for node in ast.walk(self._tree):
            if (
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Div)
                and ast.dump(node.left) == ast.dump(node.right)
            ):
                return Message.of(Code.FORMULA_IDENTICAL_RATIO, operand=self.segment(node.left))
        return None

    def evaluate(
        self,
        values: Mapping[str, InputValue],
        previous: Mapping[str, InputValue] | None = None,
    ) -> Value:
        evaluator = _Evaluator(self, values, previous if previous is not None else {})
        with localcontext() as ctx:
            ctx.prec = PRECISION
            ctx.Emax = 999_999
            ctx.Emin = -999_999
            try:
                return evaluator.eval(self._tree)
            except _Stop as stop:
                return stop.value
            except DecimalException as exc:
                return NotComputable.of(Code.VALUE_OUT_OF_RANGE, error=type(exc).__name__)


def _collect_names(node: ast.AST, current: set[str], previous: set[str]) -> None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "prev":
        arg = node.args[0]
        assert isinstance(arg, ast.Name)
        previous.add(arg.id)
        return
    if isinstance(node, ast.Call):
        for arg in node.args:
            _collect_names(arg, current, previous)
        return
    if isinstance(node, ast.Name):
        current.add(node.id)
        return
    for child in ast.iter_child_nodes(node):
        _collect_names(child, current, previous)


def _check_brackets(normalised: str, text: str) -> None:
    """Reject unbalanced or too deeply nested brackets before the parser recurses into them."""
    stack: list[int] = []
    for i, ch in enumerate(normalised):
        if ch == "(":
            stack.append(i)
            if len(stack) > MAX_DEPTH:
                raise FormulaError(i, text, Code.FORMULA_BRACKETS_TOO_DEEP, limit=MAX_DEPTH)
        elif ch == ")":
            if not stack:
                raise FormulaError(i, text, Code.FORMULA_UNMATCHED_BRACKET)
            stack.pop()
        elif ch in "[]{}":
            raise FormulaError(i, text, Code.FORMULA_CHARACTER, character=ch)
    if stack:
        raise FormulaError(stack[-1], text, Code.FORMULA_UNCLOSED_BRACKET)


def check_name(name: str) -> Message | None:
    """Why ``name`` is not a valid measure name, or None when it is."""
    if not NAME_RE.fullmatch(name):
        return Message.of(Code.FORMULA_BAD_NAME, name=name)
    if name.startswith("_"):
        return Message.of(Code.FORMULA_UNDERSCORE_NAME, name=name)
    if name in FUNCTIONS:
        return Message.of(Code.FORMULA_FUNCTION_NAME, name=name)
    return None


class _Validator:
    def __init__(self, text: str, body: str, lead: int) -> None:
        self.text = text
        self.body = body
        self.lead = lead

    def fail(self, node: ast.AST, code: Code, /, **params: object) -> FormulaError:
        col = getattr(node, "col_offset", 0)
        return FormulaError(self.lead + int(col), self.text, code, **params)

    def check(self, node: ast.AST, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise self.fail(node, Code.FORMULA_TOO_DEEP, limit=MAX_DEPTH)
        if isinstance(node, ast.Constant):
            self.check_constant(node)
        elif isinstance(node, ast.Name):
            problem = check_name(node.id)
            if problem is not None:
                raise self.fail(node, problem.code, **problem.params)
        elif isinstance(node, ast.BinOp):
            if not isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
                raise self.fail(
                    self.operator_position(node),
                    Code.FORMULA_OPERATOR,
                    operator=type(node.op).__name__,
                )
            self.check(node.left, depth + 1)
            self.check(node.right, depth + 1)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.UAdd | ast.USub):
                raise self.fail(node, Code.FORMULA_OPERATOR, operator=type(node.op).__name__)
            self.check(node.operand, depth + 1)
        elif isinstance(node, ast.Call):
            self.check_call(node, depth)
        else:
            raise self.fail(node, Code.FORMULA_CONSTRUCT, construct=type(node).__name__)

    def operator_position(self, node: ast.BinOp) -> ast.AST:
        """Point at the operator itself (between the operands), not at the left operand."""
        start = node.left.end_col_offset or 0
        end = node.right.col_offset
        gap = self.body[start:end]
        stripped = gap.replace("(", " ").replace(")", " ")
        offset = len(stripped) - len(stripped.lstrip())
        marker = ast.Constant(value=None)
        marker.col_offset = start + offset
        return marker

    def check_constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            raise self.fail(node, Code.FORMULA_CONSTANT, value=value)
        if isinstance(value, str | bytes):
            raise self.fail(node, Code.FORMULA_STRING)
        if not isinstance(value, int | float):
            raise self.fail(node, Code.FORMULA_NUMBER_TYPE, value=value)
        literal = self.body[node.col_offset : node.end_col_offset]
        try:
            number = Decimal(literal.replace("_", ""))
        except InvalidOperation:
            raise self.fail(node, Code.FORMULA_NUMBER_NOTATION, literal=literal) from None
        if (
            number.is_finite()
            and not number.is_zero()
            and abs(number.adjusted()) > MAX_LITERAL_EXPONENT
        ):
            raise self.fail(node, Code.FORMULA_NUMBER_RANGE, literal=literal)
        if not number.is_finite():
            raise self.fail(node, Code.FORMULA_NUMBER_RANGE, literal=literal)

    def check_call(self, node: ast.Call, depth: int) -> None:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise self.fail(node.func, Code.FORMULA_FUNCTION)
        name = node.func.id
        if node.keywords:
            raise self.fail(node.keywords[0].value, Code.FORMULA_KEYWORD_ARGUMENT, function=name)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail(arg, Code.FORMULA_STAR_ARGUMENT, function=name)
        if name == "prev":
            if len(node.args) != 1:
                raise self.fail(node, Code.FORMULA_PREV_ARITY)
            arg = node.args[0]
            if not isinstance(arg, ast.Name):
                raise self.fail(arg, Code.FORMULA_PREV_EXPRESSION)
            self.check(arg, depth + 1)
            return
        if name == "abs" and len(node.args) != 1:
            raise self.fail(node, Code.FORMULA_ABS_ARITY)
        if name in ("min", "max") and len(node.args) < 2:
            raise self.fail(node, Code.FORMULA_MIN_MAX_ARITY, function=name)
        for arg in node.args:
            self.check(arg, depth + 1)


class _Stop(Exception):
    """Unwinds evaluation at the first value that cannot be computed."""

    def __init__(self, value: NotComputable) -> None:
        self.value = value


class _Evaluator:
    def __init__(
        self,
        formula: Formula,
        values: Mapping[str, InputValue],
        previous: Mapping[str, InputValue],
    ) -> None:
        self.formula = formula
        self.values = values
        self.previous = previous

    def lookup(self, mapping: Mapping[str, InputValue], name: str, missing: Code) -> Decimal:
        value = mapping.get(name)
        if value is None:
            raise _Stop(NotComputable.of(missing, name=name))
        if isinstance(value, NotComputable):
            raise _Stop(value)
        try:
            number = to_decimal(value)
        except CoreError:
            raise _Stop(NotComputable.of(Code.VALUE_NOT_A_NUMBER, name=name)) from None
        if not number.is_finite():
            raise _Stop(NotComputable.of(Code.VALUE_NOT_A_NUMBER, name=name))
        return number

    def eval(self, node: ast.expr) -> Decimal:
        if isinstance(node, ast.Constant):
            return Decimal(
                self.formula._normalised[node.col_offset : node.end_col_offset].replace("_", "")
            )
        if isinstance(node, ast.Name):
            return self.lookup(self.values, node.id, Code.VALUE_MISSING)
        if isinstance(node, ast.UnaryOp):
            operand = self.eval(node.operand)
            return -operand if isinstance(node.op, ast.USub) else +operand
        if isinstance(node, ast.BinOp):
            left = self.eval(node.left)
            right = self.eval(node.right)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            if right.is_zero():
                raise _Stop(
                    NotComputable.of(
                        Code.VALUE_DIVISION_BY_ZERO, operand=self.formula.segment(node.right)
                    )
                )
            return left / right
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)
            name = node.func.id
            if name == "prev":
                arg = node.args[0]
                assert isinstance(arg, ast.Name)
                return self.lookup(self.previous, arg.id, Code.VALUE_MISSING_PREVIOUS)
            args = [self.eval(a) for a in node.args]
            if name == "abs":
                return abs(args[0])
            pick: Callable[[Decimal, Decimal], Decimal] = (
                Decimal.min if name == "min" else Decimal.max
            )
            result = args[0]
            for arg_value in args[1:]:
                result = pick(result, arg_value)
            return result
        # The validator admits nothing else; reaching here means the tree was tampered with.
        raise CoreError(Code.FORMULA_UNKNOWN_NODE, node=type(node).__name__)


_FRAC = re.compile(r"\\[dt]?frac(?![a-zA-Z])")
_LATEX_COMMAND = re.compile(
    r"\\(text|mathrm|mathit|mathbf|textrm|textit|left|right|displaystyle)(?![a-zA-Z])"
)
_DIVISION = re.compile(r"[/÷:]")


# Operands longer than a whole formula are not compared: a quantity is a few words, and
# comparing every pair of long operands would make the check quadratic in the text's length.
MAX_OPERAND = MAX_LENGTH
_BRACKETS = {"(": re.compile(r"[()]"), "{": re.compile(r"[{}]")}
# Where a plain-text denominator stops: "× 100 %", "=", a line end, " x 100".
_OPERAND_END = re.compile(r"(?=[×*=%\n]|\s[xX]\s*\d)")


def matching_brackets(text: str, opening: str = "{") -> dict[int, int]:
    """The index of each opening bracket ("(" or "{") → the index of its closing bracket.

    One pass over the text: the checks below look a group's end up instead of scanning for it
    from every opening bracket, which took quadratic time on "\\frac{" repeated.
    """
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for match in _BRACKETS[opening].finditer(text):
        if match.group() == opening:
            stack.append(match.start())
        elif stack:
            pairs[stack.pop()] = match.start()
    return pairs


def _brace_group(text: str, start: int, braces: dict[int, int]) -> tuple[int, int] | None:
    """The span (inside the braces) of the ``{...}`` group at/after ``start``."""
    i = start
    while i < len(text) and text[i].isspace():
        i += 1
    close = braces.get(i)
    return None if close is None else (i + 1, close)


def _normalise_operand(text: str) -> str:
    s = _LATEX_COMMAND.sub(" ", text)
    s = s.replace("{", " ").replace("}", " ").replace("$", " ")
    s = " ".join(s.lower().split())
    # Outer brackets do not change what is counted.
    pairs = matching_brackets(s, "(")
    lo, hi = 0, len(s)
    while hi - lo >= 2 and s[lo] == "(" and pairs.get(lo) == hi - 1:
        lo, hi = lo + 1, hi - 1
        while lo < hi and s[lo] == " ":
            lo += 1
        while hi > lo and s[hi - 1] == " ":
            hi -= 1
    return s[lo:hi]


def _readable(latex: str) -> str:
    """LaTeX operand as a planner reads it: "Σ Kelompok ..." rather than "\\sum \\text{...}"."""
    s = latex.replace("\\sum", "Σ")
    s = _LATEX_COMMAND.sub(" ", s).replace("{", " ").replace("}", " ")
    return " ".join(s.split())


def _same_operands(left: str, right: str) -> str | None:
    num = _normalise_operand(left)
    if num and num == _normalise_operand(right):
        return num
    return None


def _latex_identical(text: str) -> Message | None:
    braces = matching_brackets(text, "{")
    for match in _FRAC.finditer(text):
        numerator = _brace_group(text, match.end(), braces)
        if numerator is None or numerator[1] - numerator[0] > MAX_OPERAND:
            continue
        denominator = _brace_group(text, numerator[1] + 1, braces)
        if denominator is None or denominator[1] - denominator[0] > MAX_OPERAND:
            continue
        top = text[numerator[0] : numerator[1]]
        if _same_operands(top, text[denominator[0] : denominator[1]]):
            return Message.of(Code.FORMULA_IDENTICAL_RATIO, operand=_readable(top))
    return None


def _plain_identical(text: str) -> Message | None:
    parens = matching_brackets(text, "(")
    opening_of = {close: start for start, close in parens.items()}
    # A label such as "Cakupan Pemas =" (or the line before) is not part of the numerator.
    labels = [i for i, ch in enumerate(text) if ch in "=\n"]
    ends = [m.start() for m in _OPERAND_END.finditer(text)]
    first = len(text) - len(text.lstrip())
    for match in _DIVISION.finditer(text):
        if match.group() == ":" and match.start() <= first:
            continue
        left = _left_operand(text, match.start(), opening_of, labels)
        right = _right_operand(text, match.end(), parens, ends)
        if left is not None and right is not None and _same_operands(left, right):
            return Message.of(Code.FORMULA_IDENTICAL_RATIO, operand=" ".join(left.split()))
    return None


def _left_operand(
    text: str, division: int, opening_of: dict[int, int], labels: list[int]
) -> str | None:
    """The numerator before ``division``: a bracketed group, or the text since the label."""
    end = division
    while end > 0 and text[end - 1].isspace():
        end -= 1
    start = opening_of.get(end - 1)
    if start is None:
        before = bisect_left(labels, end) - 1
        start = labels[before] + 1 if before >= 0 else 0
    return text[start:end] if end - start <= MAX_OPERAND else None


def _right_operand(text: str, division: int, parens: dict[int, int], ends: list[int]) -> str | None:
    """The denominator after ``division``: a bracketed group, or the text up to "× 100 %"."""
    start = division
    while start < len(text) and text[start].isspace():
        start += 1
    close = parens.get(start)
    if close is not None:
        end = close + 1
    else:
        after = bisect_left(ends, start)
        end = ends[after] if after < len(ends) else len(text)
    return text[start:end] if end - start <= MAX_OPERAND else None


def identical_ratio(text: str) -> Message | None:
    """Describe a ratio whose numerator is the same as its denominator, or None.

    Such a ratio is always 1 (or 100 %), which is a typo in a plan, as in the NB of the
    Wonoasih IKU document. Works on a parseable formula, on LaTeX ``\\frac{..}{..}`` and on
    plain text "X / X" or "X ÷ X".
    """
    try:
        formula = Formula.parse(text)
    except FormulaError:
        pass
    else:
        return formula.identical_ratio()
    return _latex_identical(text) or _plain_identical(text)
