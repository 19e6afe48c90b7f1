"""Form fields that take what the domain takes, with the domain's own rules (domain.text,
domain.dates) and messages in the user's language: the forms refuse, next to the field, what
the API refuses, before anything reaches the domain.

Money is typed in 万元 as officials count it, as a plain decimal only: no exponents, signs,
NaN or infinities, digit separators or digits of other scripts (full-width digits are read as
the digits they are).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

import flask
from flask_babel import lazy_gettext as _l
from werkzeug import formparser
from wtforms import DateField, Field, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import StopValidation, ValidationError

from domain import text
from domain.dates import parse_date
from domain.fields import MAX_MONEY

WAN = 10_000  # yuan in a 万元
_PLAIN = re.compile(r"[0-9]{1,15}(?:\.[0-9]+)?")

# Why a text is refused (domain.text's reasons), as the user is told.
TEXT_MESSAGES = {
    "control": _l("Remove the control character (%(char)s): it cannot be shown."),
    "direction": _l("Remove the character that reverses the text's direction (%(char)s): it "
                    "makes the text read differently from what it is."),
    "separator": _l("Remove the line or paragraph separator (%(char)s)."),
    "invisible": _l("Remove the invisible character (%(char)s)."),
    "lost": _l("Part of this text was lost on the way (it was not sent as UTF-8): type it "
               "again."),
    "surrogate": _l("This is not valid text: type it again."),
}


class Storable:
    """Validator: the text (or each line of a list) is as the domain stores it; a text with
    nothing visible is a missing one."""

    def __init__(self, *, long: bool = False, required: bool = False):
        self.long, self.required = long, required

    def __call__(self, form, field: Field) -> None:
        values = field.data if isinstance(field.data, list) else [field.data]
        for value in values:
            problem = text.text_problem(value, self.long) if value else None
            if problem is None:
                continue
            if problem.reason != "blank":
                raise ValidationError(str(TEXT_MESSAGES[problem.reason]) % {
                    "char": text.describe(problem.char)})
            field.errors[:] = []
            raise StopValidation(field.gettext("This field is required.") if self.required
                                 else None)


def form_value(data: Any) -> Any:
    """A form's text as the domain stores it (NFC, trimmed); nothing visible is None."""
    if isinstance(data, str):
        return None if text.is_blank(data) else text.clean(data)
    return data


class FormDataParser(formparser.FormDataParser):
    """Form bodies read as UTF-8 whatever their bytes: a byte that is not UTF-8 becomes U+FFFD,
    which the text rules refuse naming the field. (Werkzeug keeps such a byte as the literal
    text "%FF", indistinguishable from typed text, or drops the whole form if the byte was
    sent raw; multipart bodies it already reads this way.)"""

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        items = parse_qsl(stream.read().decode("utf-8", "replace"), keep_blank_values=True,
                          errors="replace")
        return stream, self.cls(items), self.cls()


class Request(flask.Request):
    """The app's request: forms parsed by FormDataParser."""

    form_data_parser_class = FormDataParser


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (easier on a phone than a multiple select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class LinesField(TextAreaField):
    """A list of short texts, one per line (lines with nothing visible are left out)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        lines = (valuelist[0] if valuelist else "").splitlines()
        self.data = [line.strip() for line in lines if not text.is_blank(line)]

    def _value(self) -> str:
        return "\n".join(self.data or [])


class ConditionsField(TextAreaField):
    """A park-entry review's conditions, one per line: its text, then optionally after a bar
    (| or ｜) the department whose it is (none: the investor's) and its due date (YYYY-MM-DD).
    What a line holds is the domain's to check (a bad date is refused naming the condition)."""

    BAR = re.compile(r"[|｜]")

    def process_formdata(self, valuelist: list[str]) -> None:
        lines = (valuelist[0] if valuelist else "").splitlines()
        self.data = [self._condition(line) for line in lines if not text.is_blank(line)]

    def _condition(self, line: str) -> str | dict[str, Any]:
        parts = [part.strip() for part in self.BAR.split(line)]
        if len(parts) == 1:
            return parts[0]
        department, due = parts[1] or None, "|".join(parts[2:]) or None  # more bars: no date
        return {"text": parts[0], "party": "department" if department else "investor",
                "department": department, "due_on": due}

    def _value(self) -> str:
        return "\n".join(self._line(c) for c in self.data or [])

    @staticmethod
    def _line(condition: str | dict[str, Any]) -> str:
        if isinstance(condition, str):
            return condition
        if condition.get("department") is None and condition.get("due_on") is None:
            return condition["text"]
        return " | ".join([condition["text"], condition.get("department") or "",
                           str(condition.get("due_on") or "")]).rstrip(" |")


class DayField(DateField):
    """A date picked or typed as YYYY-MM-DD, in the years the record takes."""

    def pre_validate(self, form) -> None:
        if self.data is not None:
            try:
                parse_date(self.data)
            except ValueError:
                raise ValidationError(_l("Enter a date from 1900-01-01 to 2099-12-31.")) \
                    from None


class WanField(StringField):
    """Money typed in 万元 (up to 4 decimals, i.e. to the yuan), held as a Decimal of 万元."""

    def __init__(self, label=None, validators=None, *, minimum: int = 0, **kwargs: Any):
        super().__init__(label, validators, **kwargs)
        self.least, self.most = Decimal(minimum) / WAN, Decimal(MAX_MONEY) / WAN

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        typed = unicodedata.normalize("NFKC", valuelist[0]).strip() if valuelist else ""
        if not typed:
            return
        if not _PLAIN.fullmatch(typed):
            raise ValueError(_l("Enter a plain number of 万元, such as 1250 or 36.5."))
        self.data = Decimal(typed)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data.normalize():f}"

    def pre_validate(self, form) -> None:
        if self.data is None:
            return
        if self.data != round(self.data, 4):
            raise ValidationError(_l("At most 4 decimal places (to the yuan)."))
        if not self.least <= self.data <= self.most:
            raise ValidationError(_l("Enter an amount from %(least)s to %(most)s 万元.",
                                     least=f"{self.least.normalize():f}",
                                     most=f"{self.most.normalize():f}"))

    def yuan(self) -> int | None:
        """The amount in yuan, or None if none was typed."""
        return None if self.data is None else int(self.data * WAN)
