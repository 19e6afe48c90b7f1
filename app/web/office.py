"""Pages of the service centre (office): the county's catalogues."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.store import service
from app.web.auth import roles_required
from app.web.forms import error_message
from domain.catalogues import KINDS
from domain.errors import DomainError

bp = Blueprint("office", __name__, url_prefix="/office")

CATALOGUE_LABELS = {"industries": _l("Industries"), "parks": _l("Parks"),
                    "units": _l("Responsible units (departments)")}


class ValueForm(FlaskForm):
    value = StringField(_l("New value"), validators=[DataRequired(), Length(max=200)])


class RetireForm(FlaskForm):
    value = StringField(validators=[DataRequired(), Length(max=200)])
    reason = StringField(_l("Why it is offered no more"),
                         validators=[DataRequired(), Length(max=4000)])


@bp.route("/catalogues", methods=["GET", "POST"])
@roles_required("office")
def catalogues():
    """The county's catalogues: add a value, retire one, and their history."""
    banban = service()
    kind = request.args.get("kind")
    retiring = request.args.get("retire") == "1"
    form = RetireForm() if retiring else ValueForm()
    if request.method == "POST":
        if kind not in KINDS:
            abort(404)
        if form.validate_on_submit():
            try:
                if retiring:
                    banban.retire_from_catalogue(current_user.username, kind, form.value.data,
                                                 form.reason.data)
                    flash(gettext("Offered no more: %(value)s", value=form.value.data))
                else:
                    value = banban.add_to_catalogue(current_user.username, kind,
                                                    form.value.data)
                    flash(gettext("Added: %(value)s", value=value))
                return redirect(url_for("office.catalogues"))
            except DomainError as error:
                form.value.errors = [error_message(error.code)]
    scope = banban.user(current_user.username)["scope"]
    return render_template(
        "office/catalogues.html", catalogues=banban.catalogues(scope),
        history=list(reversed(banban.catalogue_history(scope)))[:50], labels=CATALOGUE_LABELS,
        form=form, failed_kind=kind if request.method == "POST" else None,
        add_form=ValueForm(formdata=None), retire_form=RetireForm(formdata=None),
    ), 422 if form.errors else 200
