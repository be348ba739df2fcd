"""WTForms forms; CSRF comes with FlaskForm."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from studies.models import Role


class SignInForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


class AddMemberForm(FlaskForm):
    email = EmailField("E-mail of an existing user", validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField("Role", choices=[r.value for r in Role])


class NewTokenForm(FlaskForm):
    name = StringField("Where will it be used?", validators=[DataRequired(), Length(max=200)])


class ConfirmForm(FlaskForm):
    """An empty form: a POST button with its CSRF token."""
